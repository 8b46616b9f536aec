"""Services of the yearly cycle: open a year, the unit's file, review, finalize, reopen; each checks its actor."""

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import permissions
from assessments.common.history import save_as
from assessments.common.uploads import document_store, review_upload_fields
from assessments.cycle import rules
from assessments.models import (
    CYCLE_KINDS,
    Organization,
    RatingLevel,
    ReviewDocument,
    Rule,
    Subject,
    Submission,
    SubmissionStatus,
    UnitAssessment,
    User,
    YearCycle,
)
from assessments.regulation import overrides
from assessments.rules.ratings import scheme_in_force
from assessments.rules.scores import SCORE_FIELDS, score_check
from assessments.services import level_check, unit_assessment_save

CELL_DECISION_RULES = (
    Rule.UNIT_EXCELLENT_THRESHOLDS,
    Rule.UNIT_GOOD_THRESHOLDS,
    Rule.COLLECTIVE_DISCIPLINED,
    Rule.FOUNDED_RECENTLY,
    Rule.HD27_WEAK_CELL,
    Rule.UNIT_CAP_20,
)

# --- the yearly cycle: open a year, the unit's file, review, finalize, reopen ----------------------------------------
# Every change of a rating below goes through unit_assessment_save, so the rules, the locks and the summaries apply.


def officer_require(*, actor: User | None, organization: Organization) -> None:
    """Only the district Organization Board (or an administrator) with the organization in scope acts here.

    Outside the actor's scope the organization is not found (404); inside it, another role is refused (403).
    """
    permissions.scope_require(actor, organization)
    permissions.role_require(
        permissions.may_review(actor, organization), _("Chỉ cán bộ Ban Tổ chức được làm việc này.")
    )


# Said by secretary_require and by the pages that refuse the action before reading its form.
OWN_SECRETARY_ONLY = gettext_lazy("Chỉ bí thư của %(org)s được làm việc này.")


def submission_editable_check(submission: "Submission") -> None:
    """The unit's file changes only while it has not been sent (or was sent back)."""
    if not submission.is_editable:
        raise ValidationError(
            _("Hồ sơ năm %(year)s đang ở trạng thái “%(status)s”: không sửa được nữa, trừ khi cấp trên trả lại.")
            % {"year": submission.cycle.year, "status": submission.get_status_display()}
        )


def secretary_require(*, actor: User | None, submission: "Submission") -> None:
    """Only the unit's own secretary changes its file, and only while it has not been sent (or was sent back)."""
    permissions.scope_require(actor, submission.organization)
    permissions.role_require(
        permissions.may_edit_submission(actor, submission), OWN_SECRETARY_ONLY % {"org": submission.organization.name}
    )
    submission_editable_check(submission)


def submission_lock(submission: "Submission") -> "Submission":
    """Re-read the submission under a row lock, so two clicks cannot both move it on."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("cycle__scheme", "cycle__organization", "organization")
        .get(pk=submission.pk)
    )


def _review_lock(submission: "Submission", *, actor: User | None, status: str, refused: str) -> "Submission":
    """The file locked for an officer's action, which it allows only in `status`; `refused` says why not (it may name
    the file's %(status)s)."""
    submission = submission_lock(submission)
    officer_require(actor=actor, organization=submission.organization)
    if submission.status != status:
        raise ValidationError(refused % {"status": submission.get_status_display()})
    return submission


def _scores_apply(assessment: UnitAssessment, scores: dict | None) -> None:
    """Set the score and task figures given with a decision (QĐ 366); the ones not given stay as stored."""
    for name, value in (scores or {}).items():
        if name in SCORE_FIELDS:
            setattr(assessment, name, value if value is not None or name != "below_score_reason" else "")


def _note_append(note: str, line: str) -> str:
    return f"{note.rstrip()}\n{line}".strip()


