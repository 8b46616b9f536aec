"""Writes with business rules: the only path views, the admin, imports, commands and tasks use for a change."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.cycle.rules import rating_lock_check
from assessments.models import (
    MEMBER_KINDS,
    MEMBER_REASONS,
    UNIT_REASONS,
    Kind,
    Member,
    MemberAssessment,
    Membership,
    Organization,
    RatingLevel,
    RatingScheme,
    ReviewDocument,
    Role,
    Subject,
    Submission,
    SubmissionStatus,
    UnitAssessment,
    User,
    YearCycle,
)
from assessments.signals import assessments_changed, organizations_changed

# --- rules (pure checks, raise ValidationError keyed by field) -------------------------------------------------


def level_check(*, level: RatingLevel | None, year: int, subject: str, field: str = "level") -> None:
    """A level must belong to the scheme in force that year and to the right subject."""
    if level is None:
        return
    scheme = RatingScheme.for_year(year)
    if scheme is None:
        raise ValidationError({"year": _("Năm %(year)s chưa có quy định xếp loại.") % {"year": year}})
    if level.scheme_id != scheme.pk:
        raise ValidationError(
            {
                field: _("Mức “%(level)s” thuộc quy định %(other)s, không dùng cho năm %(year)s (quy định %(scheme)s).")
                % {"level": level.code, "other": level.scheme.code, "year": year, "scheme": scheme.code}
            }
        )
    if level.subject != subject:
        raise ValidationError(
            {
                field: _("Mức “%(level)s” dành cho %(subject)s, không dùng ở đây.")
                % {"level": level.code, "subject": Subject(level.subject).label}
            }
        )


def unit_assessment_check(assessment: UnitAssessment) -> None:
    """The rules of one unit's rating, beyond what the database enforces."""
    level_check(level=assessment.level, year=assessment.year, subject=Subject.UNIT)
    level_check(level=assessment.self_level, year=assessment.year, subject=Subject.UNIT, field="self_level")
    if assessment.exemplary and (assessment.level is None or not assessment.level.is_top):
        raise ValidationError({"exemplary": _("Chỉ đơn vị xếp mức cao nhất mới được công nhận tiêu biểu.")})
    if assessment.level is not None and assessment.not_rated_reason:
        raise ValidationError({"not_rated_reason": _("Đơn vị đã xếp loại thì không ghi lý do không xếp loại.")})
    if assessment.not_rated_reason and assessment.not_rated_reason not in UNIT_REASONS:
        raise ValidationError({"not_rated_reason": _("Lý do này không áp dụng cho tổ chức đảng.")})
    if not assessment.organization.exists_in(assessment.year):
        raise ValidationError(
            {
                "organization": _("%(org)s không tồn tại vào ngày 31/12/%(year)s.")
                % {"org": assessment.organization.code, "year": assessment.year}
            }
        )


def member_assessment_check(assessment: MemberAssessment) -> None:
    """A member's rating: a level of that year's member scale, or no level and a reason."""
    level_check(level=assessment.level, year=assessment.year, subject=Subject.MEMBER)
    if assessment.level is None and not assessment.not_rated_reason:
        raise ValidationError({"not_rated_reason": _("Chưa xếp loại thì phải ghi lý do.")})
    if assessment.level is not None and assessment.not_rated_reason:
        raise ValidationError({"not_rated_reason": _("Đã xếp loại thì không ghi lý do không xếp loại.")})
    if assessment.not_rated_reason and assessment.not_rated_reason not in MEMBER_REASONS:
        raise ValidationError({"not_rated_reason": _("Lý do này không áp dụng cho đảng viên.")})


# --- organizations ---------------------------------------------------------------------------------------------


@transaction.atomic
def organization_save(*, organization: Organization, actor: User | None) -> Organization:
    """Create or change an organization, keeping the paths of its subtree right when it moves."""
    if organization.parent_id and organization.pk and organization.parent.path.startswith(organization.path or "\0"):
        raise ValidationError({"parent": _("Không thể đặt một tổ chức trực thuộc chính cấp dưới của nó.")})
    old_path = None
    if organization.pk:
        old_path = Organization.objects.filter(pk=organization.pk).values_list("path", flat=True).first()
    organization._history_user = actor
    organization.full_clean()
    organization.save()
    if old_path and old_path != organization.path:
        for child in (
            Organization.objects.filter(path__startswith=old_path).exclude(pk=organization.pk).order_by("depth")
        ):
            child.save()  # recomputes path from the (already moved) parent
    organizations_changed.send(sender=Organization, organization_ids=[organization.pk])
    return organization


