"""The rules of criteria sets fed to every write path: sums within the scheme's total and the group's maximum, a
set used by a decided rating locked (services, import, admin) with a new version instead, and a rating's score that
disagrees with its item scores refused (services, import, admin, demo loader's check)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments import demo, services
from assessments.criteria import services as criteria_services
from assessments.models import CriteriaGroup, CriteriaItem, CriteriaSet, ItemScore, UnitAssessment
from tests.criteria_factories import criteria_set_make
from tests.rules.paths import admin_errors, import_messages, import_rows

pytestmark = pytest.mark.django_db

LOCKED = (
    "Bộ tiêu chí TC-2025 (phiên bản 1) đã dùng cho kết quả xếp loại đã quyết định nên không sửa được: "
    "hãy tạo phiên bản mới."
)


def test_groups_above_the_schemes_total_are_refused(tree, officer):
    criteria_set = criteria_set_make(tree["BS"])
    group = CriteriaGroup(criteria_set=criteria_set, code="III", name="Thêm", max_points=Decimal(5))
    with pytest.raises(ValidationError) as refused:
        criteria_services.criteria_group_save(group=group, actor=officer)
    assert "cộng lại 105 điểm, quá tổng 100 điểm" in refused.value.message_dict["max_points"][0]


def test_items_above_their_groups_maximum_are_refused(tree, officer):
    criteria_set = criteria_set_make(tree["BS"])
    group = criteria_set.groups.get(code="I")
    with pytest.raises(ValidationError) as refused:
        criteria_services.criteria_item_save(
            item=CriteriaItem(group=group, code="1.3", name="Thêm", max_points=Decimal("0.5")), actor=officer
        )
    assert "cộng lại 30,5 điểm, quá 30 điểm tối đa của nhóm" in refused.value.message_dict["max_points"][0]


@pytest.mark.parametrize(
    ("issuer", "first_year", "field", "message"),
    [
        pytest.param("BS", 2020, "first_year", "không xếp loại theo điểm", id="starts_in_a_year_not_rated_by_score"),
        pytest.param("BS-DONG-Y-01", 2025, "issuer", "Bộ tiêu chí do cấp tỉnh hoặc đảng bộ xã", id="issued_by_a_cell"),
    ],
)
def test_a_set_is_refused_for_its_first_year_or_its_issuer(tree, officer, issuer, first_year, field, message):
    criteria_set = CriteriaSet(
        code="TC-X", name="Bộ", issuer=tree[issuer], subject_group="organizations", first_year=first_year
    )
    with pytest.raises(ValidationError) as refused:
        criteria_services.criteria_set_save(criteria_set=criteria_set, actor=officer)
    assert message in refused.value.message_dict[field][0]


def test_a_used_set_is_locked_on_every_path(used_set, officer, admin_client):
    used_set.name = "Đổi tên"
    with pytest.raises(ValidationError) as refused:
        criteria_services.criteria_set_save(criteria_set=used_set, actor=officer)
    assert refused.value.messages == [LOCKED]
    item = used_set.items.get(code="2.2")
    item.max_points = Decimal(20)
    with pytest.raises(ValidationError) as refused:
        criteria_services.criteria_item_save(item=item, actor=officer)
    assert refused.value.messages == [LOCKED]
    group = used_set.groups.get(code="II")
    with pytest.raises(ValidationError):
        criteria_services.criteria_group_delete(group=group, actor=officer)
    response = admin_client.post(
        f"/admin/assessments/criteriaitem/{item.pk}/change/",
        {"group": item.group_id, "code": "2.2", "name": "Khác", "max_points": "20", "order": "0"},
    )
    assert response.status_code == 200 and LOCKED in admin_errors(response)
    assert CriteriaItem.objects.get(pk=item.pk).max_points == 30
    assert CriteriaSet.objects.get(pk=used_set.pk).name == "Bộ tiêu chí TC-2025"


def test_a_set_not_yet_decided_on_can_still_change(tree, members, officer):
    criteria_set = criteria_set_make(tree["BS"], subject_group="members_outside")
    ItemScore.objects.create(item=criteria_set.items.get(code="1.1"), member=members[0], year=2025, score=10)
    criteria_set.name = "Tên mới"
    criteria_services.criteria_set_save(criteria_set=criteria_set, actor=officer)
    assert CriteriaSet.objects.get(pk=criteria_set.pk).name == "Tên mới"


def test_a_new_version_copies_groups_and_items_and_replaces_the_used_set(used_set, officer):
    copy = criteria_services.criteria_set_new_version(criteria_set=used_set, actor=officer)
    assert (copy.code, copy.version, copy.replaces) == ("TC-2025", 2, used_set)
    assert list(copy.groups.values_list("code", "max_points")) == [("I", 30), ("II", 70)]
    assert sorted(copy.items.values_list("code", flat=True)) == ["1.1", "1.2", "2.1", "2.2"]
    item = copy.items.get(code="2.2")
    item.name = "Đã sửa ở phiên bản 2"
    criteria_services.criteria_item_save(item=item, actor=officer)
    assert used_set.items.get(code="2.2").name == "Tiêu chí 2.2"
    with pytest.raises(ValidationError):
        criteria_services.criteria_set_new_version(criteria_set=used_set, actor=officer)


def test_a_secretary_may_not_change_a_set(tree, secretary_dong_y):
    from django.core.exceptions import PermissionDenied

    criteria_set = criteria_set_make(tree["BS-DONG-Y"])
    criteria_set.name = "Sửa"
    with pytest.raises(PermissionDenied):
        criteria_services.criteria_set_save(criteria_set=criteria_set, actor=secretary_dong_y)


def test_a_rating_score_that_disagrees_with_its_items_is_refused_by_every_path(
    tree, members, officer, admin_client, tmp_path
):
    criteria_set = criteria_set_make(tree["BS"], code="TC-TC")
    cell = tree["BS-DONG-Y-01"]
    for code, points in (("1.1", 14), ("2.1", 33)):
        ItemScore.objects.create(item=criteria_set.items.get(code=code), organization=cell, year=2025, score=points)
    expected = "Điểm 50 khác tổng điểm các tiêu chí (47): điểm của bản xếp loại là tổng điểm các tiêu chí."
    with pytest.raises(ValidationError) as refused:
        services.unit_assessment_save(assessment=UnitAssessment(organization=cell, year=2025, score=50), actor=officer)
    assert refused.value.message_dict == {"score": [expected]}
    with pytest.raises(ValidationError) as refused:
        demo.ratings_check([UnitAssessment(organization=cell, year=2025, score=50)])
    assert refused.value.message_dict == {"score": [expected]}
    response = admin_client.post(
        "/admin/assessments/unitassessment/add/",
        {"organization": cell.pk, "year": 2025, "period": "", "score": "50", "note": ""},
    )
    assert expected in admin_errors(response)
    assert not UnitAssessment.objects.exists()
    UnitAssessment.objects.create(organization=cell, year=2025)
    result = import_rows(
        tmp_path, "unit_ratings", [["organization_code", "year", "level"], [cell.code, 2025, ""]], user=officer
    )
    assert import_messages(result) == [
        "Điểm — khác tổng điểm các tiêu chí (47): điểm của bản xếp loại là tổng điểm các tiêu chí."
    ]
    rating = UnitAssessment.objects.get()
    rating.score = Decimal(47)
    services.unit_assessment_save(assessment=rating, actor=officer)
    assert UnitAssessment.objects.get().score == 47


def test_the_admin_does_not_delete_a_used_set(used_set, admin_client):
    response = admin_client.post(f"/admin/assessments/criteriaset/{used_set.pk}/delete/", {"post": "yes"}, follow=True)
    # Its scored items protect it (and the service's lock would refuse it too).
    assert "Không thể xóa bộ tiêu chí" in response.content.decode()
    assert CriteriaSet.objects.filter(pk=used_set.pk).exists() and used_set.items.count() == 4
    with pytest.raises(ValidationError) as refused:
        criteria_services.criteria_set_delete(criteria_set=used_set, actor=None)
    assert refused.value.messages == [LOCKED]
