"""The yearly results report: its numbers agree with the stored summaries, state their denominators, and compare
years across a change of rating scheme."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import selectors
from assessments.models import Kind, NotRatedReason, Organization, Sector, UnitAssessment
from assessments.reports import build as reports
from assessments.reports import renderers as report_renderers
from assessments.summaries import recompute as summaries
from tests.conftest import demo_rolled_back
from tests.factories import MemberAssessmentFactory, MemberFactory, OrganizationFactory, UnitAssessmentFactory, level

# The module's data is loaded once by a module fixture; marking the tests makes pytest-django create the test
# database even when this file runs alone.
pytestmark = pytest.mark.django_db

YEARS = (2016, 2017, 2018)


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    """The demo district's reports and summaries, computed once in a transaction that is rolled back."""
    out = {"reports": {}, "summaries": {}, "queries": {}}
    with demo_rolled_back(django_db_blocker) as bs:
        for year in YEARS:
            summaries.summaries_recompute_year(year=year)
        for year in YEARS:
            with CaptureQueriesContext(connection) as queries:
                out["reports"][year] = reports.report_build(organization=bs, year=year)
            out["queries"][year] = len(queries)
            out["summaries"][year] = selectors.summary_read(organization=bs, year=year)
        out["direct_units"] = {y: Organization.objects.for_year(y).filter(parent=bs).count() for y in YEARS}
        out["cells_2017"] = Organization.objects.for_year(2017).filter(kind=Kind.CELL, path__startswith=bs.path).count()
        out["dong_y_2017"] = reports.report_build(organization=Organization.objects.get(code="BS-DONG-Y"), year=2017)
        out["xlsx_2018"] = report_renderers.report_xlsx(out["reports"][2018])
        out["pdf_2017"] = report_renderers.report_pdf(out["reports"][2017], number="15")
        out["html_2018"] = report_renderers.report_html(out["reports"][2018])
    return out


@pytest.mark.parametrize("year", YEARS)
def test_report_units_match_the_stored_summary(demo_district, year):
    report, summary = demo_district["reports"][year], demo_district["summaries"][year]
    units = report.units_total
    assert summary["stale"] is False
    assert (units.total, units.rated, units.not_rated, units.exemplary) == (
        summary["units"]["total"],
        summary["units"]["rated"],
        summary["units"]["not_rated"],
        summary["units"]["exemplary"],
    )
    assert {c.level.code: c.count for c in units.cells} == summary["units"]["by_level"]


@pytest.mark.parametrize("year", YEARS)
def test_report_members_match_the_stored_summary(demo_district, year):
    report, summary = demo_district["reports"][year], demo_district["summaries"][year]
    members = report.members_total
    assert (members.total - members.no_result, members.rated, members.good_or_better.count) == (
        summary["members"]["total"],
        summary["members"]["rated"],
        summary["members"]["good_or_better"],
    )
    assert {c.level.code: c.count for c in members.cells} == summary["members"]["by_level"]
    assert sum(r.count for r in report.member_reasons) == summary["members"]["not_rated"] + members.no_result
    # The split of issue 17: the summary's `total` is the rating rows, `no_result` the rolls without one.
    assert (members.not_assessed, members.not_yet_rated, members.no_result) == (
        summary["members"]["not_assessed"],
        summary["members"]["not_yet_rated"],
        summary["members"]["no_result"],
    )


def test_2017_has_33_of_55_units_clean_and_strong_over_all_units(demo_district):
    report = demo_district["reports"][2017]
    assert report.top_unit_level.code == "clean_strong"
    assert report.units_total.top == reports.Share(33, 55)
    assert report.units_total.top.percent == 60.0
    clean = report.units_total.cells[0]
    assert (clean.level.code, clean.count, clean.of_total.denominator, clean.of_rated.denominator) == (
        "clean_strong",
        33,
        55,
        55,
    )


def test_2017_has_85_percent_of_rated_members_good_or_better(demo_district):
    members = demo_district["reports"][2017].members_total
    assert members.good_or_better.denominator == members.rated
    assert members.good_or_better.percent == 85.0
    # The other denominator would give another figure: the report must not mix them.
    assert round(100 * members.good_or_better.count / members.total, 1) != 85.0


def test_rows_by_kind_and_by_sector_each_add_up_to_the_total(demo_district):
    report = demo_district["reports"][2017]
    for rows in (report.units_by_kind, report.units_by_sector):
        assert sum(r.total for r in rows) == 55
        assert sum(r.by_level["clean_strong"] for r in rows) == 33
    kinds = {r.key: r.total for r in report.units_by_kind}
    assert kinds == {"kind:grassroots_committee": 23, "kind:grassroots_cell": 32}
    sectors = {r.key: r.total for r in report.units_by_sector}
    assert sectors["sector:commune"] == 19 and sectors["sector:town"] == 1
    assert sum(r.total for r in report.members_by_sector) == report.members_total.total


