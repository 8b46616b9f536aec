"""Quarter results on the pages (issue 15): the dashboard's period choice, the member and unit lists filtered by
period within their query budgets, and the unit page's quarters beside the yearly level."""

import pytest

from assessments.models import MemberAssessment, UnitAssessment
from assessments.summaries.recompute import summaries_recompute_year
from tests.factories import MemberFactory, level
from tests.pages import test_dashboard
from tests.pages.test_dashboard import page, rate_unit

pytestmark = pytest.mark.django_db
district_2017 = test_dashboard.district_2017  # the fixture: BS with Đồng Ý and Nhất Tiến rated for 2017


def _quarter(unit, code: str, period: str = "Q1") -> UnitAssessment:
    return UnitAssessment.objects.create(
        organization=unit, year=2017, period=period, level=level("hd27-2014", "unit", code)
    )


def test_the_dashboard_shows_the_chosen_quarters_counts_and_the_year_by_default(
    client, officer, district_2017, django_assert_max_num_queries
):
    for code in ("BS-DONG-Y", "BS-NHAT-TIEN"):
        _quarter(district_2017[code], "weak")
    summaries_recompute_year(year=2017)
    summaries_recompute_year(year=2017, period="Q1")
    client.force_login(officer)
    year = client.get("/", {"year": 2017}).context
    # 16 for the quarter's dashboard, +1: the count of unread notices in the navigation bar (issue 18).
    with django_assert_max_num_queries(17):
        quarter = client.get("/", {"year": 2017, "period": "Q1"}).context
    weak = {lv.code: lv.count for lv in quarter["headline"].unit_levels}["weak"]
    assert weak == 2 and quarter["period"] == "Q1"
    assert {lv.code: lv.count for lv in year["headline"].unit_levels}["weak"] != 2 and year["period"] == ""
    html = page(client, "/", year=2017, period="q1")
    assert '<option value="Q1" selected>Quý I</option>' in html and "năm 2017 · Quý I" in html
    assert "period=Q1" in html  # the counts link to the quarter's lists
    assert client.get("/", {"year": 2017, "period": "Q9"}).context["period"] == ""  # an unknown period: the year


def test_the_member_list_filters_by_quarter_within_its_query_budget(
    client, officer, tree, django_assert_max_num_queries
):
    good, weak = level("hd27-2014", "member", "good"), level("hd27-2014", "member", "not_completed")
    for i in range(30):
        member = MemberFactory(organization=tree["BS-NHAT-TIEN-02"])
        MemberAssessment.objects.create(member=member, organization=member.organization, year=2017, level=good)
        if i < 12:
            MemberAssessment.objects.create(
                member=member, organization=member.organization, year=2017, period="Q2", level=weak
            )
    client.force_login(officer)
    # 10 for the list, +1: the count of unread notices in the navigation bar (issue 18).
    with django_assert_max_num_queries(11):
        response = client.get("/members/", {"year": 2017, "period": "Q2", "level": "not_completed"})
    assert len(response.context["page"].object_list) == 12
    assert "Xếp loại Quý II/2017" in response.content.decode()
    yearly = client.get("/members/", {"year": 2017, "level": "not_completed"})
    assert len(yearly.context["page"].object_list) == 0  # the quarter's level is not the year's


def test_the_unit_list_filters_by_quarter(client, officer, district_2017):
    _quarter(district_2017["BS-DONG-Y"], "weak", "Q3")
    client.force_login(officer)
    response = client.get("/units/", {"year": 2017, "parent": "BS", "period": "Q3", "level": "weak"})
    assert [u["code"] for u in response.context["units"]] == ["BS-DONG-Y"]
    assert "Quý III" in response.content.decode()


def test_the_unit_page_shows_the_years_quarters_beside_its_yearly_level(client, officer, tree):
    rate_unit(tree["BS-DONG-Y"], 2017, "clean_strong")
    _quarter(tree["BS-DONG-Y"], "good", "Q2")
    _quarter(tree["BS-DONG-Y"], "completed", "Q1")
    UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y"], year=2018, period="Q1", level=level("qd132-2018", "unit", "good")
    )
    client.force_login(officer)
    response = client.get("/units/BS-DONG-Y/")
    rows = response.context["ratings"]
    assert [(r.year, r.pk is not None, [q.period for q in r.quarters]) for r in rows] == [
        (2018, False, ["Q1"]),  # quarters only so far: the year is not rated yet
        (2017, True, ["Q1", "Q2"]),
    ]
    html = response.content.decode()
    assert "Quý I: Hoàn thành nhiệm vụ" in html and "Quý II: Hoàn thành tốt nhiệm vụ" in html


def test_the_member_lists_export_of_a_quarter_names_it(client, officer, tree):
    member = MemberFactory(organization=tree["BS-DONG-Y-01"])
    MemberAssessment.objects.create(
        member=member,
        organization=member.organization,
        year=2017,
        period="Q4",
        level=level("hd27-2014", "member", "good"),
    )
    client.force_login(officer)
    response = client.get("/members/", {"year": 2017, "period": "Q4", "format": "csv"})
    assert "dang-vien-2017-q4" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "Xếp loại Quý IV/2017" in text.splitlines()[0] and "Hoàn thành tốt nhiệm vụ" in text
