"""Who may see and do what: the one scope function, the named role predicates and the *_get_for_user lookups.

Policy (docs/architecture.md, "Scope and permissions"): an object outside the user's scope answers 404, whether it
exists or not (`OutOfScope`, a kind of Http404); an action inside the scope that the role may not take answers 403
(`PermissionDenied`). Services that change data check the actor themselves through these predicates; views may ask
first to show a friendly message. Consolidation builds its plan and programme lookups on these predicates
(consolidation/selectors.py): this module never imports consolidation.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from assessments.models import (
    Collective,
    CriteriaSet,
    ImportRecord,
    IssuedDocument,
    Kind,
    Notice,
    Organization,
    ReviewDocument,
    Role,
    SelfAssessmentDocument,
    Submission,
)


class OutOfScope(Http404):
    """The object is outside the user's scope: answered exactly like one that does not exist (404)."""


# --- who the user is ------------------------------------------------------------------------------------------------


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def sees_everything(user) -> bool:
    """Superusers and administrators not tied to an organization see the whole tree."""
    return _active(user) and (user.is_superuser or (user.role == Role.ADMIN and user.organization_id is None))


def is_officer(user) -> bool:
    """The district Organization Board (or an administrator): the people who act on the cycle, imports and plans."""
    return _active(user) and (user.is_superuser or user.role in (Role.OFFICER, Role.ADMIN))


def is_leader(user) -> bool:
    """The Standing Board: reads everything in scope, changes nothing."""
    return _active(user) and not user.is_superuser and user.role == Role.LEADER


def is_district_staff(user) -> bool:
    """Officers, leaders and administrators: the people who read the cycle, review, candidate and programme pages."""
    return is_officer(user) or is_leader(user)


def is_secretary(user) -> bool:
    """A grassroots unit's party secretary (never a superuser, whatever the role field says)."""
    return _active(user) and not user.is_superuser and user.role == Role.SECRETARY


def is_secretary_of(user, organization: Organization) -> bool:
    """The secretary of exactly this organization (a commune's secretary is not the secretary of its cells)."""
    return is_secretary(user) and organization is not None and user.organization_id == organization.pk


def may_use_admin(user) -> bool:
    """Django's admin is for staff accounts (administrators), with model permissions on top."""
    return _active(user) and user.is_staff


# --- scope ----------------------------------------------------------------------------------------------------------


def organizations_visible_to(user) -> QuerySet[Organization]:
    """The organizations a user may see: their own and everything below it; all for administrators."""
    if not _active(user):
        return Organization.objects.none()
    if sees_everything(user):
        return Organization.objects.all()
    if user.organization_id is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=user.organization.path)


def in_scope(user, organization: Organization) -> bool:
    """Whether one organization is in the user's scope, without a query when the organization is loaded."""
    if organization is None or not _active(user):
        return False
    if sees_everything(user):
        return True
    if user.organization_id is None:
        return False
    return organization.path.startswith(user.organization.path)


def scope_require(user, organization: Organization) -> None:
    """Raise OutOfScope (404) unless the organization is in the user's scope."""
    if not in_scope(user, organization):
        raise OutOfScope(_("Không tìm thấy tổ chức trong phạm vi của bạn."))


# --- what the user may do -------------------------------------------------------------------------------------------


def may_read_cycle(user) -> bool:
    """The cycle pages (the years opened and the state of each unit): district staff."""
    return is_district_staff(user)


def may_open_year(user, organization: Organization) -> bool:
    """Opening a year's assessment under an organization: an officer with it in scope."""
    return is_officer(user) and in_scope(user, organization)


def may_issue_documents(user, organization: Organization) -> bool:
    """Setting the number, date, signer and recipients of a results document: an officer with it in scope."""
    return is_officer(user) and in_scope(user, organization)


def may_read_submission(user, submission: Submission) -> bool:
    """A unit's file for a year (the portal page): its own secretary, or district staff with it in scope."""
    if is_secretary_of(user, submission.organization):
        return True
    return is_district_staff(user) and in_scope(user, submission.organization)


def may_edit_submission(user, submission: Submission) -> bool:
    """Proposing the unit's level, deciding its cells and sending the file: only the unit's own secretary."""
    return is_secretary_of(user, submission.organization)


def may_upload_for(user, submission: Submission) -> bool:
    """Uploading the unit's review report: its own secretary, or an officer with the unit in scope."""
    return may_edit_submission(user, submission) or (is_officer(user) and in_scope(user, submission.organization))


def may_read_review(user) -> bool:
    """The review page of a unit's file: district staff (a secretary never reviews, even their own unit)."""
    return is_district_staff(user)


def may_review(user, organization: Organization) -> bool:
    """Appraising and returning a submitted file: an officer with the unit in scope; leaders only read."""
    return is_officer(user) and in_scope(user, organization)


def may_finalize(user, organization: Organization) -> bool:
    """Recording the decided level and locking it: the same people who review."""
    return may_review(user, organization)


