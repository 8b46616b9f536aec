"""The dashboard: headline figures from the stored summary, the tables and lists behind them, scope and query counts."""

import ast
import datetime
import json
import pathlib
import re

import pytest
from django.test import override_settings

from assessments import hooks
from assessments.models import Kind, MemberAssessment, RatingScheme, Sector, Subject, UnitAssessment
from assessments.summaries.recompute import summaries_mark_stale, summaries_recompute_year
from tests.factories import MemberFactory, OrganizationFactory, level

pytestmark = pytest.mark.django_db
ROOT = pathlib.Path(__file__).resolve().parents[2]


def rate_unit(unit, year, code, **extra):
    scheme = "hd27-2014" if year <= 2017 else "qd132-2018"
    return UnitAssessment.objects.create(organization=unit, year=year, level=level(scheme, Subject.UNIT, code), **extra)


def rate_members(cell, year, codes):
    scheme = "hd27-2014" if year <= 2017 else "qd132-2018"
    for code in codes:
        member = MemberFactory(organization=cell)
        MemberAssessment.objects.create(
            member=member, organization=cell, year=year, level=level(scheme, Subject.MEMBER, code)
        )


@pytest.fixture
def district_2017(tree):
    """Under BS in 2017: Đồng Ý clean and strong, Nhất Tiến completed, three agency cells (one weak, one unrated);
    20 members of Đồng Ý's first cell rated, 17 of them good or better."""
    bs = tree["BS"]
    rate_unit(tree["BS-DONG-Y"], 2017, "clean_strong")
    rate_unit(tree["BS-NHAT-TIEN"], 2017, "completed")
    agencies = [
        OrganizationFactory(
            code=f"BS-CQ-{i}", name=f"Chi bộ Cơ quan số {i}", kind=Kind.GRASSROOTS_CELL, sector=Sector.AGENCY, parent=bs
        )
        for i in (1, 2, 3)
    ]
    rate_unit(agencies[0], 2017, "clean_strong")
    rate_unit(agencies[1], 2017, "weak")
    rate_members(tree["BS-DONG-Y-01"], 2017, ["excellent"] * 2 + ["good"] * 15 + ["completed"] * 3)
    summaries_recompute_year(year=2017)
    return {**tree, "agencies": agencies}


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def officer_dashboard(client, officer, district_2017):
    """The district's 2017 dashboard as its officer opens it; the client stays logged in as the officer."""
    client.force_login(officer)
    return page(client, "/", year=2017)


def test_headline_states_top_level_share_with_its_denominator(officer_dashboard):
    html = officer_dashboard
    # 2 of the 5 units existing on 31/12/2017 (the unit dissolved in 2016 is not counted).
    assert re.search(r"2/5</a>\s*<span[^>]*>\(40,0%\)", html)
    assert "Trong sạch, vững mạnh" in html
    assert "Trên tổng số 5 tổ chức đảng trực thuộc" in html


def test_headline_gives_members_good_or_better_share_of_the_rated(officer_dashboard):
    html = officer_dashboard
    assert re.search(r'id="headline-members">85,0%<', html)
    assert "hoàn thành tốt nhiệm vụ trở lên" in html
    assert "17/20 đảng viên được xếp loại" in html


def test_default_year_is_the_latest_year_with_ratings_in_scope(client, officer, secretary_dong_y, district_2017):
    rate_unit(district_2017["BS-DONG-Y-01"], 2018, "good")
    summaries_recompute_year(year=2018)
    client.force_login(officer)
    assert "năm 2018" in page(client, "/")

    rate_unit(district_2017["BS-NHAT-TIEN-01"], 2019, "good")
    client.force_login(secretary_dong_y)  # Nhất Tiến's 2019 rating is outside this secretary's scope
    html = page(client, "/")
    assert "Đảng bộ xã Đồng Ý" in html and "năm 2018" in html


