"""Issue 16: the dashboard and the results report show the leadership collectives and leaders of the subtree by level,
read from the stored summary, in a fixed number of queries however many collectives there are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import CollectiveKind, Title
from assessments.summaries.recompute import summaries_recompute_year
from tests.leadership.helpers import collective, collective_rated, leader, leader_rated


def _communes_led(tree, per_commune: int, start: int = 0) -> None:
    """Each commune's collectives, all rated good but the last, each with a secretary rated excellent."""
    kinds = list(CollectiveKind)
    for commune in (tree["BS-DONG-Y"], tree["BS-NHAT-TIEN"]):
        for i in range(start, start + per_commune):
            group = collective(commune, kind=kinds[i % len(kinds)], code=f"{commune.code}-T{i}")
            collective_rated(group, 2025, "good" if i < start + per_commune - 1 else None)
            leader_rated(leader(group, title=Title.SECRETARY), group, 2025, "excellent")
    summaries_recompute_year(year=2025)


def _dashboard(client):
    response = client.get("/", {"year": 2025})
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_shows_collectives_and_leaders_by_level(client, officer, tree):
    _communes_led(tree, 3)
    client.force_login(officer)
    html = _dashboard(client)
    table = html[html.index('id="table-leadership"') :]
    table = table[: table.index("</table>")]
    assert "Tập thể lãnh đạo, quản lý" in table and "Cá nhân lãnh đạo, quản lý" in table
    # 6 collectives, 4 rated good (100,0% of the rated), 2 not rated; 6 leaders, all excellent.
    assert '<td class="num">6</td>' in table
    assert "4 (100,0%)" in table and "6 (100,0%)" in table
    assert '<td class="num">2</td></tr>' in table


def test_the_dashboard_reads_the_tables_in_a_fixed_number_of_queries(
    client, officer, tree, django_assert_max_num_queries
):
    _communes_led(tree, 2)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        _dashboard(client)
    _communes_led(tree, 8, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = _dashboard(client)
    assert '<td class="num">20</td>' in html  # 2 + 8 collectives in each of the two communes


def test_a_year_without_collectives_shows_no_leadership_table(client, officer, tree):
    summaries_recompute_year(year=2025)
    client.force_login(officer)
    assert 'id="table-leadership"' not in _dashboard(client)


def test_the_results_report_shows_collectives_and_leaders_by_level(client, officer, tree):
    _communes_led(tree, 3)
    client.force_login(officer)
    response = client.get(reverse("reports:detail", args=["BS", 2025]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="table-leadership"' in html
    assert "Tập thể, cá nhân lãnh đạo, quản lý theo mức xếp loại" in html and "4 (100,0%)" in html
    # A commune's report counts only its own collectives.
    response = client.get(reverse("reports:detail", args=["BS-DONG-Y", 2025]))
    assert "2 (100,0%)" in response.content.decode()


def test_where_unit_and_member_scales_differ_each_row_has_its_own_heading(client, officer, tree):
    """HD 27 (2017): collectives are rated on the unit scale ("Trong sạch, vững mạnh"...), leaders on the member
    scale ("Hoàn thành xuất sắc nhiệm vụ"...): the leaders' row is not read under the units' headings."""
    group = collective(tree["BS-DONG-Y"])
    collective_rated(group, 2017, "clean_strong", scheme="hd27-2014")
    leader_rated(leader(group), group, 2017, "excellent", scheme="hd27-2014")
    summaries_recompute_year(year=2017)
    client.force_login(officer)
    html = client.get("/", {"year": 2017}).content.decode()
    table = html[html.index('id="table-leadership"') :]
    table = table[: table.index("</table>")]
    before_leaders = table.split("Cá nhân lãnh đạo, quản lý")[0]
    units_heading, members_heading = before_leaders.split('<tr class="table-light">')[1:]
    assert "Trong sạch, vững mạnh" in units_heading and "Tập thể lãnh đạo, quản lý" in units_heading
    # The leaders' row comes after a heading of its own, in the member scale's words.
    assert "Hoàn thành xuất sắc nhiệm vụ" in members_heading and "Trong sạch, vững mạnh" not in members_heading
