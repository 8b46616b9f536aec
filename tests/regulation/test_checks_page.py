"""The officers' page of a year's checks: what fails or was overridden, each unit linked, within the user's scope,
under a fixed number of queries; a secretary is refused."""

import pytest

from assessments.models import RuleOverride
from tests.regulation.helpers import member_rated, unit_rated

pytestmark = pytest.mark.django_db

URL = "/checks/BS/2019/"


@pytest.fixture
def results_2019(tree, officer):
    for cell_code in ("BS-DONG-Y-01", "BS-NHAT-TIEN-01"):
        for code in ("excellent", "good", "completed", "completed"):
            member_rated(tree[cell_code], 2019, "qd132-2018", code)
        unit_rated(tree[cell_code], 2019, "qd132-2018", "excellent")
    member_rated(tree["BS-DONG-Y-02"], 2019, "qd132-2018", "good", sick_leave_months=6)
    RuleOverride.objects.create(organization=tree["BS-NHAT-TIEN-01"], year=2019, rule="unit_excellent_thresholds",
                                reason="Thành tích xuất sắc về xây dựng nông thôn mới", decided_by=officer)  # fmt: skip


def test_officer_sees_failures_and_overrides_with_links_to_units(
    client, officer, results_2019, django_assert_max_num_queries
):
    client.force_login(officer)
    # Six units under BS (two communes, four cells): a few queries per unit that has something to check.
    with django_assert_max_num_queries(30):
        response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-rule="unit_excellent_thresholds" data-overridden="false"' in page
    assert 'data-rule="unit_excellent_thresholds" data-overridden="true"' in page
    assert "Thành tích xuất sắc về xây dựng nông thôn mới" in page
    assert 'href="/units/BS-DONG-Y-01/"' in page and 'data-rule="sick_leave"' in page
    assert "Hướng dẫn 21-HD/BTCTW" in page


def test_the_page_is_scoped_and_refused_to_a_secretary(client, secretary_nhat_tien, secretary_dong_y, results_2019):
    client.force_login(secretary_nhat_tien)
    assert client.get(URL).status_code == 404  # the district is above the secretary's scope
    assert client.get("/checks/BS-NHAT-TIEN/2019/").status_code == 403
    client.force_login(secretary_dong_y)
    assert client.get("/checks/BS-NHAT-TIEN/2019/").status_code == 404


def test_the_commune_page_lists_only_its_subtree(client, officer, results_2019):
    client.force_login(officer)
    page = client.get("/checks/BS-NHAT-TIEN/2019/").content.decode()
    assert "BS-NHAT-TIEN-01" in page and "BS-DONG-Y-01" not in page


def test_the_secretary_records_the_mass_organizations_answer_with_the_proposal(client, officer, tree, secretary_dong_y):
    from assessments.models import UnitAssessment
    from tests.cycle_factories import year_opened
    from tests.factories import level

    year_opened(officer=officer, tree=tree, year=2019)
    client.force_login(secretary_dong_y)
    excellent = level("qd132-2018", "unit", "excellent")
    client.post("/portal/BS-DONG-Y/2019/self-level/", {"level": excellent.pk, "mass_organizations": "no"})
    own = UnitAssessment.objects.get(organization=tree["BS-DONG-Y"], year=2019)
    assert own.self_level == excellent and own.mass_organizations_good is False
    client.post("/portal/BS-DONG-Y/2019/self-level/", {"level": excellent.pk, "mass_organizations": ""})
    own.refresh_from_db()
    assert own.mass_organizations_good is False  # blank keeps the answer
    client.post("/portal/BS-DONG-Y/2019/self-level/", {"level": excellent.pk, "mass_organizations": "yes"})
    own.refresh_from_db()
    assert own.mass_organizations_good is True


def _visible_text(page: str) -> str:
    """What the user reads: the page without its tags and their attributes (links and data-* keep the codes)."""
    import re

    return re.sub(r"<[^>]*>", " ", page)


def test_the_checks_page_names_units_and_rules_never_their_codes(client, officer, tree, results_2019):
    client.force_login(officer)
    text = _visible_text(client.get(URL).content.decode())
    assert tree["BS-DONG-Y-01"].name in text and "Điều kiện để tổ chức đảng hoàn thành xuất sắc" in text
    # A cell is told apart by its commune on the district's page.
    assert "Đảng bộ xã Đồng Ý" in text and "Đảng bộ xã Nhất Tiến" in text
    for code in ("unit_excellent_thresholds", "sick_leave", "member_cap_20", "BS-DONG-Y-01", "BS-NHAT-TIEN-01"):
        assert code not in text
