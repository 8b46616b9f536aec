"""API tokens: a user creates (or replaces) and revokes their own token, on a page or through the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.api.serializers import TokenCreatedSerializer, TokenStatusSerializer


@transaction.atomic
def token_create(*, actor) -> Token:
    """Give the user a new API token, replacing (and so revoking) any token they had."""
    Token.objects.filter(user=actor).delete()
    return Token.objects.create(user=actor)


def token_revoke(*, actor) -> bool:
    """Delete the user's API token; True if there was one."""
    deleted, _rows = Token.objects.filter(user=actor).delete()
    return bool(deleted)


class TokenView(APIView):
    """The caller's own API token: whether it exists, a new one (shown once), or revoke it."""

    @extend_schema(summary="Trạng thái mã truy cập API của người gọi", responses=TokenStatusSerializer)
    def get(self, request: Request) -> Response:
        token = Token.objects.filter(user=request.user).first()
        return Response({"exists": token is not None, "created": token.created if token else None})

    @extend_schema(
        summary="Tạo mã truy cập API mới (thay mã cũ)", request=None, responses={201: TokenCreatedSerializer}
    )
    def post(self, request: Request) -> Response:
        token = token_create(actor=request.user)
        response = Response({"key": token.key, "created": token.created}, status=status.HTTP_201_CREATED)
        add_never_cache_headers(response)  # the key must not stay in any cache
        return response

    @extend_schema(summary="Thu hồi mã truy cập API", responses={204: None})
    def delete(self, request: Request) -> Response:
        token_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_page(request):
    """A page under the account: see whether a token exists, create a new one (shown once), or revoke it."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if token_revoke(actor=request.user):
                messages.success(request, _("Đã thu hồi mã truy cập API."))
            return redirect("api_token")
        if request.POST.get("action") == "create":
            new_key = token_create(actor=request.user).key
    token = Token.objects.filter(user=request.user).first()
    return render(request, "assessments/api_token.html", {"token": token, "new_key": new_key})
