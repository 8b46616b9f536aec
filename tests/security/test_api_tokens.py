"""API tokens are stored hashed and expire; a password change or deactivation revokes them; a user lists and revokes
their own; a request without credentials is a 401 naming the scheme, and production serves JSON only."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.security.test_hardening import PRODUCTION, _run

PASSWORD = "mat-khau-thu-nghiem-2017"
SCHEMES = "/api/v1/schemes/"


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def new_key(user) -> str:
    session = APIClient()
    session.force_login(user)
    return session.post(reverse("api:token")).json()["key"]


def works(key: str) -> bool:
    return with_key(key).get(SCHEMES).status_code == 200


def test_only_a_hash_of_the_key_is_stored_and_it_expires(officer, settings):
    key = new_key(officer)
    token = AuthToken.objects.get(user=officer)
    stored = [str(value) for value in AuthToken.objects.values_list(flat=False).get()]
    assert key not in stored and token.digest != key
    expected = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)
    assert abs((token.expiry - expected).total_seconds()) < 60
    assert works(key)


def test_an_expired_token_is_refused(officer):
    key = new_key(officer)
    AuthToken.objects.filter(user=officer).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    response = with_key(key).get(SCHEMES)
    assert response.status_code == 401


def test_changing_ones_password_on_the_page_revokes_every_token(client, officer):
    key = new_key(officer)
    client.force_login(officer)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "mot-mat-khau-moi-2018", "new_password2": "mot-mat-khau-moi-2018"},
    )
    assert response.status_code == 302
    assert not works(key) and not AuthToken.objects.filter(user=officer).exists()


def test_a_password_set_elsewhere_or_a_deactivation_revokes_the_tokens(officer, secretary_dong_y):
    # The admin, changepassword and create_accounts all end in set_password() and save().
    key = new_key(officer)
    officer.set_password("mot-mat-khau-moi-2018")
    officer.save()
    assert not works(key)
    key = new_key(secretary_dong_y)
    secretary_dong_y.is_active = False
    secretary_dong_y.save(update_fields=["is_active"])
    assert not AuthToken.objects.filter(user=secretary_dong_y).exists()
    secretary_dong_y.is_active = True
    secretary_dong_y.save()
    assert not works(key)  # reactivating does not bring old tokens back


def test_logging_in_and_other_edits_keep_the_tokens(client, officer):
    key = new_key(officer)
    assert client.post(reverse("login"), {"username": "binh", "password": PASSWORD}).status_code == 302
    officer.refresh_from_db()
    officer.first_name = "Hữu Bình"
    officer.save()
    assert works(key)


def test_the_token_page_lists_each_token_and_revokes_one(client, officer, secretary_dong_y):
    client.force_login(officer)
    page = reverse("api_token")
    keys = []
    for _ in range(2):
        html = client.post(page, {"action": "create"}).content.decode()
        keys.append(re.search(r'id="new-token">([0-9a-f]+)<', html).group(1))
    listing = client.get(page).content.decode()
    assert all(f"<code>{key[:8]}…</code>" in listing for key in keys)
    assert not any(key in listing for key in keys)  # a key is shown once, when created
    first = AuthToken.objects.get(user=officer, token_key=keys[0][:15])
    # Someone else cannot revoke my token by naming it.
    other = APIClient()
    other.force_login(secretary_dong_y)
    other.post(page, {"action": "revoke", "token": first.token_key})
    assert works(keys[0])
    response = client.post(page, {"action": "revoke", "token": first.token_key}, follow=True)
    assert "Đã thu hồi mã truy cập API." in response.content.decode()
    assert not works(keys[0]) and works(keys[1])


def test_a_user_holds_a_bounded_number_of_tokens(client, officer):
    from assessments.api.tokens import TOKENS_PER_USER

    client.force_login(officer)
    for _ in range(TOKENS_PER_USER):
        client.post(reverse("api_token"), {"action": "create"})
    response = client.post(reverse("api_token"), {"action": "create"}, follow=True)
    assert "hãy thu hồi một mã trước khi tạo mã mới" in response.content.decode()
    assert AuthToken.objects.filter(user=officer).count() == TOKENS_PER_USER


# --- 401 and 403 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [SCHEMES, "/api/v1/organizations/", "/api/v1/token/", "/api/schema/"])
def test_a_request_without_credentials_is_401_naming_the_token_scheme(tree, path):
    response = APIClient().get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_key_is_401_and_a_refused_action_stays_403(officer):
    assert with_key("0" * 64).get(SCHEMES).status_code == 401
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(officer)
    # Authenticated by session but without the CSRF token: refused, not unauthenticated.
    assert session.post(reverse("api:token")).status_code == 403


# --- renderers -------------------------------------------------------------------------------------------------------


RENDERERS = """
import django
django.setup()
from rest_framework.settings import api_settings
print(",".join(r.__name__ for r in api_settings.DEFAULT_RENDERER_CLASSES))
"""


def test_production_serves_the_api_as_json_only(db):
    result = _run(["-c", RENDERERS], PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "JSONRenderer"


def test_development_keeps_the_browsable_api(client, officer):
    client.force_login(officer)
    response = client.get(SCHEMES, HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