@transaction.atomic
def year_open(*, organization: Organization, year: int, deadline: datetime.date, actor: User | None) -> "YearCycle":
    """Open a year's assessment for the units directly under an organization, with a draft file for each."""
    from simple_history.utils import bulk_create_with_history

    officer_require(actor=actor, organization=organization)
    if organization.kind not in CYCLE_KINDS:
        raise ValidationError(
            {
                "organization": _(
                    "%(org)s không mở đợt đánh giá: đảng ủy cơ sở quyết định các chi bộ của mình ngay trên trang hồ sơ."
                )
                % {"org": organization.name}
            }
        )
    scheme = scheme_in_force(year)
    if not organization.exists_in(year):
        raise ValidationError(
            {
                "organization": _("%(org)s không tồn tại vào ngày 31/12/%(year)s.")
                % {"org": organization.name, "year": year}
            }
        )
    if YearCycle.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(
            {"year": _("%(org)s đã mở đợt đánh giá năm %(year)s.") % {"org": organization.name, "year": year}}
        )
    if deadline is None or deadline.year not in (year, year + 1):
        raise ValidationError(
            {"deadline": _("Hạn nộp phải trong năm %(year)s hoặc năm %(next)s.") % {"year": year, "next": year + 1}}
        )
    cycle = YearCycle(organization=organization, year=year, scheme=scheme, deadline=deadline, opened_by=actor)
    save_as(cycle, actor)
    drafts = [Submission(cycle=cycle, organization=unit) for unit in cycle.units()]
    bulk_create_with_history(drafts, Submission, default_user=actor)
    return cycle


@transaction.atomic
def submission_ensure(*, cycle: "YearCycle", organization: Organization, actor: User | None) -> "Submission":
    """The unit's file in a cycle, created as a draft if the unit appeared after the year was opened; by the unit's
    own secretary or an officer with it in scope (the people whose first action needs the file)."""
    permissions.scope_require(actor, organization)
    permissions.role_require(
        permissions.may_upload_for(actor, Submission(cycle=cycle, organization=organization)),
        _("Chỉ bí thư của %(org)s hoặc cán bộ Ban Tổ chức được lập hồ sơ của đơn vị.") % {"org": organization.name},
    )
    if organization.parent_id != cycle.organization_id or not organization.exists_in(cycle.year):
        raise ValidationError(
            {"organization": _("%(org)s không thuộc diện đánh giá của đợt này.") % {"org": organization.name}}
        )
    submission = Submission.objects.filter(cycle=cycle, organization=organization).first()
    if submission is None:
        submission = Submission(cycle=cycle, organization=organization)
        submission._history_user = actor
        submission.save()
    return submission


def _submission_write(submission: "Submission", *, actor: User | None, reason: str | None = None, **changes):
    """Save a change of the unit's file, with who made it and, when given, why, in its history."""
    for name, value in changes.items():
        setattr(submission, name, value)
    submission._history_user = actor
    if reason is not None:
        submission._change_reason = reason
    submission.save()
    return submission


@transaction.atomic
def document_upload(*, submission: "Submission", file, actor: User | None) -> "ReviewDocument":
    """Keep a new version of the unit's review report after checking its size and content; older versions stay."""
    submission = submission_lock(submission)
    if permissions.is_secretary(actor):
        secretary_require(actor=actor, submission=submission)
    else:
        officer_require(actor=actor, organization=submission.organization)
        if submission.status == SubmissionStatus.FINALIZED:
            raise ValidationError(_("Hồ sơ đã chốt: muốn thay báo cáo phải mở lại kèm lý do."))
    fields = review_upload_fields(file)
    last = submission.documents.order_by("-version").values_list("version", flat=True).first() or 0
    document = ReviewDocument(submission=submission, version=last + 1, uploaded_by=actor, **fields)
    document_store(document, file)
    return document


@transaction.atomic
def unit_self_level_propose(
    *,
    submission: "Submission",
    level: RatingLevel | None,
    actor: User | None,
    mass_organizations_good: bool | None = None,
) -> UnitAssessment:
    """The secretary records the level the unit proposes for itself (its executive committee's vote), and whether
    the local government and mass organizations it leads were rated good or better (None: not answered, kept)."""
    submission = submission_lock(submission)
    secretary_require(actor=actor, submission=submission)
    assessment = UnitAssessment.objects.yearly().filter(
        organization=submission.organization, year=submission.cycle.year
    ).first() or UnitAssessment(organization=submission.organization, year=submission.cycle.year)
    assessment.self_level = level
    if mass_organizations_good is not None:
        assessment.mass_organizations_good = mass_organizations_good
    return unit_assessment_save(assessment=assessment, actor=actor)