def may_decide_leadership(user, organization: Organization) -> bool:
    """Appraising and deciding the ratings of an organization's collectives and leaders on the review page: the
    people who finalize its own rating (an officer in scope); the services ask leadership_decide_allowed too."""
    return may_finalize(user, organization)


def may_reopen(user, organization: Organization) -> bool:
    """Unlocking a finalized rating, with a written reason: the same people who review."""
    return may_review(user, organization)


def may_read_rule_settings(user) -> bool:
    """The page of which rules bind where: district staff (leaders read it, a secretary does not)."""
    return is_district_staff(user)


def may_set_rules(user, organization: Organization) -> bool:
    """Switching a period rule on or off for a committee's subtree: an officer with the committee in scope."""
    return is_officer(user) and in_scope(user, organization)


def may_import(user) -> bool:
    """The import pages: everybody but leaders (what each role may import is decided per data type)."""
    return is_officer(user) or is_secretary(user)


def may_confirm_import(user, record: ImportRecord) -> bool:
    """Only the person who uploaded a file confirms its import; others in scope may only read the preview."""
    return _active(user) and record.user_id == user.pk


def may_manage_plans(user) -> bool:
    """Creating and changing consolidation plans and programmes: officers and administrators."""
    return is_officer(user)


def may_manage_plan(user, plan) -> bool:
    """Changing one plan (edit, status): an officer with its target unit in scope."""
    return may_manage_plans(user) and in_scope(user, plan.organization)


def may_record_progress(user, plan) -> bool:
    """Task progress and indicator values: an officer with the unit in scope, or the target unit's own secretary."""
    return may_manage_plan(user, plan) or is_secretary_of(user, plan.organization)


def may_read_programmes(user) -> bool:
    """Candidates and programmes are district documents: district staff read them, secretaries never."""
    return is_district_staff(user)


def may_manage_programme(user, programme) -> bool:
    """Creating or changing a programme: an officer with the issuing organization in scope."""
    return may_manage_plans(user) and in_scope(user, programme.organization)


def may_manage_criteria(user, issuer: Organization) -> bool:
    """Writing criteria sets issued by an organization (a province, or a commune for its cells): an officer with the
    issuer in scope."""
    return is_officer(user) and in_scope(user, issuer)


def role_require(allowed: bool, message: str) -> None:
    """Raise PermissionDenied (403) with a message naming what the role may not do."""
    if not allowed:
        raise PermissionDenied(message)


# --- lookups: fetch within scope, 404 outside it --------------------------------------------------------------------


def organization_get_for_user(*, user, code: str) -> Organization:
    """Fetch an organization by code within the user's scope; 404 outside it, whether it exists or not."""
    organization = organizations_visible_to(user).filter(code=code).first()
    if organization is None:
        raise OutOfScope(_("Không tìm thấy tổ chức trong phạm vi của bạn."))
    return organization


def submission_get_for_user(*, user, code: str, year: int) -> Submission:
    """The file of a unit in scope for a year; 404 outside the scope or when the year was not opened for it."""
    organization = organization_get_for_user(user=user, code=code)
    submission = (
        Submission.objects.select_related("cycle__scheme", "cycle__organization", "organization")
        .filter(organization=organization, cycle__year=year)
        .first()
    )
    if submission is None:
        raise Http404(_("Năm này chưa mở đợt đánh giá cho đơn vị."))
    return submission


def document_get_for_user(*, user, pk: int) -> ReviewDocument:
    """A review document of a unit in the user's scope; 404 otherwise."""
    return get_object_or_404(
        ReviewDocument.objects.select_related("submission"),
        pk=pk,
        submission__organization__in=organizations_visible_to(user),
    )


def self_assessment_get_for_user(*, user, pk: int) -> SelfAssessmentDocument:
    """A member's self-assessment in a unit's file in the user's scope; 404 otherwise."""
    return get_object_or_404(
        SelfAssessmentDocument.objects.select_related("submission__organization", "submission__cycle"),
        pk=pk,
        submission__organization__in=organizations_visible_to(user),
    )


def issued_document_get_for_user(*, user, pk: int) -> IssuedDocument:
    """An issued version of a results document of an organization in the user's scope; 404 otherwise."""
    return get_object_or_404(
        IssuedDocument.objects.select_related("organization"),
        pk=pk,
        organization__in=organizations_visible_to(user),
    )


def import_record_visible(user, record: ImportRecord) -> bool:
    """Whether the user may see an import: one made for an organization in their scope (the unit it was made for,
    wherever its maker is now); one made for no organization (by a superuser, or a command) only by those who see
    everything, or by its maker while they are tied to no organization either."""
    if record.organization_id is not None:
        return in_scope(user, record.organization)
    if sees_everything(user):
        return True
    return _active(user) and record.user_id == user.pk and user.organization_id is None


