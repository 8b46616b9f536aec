"""Writes with business rules: the only path views, the admin, commands and tasks use for a change.

The rules themselves live in assessments/rules (the importer calls the same functions set-based); level_check,
unit_assessment_check and member_assessment_check are re-exported here for the callers that used them from here.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.common.history import save_as
from assessments.common.text import text_normalize
from assessments.models import (
    Member,
    MemberAssessment,
    Membership,
    Organization,
    Role,
    Submission,
    SubmissionStatus,
    UnitAssessment,
    User,
    YearCycle,
)
from assessments.permissions import (
    WRITE_MEMBER_RATINGS,
    WRITE_MEMBERS,
    WRITE_ORGANIZATIONS,
    WRITE_UNIT_RATINGS,
    may_finalize,
)
from assessments.rules.access import member_reach_check, write_check
from assessments.rules.locks import rating_lock_check
from assessments.rules.members import (
    member_dates_check,
    member_organization_check,
    membership_check,
    membership_delete_check,
    memberships_move,
    transfer_day_check,
)
from assessments.rules.organizations import (
    organization_dates_check,
    organization_kind_check,
    organization_parent_check,
    root_check,
    subtree_repath,
)
from assessments.rules.ratings import (
    level_check,  # noqa: F401 — re-exported for cycle and consolidation
    member_assessment_check,
    scheme_in_force,
    unit_assessment_check,
    unit_rating_actor_check,
    unit_rating_changed,
)
from assessments.signals import assessments_changed, organizations_changed

# --- organizations ---------------------------------------------------------------------------------------------


def organization_write_check(organization: Organization, *, actor: User | None) -> None:
    """Every rule of creating or changing an organization, the actor's included (the admin's form asks it too)."""
    organization_parent_check(organization)
    organization_kind_check(organization)
    organization_dates_check(valid_from=organization.valid_from, valid_to=organization.valid_to)
    parent = organization.parent if organization.parent_id else None
    if parent is not None:
        write_check(actor=actor, data_type=WRITE_ORGANIZATIONS, organization=parent, field="parent")
    else:
        root_check(actor=actor)


@transaction.atomic
def organization_save(*, organization: Organization, actor: User | None) -> Organization:
    """Create or change an organization, keeping the paths of its subtree right when it moves."""
    organization_write_check(organization, actor=actor)
    old_path = None
    if organization.pk:
        old_path = Organization.objects.filter(pk=organization.pk).values_list("path", flat=True).first()
    save_as(organization, actor)
    if old_path and old_path != organization.path:
        subtree_repath({organization.pk: (old_path, organization.path)})
    organizations_changed.send(sender=Organization, organization_ids=[organization.pk])
    return organization


# --- members and memberships -----------------------------------------------------------------------------------


def _open_since(member: Member) -> datetime.date | None:
    return Membership.objects.filter(member=member, end__isnull=True).values_list("start", flat=True).first()


def member_move_check(*, member: Member, organization: Organization, day: datetime.date, actor: User | None) -> None:
    """Every rule of moving an existing member to another cell on a day (the admin's form asks it too)."""
    stored = Member.objects.select_related("organization").get(pk=member.pk)
    member_reach_check(actor=actor, data_type=WRITE_MEMBERS, member=stored, field="card_number")
    member_organization_check(organization=organization, day=day)
    write_check(actor=actor, data_type=WRITE_MEMBERS, organization=organization)
    transfer_day_check(open_since=_open_since(member), day=day)


def member_write_check(member: Member, *, actor: User | None, day: datetime.date) -> None:
    """Every rule of creating or changing a member on a day (a changed cell is a transfer that day)."""
    previous_org_id = None
    if member.pk:
        previous_org_id = Member.objects.filter(pk=member.pk).values_list("organization_id", flat=True).first()
    if previous_org_id is None:
        member_organization_check(organization=member.organization, day=day)
        write_check(actor=actor, data_type=WRITE_MEMBERS, organization=member.organization)
    elif previous_org_id != member.organization_id:
        member_move_check(member=member, organization=member.organization, day=day, actor=actor)
    else:
        stored = Member.objects.select_related("organization").get(pk=member.pk)
        member_reach_check(actor=actor, data_type=WRITE_MEMBERS, member=stored, field="card_number")
    member_dates_check(admitted_on=member.admitted_on, official_on=member.official_on)


@transaction.atomic
def member_save(*, member: Member, actor: User | None, joined_on: datetime.date | None = None) -> Member:
    """Create or change a member; a changed cell is recorded as a transfer (rules.members)."""
    day = joined_on or timezone.localdate()  # the same day as the importer's
    previous_org_id = None
    if member.pk:
        previous_org_id = Member.objects.filter(pk=member.pk).values_list("organization_id", flat=True).first()
    member_write_check(member, actor=actor, day=day)
    save_as(member, actor)
    if previous_org_id is None:
        Membership.objects.create(
            member=member, organization=member.organization, start=joined_on or member.admitted_on or day
        )
    elif previous_org_id != member.organization_id:
        memberships_move([(member.pk, member.organization_id)], day)
    return member


@transaction.atomic
def member_transfer(*, member: Member, organization: Organization, day: datetime.date, actor: User | None) -> Member:
    """Move a member to another cell from a given day: closes one membership and opens the next (on the day the
    current one started, corrects it: rules.members)."""
    if organization.pk == member.organization_id:
        member_organization_check(organization=organization, day=day)
        return member
    member_move_check(member=member, organization=organization, day=day, actor=actor)
    member.organization = organization
    member._history_user = actor
    member.save()
    memberships_move([(member.pk, organization.pk)], day)
    return member


def _member_follow_open_membership(member_id: int, actor: User | None) -> None:
    """The member's current cell is the cell of their open membership (if they have one)."""
    open_rows = Membership.objects.filter(member_id=member_id, end__isnull=True)
    org_id = open_rows.values_list("organization_id", flat=True).first()
    member = Member.objects.get(pk=member_id)
    if org_id is not None and org_id != member.organization_id:
        member.organization_id = org_id
        member._history_user = actor
        member.save()


@transaction.atomic
def membership_save(*, membership: Membership, actor: User | None) -> Membership:
    """Correct a member's dated membership by hand (the admin), under the rules of rules.members."""
    membership_check(membership)
    write_check(actor=actor, data_type=WRITE_MEMBERS, organization=membership.organization)
    membership.full_clean()
    membership.save()
    _member_follow_open_membership(membership.member_id, actor)
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership, actor: User | None) -> None:
    """Delete a past membership entered by mistake; the open one changes only by a transfer."""
    write_check(actor=actor, data_type=WRITE_MEMBERS, organization=membership.organization)
    membership_delete_check(membership)
    membership.delete()