@transaction.atomic
def cell_level_decide(
    *,
    submission: "Submission",
    cell: Organization,
    level: RatingLevel | None,
    actor: User | None,
    not_rated_reason: str = "",
    override_reason: str = "",
    scores: dict | None = None,
) -> UnitAssessment:
    """A grassroots committee's secretary decides the final level of one of its cells (or why it is not rated); a
    failed regulation check on the cell needs a written reason, kept as an override."""

    submission = submission_lock(submission)
    secretary_require(actor=actor, submission=submission)
    year = submission.cycle.year
    if cell.pk not in {c.pk for c in rules.decided_cells(submission.organization, year)}:
        raise ValidationError(
            {
                "organization": _("%(cell)s không phải chi bộ trực thuộc %(org)s vào năm %(year)s.")
                % {"cell": cell.name, "org": submission.organization.name, "year": year}
            }
        )
    if level is None and not not_rated_reason:
        raise ValidationError(
            {"level": _("%(cell)s: chọn mức xếp loại hoặc lý do không xếp loại.") % {"cell": cell.name}}
        )
    # The committee decides its cells under the rules on a unit's own level (issue 14); the member cap is counted
    # over the whole grassroots organization and the members' rules bound the members' ratings, not the cell's.
    failed = [
        check
        for check in rules.unit_checks(organization=cell, year=year, scheme=submission.cycle.scheme, level=level)
        if check.failed and check.code in CELL_DECISION_RULES
    ]
    overrides.failed_refuse(failed=failed, override_reason=override_reason, finalize=False)
    overrides.overrides_record(failed=failed, year=year, reason=override_reason, actor=actor)
    assessment = UnitAssessment.objects.yearly().filter(organization=cell, year=year).first() or UnitAssessment(
        organization=cell, year=year
    )
    assessment.level = level
    assessment.not_rated_reason = "" if level is not None else not_rated_reason
    _scores_apply(assessment, scores)
    if level is None or not level.is_top:
        assessment.exemplary = False
    return unit_assessment_save(assessment=assessment, actor=actor)


@transaction.atomic
def submission_submit(*, submission: "Submission", actor: User | None) -> "Submission":
    """Send the unit's file to the district; from then on the secretary cannot change it unless it is returned."""
    from django.utils import timezone

    submission = submission_lock(submission)
    secretary_require(actor=actor, submission=submission)
    missing = [item for item in rules.submission_checklist(submission=submission) if not item.done]
    if missing:
        raise ValidationError([f"{item.title}: {item.detail}" for item in missing])
    return _submission_write(
        submission, actor=actor, status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=actor
    )


@transaction.atomic
def submission_return(*, submission: "Submission", comment: str, actor: User | None) -> "Submission":
    """The district sends a submitted file back to the unit with a comment saying what to fix."""
    from django.utils import timezone

    submission = _review_lock(
        submission,
        actor=actor,
        status=SubmissionStatus.SUBMITTED,
        refused=_("Chỉ trả lại được hồ sơ đang chờ thẩm định (hồ sơ này: “%(status)s”)."),
    )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Ghi rõ ý kiến: đơn vị cần sửa gì.")})
    return _submission_write(
        submission,
        actor=actor,
        reason=comment,
        status=SubmissionStatus.RETURNED,
        return_comment=comment,
        returned_at=timezone.now(),
        returned_by=actor,
    )


@transaction.atomic
def submission_appraise(
    *, submission: "Submission", level: RatingLevel | None, actor: User | None, scores: dict | None = None
) -> "Submission":
    """The Organization Board records the level it proposes to the Standing Board for a submitted unit, with its
    appraisal score in a scored year (kept on the unit's rating; the proposed level is checked against it)."""
    submission = _review_lock(
        submission,
        actor=actor,
        status=SubmissionStatus.SUBMITTED,
        refused=_("Chỉ thẩm định được hồ sơ đang chờ thẩm định."),
    )
    level_check(level=level, year=submission.cycle.year, subject=Subject.UNIT, field="proposed_level")
    _appraisal_scores_record(submission=submission, level=level, scores=scores, actor=actor)
    return _submission_write(submission, actor=actor, proposed_level=level)


def _appraisal_scores_record(*, submission: "Submission", level: RatingLevel | None, scores, actor) -> None:
    """The proposed level against the appraisal score, by the rule of a decided level (rules.scores)."""
    year = submission.cycle.year
    assessment = UnitAssessment.objects.for_year(year).filter(organization=submission.organization).first()
    assessment = assessment or UnitAssessment(organization=submission.organization, year=year)
    _scores_apply(assessment, scores)
    probe = copy.copy(assessment)
    probe.level = level
    try:
        score_check(assessment=probe, subject=Subject.UNIT)
    except ValidationError as error:
        raise ValidationError(
            {("proposed_level" if name == "level" else name): messages for name, messages in error.message_dict.items()}
        ) from error
    if scores:
        unit_assessment_save(assessment=assessment, actor=actor)


