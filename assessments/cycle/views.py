"""Pages of the yearly cycle: opening a year, the commune portal (review: review_views; documents: document_views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assessments import permissions
from assessments.common import postback
from assessments.common.form_errors import form_errors_add
from assessments.cycle import forms, leadership_pages, notices, rules, scoring, self_assessments
from assessments.cycle import services as cycle_services
from assessments.leadership.forms import SELF
from assessments.models import (
    QUARTERS,
    Kind,
    Period,
    Submission,
    SubmissionStatus,
    UnitAssessment,
    YearCycle,
)
from assessments.regulation.periods import not_rated_reason_labels

# --- fetching a unit's file ------------------------------------------------------------------------------------------


# What a leader hears on the review's actions: he reads the files, he does not act on them.
LEADERS_READ_ONLY = gettext_lazy("Lãnh đạo chỉ xem, không thao tác trên hồ sơ.")


def reviewer_require(user) -> None:
    permissions.role_require(permissions.may_read_review(user), _("Trang này dành cho cán bộ Ban Tổ chức và lãnh đạo."))


def _submission_get(user, code: str, year: int, *, ensure: bool = False) -> Submission:
    """The file of a unit in scope for a year; 404 outside the user's scope or when the year was not opened for it.

    A unit that appeared after the year was opened has no file yet. Reading its portal (ensure=False) shows an unsaved
    draft, because a GET never writes; the first action on it (ensure=True, POST only, after the role check) creates
    the draft.
    """
    try:
        return permissions.submission_get_for_user(user=user, code=code, year=year)
    except permissions.OutOfScope:
        raise
    except Http404:
        organization = permissions.organization_get_for_user(user=user, code=code)
        cycle = None
        if organization.parent_id and organization.exists_in(year):
            cycle = (
                YearCycle.objects.select_related("scheme", "organization")
                .filter(organization_id=organization.parent_id, year=year)
                .first()
            )
        if cycle is None:
            raise
    if not ensure:
        return Submission(cycle=cycle, organization=organization)
    cycle_services.submission_ensure(cycle=cycle, organization=organization, actor=user)
    return permissions.submission_get_for_user(user=user, code=code, year=year)


def _submission_for_action(
    request,
    code: str,
    year: int,
    *,
    allowed=permissions.may_edit_submission,
    refused: str = cycle_services.OWN_SECRETARY_ONLY,
) -> Submission:
    """The unit's file for a POST action: scope first (404), then the role (403), then the draft is made if missing.

    `allowed(user, submission)` is a predicate of assessments.permissions (by default: only the unit's own
    secretary); `refused` says who may, with `%(org)s`.
    """
    submission = _submission_get(request.user, code, year)
    permissions.role_require(allowed(request.user, submission), refused % {"org": submission.organization.name})
    if submission.pk is None:
        submission = _submission_get(request.user, code, year, ensure=True)
    return submission


def _submission_read_require(user, submission: Submission) -> None:
    """403 for a role that may not read the unit's file (permissions.may_read_submission), saying who may."""
    permissions.role_require(
        permissions.may_read_submission(user, submission),
        _("Hồ sơ này chỉ bí thư của %(org)s và cán bộ cấp trên được xem.") % {"org": submission.organization.name},
    )


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def portal_url_for(user) -> str | None:
    """Where a secretary lands after login: the portal of their unit for the latest year opened for it."""
    if not permissions.is_secretary(user) or user.organization_id is None:
        return None
    year = (
        Submission.objects.filter(organization_id=user.organization_id)
        .order_by("-cycle__year")
        .values_list("cycle__year", flat=True)
        .first()
    )
    if year is None:
        return None
    return reverse("assessments:portal_detail", args=[user.organization.code, year])


# --- year cycle (officers; leaders read) ------------------------------------------------------------------------------


