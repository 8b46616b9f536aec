"""Member totals of the results report come from the rolls on 31 December: a member with no rating row is still
counted ("no result yet"), and the rest is split into rated, not assessed (exempt, suspended) and not yet rated."""

import datetime

from django.utils import translation

from assessments.models import MemberAssessment, Membership, NotRatedReason
from assessments.reports import build as reports
from assessments.reports import renderers as report_renderers
from tests.factories import MemberAssessmentFactory, MemberFactory, UnitAssessmentFactory, level

DEC_31 = datetime.date(2017, 12, 31)


def _on_rolls(cell, *, start=datetime.date(2010, 1, 1), end=None):
    member = MemberFactory(organization=cell)
    Membership.objects.create(member=member, organization=cell, start=start, end=end)
    return member


def _direct_count(organization, year):
    """Members on the rolls on 31 December of the subtree, plus those with a row there: plain loops."""
    day = datetime.date(year, 12, 31)
    on_rolls = {
        m.member_id
        for m in Membership.objects.select_related("organization")
        if m.organization.path.startswith(organization.path) and m.start <= day and (m.end is None or m.end >= day)
    }
    rows = {
        a.member_id: a
        for a in MemberAssessment.objects.filter(year=year).select_related("organization")
        if a.organization.path.startswith(organization.path)
    }
    # A member on the rolls here but rated elsewhere that year is counted where the row is.
    rated_elsewhere = set(MemberAssessment.objects.filter(year=year).values_list("member_id", flat=True)) - set(rows)
    on_rolls -= rated_elsewhere
    split = {"rated": 0, "not_assessed": 0, "not_yet_rated": 0, "no_result": 0}
    for member_id in on_rolls | set(rows):
        row = rows.get(member_id)
        if row is None:
            split["no_result"] += 1
        elif row.level_id is not None:
            split["rated"] += 1
        elif row.not_rated_reason in (NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED):
            split["not_assessed"] += 1
        else:
            split["not_yet_rated"] += 1
    return len(on_rolls | set(rows)), split


def test_member_totals_equal_a_direct_count_of_the_rolls(tree):
    cell, other = tree["BS-DONG-Y-01"], tree["BS-NHAT-TIEN-02"]
    good = level("hd27-2014", "member", "good")
    for _ in range(3):
        MemberAssessmentFactory(member=_on_rolls(cell), organization=cell, year=2017, level=good)
    MemberAssessmentFactory(
        member=_on_rolls(cell), organization=cell, year=2017, level=None, not_rated_reason=NotRatedReason.EXEMPT
    )
    MemberAssessmentFactory(
        member=_on_rolls(other), organization=other, year=2017, level=None, not_rated_reason=NotRatedReason.SUSPENDED
    )
    MemberAssessmentFactory(
        member=_on_rolls(other, start=datetime.date(2017, 9, 1)),
        organization=other,
        year=2017,
        level=None,
        not_rated_reason=NotRatedReason.ADMITTED_RECENTLY,
    )
    _on_rolls(cell)  # on the rolls, no row: "no result yet"
    _on_rolls(other)
    _on_rolls(cell, end=datetime.date(2017, 6, 30))  # left before 31 December: not counted
    _on_rolls(cell, start=datetime.date(2018, 2, 1))  # admitted after: not counted

    members = reports.report_build(organization=tree["BS"], year=2017).members_total
    total, split = _direct_count(tree["BS"], 2017)
    assert total == members.total == 8
    assert split == {
        "rated": members.rated,
        "not_assessed": members.not_assessed,
        "not_yet_rated": members.not_yet_rated,
        "no_result": members.no_result,
    }
    assert (members.rated, members.not_assessed, members.not_yet_rated, members.no_result) == (3, 2, 1, 2)
    # Shares of levels are of rated members, and the text says so.
    assert members.good_or_better == reports.Share(3, 3)
    assert members.rated_of_total == reports.Share(3, 8)