# --- assessments -----------------------------------------------------------------------------------------------


def unit_assessment_write_check(assessment: UnitAssessment, *, actor: User | None) -> None:
    """Every rule of writing a unit's rating, the actor's included (the admin's form asks it too)."""
    unit_assessment_check(assessment)
    write_check(actor=actor, data_type=WRITE_UNIT_RATINGS, organization=assessment.organization)
    stored = UnitAssessment.objects.filter(pk=assessment.pk).first() if assessment.pk else None
    unit_rating_actor_check(
        actor=actor, organization=assessment.organization, changed=unit_rating_changed(stored, assessment)
    )
    rating_lock_check(organization=assessment.organization, year=assessment.year, actor=actor, period=assessment.period)


def member_assessment_write_check(assessment: MemberAssessment, *, actor: User | None) -> None:
    """Every rule of writing a member's rating, the actor's included (the admin's form asks it too)."""
    # The order of the importer: the member (one message for any card number out of reach), then the unit.
    if assessment.member_id is not None:
        member_reach_check(actor=actor, data_type=WRITE_MEMBER_RATINGS, member=assessment.member)
    write_check(actor=actor, data_type=WRITE_MEMBER_RATINGS, organization=assessment.organization)
    member_assessment_check(assessment)
    rating_lock_check(organization=assessment.organization, year=assessment.year, actor=actor, period=assessment.period)


def _assessment_write(assessment, *, check, actor: User | None):
    """The one write path of a rating: rules, the actor, the cycle's locks, history with the actor, the signal."""
    check(assessment, actor=actor)
    save_as(assessment, actor)
    assessments_changed.send(
        sender=type(assessment),
        organization_ids=[assessment.organization_id],
        years=[assessment.year],
        periods=[assessment.period],
    )
    return assessment


@transaction.atomic
def unit_assessment_save(*, assessment: UnitAssessment, actor: User | None) -> UnitAssessment:
    """Record or change a unit's rating for a year, after checking every rule."""
    return _assessment_write(assessment, check=unit_assessment_write_check, actor=actor)


@transaction.atomic
def member_assessment_save(*, assessment: MemberAssessment, actor: User | None) -> MemberAssessment:
    """Record or change a member's rating for a year, after checking every rule."""
    return _assessment_write(assessment, check=member_assessment_write_check, actor=actor)


