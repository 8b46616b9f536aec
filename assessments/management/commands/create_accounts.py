"""create_accounts FILE --passwords-out OUT: one account per row, a generated password each, all or none."""

import csv
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.accounts.bulk import ACCOUNT_COLUMNS, accounts_create_from_file
from assessments.importing import FileRejected


class Command(BaseCommand):
    help = _(
        "Tạo nhiều tài khoản từ tệp CSV/XLSX (cột: %(columns)s), mỗi tài khoản một mật khẩu ngẫu nhiên ghi vào tệp "
        "--passwords-out; có lỗi thì không tạo tài khoản nào."
    ) % {"columns": ", ".join(ACCOUNT_COLUMNS)}

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--passwords-out",
            required=True,
            help=_("tệp CSV mới (chưa có) nhận tên đăng nhập và mật khẩu; chỉ người chạy lệnh đọc được"),
        )

    def handle(self, *args, file, passwords_out, **options):
        try:
            handle = open(file, "rb")  # noqa: SIM115 - closed in finally
        except OSError as error:
            raise CommandError(
                _("Không mở được tệp %(file)s: %(error)s") % {"file": file, "error": error.strerror}, returncode=2
            ) from error
        try:
            # The passwords file is created first, readable by its owner only, and never overwritten: a failure
            # here must come before any account exists.
            descriptor = os.open(passwords_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            handle.close()
            raise CommandError(
                _("Không tạo được tệp %(file)s: %(error)s") % {"file": passwords_out, "error": error.strerror},
                returncode=2,
            ) from error
        out = os.fdopen(descriptor, "w", encoding="utf-8", newline="")

        def deliver(pairs: list[tuple[str, str]]) -> None:
            writer = csv.writer(out)
            writer.writerow(["username", "password"])
            writer.writerows(pairs)
            out.flush()
            os.fsync(out.fileno())  # on disk before the accounts are committed

        try:
            result = accounts_create_from_file(handle=handle, name=file, deliver=deliver)
        except BaseException as error:
            out.close()
            os.unlink(passwords_out)
            if isinstance(error, FileRejected):
                raise CommandError(f"{file}: {error.message}", returncode=2) from error
            raise
        finally:
            handle.close()
        out.close()
        if result.errors:
            os.unlink(passwords_out)
            for error in result.errors:
                self.stderr.write(f"{file}:{error.row}:{error.column}: {error.message}")
            self.stderr.write(_("%(n)s lỗi; không tạo tài khoản nào.") % {"n": len(result.errors)})
            sys.exit(1)
        self.stdout.write(
            _("Đã tạo %(n)s tài khoản; mật khẩu trong %(file)s: trao cho từng người rồi xóa tệp.")
            % {"n": len(result.created), "file": passwords_out}
        )