def test_cells_under_grassroots_committees_have_their_own_table(demo_district):
    report = demo_district["reports"][2017]
    assert report.cells_total.total == demo_district["cells_2017"] > 100
    assert report.cells_total.rated == report.cells_total.total
    assert sum(r.total for r in report.cells_by_sector) == report.cells_total.total
    # None of them is among the 55 directly subordinate units.
    assert report.units_total.total == 55


def test_excellent_is_given_as_a_share_of_good(demo_district):
    members = demo_district["reports"][2017].members_total
    by_code = {c.level.code: c.count for c in members.cells}
    assert members.excellent_of_good == reports.Share(by_code["excellent"], by_code["good"])
    assert members.excellent_of_good.percent == round(100 * by_code["excellent"] / by_code["good"], 1)


def test_members_not_rated_are_counted_by_reason(demo_district):
    members = demo_district["reports"][2017].members_total
    reasons = {r.code: r.count for r in demo_district["reports"][2017].member_reasons}
    assert set(reasons) <= {c.value for c in NotRatedReason}
    assert members.exempt == reasons[NotRatedReason.EXEMPT]
    assert members.not_rated_other == sum(n for code, n in reasons.items() if code != NotRatedReason.EXEMPT)


def test_comparison_2017_to_2018_names_the_levels_across_the_scheme_change(demo_district):
    comparison = demo_district["reports"][2018].comparison
    assert comparison.previous_year == 2017
    assert comparison.schemes_differ
    assert (comparison.previous_scheme.code, comparison.current_scheme.code) == ("hd27-2014", "qd132-2018")
    # The note names the schemes as people cite them, without their codes in brackets ("(hd27-2014)").
    assert "theo Quy định 132-QĐ/TW" in comparison.note and "hd27-2014" not in comparison.note
    top = next(line for line in comparison.lines if line.subject == "unit" and line.measure == "top")
    assert [lv.code for lv in top.previous_levels] == ["clean_strong"]
    assert [lv.code for lv in top.current_levels] == ["excellent"]
    assert top.previous == reports.Share(33, 55)
    assert top.current == reports.Share(7, 55)
    # Issue 17: two schemes' top levels are never subtracted (the report used to print "−47,3" points).
    assert not top.comparable and top.difference_points is None
    assert top.difference_text == "không so sánh (khác quy định)"
    good = next(line for line in comparison.lines if line.subject == "unit" and line.measure == "good_or_better")
    assert good.comparable and good.difference_points is not None
    assert "Trong sạch, vững mạnh" in comparison.note and "Hoàn thành xuất sắc nhiệm vụ" in comparison.note
    assert "khác nhau" in comparison.note


def test_comparison_within_one_scheme_says_the_levels_are_the_same(demo_district):
    comparison = demo_district["reports"][2017].comparison
    assert not comparison.schemes_differ
    members = next(line for line in comparison.lines if line.subject == "member" and line.measure == "good_or_better")
    assert members.current.percent == 85.0
    assert members.difference_points == round(members.current.percent - members.previous.percent, 1)


def test_first_year_has_no_comparison(demo_district):
    assert demo_district["reports"][2016].comparison is None


def test_trend_gives_top_and_good_or_better_for_each_year(demo_district):
    trend = demo_district["reports"][2018].trend
    assert [p.year for p in trend] == [2016, 2017, 2018]
    assert [p.scheme_code for p in trend] == ["hd27-2014", "hd27-2014", "qd132-2018"]
    assert trend[1].units_top == reports.Share(33, 55)
    assert trend[1].members_good_or_better.percent == 85.0


def test_weak_units_are_listed_by_name(demo_district):
    weak_2017 = demo_district["reports"][2017].weak_units
    assert [u.code for u in weak_2017] == ["BS-HUU-VINH"]
    assert weak_2017[0].level_label == "Yếu kém"
    assert demo_district["reports"][2018].weak_level.code == "not_completed"


def test_report_takes_a_fixed_number_of_queries(demo_district, tree):
    """55 units and thousands of members cost the same queries as the small fixture tree."""
    with CaptureQueriesContext(connection) as small:
        reports.report_build(organization=tree["BS"], year=2017)
    assert demo_district["queries"][2017] == len(small)
    # 16, the annex's units (issue 17), the period's months for the reasons' labels (issue 14), the stored summary's
    # collectives and leaders (issue 16).
    assert len(small) <= 19


def test_commune_report_counts_its_cells_as_its_units(demo_district):
    report = demo_district["dong_y_2017"]
    assert report.units_by_kind and all(r.key == "kind:cell" for r in report.units_by_kind)
    assert report.cells_total.total == 0  # its cells are its direct units, not a second table
    assert report.members_total.total > 0


