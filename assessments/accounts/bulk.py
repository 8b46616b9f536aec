"""Many accounts at once from a file (a district's 55 secretaries): every row checked, all created or none."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.common.text import fold
from assessments.importing import RowError, Table, file_check
from assessments.models import Organization, Role, User
from assessments.services import account_create

# Column code -> its Vietnamese title; a header may use either (diacritics and case do not matter). The titles
# are part of the file format, the same whatever the language of the page.
ACCOUNT_COLUMNS = {
    "username": "Tên đăng nhập",
    "role": "Vai trò",
    "organization_code": "Mã tổ chức",
    "full_name": "Họ và tên",
}
REQUIRED = ("username", "role")
MAX_ACCOUNTS = 5_000  # a province's grassroots secretaries and officers, with room


@dataclass
class AccountsResult:
    created: list[tuple[str, str]] = field(default_factory=list)  # (username, generated password)
    errors: list[RowError] = field(default_factory=list)


def _header(cells: list[str]) -> tuple[dict[str, int], list[RowError]]:
    names = {fold(code): code for code in ACCOUNT_COLUMNS} | {fold(t): c for c, t in ACCOUNT_COLUMNS.items()}
    positions, errors = {}, []
    for index, cell in enumerate(cells):
        if not cell:
            continue
        code = names.get(fold(cell))
        if code is None:
            errors.append(
                RowError(
                    1,
                    cell,
                    _("Cột không dùng được: “%(name)s” (dùng: %(codes)s).")
                    % {"name": cell, "codes": ", ".join(ACCOUNT_COLUMNS)},
                )
            )
        elif code in positions:
            errors.append(RowError(1, cell, _("Cột %(code)s xuất hiện hai lần.") % {"code": code}))
        else:
            positions[code] = index
    for code in REQUIRED:
        if code not in positions:
            errors.append(RowError(1, code, _("Thiếu cột %(code)s.") % {"code": code}))
    return positions, errors


def _role(value: str) -> str | None:
    """A role by its code or its Vietnamese label."""
    for code, label in Role.choices:
        if fold(value) in (fold(code), fold(str(label))):
            return code
    return None


def accounts_create_from_file(
    *, handle: IO[bytes], name: str, deliver: Callable[[list[tuple[str, str]]], None]
) -> AccountsResult:
    """Create an account per row with a generated password; any error leaves no account created. `deliver` gets
    the (username, password) pairs before the accounts are committed: if it fails, none is created."""
    result = AccountsResult()
    kind = file_check(handle, name)
    with Table(handle, kind) as table:
        positions, result.errors = _header(table.header)
        if result.errors:
            return result
        rows = []
        for number, cells in table.rows():
            if len(rows) == MAX_ACCOUNTS:
                result.errors.append(
                    RowError(number, "username", _("Quá %(n)s tài khoản trong một tệp.") % {"n": MAX_ACCOUNTS})
                )
                return result
            rows.append(
                (number, {code: str(cells[i]).strip() if i < len(cells) else "" for code, i in positions.items()})
            )
    codes = {values.get("organization_code", "") for _n, values in rows} - {""}
    organizations = {org.code: org for org in Organization.objects.filter(code__in=codes)}
    taken = set(
        User.objects.filter(username__in={v.get("username", "") for _n, v in rows}).values_list("username", flat=True)
    )
    with transaction.atomic():
        for number, values in rows:
            result.errors += _row_create(number, values, organizations, taken, result.created)
        if result.errors:
            transaction.set_rollback(True)
            result.created = []
        else:
            deliver(result.created)
    return result


def _row_create(number: int, values: dict, organizations: dict, taken: set, created: list) -> list[RowError]:
    username, code = values.get("username", ""), values.get("organization_code", "")
    if not username:
        return [RowError(number, "username", _("Thiếu tên đăng nhập."))]
    role = _role(values.get("role", ""))
    if role is None:
        return [
            RowError(
                number,
                "role",
                _("Vai trò không hợp lệ: “%(value)s” (dùng: %(codes)s).")
                % {"value": values.get("role", ""), "codes": ", ".join(Role.values)},
            )
        ]
    organization = organizations.get(code) if code else None
    if code and organization is None:
        return [RowError(number, "organization_code", _("Không có tổ chức mã %(code)s.") % {"code": code})]
    if username in taken:  # already an account, or an earlier row of this file
        return [RowError(number, "username", _("Tài khoản “%(name)s” đã có.") % {"name": username})]
    taken.add(username)
    # 16 URL-safe characters (96 bits): handed to the person once; they change it after logging in.
    password = secrets.token_urlsafe(12)
    try:
        with transaction.atomic():
            account_create(
                username=username,
                role=role,
                organization=organization,
                password=password,
                full_name=values.get("full_name", ""),
            )
    except ValidationError as error:
        columns = {"organization": "organization_code", "first_name": "full_name", "last_name": "full_name"}
        messages = error.message_dict.items() if hasattr(error, "error_dict") else [("username", error.messages)]
        return [
            RowError(number, columns.get(f, f if f in ACCOUNT_COLUMNS else "username"), m)
            for f, ms in messages
            for m in ms
        ]
    created.append((username, password))
    return []