def test_every_count_links_to_the_units_behind_it(client, officer_dashboard):
    html = officer_dashboard
    link = re.search(r'href="(/units/\?parent=BS&amp;year=2017&amp;level=clean_strong&amp;sector=agency)">1<', html)
    assert link, "the agency sector's clean-and-strong count links to its units"
    listed = page(client, link.group(1).replace("&amp;", "&"))
    assert "Chi bộ Cơ quan số 1" in listed
    assert "Chi bộ Cơ quan số 2" not in listed and "Đảng bộ xã Đồng Ý" not in listed

    not_rated = re.search(r'href="(/units/\?parent=BS&amp;year=2017&amp;level=none)">1<', html)
    assert not_rated, "the not-rated count links to the unrated units"
    assert "Chi bộ Cơ quan số 3" in page(client, not_rated.group(1).replace("&amp;", "&"))


def test_sector_table_counts_units_by_sector_and_level(officer_dashboard):
    html = officer_dashboard
    table = html[html.index('id="table-sectors"') :]
    table = table[: table.index("</table>")]
    rows = {
        re.sub(r"<[^>]+>", "", m.group(1)).strip(): re.findall(r">(\d+)<", m.group(2))
        for m in re.finditer(r"<th scope=\"row\"[^>]*>(.*?)</th>(.*?)</tr>", table, re.S)
    }
    # Columns: clean and strong, good, completed, weak, not rated, total.
    assert rows["Xã"] == ["1", "0", "1", "0", "0", "2"]
    assert rows["Cơ quan hành chính, Đảng, đoàn thể"] == ["1", "0", "0", "1", "1", "3"]


def test_stale_summary_shows_updating_notice_with_time_of_last_computation(client, officer, district_2017):
    client.force_login(officer)
    assert "đang cập nhật" not in page(client, "/", year=2017).lower()
    summaries_mark_stale(organization_ids=[district_2017["BS-DONG-Y"].pk], years=[2017])
    html = page(client, "/", year=2017)
    assert "Số liệu đang cập nhật…" in html
    # The stored figures are still shown, with the time they were computed (Vietnamese date order, day first).
    assert re.search(r"được tính lúc \d\d:\d\d \d\d/\d\d/\d{4}", html)
    assert "2/5" in html


def test_trend_chart_data_is_in_a_json_script_for_the_static_script(client, officer, district_2017):
    rate_unit(district_2017["BS-DONG-Y"], 2016, "weak")
    summaries_recompute_year(year=2016)
    client.force_login(officer)
    html = page(client, "/", year=2017)
    data = json.loads(re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["labels"] == ["2016", "2017"]
    series = {s["key"]: s["data"] for s in data["series"]}
    assert series["units_top"] == [0.0, 40.0]
    assert series["members_good"][1] == 85.0
    assert "/static/js/dashboard.js" in html and "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids it


def test_weak_units_without_a_plan_are_listed_until_a_plan_exists(client, officer, district_2017):
    from tests.consolidation_factories import PlanFactory

    client.force_login(officer)
    html = page(client, "/", year=2017)
    weak = html[html.index('id="weak-units"') :]
    assert "Chi bộ Cơ quan số 2" in weak and "năm 2017" in weak

    PlanFactory(organization=district_2017["agencies"][1], baseline_year=2017, number="82-KH/HU")
    weak = page(client, "/", year=2017)
    weak = weak[weak.index('id="weak-units"') :]
    assert "Chi bộ Cơ quan số 2" not in weak
    assert "Mọi đơn vị xếp loại thấp nhất đều đã có kế hoạch củng cố." in weak


def test_weak_units_card_says_when_no_unit_was_rated_lowest(client, secretary_dong_y, district_2017):
    UnitAssessment.objects.create(
        organization=district_2017["BS-DONG-Y-01"], year=2017, level=level("hd27-2014", Subject.UNIT, "good")
    )
    client.force_login(secretary_dong_y)
    assert "Không có đơn vị nào xếp loại thấp nhất." in page(client, "/", year=2017)


def test_weak_units_card_explains_when_no_app_answers_the_plan_hook(client, officer, district_2017):
    client.force_login(officer)
    with override_settings(ASSESSMENTS_HOOKS={}):
        hooks.hook_clear_cache()
        html = page(client, "/", year=2017)
    hooks.hook_clear_cache()
    assert "chưa theo dõi được kế hoạch củng cố" in html


def test_assessments_never_imports_consolidation():
    for path in (ROOT / "assessments").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "consolidation" for n in names), f"{path} imports consolidation"


