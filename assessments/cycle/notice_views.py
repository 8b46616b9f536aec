"""The user's own notices: the list, newest first, and marking them read (POST, then back where the user was)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import permissions, selectors
from assessments.common.vocabulary import number_text
from assessments.cycle import notices

NOTICES_PER_PAGE = 20


def _back(request):
    """Back to the page the user was on (a local address only), else the list of notices."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("assessments:notice_list")


@login_required
@require_GET
def notice_list(request):
    page = Paginator(selectors.notices_of(request.user), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "assessments/notice_list.html", {"page": page})


@login_required
@require_POST
def notice_read(request, pk: int):
    notice = permissions.notice_get_for_user(user=request.user, pk=pk)
    notices.notice_read(notice=notice, actor=request.user)
    return _back(request)


@login_required
@require_POST
def notice_read_all(request):
    count = notices.notices_read_all(actor=request.user)
    if count:
        messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": number_text(count)})
    return _back(request)
