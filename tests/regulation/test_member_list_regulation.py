"""The regulation facts where the secretary and the officers work: the suggested not-rated reason (exempt, suspended,
admitted recently) prefilled in the member-ratings template and noted on the member list, and the year's discipline
on the member list; both read for the whole page at once."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import MemberStatusSpan
from tests.factories import MemberFactory
from tests.regulation.helpers import disciplined

pytestmark = pytest.mark.django_db


def _members_with_dates(cell):
    """One member of each case for 2019, by name."""
    made = {
        "exempt": MemberFactory(organization=cell, full_name="Lục Văn Miễn"),
        "suspended": MemberFactory(organization=cell, full_name="Hà Thị Đình"),
        "recent": MemberFactory(organization=cell, full_name="Vi Văn Mới", admitted_on=datetime.date(2019, 7, 1)),
        "six_months": MemberFactory(organization=cell, full_name="Lăng Văn Đủ", admitted_on=datetime.date(2019, 6, 30)),
        "ended": MemberFactory(organization=cell, full_name="Hoàng Thị Hết"),
    }
    MemberStatusSpan.objects.create(member=made["exempt"], kind="exempt", start=datetime.date(2018, 5, 1))
    MemberStatusSpan.objects.create(member=made["suspended"], kind="suspended", start=datetime.date(2019, 10, 1),
                                    end=datetime.date(2020, 3, 31))  # fmt: skip
    # A suspension over before 31 December leaves the member to be rated.
    MemberStatusSpan.objects.create(member=made["ended"], kind="suspended", start=datetime.date(2019, 1, 1),
                                    end=datetime.date(2019, 12, 30))  # fmt: skip
    return made


def test_the_member_ratings_template_prefills_the_suggested_reason_without_a_level(client, tree, secretary_dong_y):
    made = _members_with_dates(tree["BS-DONG-Y-01"])
    client.force_login(secretary_dong_y)
    response = client.get(reverse("assessments:import_template", args=["member_ratings"]) + "?year=2019")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    level_at, reason_at = header.index("Xếp loại"), header.index("Lý do không xếp loại")
    by_card = {row[0]: row for row in rows[1:]}
    expected = {
        "exempt": "Miễn công tác và sinh hoạt đảng",
        "suspended": "Đình chỉ sinh hoạt đảng",
        "recent": "Vào Đảng chưa đủ 6 tháng",
        "six_months": None,
        "ended": None,
    }
    for key, reason in expected.items():
        row = by_card[made[key].card_number]
        assert row[reason_at] == reason, key
        assert row[level_at] is None, key
    # The same members a year later: the open-ended exemption stays, the others are to be rated.
    response = client.get(reverse("assessments:import_template", args=["member_ratings"]) + "?year=2020")
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    reasons = {row[0]: row[reason_at] for row in rows[1:]}
    assert reasons[made["exempt"].card_number] == "Miễn công tác và sinh hoạt đảng"
    assert reasons[made["recent"].card_number] is None and reasons[made["suspended"].card_number] is None


def _row_of(html, name):
    """The member table's row holding a name (the text up to the row's end)."""
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_the_member_list_notes_the_suggested_reason_for_the_chosen_year(client, tree, officer):
    made = _members_with_dates(tree["BS-DONG-Y-01"])
    client.force_login(officer)
    html = client.get("/members/", {"year": 2019}).content.decode()
    assert "Gợi ý: không xếp loại (Miễn công tác và sinh hoạt đảng)" in _row_of(html, made["exempt"].full_name)
    assert "Gợi ý: không xếp loại (Đình chỉ sinh hoạt đảng)" in _row_of(html, made["suspended"].full_name)
    assert "Gợi ý: không xếp loại (Vào Đảng chưa đủ 6 tháng)" in _row_of(html, made["recent"].full_name)
    assert "Gợi ý" not in _row_of(html, made["six_months"].full_name)
    assert "Gợi ý" not in _row_of(html, made["ended"].full_name)
    html = client.get("/members/", {"year": 2020}).content.decode()
    assert "Gợi ý" in _row_of(html, made["exempt"].full_name)
    assert "Gợi ý" not in _row_of(html, made["recent"].full_name)


def test_the_member_list_shows_the_discipline_decided_in_the_chosen_year(client, tree, officer):
    cell = tree["BS-DONG-Y-01"]
    warned = MemberFactory(organization=cell, full_name="Nông Văn Cảnh")
    disciplined(warned, "warning", datetime.date(2019, 4, 12))
    reprimanded = MemberFactory(organization=cell, full_name="Mã Thị Trách")
    disciplined(reprimanded, "reprimand", datetime.date(2018, 12, 31))  # the year before: not shown for 2019
    client.force_login(officer)
    html = client.get("/members/", {"year": 2019}).content.decode()
    assert "Kỷ luật: Cảnh cáo, 12/04/2019" in _row_of(html, "Nông Văn Cảnh")
    assert "Kỷ luật" not in _row_of(html, "Mã Thị Trách")
    # Two records in the year: the latest is shown.
    disciplined(warned, "dismissal", datetime.date(2019, 11, 3), ref="30-QĐ/UBKT")
    html = client.get("/members/", {"year": 2019}).content.decode()
    assert "Kỷ luật: Cách chức, 03/11/2019" in _row_of(html, "Nông Văn Cảnh")
    html = client.get("/members/", {"year": 2018}).content.decode()
    assert "Kỷ luật: Khiển trách, 31/12/2018" in _row_of(html, "Mã Thị Trách")


def _page_queries(client, year):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/members/", {"year": year}).status_code == 200
    return len(queries)


def test_the_notes_and_disciplines_cost_the_same_queries_for_many_members(
    client, tree, officer, django_assert_max_num_queries
):
    def noted_members(cell, n):
        for i in range(n):
            member = MemberFactory(organization=cell, admitted_on=datetime.date(2019, 9, 1) if i % 3 == 0 else None)
            if i % 3 == 1:
                MemberStatusSpan.objects.create(member=member, kind="exempt", start=datetime.date(2019, 1, 1))
            disciplined(member, "reprimand" if i % 2 else "warning", datetime.date(2019, 5, 1 + i))

    client.force_login(officer)
    for _i in range(3):
        MemberFactory(organization=tree["BS-NHAT-TIEN-02"])
    plain = _page_queries(client, 2019)
    noted_members(tree["BS-DONG-Y-01"], 3)
    few = _page_queries(client, 2019)
    assert few <= plain + 1  # the notes and the discipline: at most one query more than a page without them
    noted_members(tree["BS-DONG-Y-02"], 9)
    noted_members(tree["BS-NHAT-TIEN-01"], 9)
    with django_assert_max_num_queries(few):
        html = client.get("/members/", {"year": 2019}).content.decode()
    assert html.count("member-discipline") == 21 and html.count("member-reason-suggested") == 14  # i % 3 == 2: neither