def test_the_hd27_years_say_phan_loai(tree):
    cell = tree["BS-DONG-Y-01"]
    MemberAssessmentFactory(
        member=_on_rolls(cell), organization=cell, year=2017, level=level("hd27-2014", "member", "good")
    )
    MemberAssessmentFactory(
        member=_on_rolls(cell), organization=cell, year=2018, level=level("qd132-2018", "member", "good")
    )
    with translation.override("vi"):
        html_2017 = report_renderers.report_html(reports.report_build(organization=tree["BS"], year=2017))
        html_2018 = report_renderers.report_html(reports.report_build(organization=tree["BS"], year=2018))
    assert "được đánh giá, phân loại: 1" in html_2017 and "được đánh giá, xếp loại" not in html_2017
    # In 2018 the first member has no row: still on the rolls, "no result yet".
    assert "Tổng số đảng viên trong danh sách ngày 31 tháng 12: 2; được đánh giá, xếp loại: 1" in html_2018
    assert "Tổng số đảng viên trong danh sách ngày 31 tháng 12: 2;" in html_2017


# --- across a scheme change ---------------------------------------------------------------------------------------


def test_trend_breaks_the_top_level_lines_at_a_scheme_change_and_keeps_good_or_better(tree):
    import re

    from assessments.reports import charts

    cell = tree["BS-DONG-Y-01"]
    for year, scheme, unit_code in ((2016, "hd27-2014", "clean_strong"), (2017, "hd27-2014", "clean_strong"),
                                    (2018, "qd132-2018", "good"), (2019, "qd132-2018", "excellent")):  # fmt: skip
        UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=year, level=level(scheme, "unit", unit_code))
        member = _on_rolls(cell)
        MemberAssessmentFactory(member=member, organization=cell, year=year, level=level(scheme, "member", "good"))
    with translation.override("en"):
        report = reports.report_build(organization=tree["BS"], year=2019)
        svg = str(charts.svg_trend(report))
        data = charts.chart_data(report)
        note = report.trend_note
        html = report_renderers.report_html(reports.report_build(organization=tree["BS"], year=2018))
    lines = {color: len(re.findall(f'<polyline [^>]*stroke="{color}"', svg)) for color in charts.PALETTE[:4]}
    # Units' and members' top levels: one line per scheme (2016–17, 2018–19); good or better: one line.
    assert lines == {charts.PALETTE[0]: 2, charts.PALETTE[1]: 1, charts.PALETTE[2]: 2, charts.PALETTE[3]: 1}
    flags = [series.get("breaks_at_scheme_change", False) for series in data["trend"]["series"]]
    assert flags == [True, False, True, False]
    assert note and data["trend"]["break_note"] == note
    # The 2018 comparison never subtracts the two top levels, and an English report names levels in English.
    comparison = html.split('class="table table-sm table-bordered align-middle report-table comparison"')[1]
    comparison = comparison.split("</table>")[0]
    assert "Clean and strong" in comparison and "Trong sạch" not in comparison
    top_row = next(row for row in comparison.split("</tr>") if "Clean and strong" in row)
    assert "−" not in top_row and "+" not in top_row  # no difference is printed, only why


# --- the annex: one row per directly subordinate unit ------------------------------------------------------------


def test_annex_has_one_row_per_unit_of_the_year_with_its_members(tree):
    from assessments.models import Organization

    cell = tree["BS-DONG-Y-01"]
    UnitAssessmentFactory(
        organization=tree["BS-DONG-Y"],
        year=2017,
        level=level("hd27-2014", "unit", "clean_strong"),
        self_level=level("hd27-2014", "unit", "clean_strong"),
        exemplary=True,
    )
    for code in ("excellent", "good", "good"):
        MemberAssessmentFactory(
            member=_on_rolls(cell), organization=cell, year=2017, level=level("hd27-2014", "member", code)
        )
    _on_rolls(tree["BS-NHAT-TIEN-01"])
    with translation.override("vi"):
        report = reports.report_build(organization=tree["BS"], year=2017)
        html = report_renderers.report_html(report)
    units = [o for o in Organization.objects.filter(parent=tree["BS"]) if o.exists_in(2017)]
    assert len(report.unit_annex) == len(units) == 2  # the unit dissolved in 2016 is not a row
    dong_y, nhat_tien = report.unit_annex
    assert (dong_y.name, dong_y.level_label, dong_y.self_level_label, dong_y.exemplary) == (
        "Đảng bộ xã Đồng Ý", "Trong sạch, vững mạnh", "Trong sạch, vững mạnh", True,
    )  # fmt: skip
    assert (dong_y.members.total, dong_y.members.rated, dong_y.member_counts) == (3, 3, [1, 2, 0, 0])
    assert (nhat_tien.level_label, nhat_tien.reason_label) == ("", "Chưa có kết quả xếp loại")
    assert (nhat_tien.members.total, nhat_tien.members.no_result) == (1, 1)
    assert html.count('<th scope="row">Đảng bộ xã') >= 2 and "Bảng 6." in html


