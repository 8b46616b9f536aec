"""The yearly cycle's locks on ratings: which ratings an actor may still change, set-based for the importer and one
at a time for the services and the admin (saving and deleting alike).

A unit's results for a year are final once its file (Submission) is finalized: in the cycle (cycle.services), or
when an officer imports them as final or the demo loads its published years (services.year_results_finalize).
Final results are closed to everyone, officers included, until an officer reopens them with a written reason
(cycle.services.rating_reopen); a file sent up is closed to the unit's own secretary until it is returned.
Cells and sub-committees follow the file of the grassroots unit above them. The cycle decides the yearly rating only:
a quarter's results (issue 15) are recorded by import and in the admin and are never locked by it."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.models import GRASSROOTS_KINDS, Organization, Role, Submission, SubmissionStatus


def _deciding_codes(organization: Organization) -> list[str]:
    """Codes whose submission governs this organization's ratings: its own, and for a cell its grassroots unit's."""
    codes = [organization.code]
    if organization.kind not in GRASSROOTS_KINDS:
        # Cells and sub-committees are rated by the grassroots committee above them; its submission governs them.
        codes += [code for code in organization.path.split("/")[:-1] if code and code != organization.code]
    return codes


def rating_locks(*, organizations: Iterable[Organization], year: int, actor, period: str = "") -> dict[int, str]:
    """The organizations (by id) whose ratings for the year the actor may not change, each with why (one query)."""
    organizations = list(organizations)
    if not organizations or period:
        return {}
    wanted = {org.pk: _deciding_codes(org) for org in organizations}
    codes = {code for group in wanted.values() for code in group}
    rows = Submission.objects.filter(
        cycle__year=year,
        organization__code__in=codes,
        status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.FINALIZED],
    ).values_list("organization__code", "organization__kind", "organization__name", "status")
    found = {code: (kind, name, status) for code, kind, name, status in rows}
    secretary = actor is not None and not actor.is_superuser and actor.role == Role.SECRETARY
    locks = {}
    for org in organizations:
        for code in wanted[org.pk]:
            if code not in found:
                continue
            kind, name, status = found[code]
            if code != org.code and kind not in GRASSROOTS_KINDS:
                continue
            if status == SubmissionStatus.FINALIZED:
                locks[org.pk] = _(
                    "Kết quả năm %(year)s của %(unit)s đã chốt: muốn sửa, cấp trên phải mở lại kèm lý do."
                ) % {"year": year, "unit": name}
            elif secretary:
                locks[org.pk] = _(
                    "Hồ sơ năm %(year)s của %(unit)s đã gửi lên cấp trên: chỉ sửa được khi cấp trên trả lại."
                ) % {"year": year, "unit": name}
            break
    return locks


def rating_lock_check(*, organization: Organization, year: int, actor, period: str = "") -> None:
    """Refuse a change to a rating that is finalized, or already submitted when the actor is the unit's secretary."""
    locks = rating_locks(organizations=[organization], year=year, actor=actor, period=period)
    if organization.pk in locks:
        raise ValidationError(locks[organization.pk])