# --- small trees: not rated reasons, the tree as it stood, errors ---------------------------------------------------


def _rate(org, year, code=None, reason="", exemplary=False):
    scheme = "hd27-2014" if year <= 2017 else "qd132-2018"
    return UnitAssessmentFactory(
        organization=org,
        year=year,
        level=level(scheme, "unit", code) if code else None,
        not_rated_reason=reason,
        exemplary=exemplary,
    )


def test_units_not_rated_are_counted_and_listed_with_their_reason(tree):
    bs = tree["BS"]
    new = OrganizationFactory(
        code="BS-MOI",
        name="Chi bộ Doanh nghiệp mới",
        kind=Kind.GRASSROOTS_CELL,
        sector=Sector.ENTERPRISE,
        parent=bs,
        valid_from=datetime.date(2017, 9, 1),
    )
    _rate(tree["BS-DONG-Y"], 2017, "clean_strong", exemplary=True)
    _rate(new, 2017, reason=NotRatedReason.FOUNDED_RECENTLY)
    # Nhất Tiến has no assessment row at all; BS-CU was dissolved in 2016 and does not count.
    report = reports.report_build(organization=bs, year=2017)
    units = report.units_total
    assert (units.total, units.rated, units.not_rated, units.exemplary) == (3, 1, 2, 1)
    assert {r.code: r.count for r in report.unit_reasons} == {
        reports.NO_RECORD: 1,
        NotRatedReason.FOUNDED_RECENTLY: 1,
    }
    listed = {u.code: u.reason_label for u in report.not_rated_units}
    assert listed["BS-MOI"] == "Thành lập chưa đủ 6 tháng"
    assert listed["BS-NHAT-TIEN"] == "Chưa có kết quả xếp loại"
    clean = units.cells[0]
    assert clean.of_total == reports.Share(1, 3) and clean.of_rated == reports.Share(1, 1)
    # The cells of the two communes are in their own table: four of them, none rated.
    assert {u.code for u in report.not_rated_units} >= {"BS-DONG-Y-01", "BS-NHAT-TIEN-02"}
    assert (report.cells_total.total, report.cells_total.rated) == (4, 0)


def test_member_rated_in_a_cell_counts_under_the_cells_sector(tree):
    member = MemberFactory(organization=tree["BS-DONG-Y-01"])
    MemberAssessmentFactory(member=member, year=2017, level=level("hd27-2014", "member", "excellent"))
    other = MemberFactory(organization=tree["BS-NHAT-TIEN-01"])
    MemberAssessmentFactory(member=other, year=2017, level=None, not_rated_reason=NotRatedReason.SUSPENDED)
    report = reports.report_build(organization=tree["BS"], year=2017)
    members = report.members_total
    assert (members.total, members.rated, members.exempt, members.not_rated_other) == (2, 1, 0, 1)
    assert [r.key for r in report.members_by_sector] == ["sector:commune"]
    assert members.good_or_better == reports.Share(1, 1)


def test_report_of_a_year_without_a_scheme_is_refused(tree):
    with pytest.raises(reports.ReportError, match="chưa có quy định"):
        reports.report_build(organization=tree["BS"], year=2010)


def test_report_of_a_dissolved_unit_is_refused(tree):
    with pytest.raises(reports.ReportError, match="không tồn tại"):
        reports.report_build(organization=tree["BS-CU"], year=2017)


def test_a_rating_changed_after_the_report_changes_the_next_report(tree):
    _rate(tree["BS-DONG-Y"], 2017, "weak")
    assert [u.code for u in reports.report_build(organization=tree["BS"], year=2017).weak_units] == ["BS-DONG-Y"]
    UnitAssessment.objects.filter(organization=tree["BS-DONG-Y"]).update(level=level("hd27-2014", "unit", "good"))
    assert reports.report_build(organization=tree["BS"], year=2017).weak_units == []


@pytest.mark.parametrize("year", YEARS)
def test_annex_has_one_row_per_directly_subordinate_unit_of_the_year(demo_district, year):
    report = demo_district["reports"][year]
    assert len(report.unit_annex) == demo_district["direct_units"][year]
    assert len({row.code for row in report.unit_annex}) == len(report.unit_annex)
    # The annex's members add up to the report's, but for members recorded at the district itself.
    assert sum(row.members.rated for row in report.unit_annex) <= report.members_total.rated
    assert sum(1 for row in report.unit_annex if row.level_label) == report.units_total.rated


def test_xlsx_annex_sheet_has_a_line_per_unit(demo_district):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(demo_district["xlsx_2018"]))
    ws = workbook["Phụ lục đơn vị"]
    numbers = [ws.cell(r, 1).value for r in range(6, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)]
    assert numbers == list(range(1, len(demo_district["reports"][2018].unit_annex) + 1))
