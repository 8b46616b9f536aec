"""The district's review of a unit's file: officers appraise, return, finalize and reopen; leaders only read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import permissions
from assessments.common import postback
from assessments.common.form_errors import form_errors_add
from assessments.cycle import forms, leadership, leadership_pages, notices, rules, self_assessments
from assessments.cycle import services as cycle_services
from assessments.cycle.views import LEADERS_READ_ONLY, reviewer_require
from assessments.leadership.forms import DECIDE
from assessments.models import Submission, SubmissionStatus, UnitAssessment
from assessments.regulation.periods import not_rated_reason_labels
from assessments.rules.scores import SCORE_FIELDS

# --- review (officers act, leaders read) ------------------------------------------------------------------------------


def _review_page(submission: Submission) -> list:
    return ["review", submission.organization.code, submission.cycle.year]


def _review_restore(request, submission: Submission) -> dict:
    """The review form refused on the last POST, bound again to what was sent and showing its errors (once)."""
    year = submission.cycle.year
    build = {
        "appraise": lambda data: forms.AppraiseForm(data, year=year),
        "finalize": lambda data: forms.FinalizeForm(data, year=year),
        "return": lambda data: forms.ReturnForm(data),
        "reopen": lambda data: forms.ReopenForm(data),
    }
    kept = postback.postback_take(request, page=_review_page(submission))
    return {key: value.bind(build[key]) for key, value in kept.items() if key in build}


def _review_refused(request, submission: Submission, *, key: str, form):
    """A refused review action goes back to the review page by GET, the form kept there with its errors, and the
    errors said at the top, where the officer is looking; a reload neither re-posts nor meets a POST-only address."""
    postback.postback_refuse(request, page=_review_page(submission), forms={key: form})
    return redirect("assessments:review_detail", submission.organization.code, submission.cycle.year)


def _review_render(request, submission: Submission):
    year = submission.cycle.year
    organization = submission.organization
    bound = _review_restore(request, submission)
    own = rules.own_rating(organization, year)
    finalize_form = bound.get("finalize")
    candidate = None
    if finalize_form is not None and finalize_form.is_bound and hasattr(finalize_form, "cleaned_data"):
        candidate = finalize_form.cleaned_data.get("level")
    if candidate is None:
        candidate = (
            (own.level if own and own.level_id else None)
            or submission.proposed_level
            or (own.self_level if own else None)
        )
    if finalize_form is None:
        finalize_form = forms.FinalizeForm(
            year=year,
            scored=submission.cycle.scheme.is_scored,
            initial={
                **{name: getattr(own, name) for name in SCORE_FIELDS if own is not None},
                "level": candidate.pk if candidate else None,
                "exemplary": own.exemplary if own else False,
                "decision_ref": own.decision_ref if own else "",
                "decided_on": own.decided_on if own else None,
            },
        )
    cells = rules.decided_cells(organization, year)
    cell_ratings = {
        a.organization_id: a
        for a in UnitAssessment.objects.yearly().filter(organization__in=cells, year=year).select_related("level")
    }
    # A cell not rated shows its reason with the period's months ("Thành lập chưa đủ 6 tháng"): one query, if any.
    not_rated = [a for a in cell_ratings.values() if a.level_id is None and a.not_rated_reason]
    labels = not_rated_reason_labels(year) if not_rated else {}
    for rating in not_rated:
        rating.reason_label = labels[rating.not_rated_reason]
    history = submission.history.select_related("history_user").order_by("-history_date")
    rating_history = (
        own.history.select_related("history_user", "self_level", "level").order_by("-history_date") if own else []
    )
    officer = permissions.may_review(request.user, organization)
    deciding = permissions.may_decide_leadership(request.user, organization)
    documents = list(submission.documents.select_related("uploaded_by").order_by("-version"))
    paperwork = self_assessments.paperwork_progress(submission, documents)
    context = {
        "paperwork": paperwork,
        "self_assessments": self_assessments.self_assessments_of(submission) if paperwork is not None else [],
        "submission": submission,
        "cycle": submission.cycle,
        "unit": organization,
        "own": own,
        "candidate": candidate,
        "documents": documents,
        "members": rules.member_rating_counts(organization=organization, year=year),
        "checks": rules.submission_checks(submission=submission, level=candidate),
        "cells": [(cell, cell_ratings.get(cell.pk)) for cell in cells],
        "history": history,
        "rating_history": rating_history,
        "can_act": officer,
        "appraise_form": bound.get("appraise")
        or forms.AppraiseForm(
            year=year, scored=submission.cycle.scheme.is_scored, initial={"level": submission.proposed_level_id}
        ),
        "finalize_form": finalize_form,
        "return_form": bound.get("return") or forms.ReturnForm(),
        "reopen_form": bound.get("reopen") or forms.ReopenForm(),
        "statuses": SubmissionStatus,
        **leadership_pages.leadership_context(
            request,
            submission,
            part=DECIDE,
            can_act=deciding and leadership.decisions_open(submission),
            closed=deciding and not leadership.decisions_open(submission),
        ),
    }
    return render(request, "assessments/review_detail.html", context)


def _review_get(request, code: str, year: int) -> Submission:
    submission = permissions.submission_get_for_user(user=request.user, code=code, year=year)
    reviewer_require(request.user)
    return submission


def _officer_post(request, code: str, year: int) -> Submission:
    submission = _review_get(request, code, year)
    permissions.role_require(permissions.may_review(request.user, submission.organization), LEADERS_READ_ONLY)
    return submission


@login_required
@require_GET
def review_detail(request, code: str, year: int):
    return _review_render(request, _review_get(request, code, year))


@login_required
@require_POST
def review_appraise(request, code: str, year: int):
    submission = _officer_post(request, code, year)
    form = forms.AppraiseForm(request.POST, year=year, scored=submission.cycle.scheme.is_scored)
    if form.is_valid():
        try:
            cycle_services.submission_appraise(
                submission=submission, level=form.cleaned_data["level"], actor=request.user, scores=form.scores()
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Đã ghi mức Ban Tổ chức đề xuất."))
            return redirect("assessments:review_detail", code, year)
    return _review_refused(request, submission, key="appraise", form=form)


def _review_act(request, code: str, year: int, *, key: str, form, act, done: str):
    """Run one review action: the officer's scope and role first, then the form, then the service."""
    submission = _officer_post(request, code, year)
    if form.is_valid():
        try:
            act(submission, form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, done)
            return redirect("assessments:review_detail", code, year)
    return _review_refused(request, submission, key=key, form=form)


