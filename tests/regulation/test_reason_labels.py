"""The not-rated reasons "Vào Đảng chưa đủ N tháng" / "Thành lập chưa đủ N tháng" carry the months of the period
covering the year wherever a year is known (member list, the portal's member counts, the results report); the stored
code is the same whatever the months, and without a year the stored label stands."""

import datetime

import pytest

from assessments.cycle.rules import member_rating_counts
from assessments.models import Kind, MemberAssessment, NotRatedReason, PeriodRule, Sector, UnitAssessment
from assessments.regulation.periods import not_rated_reason_labels
from assessments.reports import build as reports
from tests.factories import MemberFactory, OrganizationFactory
from tests.regulation.helpers import member_rated

pytestmark = pytest.mark.django_db


def _months(period, rule, months):
    row = PeriodRule.objects.get(period__code=period, rule=rule)
    row.parameters = {**row.parameters, "months": months}
    row.save()


def _not_rated_recently_admitted(cell, year, name):
    member = MemberFactory(organization=cell, full_name=name, admitted_on=datetime.date(year, 10, 1))
    return MemberAssessment.objects.create(
        member=member, organization=cell, year=year, level=None, not_rated_reason=NotRatedReason.ADMITTED_RECENTLY
    )


def test_the_labels_name_the_periods_months_and_keep_the_stored_ones_without_a_year(tree):
    assert not_rated_reason_labels(2019)["admitted_recently"] == "Vào Đảng chưa đủ 6 tháng"
    _months("hd21-2019", "admitted_recently", 3)
    _months("hd21-2019", "founded_recently", 12)
    labels = not_rated_reason_labels(2019)
    assert labels["admitted_recently"] == "Vào Đảng chưa đủ 3 tháng"
    assert labels["founded_recently"] == "Thành lập chưa đủ 12 tháng"
    assert labels["exempt"] == "Miễn công tác và sinh hoạt đảng"
    assert not_rated_reason_labels(2023)["admitted_recently"] == "Vào Đảng chưa đủ 6 tháng"  # another period
    assert not_rated_reason_labels(None)["admitted_recently"] == "Vào Đảng chưa đủ 6 tháng"


def test_the_member_list_shows_the_stored_reason_with_the_periods_months(client, tree, officer):
    rating = _not_rated_recently_admitted(tree["BS-DONG-Y-01"], 2019, "Vi Văn Mười")
    _months("hd21-2019", "admitted_recently", 3)
    client.force_login(officer)
    html = client.get("/members/", {"year": 2019}).content.decode()
    row = html[html.index("Vi Văn Mười") : html.index("</tr>", html.index("Vi Văn Mười"))]
    assert "Vào Đảng chưa đủ 3 tháng" in row and "6 tháng" not in row
    rating.refresh_from_db()
    assert rating.not_rated_reason == "admitted_recently"  # the code is unchanged


def test_the_portal_counts_label_the_reason_with_the_months(tree):
    member_rated(tree["BS-DONG-Y-01"], 2019, "qd132-2018", "good")
    _not_rated_recently_admitted(tree["BS-DONG-Y-01"], 2019, "Vi Văn Mười")
    _months("hd21-2019", "admitted_recently", 4)
    labels = [row["label"] for row in member_rating_counts(organization=tree["BS-DONG-Y-01"], year=2019)["by_level"]]
    assert "Không xếp loại: Vào Đảng chưa đủ 4 tháng" in labels


def test_the_report_lists_the_reason_with_the_months(tree):
    new = OrganizationFactory(code="BS-MOI", name="Chi bộ Doanh nghiệp mới", kind=Kind.GRASSROOTS_CELL,
                              sector=Sector.ENTERPRISE, parent=tree["BS"],
                              valid_from=datetime.date(2019, 9, 1))  # fmt: skip
    UnitAssessment.objects.create(organization=new, year=2019, level=None,
                                  not_rated_reason=NotRatedReason.FOUNDED_RECENTLY)  # fmt: skip
    _not_rated_recently_admitted(new, 2019, "Vi Văn Mười")
    _months("hd21-2019", "founded_recently", 9)
    _months("hd21-2019", "admitted_recently", 3)
    report = reports.report_build(organization=tree["BS"], year=2019)
    listed = {unit.code: unit.reason_label for unit in report.not_rated_units}
    assert listed["BS-MOI"] == "Thành lập chưa đủ 9 tháng"
    assert {reason.label for reason in report.unit_reasons} >= {"Thành lập chưa đủ 9 tháng"}
    assert {reason.label for reason in report.member_reasons} >= {"Vào Đảng chưa đủ 3 tháng"}
    assert {row.code: row.reason_label for row in report.unit_annex}["BS-MOI"] == "Thành lập chưa đủ 9 tháng"


def test_the_portal_and_the_review_page_label_a_cells_reason_with_the_months(client, tree, officer,
                                                                              secretary_nhat_tien):  # fmt: skip
    from tests.cycle_factories import year_opened

    year_opened(officer=officer, tree=tree)  # 2025, under HD 43
    _months("hd43-2025", "founded_recently", 9)
    UnitAssessment.objects.create(organization=tree["BS-NHAT-TIEN-02"], year=2025, level=None,
                                  not_rated_reason=NotRatedReason.FOUNDED_RECENTLY)  # fmt: skip
    client.force_login(secretary_nhat_tien)
    page = client.get("/portal/BS-NHAT-TIEN/2025/").content.decode()
    assert "Không xếp loại: Thành lập chưa đủ 9 tháng" in page and "Thành lập chưa đủ 6 tháng" not in page
    client.force_login(officer)
    page = client.get("/review/BS-NHAT-TIEN/2025/").content.decode()
    cells = page[page.index('id="cells"') : page.index("</table>", page.index('id="cells"'))]
    assert "Thành lập chưa đủ 9 tháng" in cells
