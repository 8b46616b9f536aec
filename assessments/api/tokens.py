"""API tokens: stored only as hashes (django-rest-knox) and expiring after API_TOKEN_DAYS; a user creates, lists and
revokes their own on a page or through the API; a password change or a deactivation revokes them all."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.api.serializers import TokenCreatedSerializer, TokenStatusSerializer

# Live tokens one user may hold at once: one per system that reads the API is a handful; each also slows that
# user's token checks (knox looks at all of them).
TOKENS_PER_USER = 10


class TokenLimitReached(Exception):
    """The user already holds TOKENS_PER_USER live tokens."""


def tokens_live(*, user) -> QuerySet[AuthToken]:
    """The user's tokens that still work, newest first."""
    alive = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return AuthToken.objects.filter(alive, user=user).order_by("-created")


def token_create(*, actor, replace: bool = False) -> tuple[AuthToken, str]:
    """A new token for the user, expiring after API_TOKEN_DAYS: (its record, the key, which is never stored).

    With replace, every other token of the user is revoked in the same transaction (the API's rotation)."""
    with transaction.atomic():
        if replace:
            AuthToken.objects.filter(user=actor).delete()
        elif tokens_live(user=actor).count() >= TOKENS_PER_USER:
            raise TokenLimitReached
        return AuthToken.objects.create(user=actor)


def token_revoke(*, actor, token_key: str | None = None) -> int:
    """Delete one of the user's tokens (by its public start, token_key) or, without one, all of them; how many."""
    tokens = AuthToken.objects.filter(user=actor)
    if token_key is not None:
        tokens = tokens.filter(token_key=token_key)
    deleted, _rows = tokens.delete()
    return deleted


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_tokens_revoked_with_credentials")
def _credentials_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A new password or a deactivation revokes the user's tokens, whichever path saved it (password page, admin,
    changepassword, create_accounts): a token must not outlive the credentials that let its owner create it."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # a login's last_login update, the common case, costs no query
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    # Django re-hashes a password at login when its hasher changes (check_password: update_fields=["password"],
    # _password None): the same password, so the tokens stay.
    rehash = update_fields is not None and set(update_fields) == {"password"} and instance._password is None
    new_password = before["password"] != instance.password and not rehash
    if new_password or (before["is_active"] and not instance.is_active):
        # Now, in the transaction of the change, rather than after commit: no moment when the new password is saved
        # and an old token still works, and a failed revocation fails the change instead of passing unnoticed.
        AuthToken.objects.filter(user_id=instance.pk).delete()


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema names knox's tokens as it named DRF's (tokenAuth): the header a client sends is unchanged."""

    target_class = "knox.auth.TokenAuthentication"
    name = "tokenAuth"
    priority = 1  # above drf-spectacular's own knox extension (knoxApiToken)

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106


class TokenView(APIView):
    """The caller's own API token: whether it exists, a new one (shown once), or revoke it."""

    @extend_schema(summary="Trạng thái mã truy cập API của người gọi", responses=TokenStatusSerializer)
    def get(self, request: Request) -> Response:
        token = tokens_live(user=request.user).first()
        return Response({"exists": token is not None, "created": token.created if token else None})

    @extend_schema(
        summary="Tạo mã truy cập API mới (thay mã cũ)", request=None, responses={201: TokenCreatedSerializer}
    )
    def post(self, request: Request) -> Response:
        token, key = token_create(actor=request.user, replace=True)
        response = Response({"key": key, "created": token.created}, status=status.HTTP_201_CREATED)
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
    """A page under the account: the user's live tokens; create one more (shown once), revoke one or all."""
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            token_key = request.POST.get("token") or None
            if token_revoke(actor=request.user, token_key=token_key):
                messages.success(request, _("Đã thu hồi mã truy cập API."))
            return redirect("api_token")
        if action == "create":
            try:
                _token, new_key = token_create(actor=request.user)
            except TokenLimitReached:
                messages.error(
                    request,
                    _("Bạn đã có %(n)s mã đang dùng: hãy thu hồi một mã trước khi tạo mã mới.")
                    % {"n": TOKENS_PER_USER},
                )
                return redirect("api_token")
    tokens = list(tokens_live(user=request.user))
    return render(
        request,
        "assessments/api_token.html",
        {"tokens": tokens, "token": tokens[0] if tokens else None, "new_key": new_key, "days": settings.API_TOKEN_DAYS},
    )
