"""Unit list, unit page and member list: filters, scope, Vietnamese order and search, history, query counts."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile

from assessments import services
from assessments.common.text import person_sort_key
from assessments.models import (
    Kind,
    MemberAssessment,
    NotRatedReason,
    RatingScheme,
    ReviewDocument,
    Sector,
    Subject,
    Submission,
    UnitAssessment,
    YearCycle,
)
from tests.factories import MemberFactory, OrganizationFactory, level

pytestmark = pytest.mark.django_db


def html_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def names_in_table(html: str, table_id: str) -> list[str]:
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<td class="member-name[^"]*">([^<]+)</td>', table)


# --- unit list -----------------------------------------------------------------------------------------------------


@pytest.fixture
def rated_units(tree):
    bs = tree["BS"]
    school = OrganizationFactory(
        code="BS-THPT",
        name="Chi bộ Trường THPT Bắc Sơn",
        kind=Kind.GRASSROOTS_CELL,
        sector=Sector.PUBLIC_SERVICE,
        parent=bs,
    )
    UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "good"))
    UnitAssessment.objects.create(organization=school, year=2017, level=level("hd27-2014", "unit", "good"))
    UnitAssessment.objects.create(
        organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "completed")
    )
    return {**tree, "school": school}


def test_unit_list_filters_by_level_and_sector(client, officer, rated_units):
    client.force_login(officer)
    html = html_of(client, "/units/", parent="BS", year=2017, level="good", sector="commune")
    assert "Đảng bộ xã Đồng Ý" in html
    assert "Chi bộ Trường THPT Bắc Sơn" not in html and "Đảng bộ xã Nhất Tiến" not in html
    assert "Hoàn thành tốt nhiệm vụ" in html and "Xã" in html  # the active filters are named

    html = html_of(client, "/units/", parent="BS", year=2017, level="good")
    assert "Đảng bộ xã Đồng Ý" in html and "Chi bộ Trường THPT Bắc Sơn" in html


def test_unit_list_not_rated_filter_lists_units_without_a_final_level(client, officer, rated_units):
    client.force_login(officer)
    html = html_of(client, "/units/", parent="BS-DONG-Y", year=2017, level="none")
    assert "Chi bộ thôn 1" in html and "Chi bộ thôn 2" in html
    assert "Đảng bộ xã Đồng Ý</a>" not in html


def test_unit_list_of_a_year_leaves_out_units_dissolved_before_it(client, officer, rated_units):
    client.force_login(officer)
    assert "Chi bộ Cơ quan cũ" in html_of(client, "/units/", year=2015)
    assert "Chi bộ Cơ quan cũ" not in html_of(client, "/units/", year=2017)


def test_secretary_unit_list_stays_in_their_commune(client, secretary_dong_y, rated_units):
    client.force_login(secretary_dong_y)
    html = html_of(client, "/units/", year=2017)
    assert "Đảng bộ xã Đồng Ý" in html
    assert "Nhất Tiến" not in html and "Chi bộ Trường THPT Bắc Sơn" not in html
    assert client.get("/units/", {"parent": "BS-NHAT-TIEN", "year": 2017}).status_code == 404
    assert client.get("/units/", {"parent": "BS", "year": 2017}).status_code == 404


def test_unit_list_query_count_is_flat(client, officer, tree, django_assert_max_num_queries):
    for i in range(40):
        unit = OrganizationFactory(code=f"BS-Q{i}", kind=Kind.GRASSROOTS_CELL, parent=tree["BS"])
        UnitAssessment.objects.create(organization=unit, year=2017, level=level("hd27-2014", "unit", "weak"))
    client.force_login(officer)
    # +1: the count of unread notices in the navigation bar (issue 18).
    with django_assert_max_num_queries(9):
        html = html_of(client, "/units/", parent="BS", year=2017, level="weak")
    assert html.count('class="level level-4"') == 40


# --- unit page -----------------------------------------------------------------------------------------------------


def test_unit_page_shows_ratings_over_the_years_with_each_years_scheme(client, officer, tree):
    dong_y = tree["BS-DONG-Y"]
    UnitAssessment.objects.create(organization=dong_y, year=2016, level=level("hd27-2014", "unit", "weak"))
    UnitAssessment.objects.create(
        organization=dong_y,
        year=2017,
        level=level("hd27-2014", "unit", "clean_strong"),
        decision_ref="125-QĐ/HU",
        decided_on=datetime.date(2017, 12, 28),
    )
    UnitAssessment.objects.create(organization=dong_y, year=2018, level=level("qd132-2018", "unit", "excellent"))
    client.force_login(officer)
    html = html_of(client, "/units/BS-DONG-Y/")
    table = html[html.index('id="ratings-table"') : html.index("</table>", html.index('id="ratings-table"'))]
    rows = re.findall(r"<tr><td>(\d{4})</td>\s*<td[^>]*>(.*?)</td>", table, re.S)
    years = [year for year, _scheme in rows]
    assert years == ["2018", "2017", "2016"]
    schemes = dict(rows)
    assert RatingScheme.objects.get(code="qd132-2018").name in schemes["2018"]
    assert RatingScheme.objects.get(code="hd27-2014").name in schemes["2016"]
    assert "Yếu kém" in table and "Trong sạch, vững mạnh" in table and "Hoàn thành xuất sắc nhiệm vụ" in table
    assert "125-QĐ/HU, 28/12/2017" in table


def test_unit_page_history_says_who_changed_a_rating_and_when(client, officer, tree):
    assessment = UnitAssessment(organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "good"))
    services.unit_assessment_save(assessment=assessment, actor=officer)
    assessment.level = level("hd27-2014", "unit", "completed")
    services.unit_assessment_save(assessment=assessment, actor=officer)
    client.force_login(officer)
    html = html_of(client, "/units/BS-NHAT-TIEN/")
    history = html[html.index('id="history-table"') :]
    history = history[: history.index("</table>")]
    assert history.count("Nguyễn Hữu Bình") == 2
    assert "Ghi mới" in history and "Sửa" in history
    assert history.index("Hoàn thành nhiệm vụ") < history.index("Hoàn thành tốt nhiệm vụ")  # newest first
    assert re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", history)


def test_unit_page_lists_members_and_review_documents(client, officer, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    MemberFactory(full_name="Dương Văn Rum", organization=tree["BS-NHAT-TIEN-01"])
    cycle = YearCycle.objects.create(
        organization=tree["BS"],
        year=2019,
        scheme=RatingScheme.objects.get(code="qd132-2018"),
        deadline=datetime.date(2019, 12, 15),
    )
    submission = Submission.objects.create(cycle=cycle, organization=tree["BS-NHAT-TIEN"])
    document = ReviewDocument(
        submission=submission,
        version=1,
        original_name="bao-cao-kiem-diem-2019.pdf",
        kind="pdf",
        size=2048,
        checksum="0" * 64,
        uploaded_by=officer,
    )
    document.file.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    client.force_login(officer)
    html = html_of(client, "/units/BS-NHAT-TIEN/")
    assert "Dương Văn Rum" in html
    assert f'href="/documents/{document.pk}/">bao-cao-kiem-diem-2019.pdf</a>' in html
    assert "Năm 2019, lần 1" in html


def test_unit_page_query_count_is_flat(client, officer, tree, django_assert_max_num_queries):
    cell = tree["BS-DONG-Y-01"]
    for _i in range(40):
        member = MemberFactory(organization=cell)
        MemberAssessment.objects.create(
            member=member, organization=cell, year=2017, level=level("hd27-2014", "member", "good")
        )
    for year in (2015, 2016, 2017):
        services.unit_assessment_save(
            assessment=UnitAssessment(
                organization=tree["BS-DONG-Y"], year=year, level=level("hd27-2014", "unit", "good")
            ),
            actor=officer,
        )
    client.force_login(officer)
    # 15: one constant query for the unit's yearly files it links to (issue 18); none per member or rating.
    # 16: one for the discipline decisions in the unit's subtree (issue 14).
    # +1: the count of unread notices in the navigation bar (issue 18).
    # +1: the ratings of the unit's leadership collectives (issue 16; a second for its leaders when it has any).
    with django_assert_max_num_queries(18):
        html_of(client, "/units/BS-DONG-Y/")


# --- member list ---------------------------------------------------------------------------------------------------


GIVEN_NAMES = ["Đức", "Anh", "Ân", "Ánh", "Dũng", "Bình", "Ăn", "Ơn", "Ôn", "Ong"]


@pytest.fixture
def named_members(tree):
    cells = [tree["BS-DONG-Y-01"], tree["BS-DONG-Y-02"]]
    made = []
    for i, given in enumerate(GIVEN_NAMES):
        made.append(MemberFactory(full_name=f"Hoàng Văn {given}", organization=cells[i % 2]))
    made.append(MemberFactory(full_name="Lý Thị Anh", organization=cells[0]))
    return made


def test_member_list_is_in_vietnamese_order_by_given_name_then_full_name(client, officer, named_members):
    client.force_login(officer)
    shown = names_in_table(html_of(client, "/members/"), "member-table")
    expected = sorted((m.full_name for m in named_members), key=person_sort_key)
    assert shown == expected
    # The order the regulation's lists use: a < ă < â, d < đ, o < ô < ơ; the family name breaks ties.
    assert shown[:5] == ["Hoàng Văn Anh", "Lý Thị Anh", "Hoàng Văn Ánh", "Hoàng Văn Ăn", "Hoàng Văn Ân"]
    assert shown.index("Hoàng Văn Dũng") < shown.index("Hoàng Văn Đức")
    assert shown.index("Hoàng Văn Ong") < shown.index("Hoàng Văn Ôn") < shown.index("Hoàng Văn Ơn")


def test_member_search_ignores_case_and_diacritics(client, officer, tree):
    MemberFactory(full_name="Dương Văn Rum", organization=tree["BS-NHAT-TIEN-01"])
    MemberFactory(full_name="Dương Thị Hoa", organization=tree["BS-NHAT-TIEN-01"])
    client.force_login(officer)
    for query in ("DUONG VAN RUM", "dương văn rum", "van  rum", "Rum"):
        shown = names_in_table(html_of(client, "/members/", q=query), "member-table")
        assert shown == ["Dương Văn Rum"], query


def test_member_list_filters_by_cell_and_by_the_years_level(client, officer, tree):
    good = MemberFactory(full_name="Hà Văn Tốt", organization=tree["BS-DONG-Y-01"])
    weak = MemberFactory(full_name="Hà Văn Kém", organization=tree["BS-DONG-Y-01"])
    exempt = MemberFactory(full_name="Hà Văn Miễn", organization=tree["BS-DONG-Y-01"])
    other_cell = MemberFactory(full_name="Hà Văn Khác", organization=tree["BS-DONG-Y-02"])
    for member, code in ((good, "good"), (weak, "not_completed"), (other_cell, "good")):
        MemberAssessment.objects.create(
            member=member, organization=member.organization, year=2017, level=level("hd27-2014", Subject.MEMBER, code)
        )
    MemberAssessment.objects.create(
        member=exempt, organization=exempt.organization, year=2017, not_rated_reason=NotRatedReason.EXEMPT
    )
    client.force_login(officer)
    assert names_in_table(
        html_of(client, "/members/", unit="BS-DONG-Y-01", year=2017, level="good"), "member-table"
    ) == ["Hà Văn Tốt"]
    assert names_in_table(html_of(client, "/members/", unit="BS-DONG-Y", year=2017, level="good"), "member-table") == [
        "Hà Văn Khác",
        "Hà Văn Tốt",
    ]
    html = html_of(client, "/members/", unit="BS-DONG-Y-01", year=2017, level="none")
    assert names_in_table(html, "member-table") == ["Hà Văn Miễn"]
    assert "Miễn công tác và sinh hoạt đảng" in html


def test_member_list_is_paginated_and_keeps_its_filters(client, officer, tree):
    for i in range(55):
        MemberFactory(full_name=f"Nông Văn Thử {i:02d}", organization=tree["BS-DONG-Y-01"])
    client.force_login(officer)
    first = html_of(client, "/members/", q="nong", unit="BS-DONG-Y-01")
    assert len(names_in_table(first, "member-table")) == 50
    assert "55 đảng viên" in first
    link = re.search(r'href="\?([^"]*page=2)"', first).group(1).replace("&amp;", "&")
    assert "q=nong" in link and "unit=BS-DONG-Y-01" in link
    second = html_of(client, "/members/?" + link)
    assert len(names_in_table(second, "member-table")) == 5


def test_secretary_cannot_filter_members_by_another_communes_cell(client, secretary_dong_y, tree):
    MemberFactory(full_name="Vi Văn Tiến", organization=tree["BS-NHAT-TIEN-01"])
    client.force_login(secretary_dong_y)
    assert client.get("/members/", {"unit": "BS-NHAT-TIEN-01"}).status_code == 404
    assert "Vi Văn Tiến" not in html_of(client, "/members/", q="tien")


def test_member_list_query_count_is_flat(client, officer, tree, django_assert_max_num_queries):
    for _i in range(60):
        member = MemberFactory(organization=tree["BS-NHAT-TIEN-02"])
        MemberAssessment.objects.create(
            member=member, organization=member.organization, year=2017, level=level("hd27-2014", "member", "good")
        )
    client.force_login(officer)
    # +1: the count of unread notices in the navigation bar (issue 18).
    with django_assert_max_num_queries(11):
        html = html_of(client, "/members/", year=2017)
    assert len(names_in_table(html, "member-table")) == 50


def test_unit_list_opens_on_the_latest_rated_year_in_scope(client, secretary_dong_y, rated_units):
    UnitAssessment.objects.create(
        organization=rated_units["BS-NHAT-TIEN-01"], year=2018, level=level("qd132-2018", "unit", "good")
    )
    client.force_login(secretary_dong_y)  # Nhất Tiến's 2018 rating is outside this scope
    html = html_of(client, "/units/")
    assert "Tổ chức cơ sở đảng năm 2017" in html and "Hoàn thành tốt nhiệm vụ" in html


# --- the menu asks the permissions module (assessments/templatetags/roles.py) ---------------------------------------


@pytest.mark.parametrize(
    ("persona", "cycle", "portal", "imports"),
    [
        ("officer", True, False, True),
        ("leader", True, False, False),
        ("secretary_dong_y", False, True, True),
        ("admin_user", True, False, True),
    ],
)
def test_the_menu_offers_each_role_what_it_may_open(client, request, tree, persona, cycle, portal, imports):
    client.force_login(request.getfixturevalue(persona))
    nav = html_of(client, "/units/")
    nav = nav[nav.index('id="nav"') : nav.index("</ul>", nav.index('id="nav"'))]
    assert ('href="/cycle/"' in nav, 'href="/portal/"' in nav, 'href="/imports/"' in nav) == (cycle, portal, imports)


def test_an_administrator_without_superuser_rights_gets_the_menu_of_an_officer(client, tree):
    from assessments.models import Role
    from tests.factories import UserFactory

    admin = UserFactory(username="quantri", role=Role.ADMIN, organization=tree["BS"])
    client.force_login(admin)
    nav = html_of(client, "/units/")
    assert 'href="/cycle/"' in nav and 'href="/imports/"' in nav and 'href="/portal/"' not in nav


@pytest.mark.parametrize(("persona", "shown"), [("admin_user", True), ("officer", False), ("leader", False)])
def test_only_staff_accounts_see_the_link_to_the_admin(client, request, tree, persona, shown):
    from django.urls import reverse

    client.force_login(request.getfixturevalue(persona))
    assert (f'href="{reverse("admin:index")}"' in html_of(client, "/units/")) == shown