def _finalize_and_tell(submission, form, *, actor) -> None:
    cycle_services.rating_finalize(submission=submission, actor=actor, scores=form.scores(), **form.decision())
    notices.notice_decided(submission=submission)


@login_required
@require_POST
def review_finalize(request, code: str, year: int):
    return _review_act(
        request,
        code,
        year,
        key="finalize",
        form=(form := forms.FinalizeForm(request.POST, year=year, scored=forms.year_is_scored(year))),
        act=lambda submission, data: _finalize_and_tell(submission, form, actor=request.user),
        done=_("Đã chốt kết quả xếp loại năm %(year)s.") % {"year": year},
    )


@login_required
@require_POST
def review_return(request, code: str, year: int):
    return _review_act(
        request,
        code,
        year,
        key="return",
        form=forms.ReturnForm(request.POST),
        act=lambda submission, data: notices.notice_returned(
            submission=cycle_services.submission_return(
                submission=submission, comment=data["comment"], actor=request.user
            )
        ),
        done=_("Đã trả lại hồ sơ cho đơn vị kèm ý kiến."),
    )


@login_required
@require_POST
def review_reopen(request, code: str, year: int):
    return _review_act(
        request,
        code,
        year,
        key="reopen",
        form=forms.ReopenForm(request.POST),
        act=lambda submission, data: cycle_services.rating_reopen(
            submission=submission, reason=data["reason"], actor=request.user
        ),
        done=_("Đã mở lại kết quả; lý do được ghi vào lịch sử."),
    )