# --- members ---------------------------------------------------------------------------------------------------


@transaction.atomic
def member_save(*, member: Member, actor: User | None, joined_on: datetime.date | None = None) -> Member:
    """Create or change a member; a changed cell is recorded as a transfer."""
    if member.organization.kind not in MEMBER_KINDS:
        raise ValidationError(
            {"organization": _("Đảng viên sinh hoạt ở chi bộ, không ở %(org)s.") % {"org": member.organization.name}}
        )
    previous_org_id = None
    if member.pk:
        previous_org_id = Member.objects.filter(pk=member.pk).values_list("organization_id", flat=True).first()
    member._history_user = actor
    member.full_clean()
    member.save()
    day = joined_on or datetime.date.today()
    if previous_org_id is None:
        Membership.objects.create(
            member=member, organization=member.organization, start=joined_on or member.admitted_on or day
        )
    elif previous_org_id != member.organization_id:
        _membership_move(member=member, day=day)
    return member


def _membership_move(*, member: Member, day: datetime.date) -> None:
    Membership.objects.filter(member=member, end__isnull=True).update(end=day - datetime.timedelta(days=1))
    Membership.objects.create(member=member, organization=member.organization, start=day)


@transaction.atomic
def member_transfer(*, member: Member, organization: Organization, day: datetime.date, actor: User | None) -> Member:
    """Move a member to another cell from a given day: closes one membership and opens the next."""
    if organization.kind not in MEMBER_KINDS:
        raise ValidationError(
            {"organization": _("Đảng viên sinh hoạt ở chi bộ, không ở %(org)s.") % {"org": organization.name}}
        )
    if organization.pk == member.organization_id:
        return member
    open_since = Membership.objects.filter(member=member, end__isnull=True).values_list("start", flat=True).first()
    if open_since and day <= open_since:
        raise ValidationError(
            {
                "day": _("Ngày chuyển phải sau ngày bắt đầu sinh hoạt hiện tại (%(d)s).")
                % {"d": open_since.strftime("%d/%m/%Y")}
            }
        )
    member.organization = organization
    member._history_user = actor
    member.save()
    _membership_move(member=member, day=day)
    return member


# --- assessments -----------------------------------------------------------------------------------------------


def _assessment_write(assessment, *, check, actor: User | None):
    """The one write path of a rating: rules, the cycle's locks, history with the actor, then the summaries signal."""
    check(assessment)
    rating_lock_check(organization=assessment.organization, year=assessment.year, actor=actor)
    assessment._history_user = actor
    assessment.full_clean(validate_unique=True)
    assessment.save()
    assessments_changed.send(
        sender=type(assessment), organization_ids=[assessment.organization_id], years=[assessment.year]
    )
    return assessment


@transaction.atomic
def unit_assessment_save(*, assessment: UnitAssessment, actor: User | None) -> UnitAssessment:
    """Record or change a unit's rating for a year, after checking every rule."""
    return _assessment_write(assessment, check=unit_assessment_check, actor=actor)


@transaction.atomic
def member_assessment_save(*, assessment: MemberAssessment, actor: User | None) -> MemberAssessment:
    """Record or change a member's rating for a year, after checking every rule."""
    return _assessment_write(assessment, check=member_assessment_check, actor=actor)


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


# --- the yearly cycle: open a year, the unit's file, review, finalize, reopen ----------------------------------------
# Every change of a rating below goes through unit_assessment_save, so the rules, the locks and the summaries apply.


def _officer_require(*, actor: User | None, organization: Organization) -> None:
    """Only the district Organization Board (or an administrator) with the organization in scope acts here."""
    from django.core.exceptions import PermissionDenied

    from assessments.selectors import organizations_visible_to

    if actor is None or not (actor.is_superuser or actor.role in (Role.OFFICER, Role.ADMIN)):
        raise PermissionDenied(_("Chỉ cán bộ Ban Tổ chức được làm việc này."))
    if not organizations_visible_to(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("%(org)s nằm ngoài phạm vi của bạn.") % {"org": organization.name})


def _secretary_require(*, actor: User | None, submission: "Submission") -> None:
    """Only the unit's own secretary changes its file, and only while it has not been sent (or was sent back)."""
    from django.core.exceptions import PermissionDenied

    if actor is None or actor.role != Role.SECRETARY or actor.organization_id != submission.organization_id:
        raise PermissionDenied(_("Chỉ bí thư của %(org)s được làm việc này.") % {"org": submission.organization.name})
    if not submission.is_editable:
        raise ValidationError(
            _("Hồ sơ năm %(year)s đang ở trạng thái “%(status)s”: không sửa được nữa, trừ khi cấp trên trả lại.")
            % {"year": submission.cycle.year, "status": submission.get_status_display()}
        )


