"""Issue 17: the summary's members block also says how many are not assessed (exempt, suspended), not yet rated,
and on the rolls on 31 December with no rating row at all; the full recompute (the SQL one on PostgreSQL), the
incremental one and the naive recount agree."""

import datetime

from assessments.models import Membership, NotRatedReason, Organization
from assessments.selectors import summary_read
from assessments.summaries import recompute as summaries
from tests.factories import MemberAssessmentFactory, MemberFactory, level
from tests.summary_reference import recount, without_freshness


def _on_rolls(cell, start=datetime.date(2010, 1, 1), end=None):
    member = MemberFactory(organization=cell)
    Membership.objects.create(member=member, organization=cell, start=start, end=end)
    return member


def _split(org):
    members = summary_read(organization=org, year=2017)["members"]
    return members["total"], members["not_assessed"], members["not_yet_rated"], members["no_result"]


def test_both_recomputes_count_the_split_like_the_recount(tree):
    cell, other = tree["BS-DONG-Y-01"], tree["BS-NHAT-TIEN-02"]
    MemberAssessmentFactory(
        member=_on_rolls(cell), organization=cell, year=2017, level=level("hd27-2014", "member", "good")
    )
    for reason in (NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED, NotRatedReason.ADMITTED_RECENTLY):
        MemberAssessmentFactory(
            member=_on_rolls(cell), organization=cell, year=2017, level=None, not_rated_reason=reason
        )
    _on_rolls(cell)  # no row: no result yet
    _on_rolls(other)
    _on_rolls(other, end=datetime.date(2017, 3, 1))  # left before 31 December
    _on_rolls(other, start=datetime.date(2018, 1, 5))  # admitted after

    summaries.summaries_recompute_year(year=2017)
    assert _split(tree["BS"]) == (4, 2, 1, 2)
    assert _split(cell) == (4, 2, 1, 1) and _split(other) == (0, 0, 0, 1)
    full = {
        org.code: without_freshness(summary_read(organization=org, year=2017)) for org in Organization.objects.all()
    }
    for org in Organization.objects.all():
        if org.exists_in(2017):
            assert full[org.code] == recount(org, 2017), org.code

    # A new member with no row in Nhất Tiến: the incremental recompute of that cell and its ancestors agrees too.
    _on_rolls(tree["BS-NHAT-TIEN-01"])
    summaries.summaries_recompute(organization_ids=[tree["BS-NHAT-TIEN-01"].pk], year=2017)
    assert _split(tree["BS"]) == (4, 2, 1, 3)
    for code in ("BS-NHAT-TIEN-01", "BS-NHAT-TIEN", "BS", "LS"):
        assert without_freshness(summary_read(organization=tree[code], year=2017)) == recount(tree[code], 2017), code
