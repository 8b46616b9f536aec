"""The write paths the divergence tests feed: the importer through data_import, and the admin's forms (posted
to the change views by a logged-in superuser); the services and the demo loader's rule calls are called directly."""

import re
from html import unescape

from assessments.importing import data_import
from assessments.models import Member, Membership
from tests.importfiles import csv_bytes


def import_rows(tmp_path, data_type: str, rows: list[list], *, user=None):
    path = tmp_path / f"{data_type}.csv"
    path.write_bytes(csv_bytes(rows))
    with open(path, "rb") as handle:
        return data_import(data_type=data_type, handle=handle, name=path.name, actor=user, scope_user=user)


def import_messages(result) -> list[str]:
    return [error.message for error in result.errors]


def admin_errors(response) -> list[str]:
    """The error messages of an admin form page (field errors and the form's own), unescaped."""
    html = response.content.decode()
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, flags=re.S)
    return [unescape(item) for block in lists for item in re.findall(r"<li>(.*?)</li>", block, flags=re.S)]


def _value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)


def member_admin_data(member: Member, **changes) -> dict:
    """The member's change form as the admin page posts it, memberships inline included, with some fields changed."""
    fields = [
        "card_number",
        "full_name",
        "gender",
        "birth_date",
        "ethnicity",
        "admitted_on",
        "official_on",
        "status",
    ]
    data = {name: _value(getattr(member, name)) for name in fields}
    data["organization"] = str(member.organization_id)
    data.update({name: str(value) for name, value in changes.items()})
    memberships = list(Membership.objects.filter(member=member).order_by("start"))
    data.update(
        {
            "memberships-TOTAL_FORMS": str(len(memberships)),
            "memberships-INITIAL_FORMS": str(len(memberships)),
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(memberships):
        data.update(
            {
                f"memberships-{i}-id": str(row.pk),
                f"memberships-{i}-member": str(member.pk),
                f"memberships-{i}-organization": str(row.organization_id),
                f"memberships-{i}-start": _value(row.start),
                f"memberships-{i}-end": _value(row.end),
            }
        )
    return data


def spans(member: Member) -> list[tuple]:
    return list(member.memberships.order_by("start").values_list("organization__code", "start", "end"))
