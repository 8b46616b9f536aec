"""One decision of the Standing Board for several units: the reviewed units an officer selects are finalized with
the same decision number and date, each through the cycle's own rating_finalize, all or none."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.cycle import notices
from assessments.cycle.services import rating_finalize
from assessments.models import Submission, SubmissionStatus, UnitAssessment, User, YearCycle


@transaction.atomic
def ratings_finalize_together(
    *, submissions: list[Submission], decision_ref: str, decided_on: datetime.date | None, actor: User | None
) -> list[UnitAssessment]:
    """Finalize each reviewed unit (submitted, with the level the Organization Board proposed) at that level under
    one decision; a unit that cannot be finalized stops them all, and the message names it."""
    if not submissions:
        raise ValidationError(_("Chọn ít nhất một đơn vị đã thẩm định."))
    decided = []
    for submission in submissions:
        name = submission.organization.name
        if submission.status != SubmissionStatus.SUBMITTED or submission.proposed_level_id is None:
            raise ValidationError(
                _("%(unit)s chưa thẩm định xong (cần hồ sơ đã gửi và mức Ban Tổ chức đề xuất).") % {"unit": name}
            )
        try:
            decided.append(
                rating_finalize(
                    submission=submission,
                    level=submission.proposed_level,
                    decision_ref=decision_ref,
                    decided_on=decided_on,
                    actor=actor,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(unit)s: %(errors)s Không chốt đơn vị nào.") % {"unit": name, "errors": " ".join(error.messages)}
            ) from error
    return decided


@login_required
@require_POST
def cycle_finalize_selected(request, code: str, year: int):
    # Scope first (404 outside it), then the role (403).
    organization = permissions.organization_get_for_user(user=request.user, code=code)
    permissions.role_require(
        permissions.may_finalize(request.user, organization),
        _("Chỉ cán bộ Ban Tổ chức chốt được kết quả xếp loại."),
    )
    cycle = get_object_or_404(YearCycle, organization=organization, year=year)
    ids = [int(pk) for pk in request.POST.getlist("submissions") if pk.isdigit()]
    submissions = list(
        Submission.objects.filter(cycle=cycle, pk__in=ids)
        .select_related("organization", "cycle", "proposed_level")
        .order_by("organization__name_folded")
    )
    try:
        decided_on = datetime.date.fromisoformat(request.POST.get("decided_on", ""))
    except ValueError:
        decided_on = None
    try:
        decided = ratings_finalize_together(
            submissions=submissions,
            decision_ref=request.POST.get("decision_ref", ""),
            decided_on=decided_on,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        for submission in submissions:
            notices.notice_decided(submission=submission)
        messages.success(
            request,
            _("Đã chốt kết quả %(n)s đơn vị theo Quyết định %(ref)s.")
            % {"n": len(decided), "ref": request.POST.get("decision_ref", "").strip()},
        )
    return redirect("assessments:cycle_detail", code, year)