def test_units_exemplary_five_years_running(tree):
    from assessments.reports.lists import result_lists

    for year in range(2014, 2019):
        scheme = "hd27-2014" if year <= 2017 else "qd132-2018"
        top = "clean_strong" if year <= 2017 else "excellent"
        UnitAssessmentFactory(
            organization=tree["BS-DONG-Y"], year=year, level=level(scheme, "unit", top), exemplary=True
        )
        # Nhất Tiến missed 2016: exemplary this year, not five years running.
        UnitAssessmentFactory(
            organization=tree["BS-NHAT-TIEN"], year=year, level=level(scheme, "unit", top), exemplary=year != 2016
        )
    lists = result_lists(organization=tree["BS"], year=2018)
    assert [u.code for u in lists.exemplary] == ["BS-DONG-Y", "BS-NHAT-TIEN"]
    assert [u.code for u in lists.exemplary_running] == ["BS-DONG-Y"]
    assert result_lists(organization=tree["BS"], year=2017).exemplary_running == []  # four years by 2017


def test_decision_pages_answer_in_scope_only(client, tree, officer):
    UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "clean_strong"))
    client.force_login(officer)
    html = client.get(f"/reports/{tree['BS'].code}/2017/decision/")
    assert html.status_code == 200 and "QUYẾT ĐỊNH" in html.content.decode()
    # Its stylesheets are linked: an inline <style> is blocked by the CSP (style-src 'self') and the page showed bare.
    assert "<style" not in html.content.decode() and "css/party-document.css" in html.content.decode()
    pdf = client.get(f"/reports/{tree['BS'].code}/2017/decision/pdf/")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    page = client.get(f"/reports/{tree['BS'].code}/2017/").content.decode()
    assert 'id="result-lists"' in page and 'id="decision-pdf"' in page


# --- number, date, signer and recipients set in the browser -------------------------------------------------------


def test_officer_sets_the_decision_header_kept_with_its_version_and_shown_on_later_downloads(
    client, tree, officer, settings, tmp_path
):
    import hashlib

    settings.MEDIA_ROOT = tmp_path

    from assessments.models import IssuedDocument

    UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "clean_strong"))
    client.force_login(officer)
    url = f"/reports/{tree['BS'].code}/2017/issue/"
    form = {
        "kind": "decision",
        "number": "42",
        "issued_on": "2018-01-12",
        "signer_post": "Phó Bí thư",
        "signer_name": "Nguyễn Hữu Bình",
        "recipients": "Ban Tổ chức Tỉnh ủy (b/c),\nCác tổ chức đảng trực thuộc,",
    }
    assert client.post(url, form).status_code == 302
    assert client.post(url, form | {"number": "43"}).status_code == 302
    latest = IssuedDocument.objects.get(organization=tree["BS"], year=2017, kind="decision", version=2)
    assert (latest.number, latest.created_by, len(latest.checksum)) == ("43", officer, 64)
    html = client.get(f"/reports/{tree['BS'].code}/2017/decision/").content.decode()
    assert "Số 43-QĐ/HU" in html and "ngày 12 tháng 01 năm 2018" in html and "NGUYỄN HỮU BÌNH" not in html
    assert "Nguyễn Hữu Bình" in html and "PHÓ BÍ THƯ" in html and "Các tổ chức đảng trực thuộc," in html
    # The checksum is the PDF's made with that header (the same bytes as a download made with it).
    pdf = client.get(f"/reports/{tree['BS'].code}/2017/decision/pdf/").content
    assert pdf[:5] == b"%PDF-" and len(latest.checksum) == len(hashlib.sha256(pdf).hexdigest())
    page = client.get(f"/reports/{tree['BS'].code}/2017/").content.decode()
    assert 'id="issued-versions"' in page and latest.checksum[:14] in page
    assert client.post(url, form | {"number": "=1+1"}).status_code == 400  # only digits and letters


def test_a_leader_may_not_set_a_document_header_and_an_outsider_gets_404(client, tree, leader, secretary_dong_y):
    client.force_login(leader)
    url = f"/reports/{tree['BS'].code}/2017/issue/"
    form = {"kind": "report", "number": "1", "issued_on": "2018-01-12"}
    assert client.post(url, form).status_code == 403
    client.force_login(secretary_dong_y)  # the district is above his scope
    assert client.post(url, form).status_code == 404
