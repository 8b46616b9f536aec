"""Provision a login with a role and an organization: create_account USERNAME --role ROLE --organization CODE."""

import getpass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.models import Organization, Role, User


class Command(BaseCommand):
    help = "Tạo tài khoản đăng nhập với vai trò và tổ chức (mật khẩu từ tệp hoặc nhập khi được hỏi)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organization", help="mã tổ chức (bắt buộc trừ vai trò admin)")
        parser.add_argument("--password-file", type=Path, help="tệp chứa mật khẩu ở dòng đầu")
        parser.add_argument("--full-name", default="", help="họ và tên")

    def handle(self, *args, username, role, organization, password_file, full_name, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Tài khoản '{username}' đã tồn tại.")
        org = None
        if organization:
            org = Organization.objects.filter(code=organization).first()
            if org is None:
                raise CommandError(f"Không có tổ chức mã '{organization}'.")
        password = self._password(password_file)
        try:
            user = services.account_create(
                username=username, role=role, organization=org, password=password, full_name=full_name
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        scope = org.code if org else "toàn hệ thống"
        self.stdout.write(f"Đã tạo tài khoản {user.username} ({role}, {scope}).")

    def _password(self, password_file: Path | None) -> str:
        if password_file is not None:
            try:
                return password_file.read_text(encoding="utf-8").splitlines()[0].strip()
            except (OSError, IndexError) as error:
                raise CommandError(f"Không đọc được mật khẩu từ {password_file}: {error}") from error
        first = getpass.getpass("Mật khẩu: ")
        if first != getpass.getpass("Nhập lại mật khẩu: "):
            raise CommandError("Hai lần nhập mật khẩu không khớp.")
        return first
