"""Issue 15: the summary JSON's `scores` (count, mean, min, max of the rated rows with a score), only for a scored
scheme, equal on both recompute paths to a direct computation; other years' JSON keeps exactly its keys."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import MemberAssessment, NotRatedReason, Organization, UnitAssessment
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from tests.factories import MemberFactory, level
from tests.summary_reference import recount, without_freshness

pytestmark = pytest.mark.django_db

KEYS = ["organization", "name", "year", "scheme", "units", "members", "collectives", "leaders", "computed_at", "stale"]


@pytest.fixture
def scored_2025(tree):
    """2025 under qd366-2025: units and members with scores, one rated without a score, one not rated with one."""
    scores = ["92.5", "71", "55.25", "40", None]
    codes = ["excellent", "good", "completed", "not_completed", "good"]
    for cell in ("BS-DONG-Y-01", "BS-DONG-Y-02", "BS-NHAT-TIEN-01"):
        for score, code in zip(scores, codes, strict=True):
            MemberAssessment.objects.create(
                member=MemberFactory(organization=tree[cell]),
                year=2025,
                organization=tree[cell],
                level=level("qd366-2025", "member", code),
                score=Decimal(score) if score else None,
            )
    MemberAssessment.objects.create(
        member=MemberFactory(organization=tree["BS-DONG-Y-01"]),
        year=2025,
        organization=tree["BS-DONG-Y-01"],
        not_rated_reason=NotRatedReason.SUSPENDED,
        score=Decimal("99"),  # not rated: its score does not count
    )
    for code, lv, score in (("BS-DONG-Y", "good", "80"), ("BS-NHAT-TIEN", "excellent", "93.33")):
        UnitAssessment.objects.create(
            organization=tree[code], year=2025, level=level("qd366-2025", "unit", lv), score=Decimal(score)
        )
    UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y-01"], year=2025, level=level("qd366-2025", "unit", "good")
    )
    return tree


def _all_equal_the_recount(year: int) -> None:
    for org in Organization.objects.all():
        assert without_freshness(summary_read(organization=org, year=year)) == recount(org, year), org.code


def test_scores_of_a_scored_year_equal_a_direct_computation_on_both_paths(scored_2025):
    tree = scored_2025
    summaries.summaries_recompute_year(year=2025)
    _all_equal_the_recount(2025)
    bs = summary_read(organization=tree["BS"], year=2025)
    assert bs["scores"] == {
        "units": {"count": 2, "mean": 86.67, "min": 80.0, "max": 93.33},
        "members": {"count": 12, "mean": 64.69, "min": 40.0, "max": 92.5},
    }
    assert summary_read(organization=tree["BS-DONG-Y-02"], year=2025)["scores"]["units"] == {
        "count": 0,
        "mean": None,
        "min": None,
        "max": None,
    }
    # The incremental path (one cell and its ancestors, fresh siblings' stored counts) gives the same.
    rating = MemberAssessment.objects.filter(organization=tree["BS-DONG-Y-01"], score=Decimal("40")).get()
    rating.score = Decimal("10")
    rating.save()
    summaries.summaries_recompute(organization_ids=[tree["BS-DONG-Y-01"].pk], year=2025)
    for code in ("BS-DONG-Y-01", "BS-DONG-Y", "BS", "LS"):
        assert without_freshness(summary_read(organization=tree[code], year=2025)) == recount(tree[code], 2025), code
    assert summary_read(organization=tree["LS"], year=2025)["scores"]["members"]["min"] == 10.0


def test_the_json_of_a_year_without_scores_keeps_exactly_its_keys(tree):
    UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "good"), score=Decimal("80")
    )
    summaries.summaries_recompute_year(year=2017)
    data = summary_read(organization=tree["BS"], year=2017)
    assert list(data) == KEYS
    assert list(summary_read(organization=tree["BS"], year=2019)) == KEYS  # never computed: zeros, same keys
    _all_equal_the_recount(2017)


def test_a_scored_year_not_computed_yet_reads_zero_scores(tree):
    data = summary_read(organization=tree["BS"], year=2026)
    assert list(data) == [*KEYS, "scores"] and data["stale"] is True
    assert data["scores"]["members"] == {"count": 0, "mean": None, "min": None, "max": None}


def test_the_api_and_the_summary_command_give_the_scores(client, officer, scored_2025):
    summaries.summaries_recompute_year(year=2025)
    client.force_login(officer)
    api = client.get("/api/v1/organizations/BS/summary/2025/").json()
    out = StringIO()
    call_command("summary", "BS", "2025", stdout=out)
    assert json.loads(out.getvalue()) == api
    assert api["scores"]["units"]["count"] == 2
    stored = client.get("/api/v1/summaries/", {"year": 2025}).json()
    by_code = {row["organization"]: row for row in stored["results"]}
    assert by_code["BS"]["scores"] == api["scores"]
    old = client.get("/api/v1/summaries/", {"year": 2017}).json()["results"]
    assert all("scores" not in row for row in old)


@pytest.mark.parametrize("full", [True, False], ids=["full recompute", "per organization"])
def test_a_quarters_scores_are_those_of_its_own_rows(scored_2025, full):
    """Issue 15, periods: Q1 rows with other scores beside the year's; each period's `scores` counts its own rows."""
    for a in MemberAssessment.objects.filter(year=2025, period="", level__isnull=False, score__isnull=False)[:6]:
        MemberAssessment.objects.create(
            member_id=a.member_id, year=2025, period="Q1", organization_id=a.organization_id,
            level=level("qd366-2025", "member", "not_completed"), score=Decimal("30.5"),
        )  # fmt: skip
    UnitAssessment.objects.create(
        organization=scored_2025["BS-DONG-Y"], year=2025, period="Q1", level=level("qd366-2025", "unit", "good"),
        score=Decimal("75"),
    )  # fmt: skip
    for period in ("", "Q1"):
        if full:
            summaries.summaries_recompute_year(year=2025, period=period)
        else:
            ids = list(Organization.objects.values_list("pk", flat=True))
            summaries.summaries_recompute(organization_ids=ids, year=2025, with_ancestors=False, period=period)
    bs = scored_2025["BS"]
    quarter = summary_read(organization=bs, year=2025, period="Q1")
    assert without_freshness(quarter) == recount(bs, 2025, "Q1")
    assert quarter["scores"]["members"] == {"count": 6, "mean": 30.5, "min": 30.5, "max": 30.5}
    assert quarter["scores"]["units"]["count"] == 1
    assert without_freshness(summary_read(organization=bs, year=2025)) == recount(bs, 2025)
