"""import_data TYPE FILE [--dry-run]: exit 0 with counts, 1 with FILE:ROW:COLUMN: message lines, 2 for usage."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.importing import DATA_TYPES, FileRejected, import_record_create, import_record_run
from assessments.models import User


class Command(BaseCommand):
    help = _("Nhập tổ chức, đảng viên hoặc kết quả xếp loại từ tệp CSV/XLSX; có lỗi thì không ghi gì.")

    def add_arguments(self, parser):
        parser.add_argument("type", help=", ".join(DATA_TYPES))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help=_("Chỉ kiểm tra, không ghi."))
        parser.add_argument(
            "--user",
            help=_("Tên đăng nhập của người nhập: được ghi vào lịch sử, và chỉ nhập được trong phạm vi của người đó."),
        )

    def handle(self, *args, **options):
        data_type, path, dry_run = options["type"], options["file"], options["dry_run"]
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).select_related("organization").first()
            if user is None:
                raise CommandError(_("Không có tài khoản %(user)s.") % {"user": options["user"]}, returncode=2)
        if data_type not in DATA_TYPES:
            raise CommandError(
                _("Loại dữ liệu không hợp lệ: %(type)s (dùng: %(types)s).")
                % {"type": data_type, "types": ", ".join(DATA_TYPES)},
                returncode=2,
            )
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed in finally, after the record keeps a copy
        except OSError as error:
            raise CommandError(
                _("Không mở được tệp %(file)s: %(error)s") % {"file": path, "error": error.strerror}, returncode=2
            ) from error
        try:
            record = import_record_create(
                handle=handle, name=path, data_type=data_type, actor=user, source="command", dry_run=dry_run
            )
        finally:
            handle.close()

        def print_error(error) -> None:
            self.stderr.write(f"{path}:{error.row}:{error.column}: {error.message}")

        try:
            result = import_record_run(record=record, dry_run=dry_run, scope_user=user, on_error=print_error)
        except FileRejected as rejected:
            raise CommandError(f"{path}: {rejected.message}", returncode=2) from rejected
        if result.error_count:
            self.stderr.write(_("%(n)s lỗi; không ghi dữ liệu nào.") % {"n": result.error_count})
            sys.exit(1)
        prefix = _("Chạy thử, không ghi: ") if dry_run else ""
        self.stdout.write(f"{prefix}created={result.created} updated={result.updated} unchanged={result.unchanged}")
