"""Summaries per period (issue 15): a quarter's stored counts equal a direct count of that quarter's rows on both
recompute paths (and both PostgreSQL statements), writers mark only their period stale, reconciliation finds
quarters, and the command and the API take the period; the year's JSON is what it was."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from assessments import services
from assessments.models import MemberAssessment, Organization, Summary, UnitAssessment
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from assessments.summaries import tasks
from tests.factories import MemberAssessmentFactory, MemberFactory, level
from tests.summaries import test_summaries_full_recompute
from tests.summary_reference import recount, without_freshness

# The full recompute's tree, on both PostgreSQL paths; tasks in-process even where CI configures a broker.
YEAR = test_summaries_full_recompute.YEAR
province = test_summaries_full_recompute.province
recompute_path = test_summaries_full_recompute.recompute_path
pytestmark = pytest.mark.usefixtures("eager_tasks")


def _quarters(province_root) -> None:
    """Q1 results for most of the yearly rows, at other levels; Q2 for a few; a Q1 member without a yearly row."""
    members = [level("hd27-2014", "member", c) for c in ("excellent", "good", "completed", "not_completed")]
    units = [level("hd27-2014", "unit", c) for c in ("clean_strong", "good", "completed", "weak")]
    for i, a in enumerate(UnitAssessment.objects.filter(year=YEAR, period="")):
        UnitAssessment.objects.create(organization_id=a.organization_id, year=YEAR, period="Q1", level=units[i % 4])
    for i, a in enumerate(MemberAssessment.objects.filter(year=YEAR, period="").order_by("pk")):
        if i % 5 == 0:
            continue  # no Q1 result: on the rolls with no row of the quarter
        rated = i % 6 != 0
        MemberAssessment.objects.create(
            member_id=a.member_id, year=YEAR, period="Q1", organization_id=a.organization_id,
            level=members[(i + 1) % 4] if rated else None, not_rated_reason="" if rated else "suspended",
        )  # fmt: skip
        if i % 7 == 0:
            MemberAssessment.objects.create(
                member_id=a.member_id, year=YEAR, period="Q2", organization_id=a.organization_id, level=members[3]
            )
    newcomer = MemberFactory(organization=Organization.objects.get(code="H1-X0-1"))
    MemberAssessmentFactory(member=newcomer, year=YEAR, period="Q1", level=members[0])


def _all_equal_recount(period: str) -> None:
    for org in Organization.objects.all():
        read = summary_read(organization=org, year=YEAR, period=period)
        assert read["stale"] is False, org.code
        assert without_freshness(read) == recount(org, YEAR, period), (org.code, period)


def test_quarter_summaries_equal_a_direct_count_and_leave_the_year_as_it_was(province):
    summaries.summaries_recompute_year(year=YEAR)
    year_before = {o.code: summary_read(organization=o, year=YEAR) for o in Organization.objects.all()}
    _quarters(province)

    for period in ("Q1", "Q2"):
        summaries.summaries_recompute_year(year=YEAR, period=period)
        _all_equal_recount(period)
    assert {o.code: summary_read(organization=o, year=YEAR) for o in Organization.objects.all()} == year_before
    ls = summary_read(organization=province, year=YEAR, period="Q1")
    assert ls["period"] == "Q1" and "period" not in year_before["LS"]
    assert ls["members"]["not_assessed"] > 0 and ls["members"]["by_level"] != year_before["LS"]["members"]["by_level"]


def test_the_per_organization_path_stores_what_the_full_recompute_stores_for_a_quarter(province):
    _quarters(province)
    ids = list(Organization.objects.values_list("pk", flat=True))
    summaries.summaries_recompute(organization_ids=ids, year=YEAR, with_ancestors=False, period="Q1")
    fields = ("organization_id", "units_rated", "unit_levels", "members_total", "member_levels", "members_no_result")
    by_organization = list(Summary.objects.filter(period="Q1").values(*fields).order_by("organization_id"))
    Summary.objects.all().delete()
    summaries.summaries_recompute_year(year=YEAR, period="Q1")
    assert list(Summary.objects.filter(period="Q1").values(*fields).order_by("organization_id")) == by_organization
    assert not Summary.objects.filter(period="").exists()  # a quarter's recompute never writes the year's rows


def test_a_quarter_saved_through_the_service_refreshes_only_that_quarter(province, django_capture_on_commit_callbacks):
    summaries.summaries_recompute_year(year=YEAR)
    versions = dict(Summary.objects.filter(period="").values_list("pk", "version"))
    cell = Organization.objects.get(code="H0-X1-0")
    member = MemberFactory(organization=cell)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_assessment_save(
            assessment=MemberAssessment(
                member=member, year=YEAR, period="Q3", organization=cell, level=level("hd27-2014", "member", "good")
            ),
            actor=None,
        )
    assert dict(Summary.objects.filter(period="").values_list("pk", "version")) == versions
    chain = {"H0-X1-0", "H0-X1", "H0", "LS"}
    assert set(Summary.objects.filter(period="Q3").values_list("organization__code", flat=True)) == chain
    for code in chain:
        read = summary_read(organization=Organization.objects.get(code=code), year=YEAR, period="Q3")
        assert not read["stale"] and read["members"]["by_level"]["good"] == 1, code


def test_reconciliation_summarizes_quarters_loaded_without_a_signal(province):
    summaries.summaries_recompute_year(year=YEAR)
    _quarters(province)  # plain creates: no service, no signal
    done = summaries.summaries_reconcile()
    assert set(done) == {(YEAR, "Q1"), (YEAR, "Q2")}
    _all_equal_recount("Q1")
    assert tasks.summaries_reconcile_task() == {}  # nothing left stale
    Summary.objects.filter(period="Q2", organization__code="H0").update(version=7)
    assert tasks.summaries_reconcile_task() == {f"{YEAR}-Q2": 1}


def test_pending_keys_keep_the_years_format_and_name_the_quarter():
    assert tasks.pending_key(5, 2017) == "summaries:pending:2017:5"
    assert tasks.pending_key(5, 2026, "Q1") == "summaries:pending:2026-Q1:5"


def _summary_command(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("summary", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as stop:
        code = stop.code
    return code, out.getvalue(), err.getvalue()


def test_summary_command_prints_a_quarter_and_refuses_a_bad_period(province):
    _quarters(province)
    summaries.summaries_recompute_year(year=YEAR, period="Q1")
    code, out, _err = _summary_command("LS", str(YEAR), "--period", "q1")
    assert code == 0 and without_freshness(json.loads(out)) == recount(province, YEAR, "Q1")
    code, out, _err = _summary_command("LS", str(YEAR))
    assert code == 0 and "period" not in json.loads(out)
    code, out, err = _summary_command("LS", str(YEAR), "--period", "Q5")
    assert code == 2 and out == "" and "Kỳ “Q5” không hợp lệ" in err


def test_summary_api_takes_the_period_and_answers_400_naming_a_bad_one(client, province, admin_user):
    _quarters(province)
    summaries.summaries_recompute_year(year=YEAR)
    summaries.summaries_recompute_year(year=YEAR, period="Q1")
    client.force_login(admin_user)
    url = f"/api/v1/organizations/LS/summary/{YEAR}/"
    quarter = client.get(url, {"period": "Q1"})
    assert quarter.status_code == 200
    assert quarter.json() == summary_read(organization=province, year=YEAR, period="Q1")
    year = client.get(url)
    assert year.json() == summary_read(organization=province, year=YEAR) and "period" not in year.json()
    bad = client.get(url, {"period": "Q5"})
    assert bad.status_code == 400 and "period" in bad.json()
    listed = client.get("/api/v1/summaries/", {"year": YEAR, "period": "Q1", "organization": "LS"}).json()
    assert {row["period"] for row in listed["results"]} == {"Q1"}
    listed = client.get("/api/v1/summaries/", {"year": YEAR, "organization": "LS"}).json()
    assert listed["count"] == Organization.objects.count() and all("period" not in r for r in listed["results"])


def test_rating_lists_in_the_api_are_yearly_unless_a_quarter_is_asked(client, province, admin_user):
    _quarters(province)
    client.force_login(admin_user)
    yearly = client.get("/api/v1/member-assessments/", {"year": YEAR, "page_size": 500}).json()
    assert yearly["count"] == MemberAssessment.objects.filter(period="").count()
    assert {row["period"] for row in yearly["results"]} == {""}
    quarter = client.get("/api/v1/unit-assessments/", {"year": YEAR, "period": "Q1", "page_size": 500}).json()
    assert quarter["count"] == UnitAssessment.objects.filter(period="Q1").count() > 0
    bad = client.get("/api/v1/unit-assessments/", {"period": "Q7"})
    assert bad.status_code == 400 and "period" in bad.json()
