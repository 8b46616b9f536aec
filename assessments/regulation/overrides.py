"""Overrides: a competent body keeps a level a rule refuses, with a written reason; kept per unit, year and rule (and
the subject the rule judged: a leader, a collective, a group a cap counts apart) with who and when (RuleOverride, with
its history), recorded by the services that decide a level and read back by the checks of a subtree (check_ratings, the
officers' page) and the results report."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.models import RuleOverride, User


def failed_refuse(*, failed: list, override_reason: str, finalize: bool = True) -> None:
    """A failed check blocks the decision (finalizing, or a committee deciding a cell) unless a reason for keeping
    the level anyway is written."""
    if failed and not (override_reason or "").strip():
        closing = _("Muốn vẫn chốt, ghi rõ lý do.") if finalize else _("Muốn vẫn quyết định, ghi rõ lý do.")
        raise ValidationError(
            {
                "override_reason": [_("Không đạt kiểm tra quy định: %(m)s") % {"m": check.message} for check in failed]
                + [closing]
            }
        )


def overrides_record(*, failed: Iterable, year: int, reason: str, actor: User | None) -> list[RuleOverride]:
    """Record (or renew) the override of every failed check, with the reason, the actor and the check's message."""
    recorded = []
    for check in failed:
        key = {"organization": check.organization, "year": year, "rule": check.code, **_subject(check.subject)}
        override = RuleOverride.objects.filter(**key).first() or RuleOverride(**key)
        override.reason = reason.strip()
        override.message = check.message
        override.decided_by = actor
        override._history_user = actor
        override.save()
        recorded.append(override)
    return recorded


def _subject(subject: dict) -> dict:
    """The subject fields of an override: the ones a result names, the others empty (the whole unit)."""
    return {"member_id": None, "collective_id": None, "group": "", **subject}


def _subject_key(fields: dict) -> tuple:
    return fields["member_id"], fields["collective_id"], fields["group"]


def overrides_apply(results: list, year: int) -> list:
    """Mark the results a competent body overrode, with its reason (one query). A result on one subject (a leader, a
    collective, a group) takes that subject's override; an override of the unit (no subject: one recorded
    before overrides were kept per subject, or entered by hand) covers every subject of the unit, as it always did."""
    organizations = {result.organization.pk for result in results}
    if not organizations:
        return results
    rows = RuleOverride.objects.filter(organization__in=organizations, year=year)
    found = {
        (organization_id, rule, member_id, collective_id, group): reason
        for organization_id, rule, member_id, collective_id, group, reason in rows.values_list(
            "organization_id", "rule", "member_id", "collective_id", "group", "reason"
        )
    }
    whole_unit = _subject_key(_subject({}))
    for result in results:
        key = (result.organization.pk, str(result.code))
        reason = found.get((*key, *_subject_key(_subject(result.subject))))
        if reason is None:
            reason = found.get((*key, *whole_unit))
        if reason is not None and not result.passed:
            result.overridden, result.reason = True, reason
    return results