def _submission_lock(submission: "Submission") -> "Submission":
    """Re-read the submission under a row lock, so two clicks cannot both move it on."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("cycle__scheme", "cycle__organization", "organization")
        .get(pk=submission.pk)
    )


def _note_append(note: str, line: str) -> str:
    return f"{note.rstrip()}\n{line}".strip()


@transaction.atomic
def year_open(*, organization: Organization, year: int, deadline: datetime.date, actor: User | None) -> "YearCycle":
    """Open a year's assessment for the units directly under an organization, with a draft file for each."""
    from simple_history.utils import bulk_create_with_history

    _officer_require(actor=actor, organization=organization)
    if organization.kind not in (Kind.PROVINCE, Kind.DISTRICT):
        raise ValidationError(
            {
                "organization": _(
                    "%(org)s không mở đợt đánh giá: đảng ủy cơ sở quyết định các chi bộ của mình ngay trên trang hồ sơ."
                )
                % {"org": organization.name}
            }
        )
    scheme = RatingScheme.for_year(year)
    if scheme is None:
        raise ValidationError({"year": _("Năm %(year)s chưa có quy định xếp loại.") % {"year": year}})
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
    cycle._history_user = actor
    cycle.full_clean()
    cycle.save()
    drafts = [Submission(cycle=cycle, organization=unit) for unit in cycle.units()]
    bulk_create_with_history(drafts, Submission, default_user=actor)
    return cycle


@transaction.atomic
def submission_ensure(*, cycle: "YearCycle", organization: Organization, actor: User | None) -> "Submission":
    """The unit's file in a cycle, created as a draft if the unit appeared after the year was opened."""
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


@transaction.atomic
def document_upload(*, submission: "Submission", file, actor: User | None) -> "ReviewDocument":
    """Keep a new version of the unit's review report after checking its size and content; older versions stay."""
    import os

    from assessments.cycle import rules

    submission = _submission_lock(submission)
    if actor is not None and actor.role == Role.SECRETARY:
        _secretary_require(actor=actor, submission=submission)
    else:
        _officer_require(actor=actor, organization=submission.organization)
        if submission.status == SubmissionStatus.FINALIZED:
            raise ValidationError(_("Hồ sơ đã chốt: muốn thay báo cáo phải mở lại kèm lý do."))
    name = os.path.basename(getattr(file, "name", "") or "")[:255]
    kind = rules.review_file_check(file, name)
    checksum = rules.file_sha256(file)
    size = file.size if hasattr(file, "size") else len(file.read())
    last = submission.documents.order_by("-version").values_list("version", flat=True).first() or 0
    document = ReviewDocument(
        submission=submission,
        version=last + 1,
        original_name=name,
        kind=kind,
        size=size,
        checksum=checksum,
        uploaded_by=actor,
    )
    document.file.save(name, file, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)  # no orphan file on disk when the row could not be written
        raise
    return document


@transaction.atomic
def unit_self_level_propose(
    *, submission: "Submission", level: RatingLevel | None, actor: User | None
) -> UnitAssessment:
    """The secretary records the level the unit proposes for itself (its executive committee's vote)."""
    submission = _submission_lock(submission)
    _secretary_require(actor=actor, submission=submission)
    assessment = UnitAssessment.objects.filter(
        organization=submission.organization, year=submission.cycle.year
    ).first() or UnitAssessment(organization=submission.organization, year=submission.cycle.year)
    assessment.self_level = level
    return unit_assessment_save(assessment=assessment, actor=actor)


@transaction.atomic
def cell_level_decide(
    *,
    submission: "Submission",
    cell: Organization,
    level: RatingLevel | None,
    actor: User | None,
    not_rated_reason: str = "",
) -> UnitAssessment:
    """A grassroots committee's secretary decides the final level of one of its cells (or why it is not rated)."""
    from assessments.cycle import rules

    submission = _submission_lock(submission)
    _secretary_require(actor=actor, submission=submission)
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
    assessment = UnitAssessment.objects.filter(organization=cell, year=year).first() or UnitAssessment(
        organization=cell, year=year
    )
    assessment.level = level
    assessment.not_rated_reason = "" if level is not None else not_rated_reason
    if level is None or not level.is_top:
        assessment.exemplary = False
    return unit_assessment_save(assessment=assessment, actor=actor)