def rating_delete_check(assessment: UnitAssessment | MemberAssessment, *, actor: User | None) -> None:
    """Deleting a rating follows the rules of changing it: scope, what the actor decides, and the cycle's locks."""
    if isinstance(assessment, UnitAssessment):
        write_check(actor=actor, data_type=WRITE_UNIT_RATINGS, organization=assessment.organization)
        stored = UnitAssessment.objects.filter(pk=assessment.pk).first()
        unit_rating_actor_check(
            actor=actor, organization=assessment.organization, changed=unit_rating_changed(stored, UnitAssessment())
        )
    else:
        member_reach_check(actor=actor, data_type=WRITE_MEMBER_RATINGS, member=assessment.member)
        write_check(actor=actor, data_type=WRITE_MEMBER_RATINGS, organization=assessment.organization)
    rating_lock_check(organization=assessment.organization, year=assessment.year, actor=actor, period=assessment.period)


@transaction.atomic
def rating_delete(*, assessment: UnitAssessment | MemberAssessment, actor: User | None) -> None:
    """Delete a unit's or a member's rating of a year, under the rules of changing it; the summaries follow."""
    rating_delete_check(assessment, actor=actor)
    organization_id, year, period = assessment.organization_id, assessment.year, assessment.period
    assessment._history_user = actor
    assessment.delete()
    assessments_changed.send(
        sender=type(assessment), organization_ids=[organization_id], years=[year], periods=[period]
    )


# --- final results outside a cycle's steps -------------------------------------------------------------------


def _deciding_unit(organization: Organization, by_code: dict[str, Organization]) -> Organization | None:
    """The grassroots unit whose file governs an organization's ratings: itself, or its grassroots ancestor."""
    if organization.is_grassroots:
        return organization
    for code in reversed(organization.path.split("/")[:-1]):
        ancestor = by_code.get(code)
        if ancestor is not None and ancestor.is_grassroots:
            return ancestor
    return None


@transaction.atomic
def year_results_finalize(*, organizations: Iterable[Organization], year: int, actor: User | None) -> int:
    """Make a year's results final for the units governing these organizations (results imported as final by an
    officer, or the demo's published years): the year's cycle of each unit's parent is opened if it has none
    (deadline 31 December), and each unit's file is finalized. From then on only an officer changes those
    ratings, after a reopen with a reason (rules.locks). Returns how many files were finalized."""
    organizations = list(organizations)
    codes = {code for org in organizations for code in org.path.split("/") if code}
    by_code = {org.code: org for org in Organization.objects.filter(code__in=codes).select_related("parent")}
    units = {unit.pk: unit for org in organizations if (unit := _deciding_unit(org, by_code)) is not None}
    scheme = scheme_in_force(year)
    now = timezone.now()
    finalized = 0
    for unit in sorted(units.values(), key=lambda u: u.path):
        if unit.parent_id is None:
            continue  # a root has nobody above it to decide its results
        if actor is not None and not may_finalize(actor, unit):
            raise PermissionDenied(_("Chỉ cán bộ Ban Tổ chức chốt được kết quả của %(org)s.") % {"org": unit.name})
        cycle, _created = YearCycle.objects.get_or_create(
            organization_id=unit.parent_id,
            year=year,
            defaults={"scheme": scheme, "deadline": datetime.date(year, 12, 31), "opened_by": actor},
        )
        submission, _created = Submission.objects.get_or_create(cycle=cycle, organization=unit)
        if submission.status == SubmissionStatus.FINALIZED:
            continue
        submission.status = SubmissionStatus.FINALIZED
        submission.finalized_at, submission.finalized_by = now, actor
        submission._history_user = actor
        submission._change_reason = _("Chốt khi nhập kết quả năm %(year)s") % {"year": year}
        submission.save()
        finalized += 1
    return finalized


# --- accounts --------------------------------------------------------------------------------------------------


@transaction.atomic
def account_create(
    *,
    username: str,
    role: str,
    organization: Organization | None,
    password: str,
    full_name: str = "",
    actor: User | None = None,
) -> User:
    """Provision a login; the password must pass the configured validators."""
    from django.contrib.auth.password_validation import validate_password

    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s.") % {"role": role}})
    if role != Role.ADMIN and organization is None:
        raise ValidationError({"organization": _("Vai trò này phải gắn với một tổ chức.")})
    if role == Role.SECRETARY and organization is not None and not organization.is_grassroots:
        raise ValidationError({"organization": _("Bí thư phải gắn với một tổ chức cơ sở đảng.")})
    try:
        full_name = text_normalize(full_name)  # the accounts file is an import like the others
    except ValidationError as error:
        raise ValidationError({"first_name": error.messages}) from error
    first, _sep, last = full_name.rpartition(" ")
    user = User(
        username=username,
        role=role,
        organization=organization,
        first_name=first,
        last_name=last,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
