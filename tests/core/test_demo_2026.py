"""The demo's 2026 quarters (issue 15): Q1–Q3 scored results beside a year not rated yet, every level from its score,
their own summaries, and the 2025 yearly figures untouched."""

import pytest

from assessments import demo
from assessments.models import MemberAssessment, Organization, UnitAssessment
from assessments.rules.scores import score_allowed_level, scored_levels
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from tests.summary_reference import recount, without_freshness

pytestmark = pytest.mark.django_db


def test_the_demo_has_2026_quarters_scored_beside_the_2025_year():
    demo.demo_load()
    summaries.summaries_reconcile()  # as the beat does (with a broker the queued tasks wait for a worker)
    units_2025 = UnitAssessment.objects.for_year(2025).filter(organization__path__startswith="LS/LS-")
    for period in ("Q1", "Q2", "Q3"):
        quarter = UnitAssessment.objects.for_year(2026, period)
        assert quarter.count() == units_2025.count() > 6, period
        assert MemberAssessment.objects.for_year(2026, period).count() > 100, period
    assert not UnitAssessment.objects.filter(year=2026, period__in=["", "Q4"]).exists()
    assert not UnitAssessment.objects.filter(year=2026, exemplary=True).exists()
    rating = UnitAssessment.objects.for_year(2026, "Q2").select_related("level__scheme").first()
    levels = scored_levels(rating.level.scheme, "unit")
    assert rating.level == score_allowed_level(levels, rating)  # the level its score and tasks allow

    ls, commune = Organization.objects.get(code="LS"), Organization.objects.get(code="LS-BAC-SON")
    for org in (ls, commune):
        q1 = summary_read(organization=org, year=2026, period="Q1")
        assert not q1["stale"] and without_freshness(q1) == recount(org, 2026, "Q1"), org.code
        assert q1["scores"]["members"]["count"] > 0
    year_2025 = summary_read(organization=ls, year=2025)
    assert without_freshness(year_2025) == recount(ls, 2025) and "period" not in year_2025
    # Loading again leaves the quarters as they were.
    before = list(MemberAssessment.objects.filter(year=2026).order_by("pk").values_list("pk", "level_id", "score"))
    demo.demo_load()
    assert (
        list(MemberAssessment.objects.filter(year=2026).order_by("pk").values_list("pk", "level_id", "score")) == before
    )
