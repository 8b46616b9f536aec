"""Nothing shown to a logged-in user (pages, file downloads, API answers) may be kept by a browser or a proxy."""

import pytest
from django.urls import reverse
from knox.models import AuthToken


def assert_not_stored(response) -> None:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, (response.status_code, response.get("Cache-Control"))


@pytest.mark.parametrize(
    "url",
    [
        "/",
        reverse("assessments:unit_list"),
        reverse("assessments:member_list"),
        reverse("assessments:import_upload"),
        reverse("reports:detail", args=["BS", 2017]),
    ],
)
def test_pages_of_a_logged_in_user_are_not_stored(client, officer, members, url):
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert_not_stored(response)


def test_downloads_are_not_stored(client, officer, members):
    client.force_login(officer)
    for url in (
        reverse("assessments:import_template", args=["members"]),
        reverse("reports:xlsx", args=["BS", 2017]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_not_stored(response)


def test_api_answers_are_not_stored_with_a_session_or_a_token(client, officer, members):
    client.force_login(officer)
    assert_not_stored(client.get("/api/v1/organizations/"))
    _token, key = AuthToken.objects.create(user=officer)
    client.logout()
    response = client.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert_not_stored(response)