def import_record_get_for_user(*, user, pk: int) -> ImportRecord:
    """An import made for an organization in the user's scope; 404 otherwise, whoever made it and wherever they
    are now (an import stays with its unit when its maker moves)."""
    # One read by primary key, the scope decided on the loaded organization (the maker joined for the preview's
    # "uploaded by"): the same filter written as a query cost more to build than the pages that read it.
    record = get_object_or_404(ImportRecord.objects.select_related("organization", "user"), pk=pk)
    if import_record_visible(user, record):
        return record
    raise Http404


def notice_get_for_user(*, user, pk: int) -> Notice:
    """One of the user's own notices; anyone else's answers 404, whatever the role."""
    notice = Notice.objects.filter(pk=pk, recipient_id=user.pk).first()
    if notice is None:
        raise OutOfScope(_("Không tìm thấy thông báo này trong thông báo của bạn."))
    return notice


def criteria_sets_visible_to(user) -> QuerySet[CriteriaSet]:
    """The criteria sets a user may read: those issued inside their scope, and those issued above them for them
    (a commune's secretary reads the province's sets and the commune's own)."""
    if not _active(user):
        return CriteriaSet.objects.none()
    if sees_everything(user):
        return CriteriaSet.objects.all()
    if user.organization_id is None:
        return CriteriaSet.objects.none()
    path = user.organization.path
    ancestors = [path[: index + 1] for index, char in enumerate(path) if char == "/"]
    return CriteriaSet.objects.filter(Q(issuer__path__startswith=path) | Q(issuer__path__in=ancestors))


def criteria_set_get_for_user(*, user, pk: int) -> CriteriaSet:
    """A criteria set the user may read, with its issuer; 404 otherwise, whether it exists or not."""
    criteria_set = criteria_sets_visible_to(user).select_related("issuer", "replaces").filter(pk=pk).first()
    if criteria_set is None:
        raise OutOfScope(_("Không tìm thấy bộ tiêu chí trong phạm vi của bạn."))
    return criteria_set


def collective_get_for_user(*, user, code: str) -> Collective:
    """A leadership collective of an organization in the user's scope, by code; 404 otherwise."""
    collective = (
        Collective.objects.select_related("organization")
        .filter(code=code, organization__in=organizations_visible_to(user))
        .first()
    )
    if collective is None:
        raise OutOfScope(_("Không tìm thấy tập thể trong phạm vi của bạn."))
    return collective


# --- what a user may write: the one predicate of every write path (services, importer, admin, demo loader) ---------
# (Section of the rules-layer work, reconstructed after an accidental overwrite: same names, built on the predicates
# above; a deactivated account writes nothing.)

WRITE_ORGANIZATIONS, WRITE_MEMBERS, WRITE_UNIT_RATINGS, WRITE_MEMBER_RATINGS = (
    "organizations",
    "members",
    "unit_ratings",
    "member_ratings",
)
WRITE_CRITERIA, WRITE_ITEM_SCORES = "criteria", "item_scores"
# Leadership (issue 16): officers write collectives and positions; a secretary writes the self-assessment part of
# the ratings of the collectives and leaders in their scope (leadership_decide_allowed says which part).
WRITE_COLLECTIVES, WRITE_POSITIONS, WRITE_COLLECTIVE_RATINGS, WRITE_LEADER_RATINGS = (
    "collectives",
    "positions",
    "collective_ratings",
    "leader_ratings",
)
# A secretary scores their own unit and members (the scoring sheet); criteria sets are written by officers.
SECRETARY_WRITES = (
    WRITE_MEMBERS,
    WRITE_UNIT_RATINGS,
    WRITE_MEMBER_RATINGS,
    WRITE_ITEM_SCORES,
    WRITE_COLLECTIVE_RATINGS,
    WRITE_LEADER_RATINGS,
)


def scope_is_everything(user) -> bool:
    """No scope to check: a system write (no user), a superuser, or an administrator not tied to an organization."""
    return user is None or sees_everything(user)


def data_write_allowed(user, data_type: str) -> bool:
    """The kinds of data a user may write: district staff (and system writes) every kind; a secretary members and
    ratings; leaders nothing."""
    if user is None or is_officer(user):
        return True
    return is_secretary(user) and data_type in SECRETARY_WRITES


def write_allowed(user, *, data_type: str, organization: Organization) -> bool:
    """The user may write this kind of data at this organization: a kind allowed to the role, inside the scope."""
    return data_write_allowed(user, data_type) and (scope_is_everything(user) or in_scope(user, organization))


def unit_rating_decide_allowed(user, organization: Organization) -> bool:
    """Deciding a unit's rating (not only proposing it): district staff and system writes; a grassroots committee's
    secretary for the cells below it, never for their own organization."""
    if user is None or not is_secretary(user):
        return True
    if organization.pk == user.organization_id:
        return False
    return user.organization.kind == Kind.GRASSROOTS_COMMITTEE


def leadership_decide_allowed(user) -> bool:
    """Appraising and deciding a collective's or a leader's rating: district staff who act (officers) and system
    writes; a secretary writes only the self-assessment (self level, self score, task figures)."""
    return user is None or is_officer(user)
