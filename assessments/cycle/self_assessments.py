"""Members' self-assessments (HD 43 annex, Mẫu 2A/2B/2C) in a unit's file, and the paperwork still missing in a
scored year: the review report, the scoring sheets, the members without a self-assessment or without a score."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import permissions
from assessments.common.uploads import SELF_ASSESSMENT, document_store, review_upload_fields
from assessments.cycle import scoring
from assessments.cycle.services import submission_editable_check, submission_lock
from assessments.models import (
    MEMBER_GROUPS,
    ItemScore,
    Member,
    MemberAssessment,
    Organization,
    ReviewDocument,
    SelfAssessmentDocument,
    SelfAssessmentForm,
    Submission,
    SubmissionStatus,
)
from assessments.selectors import members_of_year

User = get_user_model()

# How many names a missing list shows before it says how many more there are.
NAMES_SHOWN = 20
# Said by the upload's service and by its page, which refuses before reading the form.
UPLOAD_REFUSED = gettext_lazy("Chỉ bí thư của %(org)s hoặc cán bộ Ban Tổ chức được tải lên bản tự kiểm điểm.")


def _upload_require(actor, submission: Submission) -> None:
    """The unit's own secretary while the file is editable, or an officer in scope before it is finalized."""
    permissions.scope_require(actor, submission.organization)
    permissions.role_require(
        permissions.may_upload_for(actor, submission), UPLOAD_REFUSED % {"org": submission.organization.name}
    )
    if permissions.is_secretary(actor):
        submission_editable_check(submission)
    if submission.status == SubmissionStatus.FINALIZED:
        raise ValidationError(_("Hồ sơ đã chốt: muốn thay bản tự kiểm điểm phải mở lại kèm lý do."))


def _member_of_unit(member: Member, organization: Organization, year: int) -> bool:
    return members_of_year(organization=organization, year=year).filter(pk=member.pk).exists()


@transaction.atomic
def self_assessment_upload(
    *, submission: Submission, member: Member, form: str, file, actor: User | None
) -> SelfAssessmentDocument:
    """Keep a new version of a member's self-assessment after checking its form, size and content; none is replaced."""
    submission = submission_lock(submission)
    _upload_require(actor, submission)
    if form not in SelfAssessmentForm.values:
        raise ValidationError({"form": _("Mẫu tự kiểm điểm phải là 2A, 2B hoặc 2C.")})
    if not _member_of_unit(member, submission.organization, submission.cycle.year):
        raise ValidationError(
            {
                "member": _("%(name)s không sinh hoạt ở %(org)s ngày 31/12/%(year)s.")
                % {"name": member.full_name, "org": submission.organization.name, "year": submission.cycle.year}
            }
        )
    fields = review_upload_fields(file, document=SELF_ASSESSMENT)
    last = (
        SelfAssessmentDocument.objects.filter(submission=submission, member=member).aggregate(n=Max("version"))["n"]
        or 0
    )
    document = SelfAssessmentDocument(
        submission=submission, member=member, form=form, version=last + 1, uploaded_by=actor, **fields
    )
    document_store(document, file)
    return document


@dataclass
class MissingNames:
    """Who is missing something: the first names, and how many in all."""

    names: list[str] = field(default_factory=list)
    count: int = 0

    @property
    def more(self) -> int:
        return self.count - len(self.names)


def _missing(rows: list[tuple[int, str, str]], done: set[int]) -> MissingNames:
    names = [name for pk, _card, name in rows if pk not in done]
    return MissingNames(names=names[:NAMES_SHOWN], count=len(names))


@dataclass
class Paperwork:
    """What a unit's file still lacks for a scored year."""

    review_uploaded: bool
    members_total: int
    without_self_assessment: MissingNames
    without_score: MissingNames
    scoring: list = field(default_factory=list)
    members: list = field(default_factory=list)  # (id, card number, name) on 31 December, for the upload form

    @property
    def complete(self) -> bool:
        sheets = all(progress.uploaded for progress in self.scoring)
        return (
            self.review_uploaded and sheets and not self.without_self_assessment.count and not self.without_score.count
        )


def _members_with_paperwork(submission: Submission) -> list[tuple[int, str, str, bool, bool]]:
    """(id, card number, name, has a self-assessment, has a score) of the members the unit counts for the year, as
    its results report does (selectors.members_of_year; one query)."""
    organization, year = submission.organization, submission.cycle.year
    member = OuterRef("pk")
    rows = (
        members_of_year(organization=organization, year=year)
        .annotate(
            has_form=Exists(SelfAssessmentDocument.objects.filter(submission_id=submission.pk, member_id=member)),
            has_items=Exists(
                ItemScore.objects.filter(
                    item__criteria_set__subject_group__in=MEMBER_GROUPS, member_id=member, year=year, period=""
                )
            ),
            has_score=Exists(
                MemberAssessment.objects.yearly().filter(member_id=member, year=year, score__isnull=False)
            ),
        )
        .values_list("pk", "card_number", "full_name", "has_form", "has_items", "has_score")
        .order_by("name_folded", "card_number")
    )
    return [(pk, card, name, form, items or score) for pk, card, name, form, items, score in rows]


def paperwork_progress(submission: Submission, documents=None) -> Paperwork | None:
    """For a scored year, the unit's paperwork still missing (a fixed number of queries); None for other years.

    `documents` are the file's review reports when the caller has them already (no query for them then)."""
    sets = scoring.scoring_progress(submission.organization, submission.cycle.year, scheme=submission.cycle.scheme)
    if sets is None:
        return None
    rows = _members_with_paperwork(submission) if submission.pk else []
    if documents is not None:
        review_uploaded = bool(documents)
    else:
        review_uploaded = bool(submission.pk) and ReviewDocument.objects.filter(submission=submission).exists()
    members = [(pk, card, name) for pk, card, name, *_flags in rows]
    return Paperwork(
        review_uploaded=review_uploaded,
        members_total=len(rows),
        without_self_assessment=_missing(members, {row[0] for row in rows if row[3]}),
        without_score=_missing(members, {row[0] for row in rows if row[4]}),
        scoring=sets,
        members=members,
    )


def self_assessments_of(submission: Submission) -> list[SelfAssessmentDocument]:
    """Every version of the members' self-assessments in a unit's file, by member name then newest first."""
    if not submission.pk:
        return []
    return list(
        SelfAssessmentDocument.objects.filter(submission=submission)
        .select_related("member", "uploaded_by")
        .order_by("member__name_folded", "member_id", "-version")
    )
