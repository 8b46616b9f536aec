"""Writes of the regulation's records: discipline decisions, a member's dated statuses (exempt, suspended) and a
committee's switch of a period rule for its subtree, each checked once here for the pages, the admin, the importer
and the demo loader alike."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.common.history import save_as
from assessments.models import (
    MEMBER_FORMS,
    MEMBER_KINDS,
    ORGANIZATION_FORMS,
    Discipline,
    DisciplineForm,
    MemberStatusSpan,
    Organization,
    PeriodRule,
    RuleSetting,
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
    return save_as(discipline, actor)


@transaction.atomic
def member_status_save(*, span: MemberStatusSpan, actor: User | None) -> MemberStatusSpan:
    """Record a time a member was exempt or suspended (within the actor's scope)."""
    member_reach_check(actor=actor, data_type="members", member=span.member)
    return save_as(span, actor)


def rule_setter_role_require(user, organization: Organization) -> None:
    """Only an officer switches a rule for a committee; 403 for another role (the page asks before reading the form,
    the service again)."""
    permissions.role_require(
        permissions.may_set_rules(user, organization),
        _("Chỉ cán bộ Ban Tổ chức được bật, tắt quy tắc cho đơn vị."),
    )


def rule_setting_check(*, organization: Organization, actor: User | None, reason: str) -> None:
    """An officer with the committee in scope (404 outside it, 403 for another role), a committee (a cell has no
    subtree to set), and a written reason."""
    permissions.scope_require(actor, organization)
    rule_setter_role_require(actor, organization)
    if organization.kind in MEMBER_KINDS:
        raise ValidationError(
            {
                "organization": _("%(unit)s là chi bộ: chỉ cấp ủy có đơn vị trực thuộc mới bật, tắt quy tắc.")
                % {"unit": organization.name}
            }
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Ghi lý do bật, tắt quy tắc (ví dụ văn bản của cấp ủy).")})


@transaction.atomic
def rule_setting_save(
    *, organization: Organization, period_rule: PeriodRule, enabled: bool | None, reason: str, actor: User | None
) -> RuleSetting | None:
    """Switch a period rule on (True) or off (False) for a committee and every unit under it, or back to what the
    units above it and the period decide (None: the setting is removed); the history keeps who, when and why."""
    rule_setting_check(organization=organization, actor=actor, reason=reason)
    setting = RuleSetting.objects.filter(organization=organization, period_rule=period_rule).first()
    if enabled is None:
        if setting is not None:
            setting.reason, setting.set_by, setting._history_user = reason.strip(), actor, actor
            setting.save(update_fields=["reason", "set_by", "set_at"])
            setting.delete()
        return None
    setting = setting or RuleSetting(organization=organization, period_rule=period_rule)
    setting.enabled, setting.reason, setting.set_by = enabled, reason.strip(), actor
    return save_as(setting, actor)


__all__ = [
    "WRITE_DISCIPLINES",
    "DisciplineForm",
    "discipline_check",
    "discipline_save",
    "member_status_save",
    "rule_setting_save",
]
