"""Who may write where, as rules: the predicates of assessments/permissions.py turned into field errors with the
messages every write path shows (the importer asks the same predicates set-based and words refusals here too).

Decision: the importer and the services used to decide differently what a secretary may write; both now ask
assessments.permissions.write_allowed (role and scope) and unit_rating_decide_allowed (the decided part of a
unit's rating). Outside the scope, the message names only what the user typed, never what exists elsewhere.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.models import Member, Organization
from assessments.permissions import data_write_allowed, write_allowed


def out_of_scope_message(code: str) -> str:
    """The one answer for an organization code the user may not use, whether it exists elsewhere or not."""
    return _("Không có tổ chức mã %(code)s trong phạm vi của bạn.") % {"code": code}


def member_out_of_scope_message(card_number: str) -> str:
    """The one answer for a card number the user may not use: unknown, or a member outside the scope (the
    message never says which, nor where the member is)."""
    return _("Không có đảng viên số thẻ %(card)s trong phạm vi của bạn.") % {"card": card_number}


def role_refused_message() -> str:
    return _("Vai trò của bạn không được ghi loại dữ liệu này.")


def write_check(*, actor, data_type: str, organization: Organization, field: str = "organization") -> None:
    """The actor may write this kind of data at this organization (None is a system write and may)."""
    if not data_write_allowed(actor, data_type):
        raise ValidationError({field: role_refused_message()})
    if not write_allowed(actor, data_type=data_type, organization=organization):
        raise ValidationError({field: out_of_scope_message(organization.code)})


def member_reach_check(*, actor, data_type: str, member: Member, field: str = "member") -> None:
    """The actor may write about this member: the role writes this kind of data and the member's cell is in scope."""
    if not data_write_allowed(actor, data_type):
        raise ValidationError({field: role_refused_message()})
    if not write_allowed(actor, data_type=data_type, organization=member.organization):
        raise ValidationError({field: member_out_of_scope_message(member.card_number)})