@login_required
def cycle_list(request):
    reviewer_require(request.user)
    visible = permissions.organizations_visible_to(request.user)
    form = None
    if permissions.is_officer(request.user):
        posted = request.method == "POST"
        form = forms.YearOpenForm(request.POST if posted else None, organizations=visible)
        kept = None if posted else postback.postback_take(request, page=["cycle_list"]).get("open")
        if kept:
            form = kept.bind(lambda data: forms.YearOpenForm(data, organizations=visible))
        if posted and form.is_valid():
            try:
                cycle = cycle_services.year_open(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                notices.notices_year_opened(cycle=cycle)
                messages.success(
                    request,
                    _("Đã mở đợt đánh giá năm %(year)s cho %(org)s.")
                    % {"year": cycle.year, "org": cycle.organization.name},
                )
                return redirect("assessments:cycle_detail", cycle.organization.code, cycle.year)
        if posted:
            # Refused: back to the list by GET with the form and its errors, so a reload does not post again.
            postback.postback_keep(request, page=["cycle_list"], forms={"open": form})
            messages.error(
                request,
                _("Chưa mở được đợt đánh giá: %(errors)s") % {"errors": " ".join(postback.errors_of({"open": form}))},
            )
            return redirect("assessments:cycle_list")
    elif request.method == "POST":
        permissions.role_require(False, _("Chỉ cán bộ Ban Tổ chức được mở đợt đánh giá."))
    status = SubmissionStatus
    cycles = (
        YearCycle.objects.filter(organization__in=visible)
        .select_related("organization", "scheme", "opened_by")
        .annotate(
            units=Count("submissions"),
            submitted=Count("submissions", filter=Q(submissions__status=status.SUBMITTED)),
            returned=Count("submissions", filter=Q(submissions__status=status.RETURNED)),
            finalized=Count("submissions", filter=Q(submissions__status=status.FINALIZED)),
        )
        .order_by("-year", "organization__path")
    )
    return render(request, "assessments/cycle_list.html", {"cycles": cycles, "form": form})


@login_required
@require_GET
def cycle_detail(request, code: str, year: int):
    # Scope first: outside it the answer is 404 whatever the role.
    organization = permissions.organization_get_for_user(user=request.user, code=code)
    reviewer_require(request.user)
    cycle = get_object_or_404(
        YearCycle.objects.select_related("organization", "scheme", "opened_by"), organization=organization, year=year
    )
    units = rules.cycle_units(cycle)
    counts = rules.status_counts(units)
    status = request.GET.get("status", "")
    status = status if status in SubmissionStatus.values else ""
    context = {
        "cycle": cycle,
        "units": units,
        "status": status,
        "shown": [unit for unit in units if unit["status"] == status] if status else units,
        "may_finalize": permissions.may_finalize(request.user, organization),
        "counts": [(value, label, counts[value]) for value, label in SubmissionStatus.choices],
        "not_submitted": [unit for unit in units if not unit["submitted"]],
        "overdue": timezone.localdate() > cycle.deadline,
        "statuses": SubmissionStatus,
    }
    return render(request, "assessments/cycle_detail.html", context)


# --- commune portal (the secretary's home for the year) ---------------------------------------------------------------


def _import_links(year: int, back: str) -> dict:
    """The import page opened on member ratings for the year, with the way back to the portal, and the template
    prefilled with the secretary's members."""
    query = urlencode({"data_type": "member_ratings", "year": year, "next": back})
    return {
        "upload": f"{reverse('assessments:import_upload')}?{query}",
        "template": f"{reverse('assessments:import_template', args=['member_ratings'])}?year={year}",
    }


def _scores_upload_link(year: int, back: str) -> str:
    """The import page opened on item scores, with the way back to the portal (the scoring sheet goes in as is)."""
    return (
        f"{reverse('assessments:import_upload')}?{urlencode({'data_type': 'item_scores', 'year': year, 'next': back})}"
    )


def _cells_current(cells, year: int, scores: dict | None = None) -> dict:
    """Each cell's current choice (level or reason); with `scores`, fills it with their recorded scores too."""
    current = {}
    for assessment in (
        UnitAssessment.objects.yearly()
        .filter(organization__in=cells, year=year)
        .only("organization_id", "level_id", "not_rated_reason", "score")
    ):
        if scores is not None and assessment.score is not None:
            scores[assessment.organization_id] = assessment.score
        if assessment.level_id:
            current[assessment.organization_id] = f"level:{assessment.level_id}"
        elif assessment.not_rated_reason:
            current[assessment.organization_id] = f"reason:{assessment.not_rated_reason}"
    return current


def _portal_failed(request, submission: Submission, bound: dict):
    """A refused action goes back to the portal by GET, so that a reload never lands on a POST-only address (the
    browser's "HTTP ERROR 405"): the form's data and errors are kept in the session for that one page, and the
    errors are said at its top too (postback_refuse), where a phone opens it, the form being below the fold."""
    code, year = submission.organization.code, submission.cycle.year
    postback.postback_refuse(request, page=["portal", code, year], forms=bound)
    return redirect("assessments:portal_detail", code, year)


def _portal_post(request, submission: Submission, form, *, name: str, write, done):
    """A form of the portal posted: when it is valid and `write()` succeeds, the message `done(result)` and back to the
    file; otherwise back to the file with the form (`name`) and its errors, the service's on their fields."""
    if form.is_valid():
        try:
            result = write()
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, done(result))
            return redirect("assessments:portal_detail", submission.organization.code, submission.cycle.year)
    return _portal_failed(request, submission, {name: form})


