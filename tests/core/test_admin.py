"""The admin for data corrections: folded search, rules enforced, history with revert."""

import pytest

from assessments.models import UnitAssessment
from tests.factories import level

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _rating_form(organization, year: int, rating_level, note: str = "") -> dict:
    """What the admin's unit rating form posts."""
    return {"organization": organization.pk, "year": year, "level": rating_level.pk, "note": note}


def test_search_ignores_case_and_diacritics(admin_client, tree):
    response = admin_client.get("/admin/assessments/organization/", {"q": "dong y"})
    assert "Đảng bộ xã Đồng Ý" in response.content.decode()
    assert "Nhất Tiến" not in response.content.decode()


def test_search_folds_d_with_stroke(admin_client, tree):
    response = admin_client.get("/admin/assessments/organization/", {"q": "ĐỒNG Ý"})
    assert "Đảng bộ xã Đồng Ý" in response.content.decode()


def test_member_search_by_folded_name(admin_client, tree):
    from tests.factories import MemberFactory

    MemberFactory(full_name="Lương Thị Đào", organization=tree["BS-DONG-Y-01"])
    response = admin_client.get("/admin/assessments/member/", {"q": "luong thi dao"})
    assert "Lương Thị Đào" in response.content.decode()


def test_admin_refuses_a_level_of_another_scheme(admin_client, tree):
    response = admin_client.post(
        "/admin/assessments/unitassessment/add/",
        _rating_form(tree["BS-DONG-Y"], 2017, level("qd132-2018", "unit", "excellent")),
    )
    assert response.status_code == 200
    assert "thuộc Quy định 132-QĐ/TW, không dùng cho năm 2017" in response.content.decode()  # named, not coded
    assert not UnitAssessment.objects.exists()


def test_rating_change_in_admin_is_in_history_and_can_be_reverted(admin_client, admin_user, tree):
    good = level("hd27-2014", "unit", "good")
    rating = UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2017, level=good)
    response = admin_client.post(
        f"/admin/assessments/unitassessment/{rating.pk}/change/",
        _rating_form(tree["BS-DONG-Y"], 2017, level("hd27-2014", "unit", "weak"), "Sửa theo quyết định"),
    )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.level.code == "weak"
    newest = rating.history.first()
    assert newest.history_user == admin_user
    original = rating.history.last()
    history_page = admin_client.get(f"/admin/assessments/unitassessment/{rating.pk}/history/")
    assert "admin" in history_page.content.decode()
    revert = f"/admin/assessments/unitassessment/{rating.pk}/history/{original.history_id}/"
    assert admin_client.post(revert, _rating_form(tree["BS-DONG-Y"], 2017, good)).status_code == 302
    rating.refresh_from_db()
    assert rating.level.code == "good"


@pytest.mark.parametrize(
    "model",
    [
        "organization",
        "member",
        "membership",
        "ratingscheme",
        "ratinglevel",
        "unitassessment",
        "memberassessment",
        "user",
        "yearcycle",
        "submission",
        "importrecord",
        "summary",
    ],
)
def test_every_model_has_a_working_admin_list(admin_client, members, model, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = admin_client.get(f"/admin/assessments/{model}/")
    assert response.status_code == 200


def test_admin_refuses_to_change_a_finalized_rating_with_a_form_error(admin_client, tree, officer):
    from assessments.models import Submission, SubmissionStatus
    from tests.cycle_factories import year_opened

    submissions = year_opened(officer=officer, tree=tree, year=2025)
    rating = UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y"], year=2025, level=level("qd366-2025", "unit", "good")
    )
    Submission.objects.filter(pk=submissions["BS-DONG-Y"].pk).update(status=SubmissionStatus.FINALIZED)
    response = admin_client.post(
        f"/admin/assessments/unitassessment/{rating.pk}/change/",
        _rating_form(tree["BS-DONG-Y"], 2025, level("qd366-2025", "unit", "excellent")),
    )
    assert response.status_code == 200
    assert "đã chốt" in response.content.decode()
    rating.refresh_from_db()
    assert rating.level.code == "good"
