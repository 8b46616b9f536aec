"""Run every regulation check in force for a year on an organization's subtree and list what fails or was overridden.

Exit codes: 0 when nothing fails (overridden checks are listed but do not fail), 1 when a check fails, 2 on a usage
error (an unknown organization, a year that is not a year, an unknown format)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.models import MAX_YEAR, MIN_YEAR, Organization
from assessments.regulation import run


class Command(BaseCommand):
    help = _(
        "Kiểm tra kết quả xếp loại một năm theo quy định của giai đoạn: mỗi dòng một kiểm tra không đạt hoặc đã "
        "quyết định vượt (ORGCODE NĂM QUY_TẮC: nội dung). Mã thoát 0: đạt; 1: có kiểm tra không đạt; 2: sai cách dùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help=_("mã tổ chức, ví dụ BS"))
        parser.add_argument("year", help=_("năm đánh giá, ví dụ 2019"))
        parser.add_argument("--format", default="text", choices=["text", "json"], help=_("text (mặc định) hoặc json"))

    def handle(self, *args, code: str, year: str, format: str, **options):
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise CommandError(_("Không có tổ chức đảng mã “%(code)s”.") % {"code": code}, returncode=2)
        if not (year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR):
            raise CommandError(
                _("Năm “%(year)s” không hợp lệ: ghi 4 chữ số từ %(min)s đến %(max)s.")
                % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR},
                returncode=2,
            )
        number = int(year)
        results = run.reported(run.subtree_checks(organization=organization, year=number))
        if format == "json":
            self.stdout.write(json.dumps([run.as_json(r, number) for r in results], ensure_ascii=False, indent=2))
        else:
            for result in results:
                self.stdout.write(run.as_line(result, number))
        if any(result.failed for result in results):
            raise SystemExit(1)
