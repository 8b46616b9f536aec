"""Quarter ratings (issue 15) beside the demo's yearly ones: every yearly figure (summaries, dashboard, lists, unit
page, report, API, regulation checks, consolidation candidates) reads the yearly rows only and stays as it was."""

import contextlib
import dataclasses
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from assessments import demo, selectors
from assessments.common.vocabulary import levels_of
from assessments.models import MemberAssessment, Organization, RatingScheme, UnitAssessment, User
from assessments.reports import build as reports
from assessments.summaries import recompute as summaries
from consolidation import selectors as consolidation
from tests.summary_reference import without_freshness

pytestmark = pytest.mark.django_db
YEARS = (2017, 2019)  # one year under each of the two schemes the demo rates with checks


def _checks(year: int) -> list[dict]:
    out = StringIO()
    with contextlib.suppress(SystemExit):  # exit 1 when the checks find something: the rows are what is compared
        call_command("check_ratings", "BS", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _page(client, name: str, **params) -> dict:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.context


def _yearly_figures(client, officer: User) -> dict:
    """Every yearly figure a user sees, in comparable form."""
    bs = Organization.objects.get(code="BS")
    dong_y = Organization.objects.get(code="BS-DONG-Y")
    figures: dict = {}
    for year in YEARS:
        figures[f"summary {year}"] = [
            without_freshness(selectors.summary_read(organization=org, year=year)) for org in (bs, dong_y)
        ]
        home = _page(client, "assessments:home", org="BS", year=year)
        figures[f"dashboard {year}"] = (
            dataclasses.replace(home["headline"], computed_at=None, stale=False),
            home["sectors"],
            [{k: v for k, v in point.items()} for point in home["trend"]],
        )
        units = _page(client, "assessments:unit_list", parent="BS", year=year)["units"]
        figures[f"unit list {year}"] = list(units)
        members = _page(client, "assessments:member_list", year=year, unit="BS-DONG-Y")["page"]
        # A member without a rating that year has no `rating` attribute at all (the join found nothing).
        ratings = [(m.card_number, getattr(m, "rating", None)) for m in members]
        figures[f"member list {year}"] = [(card, r and r.pk, r and r.level_id) for card, r in ratings]
        report = reports.report_build(organization=bs, year=year)
        figures[f"report {year}"] = dataclasses.replace(report, generated_on=None)
        api = client.get("/api/v1/unit-assessments/", {"year": year, "organization": "BS", "page_size": 500}).json()
        figures[f"api units {year}"] = [{k: v for k, v in row.items() if k != "updated_at"} for row in api["results"]]
        api = client.get("/api/v1/member-assessments/", {"year": year, "organization": "BS"}).json()
        figures[f"api members {year}"] = api["count"]
        api = client.get(f"/api/v1/organizations/BS/summary/{year}/").json()
        figures[f"api summary {year}"] = without_freshness(api)
        figures[f"candidates {year}"] = sorted(
            (c.organization.code, c.level.code) for c in consolidation.candidates_for_year(user=officer, year=year)
        )
    figures["checks 2019"] = _checks(2019)
    response = client.get(reverse("assessments:unit_detail", args=["BS-DONG-Y"]))
    figures["unit page"] = [(r.year, r.level_id, r.exemplary) for r in response.context["ratings"]]
    return figures


def _lowest(year: int, subject: str):
    return next(lv for lv in levels_of(RatingScheme.for_year(year)).lowest(subject))


def _add_quarters() -> None:
    """A Q1 and a Q2 result, at the lowest level, beside every yearly rating of the demo's years."""
    units, members = [], []
    for period in ("Q1", "Q2"):
        for a in UnitAssessment.objects.filter(year__in=YEARS, period=""):
            units.append(UnitAssessment(organization_id=a.organization_id, year=a.year, period=period))
            units[-1].level_id = _lowest(a.year, "unit").pk
        for a in MemberAssessment.objects.filter(year__in=YEARS, period="").filter(~Q(level=None)):
            members.append(
                MemberAssessment(
                    member_id=a.member_id,
                    year=a.year,
                    period=period,
                    organization_id=a.organization_id,
                    level_id=_lowest(a.year, "member").pk,
                )
            )
    UnitAssessment.objects.bulk_create(units)
    MemberAssessment.objects.bulk_create(members)


def test_quarter_ratings_change_no_yearly_figure(client):
    demo.demo_load()
    summaries.summaries_reconcile()  # every demo year summarized, as the beat leaves them
    officer = User.objects.get(username="binh")
    client.force_login(officer)
    before = _yearly_figures(client, officer)

    _add_quarters()
    yearly = UnitAssessment.objects.filter(period="", year__in=YEARS).count()
    assert UnitAssessment.objects.filter(period="Q1", year__in=YEARS).count() == yearly > 0
    done = summaries.summaries_reconcile()
    assert (2017, "Q1") in done and (2017, "Q2") in done  # the quarters got summaries of their own
    after = _yearly_figures(client, officer)

    for key in before:
        assert after[key] == before[key], key
    # ... while each quarter has its own counts: every unit rated, at the lowest level.
    q1 = selectors.summary_read(organization=Organization.objects.get(code="BS"), year=2017, period="Q1")
    lowest = _lowest(2017, "unit").code
    assert q1["period"] == "Q1" and q1["units"]["by_level"][lowest] == q1["units"]["rated"] > 0
    page = client.get(reverse("assessments:unit_detail", args=["BS-DONG-Y"])).context["ratings"]
    assert [q.period for q in page[0].quarters] == ["Q1", "Q2"]