def test_units_that_have_not_submitted_are_listed(client, officer, district_2017):
    from assessments.models import Submission, SubmissionStatus, YearCycle

    cycle = YearCycle.objects.create(
        organization=district_2017["BS"],
        year=2019,
        scheme=RatingScheme.objects.get(code="qd132-2018"),
        deadline=datetime.date(2019, 12, 15),
    )
    Submission.objects.create(cycle=cycle, organization=district_2017["BS-DONG-Y"], status=SubmissionStatus.SUBMITTED)
    Submission.objects.create(cycle=cycle, organization=district_2017["BS-NHAT-TIEN"], status=SubmissionStatus.RETURNED)
    client.force_login(officer)
    html = page(client, "/", year=2019)
    pending = html[html.index('id="pending-units"') : html.index('id="weak-units"')]
    assert "Đảng bộ xã Nhất Tiến" in pending and "Bị trả lại để sửa" in pending
    assert "Chi bộ Cơ quan số 1" in pending  # no submission at all
    assert "Đảng bộ xã Đồng Ý" not in pending
    assert "4 đơn vị chưa nộp" in pending


def test_year_without_an_opened_cycle_says_so(client, officer, district_2017):
    client.force_login(officer)
    assert "Năm 2017 chưa được mở để các đơn vị nộp hồ sơ." in page(client, "/", year=2017)


def test_secretary_cannot_open_another_communes_dashboard(client, secretary_dong_y, district_2017):
    client.force_login(secretary_dong_y)
    assert client.get("/", {"org": "BS-NHAT-TIEN"}).status_code == 404
    assert client.get("/", {"org": "BS"}).status_code == 404
    html = page(client, "/", org="BS-DONG-Y", year=2017)
    assert "Đảng bộ xã Nhất Tiến" not in html


def _picker(html) -> list[str]:
    select = html[html.index('<select class="form-select form-select-sm" id="org"') :]
    return re.findall(r'<option value="([^"]+)"', select[: select.index("</select>")])


def test_the_organization_picker_offers_the_way_up_and_one_level_down(client, officer, district_2017):
    # Bounded by the tree's depth and fan-out, not by the scope: the district and the committees under it; from a
    # commune, the district above it and the commune, not its sibling.
    client.force_login(officer)
    html = page(client, "/", year=2017)
    assert _picker(html) == ["BS", "BS-DONG-Y", "BS-NHAT-TIEN"]
    assert "— Đảng bộ xã Đồng Ý" in html
    assert _picker(page(client, "/", org="BS-DONG-Y", year=2017)) == ["BS", "BS-DONG-Y"]


def test_leader_reads_the_district_dashboard(client, leader, district_2017):
    client.force_login(leader)
    assert "2/5" in page(client, "/", year=2017)


def test_bad_year_in_the_query_string_falls_back_to_the_default(client, officer, district_2017):
    client.force_login(officer)
    for bad in ("abc", "99999", "-1"):
        assert "năm 2017" in page(client, "/", year=bad)


def test_dashboard_query_count_does_not_grow_with_rows(client, officer, district_2017, django_assert_max_num_queries):
    bs = district_2017["BS"]
    for i in range(40):
        unit = OrganizationFactory(code=f"BS-N{i}", kind=Kind.GRASSROOTS_CELL, sector=Sector.ENTERPRISE, parent=bs)
        rate_unit(unit, 2017, ("good", "completed", "weak")[i % 3])
        rate_members(unit, 2017, ["good", "excellent", "not_completed"])
    summaries_recompute_year(year=2017)
    client.force_login(officer)
    # +1: the count of unread notices in the navigation bar (issue 18).
    with django_assert_max_num_queries(17):
        html = page(client, "/", year=2017)
    assert "2/45" in html


