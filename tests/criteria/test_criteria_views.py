"""The criteria pages: officers write sets, groups and items in the browser; secretaries read the sets issued above
them and their own; 404 outside the scope, 403 for a role that may not write; list and detail under a fixed number
of queries; a used set offers a new version instead of its forms."""

import pytest
from django.urls import reverse

from assessments.models import CriteriaGroup, CriteriaItem, CriteriaSet
from tests.criteria_factories import criteria_set_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def sets(tree):
    """A provincial set, the district's, and one of each commune."""
    return {
        code: criteria_set_make(tree[code], code=f"TC-{code}") for code in ("LS", "BS", "BS-DONG-Y", "BS-NHAT-TIEN")
    }


def test_an_officer_creates_a_set_then_its_groups_and_items(client, tree, officer):
    client.force_login(officer)
    response = client.post(
        reverse("assessments:criteria_create"),
        {"code": "TC-DV-2025", "name": "Tiêu chí đảng viên 2025", "issuer": tree["BS"].pk,
         "subject_group": "members_in_system", "first_year": 2025},
    )  # fmt: skip
    criteria_set = CriteriaSet.objects.get(code="TC-DV-2025")
    assert response.status_code == 302 and response.url == reverse(
        "assessments:criteria_detail", args=[criteria_set.pk]
    )
    add_group = reverse("assessments:criteria_group_add", args=[criteria_set.pk])
    assert (
        client.post(add_group, {"code": "I", "name": "Tiêu chí chung", "max_points": "30", "order": 1}).status_code
        == 302
    )
    group = CriteriaGroup.objects.get(criteria_set=criteria_set)
    too_much = client.post(add_group, {"code": "II", "name": "Nhiệm vụ", "max_points": "75", "order": 2})
    assert too_much.status_code == 200
    assert "Các nhóm cộng lại 105 điểm, quá tổng 100 điểm" in too_much.content.decode()
    add_item = reverse("assessments:criteria_item_add", args=[criteria_set.pk])
    item = {"group": group.pk, "code": "1.1", "name": "Chính trị tư tưởng", "max_points": "15,5", "order": 1}
    assert client.post(add_item, item).status_code == 302
    assert CriteriaItem.objects.get(code="1.1").criteria_set == criteria_set
    page = client.get(reverse("assessments:criteria_detail", args=[criteria_set.pk])).content.decode()
    assert "Chính trị tư tưởng" in page and "chưa hoàn chỉnh" in page
    assert criteria_set.history.first().history_user == officer


def test_a_secretary_reads_the_sets_issued_above_and_for_them_but_not_another_communes(client, sets, secretary_dong_y):
    client.force_login(secretary_dong_y)
    page = client.get(reverse("assessments:criteria_list")).content.decode()
    assert all(f"TC-{code}" in page for code in ("LS", "BS", "BS-DONG-Y"))
    assert "TC-BS-NHAT-TIEN" not in page
    assert client.get(reverse("assessments:criteria_detail", args=[sets["LS"].pk])).status_code == 200
    assert client.get(reverse("assessments:criteria_detail", args=[sets["BS-NHAT-TIEN"].pk])).status_code == 404
    assert client.get(reverse("assessments:criteria_edit", args=[sets["BS-DONG-Y"].pk])).status_code == 403
    assert client.get(reverse("assessments:criteria_create")).status_code == 403


def test_an_officer_reads_the_provinces_set_but_may_not_change_it(client, sets, officer):
    client.force_login(officer)
    page = client.get(reverse("assessments:criteria_detail", args=[sets["LS"].pk])).content.decode()
    assert reverse("assessments:criteria_edit", args=[sets["LS"].pk]) not in page
    response = client.post(reverse("assessments:criteria_edit", args=[sets["LS"].pk]), {"name": "Đổi"})
    assert response.status_code == 403
    assert client.get(reverse("assessments:criteria_edit", args=[sets["BS"].pk])).status_code == 200


def test_a_used_set_shows_the_lock_and_makes_a_new_version(client, used_set, officer):
    criteria_set = used_set
    client.force_login(officer)
    detail = client.get(reverse("assessments:criteria_detail", args=[criteria_set.pk])).content.decode()
    assert 'id="locked"' in detail and "Tạo phiên bản mới" in detail
    refused = client.post(
        reverse("assessments:criteria_edit", args=[criteria_set.pk]),
        {"name": "Đổi tên", "subject_group": "members_outside", "first_year": 2025},
    )
    assert refused.status_code == 200 and "hãy tạo phiên bản mới" in refused.content.decode()
    response = client.post(reverse("assessments:criteria_new_version", args=[criteria_set.pk]))
    copy = CriteriaSet.objects.get(code=criteria_set.code, version=2)
    assert response.url == reverse("assessments:criteria_detail", args=[copy.pk])
    assert copy.items.count() == 4
    assert (
        client.post(
            reverse("assessments:criteria_edit", args=[copy.pk]),
            {"name": "Đã sửa", "subject_group": "members_outside", "first_year": 2025},
        ).status_code
        == 302
    )
    assert CriteriaSet.objects.get(pk=copy.pk).name == "Đã sửa"


def test_the_list_and_a_set_render_under_a_fixed_number_of_queries(
    client, sets, officer, django_assert_max_num_queries
):
    for index in range(5):
        criteria_set_make(officer.organization, code=f"TC-THEM-{index}")
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("assessments:criteria_list"))
    assert page.content.decode().count("phiên bản 1") == 9
    with django_assert_max_num_queries(14):
        detail = client.get(reverse("assessments:criteria_detail", args=[sets["BS"].pk]))
    assert detail.content.decode().count('class="text-end"') >= 6


def test_the_pages_fit_a_phone_screen(client, sets, officer):
    client.force_login(officer)
    for url in (reverse("assessments:criteria_list"), reverse("assessments:criteria_detail", args=[sets["BS"].pk])):
        page = client.get(url).content.decode()
        assert '<div class="table-responsive">' in page