def _portal_restore(request, submission: Submission, *, cells, levels, reason_labels=None) -> dict:
    """The forms of a refused action, bound again to what was sent and showing the errors it got (once)."""
    year = submission.cycle.year
    kept = postback.postback_take(request, page=["portal", submission.organization.code, year])
    build = {
        "upload": lambda data: forms.DocumentUploadForm(data),
        "self_assessment": lambda data: forms.SelfAssessmentUploadForm(
            data, members=scoring.members_at_year_end(submission.organization, year)
        ),
        "self_level": lambda data: forms.SelfLevelForm(data, year=year),
        "cells": lambda data: forms.CellLevelsForm(
            data,
            cells=cells,
            levels=levels,
            current={},
            scored=submission.cycle.scheme.is_scored,
            reason_labels=reason_labels,
        ),
    }
    return {key: value if isinstance(value, list) else value.bind(build[key]) for key, value in kept.items()}


def _self_assessments_context(submission: Submission, paperwork, bound_form, leader: str | None = None) -> dict:
    """The members' self-assessments uploaded so far and the upload form (scored years only); `leader` (the
    leadership table's "Tải lên" link) pre-selects that member when he or she is one of the unit's."""
    if paperwork is None:
        return {"self_assessments": [], "self_assessment_form": None}
    initial = {"member": int(leader)} if leader and leader.isdigit() else {}
    if initial and initial["member"] not in {pk for pk, _card, _name in paperwork.members}:
        initial = {}
    return {
        "self_assessments": self_assessments.self_assessments_of(submission),
        "self_assessment_form": bound_form
        or forms.SelfAssessmentUploadForm(members=paperwork.members, initial=initial),
    }


def _portal_render(request, submission: Submission, *, forms_bound: dict | None = None, status: int = 200):
    year = submission.cycle.year
    organization = submission.organization
    can_edit = permissions.may_edit_submission(request.user, submission) and submission.is_editable
    own = rules.own_rating(organization, year)
    levels = rules.unit_levels(year)
    cells = rules.decided_cells(organization, year)
    current_scores: dict = {}
    current = _cells_current(cells, year, current_scores)
    # The cells' reasons show the period's months ("Thành lập chưa đủ 6 tháng"): one query, only with cells.
    reason_labels = not_rated_reason_labels(year) if cells else {}
    bound = forms_bound or _portal_restore(request, submission, cells=cells, levels=levels, reason_labels=reason_labels)
    upload_form = bound.get("upload") or forms.DocumentUploadForm()
    self_form = bound.get("self_level") or forms.SelfLevelForm(
        year=year, initial={"level": own.self_level_id if own else None}
    )
    cells_form = bound.get("cells") or forms.CellLevelsForm(
        cells=cells,
        levels=levels,
        current=current,
        scored=submission.cycle.scheme.is_scored,
        scores=current_scores,
        reason_labels=reason_labels,
    )
    choice_labels = dict(forms.cell_choices(levels, reason_labels))
    cell_rows = [(cell, choice_labels.get(current.get(cell.pk, ""), "—")) for cell in cells]
    checks = rules.submission_checks(submission=submission, level=own.self_level if own else None)
    members = rules.member_rating_counts(organization=organization, year=year)
    checklist = rules.submission_checklist(submission=submission, members=members, own=own, cells=cells)
    # An unsaved draft (a unit that appeared after the year was opened) has no documents yet.
    documents = list(submission.documents.select_related("uploaded_by").order_by("-version")) if submission.pk else []
    paperwork = self_assessments.paperwork_progress(submission, documents)
    context = {
        "submission": submission,
        "cycle": submission.cycle,
        "unit": organization,
        "own": own,
        "can_edit": can_edit,
        "documents": documents,
        "members": members,
        "checklist": checklist,
        "ready": all(item.done for item in checklist),
        "checks": checks,
        "cells": cells,
        "cell_rows": cell_rows,
        "upload_form": upload_form,
        "self_form": self_form,
        "cells_form": cells_form,
        "submit_errors": bound.get("submit_errors", []),
        "import_links": _import_links(year, request.get_full_path()),
        "is_committee": organization.kind == Kind.GRASSROOTS_COMMITTEE,
        "scoring": paperwork.scoring if paperwork is not None else None,
        "paperwork": paperwork,
        **_self_assessments_context(submission, paperwork, bound.get("self_assessment"), request.GET.get("leader")),
        "scores_upload": _scores_upload_link(year, request.get_full_path()),
        "quarters": [(quarter.value, quarter.label) for quarter in QUARTERS],
        **leadership_pages.leadership_context(request, submission, part=SELF, can_act=can_edit),
    }
    return render(request, "assessments/portal_detail.html", context, status=status)


