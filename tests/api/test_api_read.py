"""Read API v1: every answer limited to the caller's scope, filters, pagination, no query per row, tokens, schema."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from assessments import selectors
from assessments.models import NotRatedReason
from assessments.summaries import recompute as summaries
from tests.factories import (
    MemberAssessmentFactory,
    MemberFactory,
    OrganizationFactory,
    UnitAssessmentFactory,
    level,
)

pytestmark = pytest.mark.django_db

LISTS = ["organization-list", "unit-assessment-list", "member-assessment-list", "summary-list"]


def url(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


@pytest.fixture
def rated(tree):
    """Both communes and their cells rated for 2017 and 2018, two members in each cell, summaries computed."""
    for year, scheme, unit_code in ((2017, "hd27-2014", "clean_strong"), (2018, "qd132-2018", "excellent")):
        for code in ("BS-DONG-Y", "BS-NHAT-TIEN", "BS-DONG-Y-01", "BS-DONG-Y-02", "BS-NHAT-TIEN-01", "BS-NHAT-TIEN-02"):
            UnitAssessmentFactory(organization=tree[code], year=year, level=level(scheme, "unit", unit_code))
    for code in ("BS-DONG-Y-01", "BS-DONG-Y-02", "BS-NHAT-TIEN-01", "BS-NHAT-TIEN-02"):
        for i in range(2):
            member = MemberFactory(organization=tree[code])
            MemberAssessmentFactory(member=member, year=2017, level=level("hd27-2014", "member", "good"))
            if i:
                MemberAssessmentFactory(member=member, year=2018, level=None, not_rated_reason=NotRatedReason.SUSPENDED)
    for year in (2017, 2018):
        summaries.summaries_recompute_year(year=year)
    return tree


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _all(client: APIClient, name: str, **params) -> list[dict]:
    response = client.get(url(name), {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _codes(rows: list[dict]) -> set[str]:
    return {row.get("organization") or row.get("code") for row in rows}


# --- scope ---------------------------------------------------------------------------------------------------------


def test_secretary_of_dong_y_sees_nothing_of_nhat_tien(rated, secretary_dong_y):
    client = api_as(secretary_dong_y)
    for name in LISTS:
        codes = _codes(_all(client, name))
        assert codes, name
        assert all(code.startswith("BS-DONG-Y") for code in codes), (name, codes)


def test_secretary_cannot_fetch_another_communes_rows_by_id_or_filter(rated, secretary_dong_y):
    client = api_as(secretary_dong_y)
    unit = rated["BS-NHAT-TIEN"].assessments.first()
    member = rated["BS-NHAT-TIEN-01"].member_assessments.first()
    summary = rated["BS-NHAT-TIEN"].summaries.first()
    assert client.get(url("organization-detail", "BS-NHAT-TIEN")).status_code == 404
    assert client.get(url("organization-summary", "BS-NHAT-TIEN", 2017)).status_code == 404
    assert client.get(url("unit-assessment-detail", unit.pk)).status_code == 404
    assert client.get(url("member-assessment-detail", member.pk)).status_code == 404
    assert client.get(url("summary-detail", summary.pk)).status_code == 404
    for name in LISTS[1:]:
        assert _all(client, name, organization="BS-NHAT-TIEN") == []
        assert _all(client, name, organization="BS") == []  # the district is above her scope
    assert _all(client, "organization-list", parent="BS-NHAT-TIEN") == []


def test_officer_sees_the_whole_district(rated, officer):
    client = api_as(officer)
    assert {"BS", "BS-DONG-Y", "BS-NHAT-TIEN", "BS-CU"} <= _codes(_all(client, "organization-list"))
    assert "LS" not in _codes(_all(client, "organization-list"))
    assert len(_all(client, "unit-assessment-list", year=2017)) == 6


def test_anonymous_caller_is_refused(rated):
    for name in LISTS:
        assert APIClient().get(url(name)).status_code in (401, 403)
    assert APIClient().get(url("scheme-list")).status_code in (401, 403)


# --- filters and shapes --------------------------------------------------------------------------------------------


def test_organizations_give_parent_code_and_children_count(rated, officer):
    rows = {row["code"]: row for row in _all(api_as(officer), "organization-list", year=2017)}
    assert rows["BS"]["parent"] == "LS"
    assert rows["BS"]["children_count"] == 2  # BS-CU was dissolved in 2016
    assert rows["BS-DONG-Y"]["children_count"] == 2
    assert rows["BS-DONG-Y"]["kind"] == "grassroots_committee" and rows["BS-DONG-Y"]["kind_label"] == "Đảng bộ cơ sở"
    assert "BS-CU" not in rows
    rows_2015 = {row["code"]: row for row in _all(api_as(officer), "organization-list", year=2015)}
    assert "BS-CU" in rows_2015 and rows_2015["BS"]["children_count"] == 3


def test_organizations_filter_by_kind_sector_and_parent(rated, officer):
    client = api_as(officer)
    assert _codes(_all(client, "organization-list", kind="cell")) == {
        "BS-DONG-Y-01",
        "BS-DONG-Y-02",
        "BS-NHAT-TIEN-01",
        "BS-NHAT-TIEN-02",
    }
    assert _codes(_all(client, "organization-list", sector="agency")) == {"BS-CU"}
    assert _codes(_all(client, "organization-list", parent="BS-DONG-Y")) == {"BS-DONG-Y-01", "BS-DONG-Y-02"}


def test_bad_filter_values_are_a_400_naming_the_parameter(rated, officer):
    client = api_as(officer)
    for params in ({"kind": "village"}, {"year": "20x7"}, {"year": "99999"}):
        response = client.get(url("organization-list"), params)
        assert response.status_code == 400
        assert set(response.json()) == set(params)


def test_assessments_filter_by_subtree_and_year(rated, officer):
    client = api_as(officer)
    units = _all(client, "unit-assessment-list", organization="BS-DONG-Y", year=2018)
    assert _codes(units) == {"BS-DONG-Y", "BS-DONG-Y-01", "BS-DONG-Y-02"}
    assert {(u["scheme"], u["level"]) for u in units} == {("qd132-2018", "excellent")}
    members = _all(client, "member-assessment-list", organization="BS-NHAT-TIEN-01", year=2018)
    assert len(members) == 1
    assert members[0]["level"] is None and members[0]["not_rated_reason"] == "suspended"
    assert members[0]["card_number"] and members[0]["full_name"].startswith("Hoàng Văn Thử")


def test_summaries_list_repeats_the_summary_contract(rated, officer):
    rows = _all(api_as(officer), "summary-list", organization="BS", year=2017)
    by_code = {row["organization"]: row for row in rows}
    assert set(by_code) >= {"BS", "BS-DONG-Y", "BS-NHAT-TIEN"}
    for code in ("BS", "BS-DONG-Y"):
        assert by_code[code] == selectors.summary_read(organization=rated[code], year=2017)
    assert by_code["BS"]["units"]["by_level"]["clean_strong"] == 2
    assert by_code["BS"]["members"]["good_or_better"] == 8


def test_schemes_come_with_their_levels(rated, secretary_dong_y):
    schemes = {row["code"]: row for row in _all(api_as(secretary_dong_y), "scheme-list")}
    assert {"hd27-2014", "qd132-2018", "qd124-2023", "qd366-2025"} <= set(schemes)
    units = [lv for lv in schemes["hd27-2014"]["levels"] if lv["subject"] == "unit"]
    assert [lv["code"] for lv in sorted(units, key=lambda lv: lv["rank"])] == [
        "clean_strong",
        "good",
        "completed",
        "weak",
    ]


# --- pagination and queries ----------------------------------------------------------------------------------------


def test_lists_are_paginated(rated, officer):
    client = api_as(officer)
    first = client.get(url("unit-assessment-list"), {"page_size": 5}).json()
    assert first["count"] == 12 and len(first["results"]) == 5 and first["next"] and first["previous"] is None
    last = client.get(url("unit-assessment-list"), {"page_size": 5, "page": 3}).json()
    assert len(last["results"]) == 2 and last["next"] is None
    seen = [
        r["id"]
        for p in (1, 2, 3)
        for r in client.get(url("unit-assessment-list"), {"page_size": 5, "page": p}).json()["results"]
    ]
    assert len(set(seen)) == 12  # a stable order: no row twice, none missing
    assert client.get(url("unit-assessment-list"), {"page": 99}).status_code == 404


@pytest.mark.parametrize("name", [*LISTS, "scheme-list"])
def test_lists_take_the_same_queries_for_many_rows_as_for_few(rated, officer, name):
    client = api_as(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(url(name), {"page_size": 2})
    # Many more rows of every kind.
    for i in range(12):
        cell = OrganizationFactory(code=f"BS-DONG-Y-X{i}", name=f"Chi bộ thôn X{i}", parent=rated["BS-DONG-Y"])
        UnitAssessmentFactory(organization=cell, year=2017, level=level("hd27-2014", "unit", "good"))
        MemberAssessmentFactory(
            member=MemberFactory(organization=cell), year=2017, level=level("hd27-2014", "member", "good")
        )
    summaries.summaries_recompute_year(year=2017)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(name), {"page_size": 100})
    assert len(response.json()["results"]) >= 4
    assert len(many) == len(few)


# --- tokens --------------------------------------------------------------------------------------------------------


def test_user_creates_uses_and_revokes_an_api_token(rated, secretary_dong_y):
    session = APIClient()
    session.force_login(secretary_dong_y)
    assert session.get(url("token")).json() == {"exists": False, "created": None}
    created = session.post(url("token"))
    assert created.status_code == 201
    assert "no-store" in created["Cache-Control"]
    key = created.json()["key"]
    with_token = APIClient()
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    rows = with_token.get(url("organization-list")).json()["results"]
    assert _codes(rows) == {"BS-DONG-Y", "BS-DONG-Y-01", "BS-DONG-Y-02"}  # the token carries the user's scope
    # A new token replaces the old one.
    newer = session.post(url("token")).json()["key"]
    # The old key is refused (401: token authentication comes first in the settings).
    assert newer != key and with_token.get(url("organization-list")).status_code in (401, 403)
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {newer}")
    assert with_token.get(url("organization-list")).status_code == 200
    assert session.delete(url("token")).status_code == 204
    assert with_token.get(url("organization-list")).status_code in (401, 403)
    assert not AuthToken.objects.filter(user=secretary_dong_y).exists()


def test_token_page_shows_a_new_key_once_and_revokes_it(client, secretary_dong_y, rated):
    client.force_login(secretary_dong_y)
    page = reverse("api_token")
    assert "Bạn chưa có mã truy cập API." in client.get(page).content.decode()
    response = client.post(page, {"action": "create"})
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    key = re.search(r'id="new-token">([0-9a-f]+)<', html).group(1)  # only a hash is stored
    assert key in html
    assert key not in client.get(page).content.decode()  # shown only once
    response = client.post(page, {"action": "revoke"}, follow=True)
    assert "Đã thu hồi mã truy cập API." in response.content.decode()
    assert not AuthToken.objects.filter(user=secretary_dong_y).exists()


def test_token_page_needs_login(client, rated):
    response = client.get(reverse("api_token"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- schema and docs -------------------------------------------------------------------------------------------------


def test_schema_and_docs_are_for_logged_in_users_only(client, officer, rated):
    assert client.get(reverse("api_schema")).status_code in (401, 403)
    docs = client.get(reverse("api_docs"))
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]
    client.force_login(officer)
    schema = client.get(reverse("api_schema"), {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/organizations/",
        "/api/v1/organizations/{code}/summary/{year}/",
        "/api/v1/unit-assessments/",
        "/api/v1/member-assessments/",
        "/api/v1/summaries/",
        "/api/v1/schemes/",
        "/api/v1/token/",
    ):
        assert path in paths
    html = client.get(reverse("api_docs")).content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "<style>" not in html  # the CSP allows neither
    script = client.get(reverse("api_docs"), {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=io.StringIO())
    assert "/api/v1/summaries/" in target.read_text()
