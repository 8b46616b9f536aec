"""The actions of the leadership tables of the portal and of the review page (issue 16), for the year or a quarter:
the secretary writes the self-assessment of the unit's collectives and leaders, officers the appraisal and the
decision (the tables themselves: leadership_pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.common import postback
from assessments.common.form_errors import form_errors_add
from assessments.cycle import leadership
from assessments.cycle.leadership_pages import form_build, page_key
from assessments.cycle.views import LEADERS_READ_ONLY, _submission_for_action, reviewer_require
from assessments.leadership.forms import DECIDE, SELF
from assessments.models import Submission, period_parse


def _back(name: str, submission: Submission, period: str) -> str:
    url = reverse(name, args=[submission.organization.code, submission.cycle.year])
    return f"{url}{'?period=' + period if period else ''}#leadership"


def _record(request, submission: Submission, *, table: str, part: str, record, back: str):
    """Build the table's form from what was posted, save its changed rows through `record`, all or none; refused,
    back to the page by GET with the form kept and every error named by its row."""
    period = period_parse(request.POST.get("period"))
    if period is None:
        raise Http404(_("Kỳ đánh giá không hợp lệ."))
    found = leadership.leadership_of(submission=submission, period=period)
    form = form_build(table, found, part=part, scored=submission.cycle.scheme.is_scored, data=request.POST)
    if form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Không có thay đổi nào để ghi."))
            return redirect(_back(back, submission, period))
        try:
            saved = record(submission=submission, changes=changes, actor=request.user)
        except leadership.RowsRefused as refused:
            form.refusals_add(refused.errors)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Đã ghi %(n)s dòng.") % {"n": saved})
            return redirect(_back(back, submission, period))
    postback.postback_keep(request, page=page_key(part, submission, period), forms={table: form})
    messages.error(
        request, _("Chưa ghi được, không dòng nào được lưu: %(errors)s") % {"errors": " ".join(form.named_errors())}
    )
    return redirect(_back(back, submission, period))


@login_required
@require_POST
def portal_record(request, code: str, year: int, table: str):
    """The secretary's self-assessment of the unit's collectives or leaders (`table`, given by the URL)."""
    submission = _submission_for_action(request, code, year)
    return _record(
        request,
        submission,
        table=table,
        part=SELF,
        record=leadership.leadership_self_record,
        back="assessments:portal_detail",
    )


@login_required
@require_POST
def review_record(request, code: str, year: int, table: str):
    """The officers' appraisal and decision on the unit's collectives or leaders (`table`, given by the URL)."""
    # Scope first (404), then the review pages' readers (403 for a secretary), then who decides (403 for leaders).
    submission = permissions.submission_get_for_user(user=request.user, code=code, year=year)
    reviewer_require(request.user)
    permissions.role_require(
        permissions.may_decide_leadership(request.user, submission.organization), LEADERS_READ_ONLY
    )
    return _record(
        request,
        submission,
        table=table,
        part=DECIDE,
        record=leadership.leadership_decide_record,
        back="assessments:review_detail",
    )