def test_a_year_never_summarized_still_states_its_denominator(client, officer, tree):
    """A year just opened has no computed summary: its counts come from live aggregates, flagged as updating."""
    dong_y = tree["BS-DONG-Y"]
    assessment = UnitAssessment(organization=dong_y, year=2019, level=level("qd132-2018", "unit", "excellent"))
    # Through the service, as the pages do: the writer marks the summaries stale (rows with no counts yet); with
    # on_commit hooks not run here, no recompute follows, as when the worker has not got to it.
    from assessments import services

    services.unit_assessment_save(assessment=assessment, actor=officer)
    rate_members(tree["BS-DONG-Y-01"], 2019, ["good", "good", "completed", "excellent"])
    client.force_login(officer)
    html = page(client, "/", year=2019)
    assert "Số liệu chưa được tính lần nào." in html
    assert re.search(r">1/2</a>\s*<span[^>]*>\(50,0%\)", html)  # Nhất Tiến and Đồng Ý exist on 31/12/2019
    assert "Hoàn thành xuất sắc nhiệm vụ" in html and "Quy định 132" in html
    assert re.search(r'id="headline-members">75,0%<', html)


def test_good_or_better_counts_link_to_their_units_and_members(client, officer_dashboard):
    html = officer_dashboard
    units = re.search(r'href="(/units/\?parent=BS&amp;year=2017&amp;level=good_or_better)">2<', html)
    assert units, "the units' good-or-better count links to its list"
    listed = page(client, units.group(1).replace("&amp;", "&"))
    assert "Đảng bộ xã Đồng Ý" in listed and "Chi bộ Cơ quan số 1" in listed
    assert "Đảng bộ xã Nhất Tiến</a>" not in listed and "Chi bộ Cơ quan số 2" not in listed
    members = re.search(r'href="(/members/\?unit=BS&amp;year=2017&amp;level=good_or_better)"', html)
    assert members, "the members' good-or-better figure links to its list"
    assert "17 đảng viên." in page(client, members.group(1).replace("&amp;", "&"))


def test_chart_warns_where_the_rating_scheme_changes(client, officer, district_2017):
    rate_unit(district_2017["BS-DONG-Y"], 2018, "excellent")
    summaries_recompute_year(year=2018)
    client.force_login(officer)
    html = page(client, "/", year=2018)
    # The scheme by the name people know, never its code, in both languages.
    assert "Từ năm 2018 xếp loại theo Quy định 132-QĐ/TW:" in html
    assert "qd132-2018" not in html.split('id="trend-title"')[1].split("</section>")[0]
    assert "Từ năm 2017" not in html
    client.cookies["django_language"] = "en"
    english = page(client, "/", year=2018)
    assert "Quy định 132-QĐ/TW" in english and "qd132-2018" not in english.split('id="trend-title"')[1]


def test_only_officers_are_offered_to_draw_up_a_plan(client, officer, leader, district_2017):
    client.force_login(leader)
    html = page(client, "/", year=2017)
    assert "Chi bộ Cơ quan số 2" in html and "Lập kế hoạch củng cố" not in html
    client.force_login(officer)
    assert "Lập kế hoạch củng cố" in page(client, "/", year=2017)


@pytest.fixture
def open_2019(officer, district_2017):
    """2019 opened by the district; Đồng Ý's result is decided early (finalized), the other units are still open."""
    from assessments.models import Submission, SubmissionStatus, YearCycle

    cycle = YearCycle.objects.create(
        organization=district_2017["BS"],
        year=2019,
        scheme=RatingScheme.objects.get(code="qd132-2018"),
        deadline=datetime.date(2019, 12, 15),
    )
    rate_unit(district_2017["BS-DONG-Y"], 2019, "excellent")
    Submission.objects.create(cycle=cycle, organization=district_2017["BS-DONG-Y"], status=SubmissionStatus.FINALIZED)
    summaries_recompute_year(year=2019)
    return cycle