@login_required
def portal_home(request):
    """The secretary's home for the latest year opened for their unit; a note when none is open yet."""
    url = portal_url_for(request.user)
    if url:
        return redirect(url)
    return render(request, "assessments/portal_none.html")


@login_required
@require_GET
def portal_detail(request, code: str, year: int):
    submission = _submission_get(request.user, code, year)
    _submission_read_require(request.user, submission)
    return _portal_render(request, submission)


@login_required
@require_GET
def portal_scoring_sheet(request, code: str, year: int, pk: int):
    """The unit's scoring sheet of one criteria set in force for it (XLSX), to fill in and upload as item scores."""
    submission = _submission_get(request.user, code, year)
    _submission_read_require(request.user, submission)
    criteria_set = next((s for s in scoring.criteria_sets_for_unit(submission.organization, year) if s.pk == pk), None)
    if criteria_set is None:
        raise Http404(_("Bộ tiêu chí này không áp dụng cho đơn vị trong năm đó."))
    period = request.GET.get("period", "")
    if period not in Period.values:
        raise Http404(_("Kỳ đánh giá không hợp lệ."))
    content = scoring.scoring_sheet(
        criteria_set=criteria_set, organization=submission.organization, year=year, period=period
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"phieu-cham-diem-{criteria_set.code}-{code}-{year}{'-' + period.lower() if period else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def portal_document_upload(request, code: str, year: int):
    submission = _submission_for_action(
        request,
        code,
        year,
        allowed=permissions.may_upload_for,
        refused=_("Chỉ bí thư của %(org)s hoặc cán bộ Ban Tổ chức được tải lên báo cáo kiểm điểm."),
    )
    form = forms.DocumentUploadForm(request.POST, request.FILES)
    return _portal_post(
        request,
        submission,
        form,
        name="upload",
        write=lambda: cycle_services.document_upload(
            submission=submission, file=form.cleaned_data["file"], actor=request.user
        ),
        done=lambda document: (
            _("Đã nhận báo cáo kiểm điểm lần %(v)s (%(name)s).")
            % {"v": document.version, "name": document.original_name}
        ),
    )


@login_required
@require_POST
def portal_self_level(request, code: str, year: int):
    submission = _submission_for_action(request, code, year)
    form = forms.SelfLevelForm(request.POST, year=year)
    return _portal_post(
        request,
        submission,
        form,
        name="self_level",
        write=lambda: cycle_services.unit_self_level_propose(
            submission=submission,
            level=form.cleaned_data["level"],
            actor=request.user,
            mass_organizations_good=form.mass_organizations_good(),
        ),
        done=lambda _assessment: _("Đã ghi mức đơn vị tự đề xuất."),
    )


@login_required
@require_POST
def portal_cells(request, code: str, year: int):
    submission = _submission_for_action(request, code, year)
    cells = rules.decided_cells(submission.organization, year)
    if not cells:
        raise Http404
    form = forms.CellLevelsForm(
        request.POST, cells=cells, levels=rules.unit_levels(year), current={}, scored=submission.cycle.scheme.is_scored
    )

    @transaction.atomic  # all the cells or none
    def cells_decide():
        for cell, level, reason in form.decisions():
            cycle_services.cell_level_decide(
                submission=submission,
                cell=cell,
                level=level,
                not_rated_reason=reason,
                override_reason=form.cleaned_data.get("override_reason", ""),
                actor=request.user,
                scores=form.scores_of(cell),
            )

    return _portal_post(
        request,
        submission,
        form,
        name="cells",
        write=cells_decide,
        done=lambda _none: _("Đã ghi xếp loại các chi bộ trực thuộc."),
    )


@login_required
@require_POST
def portal_submit(request, code: str, year: int):
    submission = _submission_for_action(request, code, year)
    try:
        cycle_services.submission_submit(submission=submission, actor=request.user)
    except ValidationError as error:
        return _portal_failed(request, submission, {"submit_errors": _errors(error)})
    notices.notice_submitted(submission=submission)
    messages.success(request, _("Đã gửi hồ sơ năm %(year)s lên cấp trên.") % {"year": year})
    return redirect("assessments:portal_detail", code, year)
