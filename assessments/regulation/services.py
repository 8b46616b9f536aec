"""Writes of the regulation's records: discipline decisions and a member's dated statuses (exempt, suspended),
each checked once here for the admin, the importer and the demo loader alike."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import (
    MEMBER_FORMS,
    ORGANIZATION_FORMS,
    Discipline,
    DisciplineForm,
    MemberStatusSpan,
    User,
)
from assessments.rules.access import member_reach_check, write_check

WRITE_DISCIPLINES = "disciplines"  # district staff only: not among the kinds a secretary writes


def _forms_text(forms) -> str:
    return ", ".join(f"{form.value} ({str(form.label).lower()})" for form in forms)


def discipline_check(discipline: Discipline, *, actor: User | None) -> None:
    """Exactly one of member and organization, a form that fits it, within the actor's scope; errors by field."""
    if (discipline.member_id is None) == (discipline.organization_id is None):
        raise ValidationError({"member": _("Ghi số thẻ đảng viên hoặc mã tổ chức đảng bị kỷ luật, chỉ một trong hai.")})
    forms = MEMBER_FORMS if discipline.member_id else ORGANIZATION_FORMS
    if discipline.form not in [form.value for form in forms]:
        subject = _("đảng viên") if discipline.member_id else _("tổ chức đảng")
        raise ValidationError(
            {
                "form": _("Hình thức “%(form)s” không dùng cho %(subject)s: dùng %(forms)s.")
                % {"form": discipline.form, "subject": subject, "forms": _forms_text(forms)}
            }
        )
    if discipline.member_id:
        member_reach_check(actor=actor, data_type=WRITE_DISCIPLINES, member=discipline.member)
    else:
        write_check(actor=actor, data_type=WRITE_DISCIPLINES, organization=discipline.organization)


@transaction.atomic
def discipline_save(*, discipline: Discipline, actor: User | None) -> Discipline:
    """Record or correct a discipline decision; the history says who."""
    discipline_check(discipline, actor=actor)
    discipline._history_user = actor
    discipline.full_clean()
    discipline.save()
    return discipline


@transaction.atomic
def member_status_save(*, span: MemberStatusSpan, actor: User | None) -> MemberStatusSpan:
    """Record a time a member was exempt or suspended (within the actor's scope)."""
    member_reach_check(actor=actor, data_type="members", member=span.member)
    span._history_user = actor
    span.full_clean()
    span.save()
    return span


__all__ = ["WRITE_DISCIPLINES", "DisciplineForm", "discipline_check", "discipline_save", "member_status_save"]