@transaction.atomic
def submission_submit(*, submission: "Submission", actor: User | None) -> "Submission":
    """Send the unit's file to the district; from then on the secretary cannot change it unless it is returned."""
    from django.utils import timezone

    from assessments.cycle import rules

    submission = _submission_lock(submission)
    _secretary_require(actor=actor, submission=submission)
    missing = [item for item in rules.submission_checklist(submission=submission) if not item.done]
    if missing:
        raise ValidationError([f"{item.title}: {item.detail}" for item in missing])
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = actor
    submission._history_user = actor
    submission.save()
    return submission


@transaction.atomic
def submission_return(*, submission: "Submission", comment: str, actor: User | None) -> "Submission":
    """The district sends a submitted file back to the unit with a comment saying what to fix."""
    from django.utils import timezone

    submission = _submission_lock(submission)
    _officer_require(actor=actor, organization=submission.organization)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(
            _("Chỉ trả lại được hồ sơ đang chờ thẩm định (hồ sơ này: “%(status)s”).")
            % {"status": submission.get_status_display()}
        )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Ghi rõ ý kiến: đơn vị cần sửa gì.")})
    submission.status = SubmissionStatus.RETURNED
    submission.return_comment = comment
    submission.returned_at = timezone.now()
    submission.returned_by = actor
    submission._history_user = actor
    submission._change_reason = comment
    submission.save()
    return submission


@transaction.atomic
def submission_appraise(*, submission: "Submission", level: RatingLevel | None, actor: User | None) -> "Submission":
    """The Organization Board records the level it proposes to the Standing Board for a submitted unit."""
    submission = _submission_lock(submission)
    _officer_require(actor=actor, organization=submission.organization)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Chỉ thẩm định được hồ sơ đang chờ thẩm định."))
    level_check(level=level, year=submission.cycle.year, subject=Subject.UNIT, field="proposed_level")
    submission.proposed_level = level
    submission._history_user = actor
    submission.save()
    return submission


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
) -> UnitAssessment:
    """Record the decided level of a submitted unit and lock it; a failed regulation check needs a written reason."""
    from django.utils import timezone

    from assessments.cycle import rules

    submission = _submission_lock(submission)
    _officer_require(actor=actor, organization=submission.organization)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(
            _("Chỉ chốt được hồ sơ đơn vị đã gửi và đang chờ thẩm định (hồ sơ này: “%(status)s”).")
            % {"status": submission.get_status_display()}
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
    if failed and not override_reason:
        raise ValidationError(
            {
                "override_reason": [_("Không đạt kiểm tra quy định: %(m)s") % {"m": check.message} for check in failed]
                + [_("Muốn vẫn chốt, ghi rõ lý do.")]
            }
        )
    assessment = UnitAssessment.objects.filter(
        organization=submission.organization, year=year
    ).first() or UnitAssessment(organization=submission.organization, year=year)
    assessment.level = level
    assessment.not_rated_reason = "" if level is not None else not_rated_reason
    assessment.exemplary = exemplary
    assessment.decision_ref = decision_ref.strip()
    assessment.decided_on = decided_on
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
    submission.status = SubmissionStatus.FINALIZED
    submission.finalized_at = timezone.now()
    submission.finalized_by = actor
    submission.override_reason = override_reason if failed else ""
    submission._history_user = actor
    submission._change_reason = (_("Chốt, vượt kiểm tra: %(r)s") % {"r": override_reason}) if failed else ""
    submission.save()
    return assessment


@transaction.atomic
def rating_reopen(*, submission: "Submission", reason: str, actor: User | None) -> "Submission":
    """Unlock a finalized rating for correction; the written reason is kept in the note and both histories."""
    from django.utils import timezone

    submission = _submission_lock(submission)
    _officer_require(actor=actor, organization=submission.organization)
    if submission.status != SubmissionStatus.FINALIZED:
        raise ValidationError(_("Chỉ mở lại được kết quả đã chốt."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ghi rõ lý do mở lại kết quả đã chốt.")})
    submission.status = SubmissionStatus.SUBMITTED
    submission.reopen_reason = reason
    submission._history_user = actor
    submission._change_reason = _("Mở lại: %(r)s") % {"r": reason}
    submission.save()
    assessment = UnitAssessment.objects.filter(organization=submission.organization, year=submission.cycle.year).first()
    if assessment is not None:
        line = _("Mở lại ngày %(day)s: %(reason)s") % {
            "day": timezone.localdate().strftime("%d/%m/%Y"),
            "reason": reason,
        }
        assessment.note = _note_append(assessment.note, line)
        assessment._change_reason = (_("Mở lại: %(r)s") % {"r": reason})[:100]
        unit_assessment_save(assessment=assessment, actor=actor)
    return submission
