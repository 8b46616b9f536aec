"""Request plumbing of the site as a whole: the client's address behind trusted proxies, private pages kept out of
every cache, and a database still busy after its wait answered as 503 rather than 500."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, read through TRUSTED_PROXY_COUNT proxies of our own.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the client is the entry
    that many places from the right of (X-Forwarded-For + REMOTE_ADDR). Anything further left was written by the
    client and can be forged; with no trusted proxy (the default) the header is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.TRUSTED_PROXY_COUNT
    if not trusted:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, remote] if remote else forwarded
    if not chain:
        return remote
    # A shorter chain than the proxies we run came by another path: its leftmost entry is the nearest we can trust.
    return chain[max(len(chain) - 1 - trusted, 0)]


class PrivatePagesNotCachedMiddleware:
    """Every answer to a logged-in user (pages, downloads, API) is `Cache-Control: no-store, private`: a shared
    office computer's browser or a proxy must not keep a person's data or an export after they log out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # An API call authenticated by token counts too: DRF sets the user on this request when it authenticates.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class DatabaseBusyMiddleware:
    """A write that waited SQLITE_BUSY_TIMEOUT for another to finish (a long import on SQLite) answers 503 with
    Retry-After and says to try again: the server is busy, not broken, and the transaction that met the lock
    wrote nothing."""

    retry_after = 30

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not (isinstance(exception, OperationalError) and "database is locked" in str(exception)):
            return None
        logger.warning("Database busy, answered 503: %s %s", request.method, request.path)
        message = _(
            "Hệ thống đang ghi dữ liệu khác (ví dụ một tệp nhập lớn); chưa ghi gì của bạn. Hãy thử lại sau ít phút."
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = str(self.retry_after)
        return response


class MethodNotAllowedPageMiddleware:
    """A page answering 405 (an action's address opened by GET: a bookmark, a reload, a back button) gets a
    Vietnamese page with the way back instead of the browser's bare "HTTP ERROR 405"; the API keeps its JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content or request.path.startswith("/api/"):
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page