def test_an_open_year_is_not_the_default_and_is_marked_provisional_with_its_progress(
    client, officer, district_2017, open_2019
):
    client.force_login(officer)
    html = page(client, "/")
    assert "năm 2017" in html and 'id="provisional-year"' not in html  # the latest decided year
    assert ">2019 (tạm tính)</option>" in html
    chart = json.loads(re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert "2019" not in chart["labels"]  # never drawn as final
    opened = page(client, "/", year=2019)
    assert "Năm 2019 đang đánh giá: số liệu tạm tính, 1/5 đơn vị đã chốt kết quả." in opened
    assert "2017" in page(client, "/units/").split("</h1>")[0]
    units = page(client, "/units/", year=2019)
    assert 'id="provisional-year"' in units


def test_lists_open_on_the_decided_year_within_a_query_budget(
    client, officer, district_2017, open_2019, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        html = page(client, "/members/")
    assert '<option value="2017" selected>' in html


def test_a_secretary_lands_on_his_task_for_the_year(client, officer, secretary_nhat_tien, tree):
    from tests.cycle_factories import year_opened

    submission = year_opened(officer=officer, tree=tree, year=2025)["BS-NHAT-TIEN"]
    client.force_login(secretary_nhat_tien)
    html = page(client, "/")
    task = html[html.index('id="secretary-task"') :]
    assert "hồ sơ đánh giá năm 2025" in task and "15/12/2025" in task
    assert "Chưa có báo cáo kiểm điểm." in task and 'href="/portal/BS-NHAT-TIEN/2025/"' in task
    # Returned: the district's reason is on the landing page.
    from assessments.models import Submission, SubmissionStatus

    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.RETURNED, return_comment="Thiếu biên bản họp chi bộ thôn 2."
    )
    html = page(client, "/")
    assert "Cấp trên trả lại hồ sơ để sửa:</strong> Thiếu biên bản họp chi bộ thôn 2." in html
    client.force_login(officer)
    assert 'id="secretary-task"' not in page(client, "/")


def test_the_trend_shows_no_share_of_units_where_none_was_rated(client, tree, district_2017):
    """The province before July 2025: its one direct unit (the district) is not rated, so its unit shares are a dash
    in the chart's table and null (a gap) in the chart, not 0,0%; the members' share over the rated members stays."""
    from assessments.models import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="tinh", role=Role.OFFICER, organization=tree["LS"]))
    html = page(client, "/", year=2017)
    row = re.search(r'<table[^>]*id="table-trend".*?<tr><td>2017</td>(.*?)</tr>', html, re.S)[1]
    cells = re.findall(r'<td class="num">(.*?)</td>', row)
    assert cells[:2] == ["—", "—"] and cells[2] == "85,0%"
    chart = json.loads(re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', html, re.S)[1])
    by_key = {series["key"]: series["data"] for series in chart["series"]}
    assert by_key["units_top"] == [None] and by_key["units_good"] == [None] and by_key["members_good"] == [85.0]


def test_a_commune_secretary_is_not_told_of_units_owing_it_a_file(client, officer, secretary_dong_y, open_2019):
    """The district opens the year: its officer sees the units that have not sent their file; a commune opens no
    cycle for its cells, so its secretary's dashboard has no such panel (it said the year was not opened)."""
    client.force_login(officer)
    assert 'id="pending-units"' in page(client, "/", year=2019)
    client.force_login(secretary_dong_y)
    html = page(client, "/", year=2019)
    assert 'id="pending-units"' not in html
    assert "chưa được mở để các đơn vị nộp hồ sơ" not in html
