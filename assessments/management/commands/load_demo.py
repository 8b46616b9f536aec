"""Load the Bắc Sơn demo district and demo accounts (idempotent); refuses to run with DEBUG off unless told to."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessments import demo
from assessments.common.vocabulary import number_text


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu huyện Bắc Sơn và các tài khoản mẫu (chạy lại không thay đổi gì)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="cho phép chạy khi DEBUG tắt (tài khoản mẫu có mật khẩu công khai!)",
        )
        parser.add_argument(
            "--with-2025-reorganization",
            action="store_true",
            help="giữ để tương thích: cơ cấu sau sắp xếp tháng 7/2025 (6 xã mới trực thuộc tỉnh) nay luôn được nạp",
        )

    def handle(self, *args, allow_production, with_2025_reorganization, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG đang tắt: không nạp dữ liệu mẫu (mật khẩu mẫu là công khai). "
                "Dùng --allow-production nếu thật sự muốn."
            )
        # The July 2025 structure is part of the default demo now; the option stays accepted and changes nothing.
        counts = demo.demo_load()
        with translation.override("vi"):
            organizations, units, members = (number_text(counts[key]) for key in ("organizations", "units", "members"))
        self.stdout.write(
            f"Đã nạp dữ liệu mẫu: {organizations} tổ chức ({units} đơn vị trực thuộc huyện), {members} đảng viên, "
            f"xếp loại các năm {', '.join(map(str, demo.YEARS))} và 2019; năm 2025 của 6 xã mới (có chấm điểm) và "
            "quý I–III năm 2026."
        )
        names = ", ".join(username for username, *_rest in demo.ACCOUNTS)
        self.stdout.write(f"Tài khoản mẫu: {names} — mật khẩu: {demo.DEMO_PASSWORD}")
