"""The incremental recompute (one commune and its ancestors) stays exact whatever state the siblings' summaries are
in: it takes fresh siblings' stored counts and recounts only stale or missing ones."""

import pytest

from assessments.models import Kind, MemberAssessment, Organization, Summary
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from tests.factories import MemberAssessmentFactory, MemberFactory, OrganizationFactory, level
from tests.summary_reference import recount, without_freshness

YEAR = 2017


@pytest.fixture
def province(db):
    """LS > two districts > two communes each > two cells, six rated members per cell, one member recorded at a
    commune itself."""
    ls = OrganizationFactory(code="LS", name="Đảng bộ tỉnh Lạng Sơn", kind=Kind.PROVINCE, sector="")
    levels = [level("hd27-2014", "member", code) for code in ("excellent", "good", "completed", "not_completed")]
    for d in range(2):
        district = OrganizationFactory(code=f"H{d}", kind=Kind.DISTRICT, sector="", parent=ls)
        for c in range(2):
            commune = OrganizationFactory(code=f"H{d}-X{c}", kind=Kind.GRASSROOTS_COMMITTEE, parent=district)
            for k in range(2):
                cell = OrganizationFactory(code=f"H{d}-X{c}-{k}", kind=Kind.CELL, parent=commune)
                for i, member in enumerate(MemberFactory.create_batch(6, organization=cell)):
                    MemberAssessmentFactory(member=member, year=YEAR, level=levels[(i + k) % 4])
    commune = Organization.objects.get(code="H0-X0")
    MemberAssessmentFactory(member=MemberFactory(organization=Organization.objects.get(code="H0-X0-0")), year=YEAR,
                            organization=commune, level=None, not_rated_reason="exempt")  # fmt: skip
    summaries.summaries_recompute_year(year=YEAR)
    return ls


def _rerate(code: str) -> list[int]:
    """Change every rating of one commune's cells behind the summaries' back; returns the cell ids."""
    cells = list(Organization.objects.filter(parent__code=code).values_list("pk", flat=True))
    good = level("hd27-2014", "member", "good")
    MemberAssessment.objects.filter(organization_id__in=cells).update(level=good, not_rated_reason="")
    return cells


def _assert_exact(codes) -> None:
    for org in Organization.objects.filter(code__in=codes):
        assert without_freshness(summary_read(organization=org, year=YEAR)) == recount(org, YEAR), org.code


def test_incremental_recompute_of_a_commune_and_its_ancestors_equals_a_recount(province):
    cells = _rerate("H0-X0")
    summaries.summaries_recompute(organization_ids=cells, year=YEAR)
    _assert_exact(["LS", "H0", "H0-X0", "H1"])


def test_a_stale_sibling_is_recounted_not_trusted(province):
    # H1-X1 changed too and is still stale (its task has not run): the province must count its new rows.
    stale = _rerate("H1-X1")
    summaries.summaries_mark_stale(organization_ids=stale, years=[YEAR])
    cells = _rerate("H0-X0")
    summaries.summaries_recompute(organization_ids=cells, year=YEAR)
    ls = summary_read(organization=Organization.objects.get(code="LS"), year=YEAR)
    assert without_freshness(ls) == recount(Organization.objects.get(code="LS"), YEAR)
    assert summary_read(organization=Organization.objects.get(code="H1-X1"), year=YEAR)["stale"] is True


def test_a_sibling_without_a_stored_summary_is_counted_from_rows(province):
    Summary.objects.filter(organization__code__startswith="H1").delete()
    cells = _rerate("H0-X1")
    summaries.summaries_recompute(organization_ids=cells, year=YEAR)
    _assert_exact(["LS", "H0", "H0-X1"])
