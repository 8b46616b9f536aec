"""The foundation's pages: login required, scope enforced, flat query counts."""

import pytest

from assessments.models import UnitAssessment
from tests.factories import MemberFactory, level

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/units/", "/units/BS-DONG-Y/", "/members/"])
def test_anonymous_is_sent_to_login(client, tree, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_secretary_cannot_open_other_commune(client, secretary_dong_y):
    client.force_login(secretary_dong_y)
    assert client.get("/units/BS-NHAT-TIEN/").status_code == 404
    assert client.get("/units/BS-NHAT-TIEN-01/").status_code == 404
    assert client.get("/units/BS-DONG-Y-01/").status_code == 200


def test_secretary_member_list_shows_only_their_members(client, secretary_dong_y, tree):
    MemberFactory(full_name="Hoàng Thị Nhung", organization=tree["BS-DONG-Y-01"])
    MemberFactory(full_name="Vi Văn Tiến", organization=tree["BS-NHAT-TIEN-01"])
    client.force_login(secretary_dong_y)
    page = client.get("/members/").content.decode()
    assert "Hoàng Thị Nhung" in page
    assert "Vi Văn Tiến" not in page


def test_member_search_ignores_diacritics(client, officer, tree):
    MemberFactory(full_name="Hoàng Thị Nhung", organization=tree["BS-DONG-Y-01"])
    MemberFactory(full_name="Vi Văn Tiến", organization=tree["BS-NHAT-TIEN-01"])
    client.force_login(officer)
    page = client.get("/members/", {"q": "hoang thi nhung"}).content.decode()
    assert "Hoàng Thị Nhung" in page
    assert "Vi Văn Tiến" not in page


def test_unit_list_shows_each_units_level(client, officer, tree):
    UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2016, level=level("hd27-2014", "unit", "weak"))
    client.force_login(officer)
    page = client.get("/units/", {"year": 2016}).content.decode()
    assert "Yếu kém" in page


def test_unit_list_query_count_does_not_grow(client, officer, tree, django_assert_max_num_queries):
    from tests.factories import OrganizationFactory

    for i in range(30):
        unit = OrganizationFactory(code=f"BS-X{i}", kind="grassroots_cell", parent=tree["BS"])
        UnitAssessment.objects.create(organization=unit, year=2017, level=level("hd27-2014", "unit", "good"))
    client.force_login(officer)
    # 7: one constant query for the open years (issue 18: an open year is marked provisional); none per row.
    # +1: the count of unread notices in the navigation bar (issue 18).
    with django_assert_max_num_queries(8):
        response = client.get("/units/", {"year": 2017})
    # One rated row per unit (the level filter's options carry the label too, so count the rows' level marks).
    assert response.content.decode().count('class="level level-2"') == 30


def test_member_list_query_count_does_not_grow(client, officer, members, django_assert_max_num_queries):
    client.force_login(officer)
    # Fixed cost: session, user, scope, years, unit filter, scheme and levels, count, page (tests/pages/test_pages.py).
    # +1: the count of unread notices in the navigation bar (issue 18).
    with django_assert_max_num_queries(11):
        response = client.get("/members/")
    assert response.status_code == 200


def test_pages_speak_vietnamese_by_default(client, officer):
    client.force_login(officer)
    assert "Tổng quan" in client.get("/").content.decode()


def test_member_list_names_each_cells_grassroots_organization(client, officer, tree, django_assert_max_num_queries):
    from tests.factories import MemberFactory

    for cell in ("BS-DONG-Y-01", "BS-NHAT-TIEN-01"):
        for _i in range(10):
            MemberFactory(organization=tree[cell])
    client.force_login(officer)
    # +1: the count of unread notices in the navigation bar (issue 18).
    with django_assert_max_num_queries(11):
        page = client.get("/members/").content.decode()
    assert page.count('class="text-body-secondary member-grassroots">Đảng bộ xã Đồng Ý<') == 10
    assert page.count('class="text-body-secondary member-grassroots">Đảng bộ xã Nhất Tiến<') == 10


def test_the_unit_page_links_to_its_file_plans_and_report(client, officer, secretary_nhat_tien, tree):
    from tests.cycle_factories import year_opened

    year_opened(officer=officer, tree=tree, year=2025)
    client.force_login(officer)
    page = client.get("/units/BS-NHAT-TIEN/").content.decode()
    links = page[page.index('id="unit-links"') : page.index("</p>", page.index('id="unit-links"'))]
    assert 'href="/review/BS-NHAT-TIEN/2025/"' in links and "/consolidation/?unit=BS-NHAT-TIEN" in links
    assert "/reports/BS-NHAT-TIEN/" in links
    client.force_login(secretary_nhat_tien)
    page = client.get("/units/BS-NHAT-TIEN/").content.decode()
    assert 'href="/portal/BS-NHAT-TIEN/2025/"' in page
