"""The app's own icon: /favicon.ico (asked for by every browser on every page) leads to the static icon, and the
app's pages and the admin's link it; nothing is fetched from elsewhere."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_static_icon_without_logging_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == f"/{settings.STATIC_URL.strip('/')}/favicon.ico"
    for name in ("favicon.ico", "favicon.svg"):
        assert finders.find(name), name


def test_the_login_page_and_the_admin_link_the_icon(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.ico"' in page and 'href="/static/favicon.svg"' in page
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin_page = client.get(f"/{settings.ADMIN_URL}").content.decode()
    assert 'rel="icon" href="/static/favicon.ico"' in admin_page