@transaction.atomic
def rating_finalize(
    *,
    submission: "Submission",
    level: RatingLevel | None,
    decision_ref: str,
    decided_on: datetime.date | None,
    actor: User | None,
    exemplary: bool = False,
    not_rated_reason: str = "",
    override_reason: str = "",
    scores: dict | None = None,
) -> UnitAssessment:
    """Record the decided level of a submitted unit and lock it; a failed regulation check needs a written reason;
    in a scored year the level is checked against the score given here or stored (rules.scores)."""
    from django.utils import timezone

    submission = _review_lock(
        submission,
        actor=actor,
        status=SubmissionStatus.SUBMITTED,
        refused=_("Chỉ chốt được hồ sơ đơn vị đã gửi và đang chờ thẩm định (hồ sơ này: “%(status)s”)."),
    )
    errors = {}
    if not (decision_ref or "").strip():
        errors["decision_ref"] = _("Ghi số quyết định của Ban Thường vụ.")
    if decided_on is None:
        errors["decided_on"] = _("Ghi ngày quyết định.")
    if level is None and not not_rated_reason:
        errors["level"] = _("Chọn mức xếp loại, hoặc lý do không xếp loại.")
    if errors:
        raise ValidationError(errors)
    year = submission.cycle.year
    failed = [check for check in rules.submission_checks(submission=submission, level=level) if check.failed]
    override_reason = (override_reason or "").strip()
    overrides.failed_refuse(failed=failed, override_reason=override_reason)
    overrides.overrides_record(failed=failed, year=year, reason=override_reason, actor=actor)
    assessment = UnitAssessment.objects.yearly().filter(
        organization=submission.organization, year=year
    ).first() or UnitAssessment(organization=submission.organization, year=year)
    assessment.level = level
    assessment.not_rated_reason = "" if level is not None else not_rated_reason
    assessment.exemplary = exemplary
    assessment.decision_ref = decision_ref.strip()
    assessment.decided_on = decided_on
    _scores_apply(assessment, scores)
    if failed:
        titles = "; ".join(check.title for check in failed)
        line = _("Chốt dù không đạt kiểm tra quy định (%(checks)s). Lý do: %(reason)s") % {
            "checks": titles,
            "reason": override_reason,
        }
        assessment.note = _note_append(assessment.note, line)
        # The rating's history keeps 100 characters: the reason first, the full line is in the note.
        assessment._change_reason = (_("Vượt kiểm tra: %(r)s") % {"r": override_reason})[:100]
    unit_assessment_save(assessment=assessment, actor=actor)
    _submission_write(
        submission,
        actor=actor,
        reason=(_("Chốt, vượt kiểm tra: %(r)s") % {"r": override_reason}) if failed else "",
        status=SubmissionStatus.FINALIZED,
        finalized_at=timezone.now(),
        finalized_by=actor,
        override_reason=override_reason if failed else "",
    )
    return assessment


@transaction.atomic
def rating_reopen(*, submission: "Submission", reason: str, actor: User | None) -> "Submission":
    """Unlock a finalized rating for correction; the written reason is kept in the note and both histories."""
    from django.utils import timezone

    submission = _review_lock(
        submission, actor=actor, status=SubmissionStatus.FINALIZED, refused=_("Chỉ mở lại được kết quả đã chốt.")
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ghi rõ lý do mở lại kết quả đã chốt.")})
    _submission_write(
        submission,
        actor=actor,
        reason=_("Mở lại: %(r)s") % {"r": reason},
        status=SubmissionStatus.SUBMITTED,
        reopen_reason=reason,
    )
    assessment = (
        UnitAssessment.objects.yearly().filter(organization=submission.organization, year=submission.cycle.year).first()
    )
    if assessment is not None:
        line = _("Mở lại ngày %(day)s: %(reason)s") % {
            "day": timezone.localdate().strftime("%d/%m/%Y"),
            "reason": reason,
        }
        assessment.note = _note_append(assessment.note, line)
        assessment._change_reason = (_("Mở lại: %(r)s") % {"r": reason})[:100]
        unit_assessment_save(assessment=assessment, actor=actor)
    return submission
