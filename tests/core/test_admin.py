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
    return {
        "organization": organization.pk,
        "year": year,
        "level": rating_level.pk,
        "note": note,
        "change_reason": "Sửa theo Quyết định 768-QĐ/HU",
    }


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
        organization=tree["BS-DONG-Y"], year=2025, level=level("qd366-2025", "unit", "good"), score=80
    )
    Submission.objects.filter(pk=submissions["BS-DONG-Y"].pk).update(status=SubmissionStatus.FINALIZED)
    response = admin_client.post(
        f"/admin/assessments/unitassessment/{rating.pk}/change/",
        _rating_form(tree["BS-DONG-Y"], 2025, level("qd366-2025", "unit", "excellent")) | {"score": "95"},
    )
    assert response.status_code == 200
    assert "đã chốt" in response.content.decode()
    rating.refresh_from_db()
    assert rating.level.code == "good"


def test_a_ratings_level_offers_its_years_levels_named_with_the_scheme_and_no_shortcuts(admin_client, tree):
    rating = UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "good")
    )
    response = admin_client.get(f"/admin/assessments/unitassessment/{rating.pk}/change/")
    form = response.context["adminform"].form
    labels = [label for value, label in form.fields["level"].choices if value]
    assert labels[0] == "Trong sạch, vững mạnh (Hướng dẫn 27-HD/BTCTW)"
    assert all(label.endswith("(Hướng dẫn 27-HD/BTCTW)") for label in labels) and len(labels) == 4
    page = response.content.decode()
    for shortcut in ("add_id_level", "change_id_level", "delete_id_level", "add_id_organization", "view_id_level"):
        assert shortcut not in page


def test_a_change_asks_for_a_reason_and_the_history_shows_it_with_old_and_new_values(admin_client, tree):
    good, weak = level("hd27-2014", "unit", "good"), level("hd27-2014", "unit", "weak")
    rating = UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2017, level=good)
    url = f"/admin/assessments/unitassessment/{rating.pk}/change/"
    unexplained = {**_rating_form(tree["BS-DONG-Y"], 2017, weak), "change_reason": ""}
    assert admin_client.post(url, unexplained).status_code == 200  # refused: the reason is required
    rating.refresh_from_db()
    assert rating.level == good
    assert admin_client.post(url, _rating_form(tree["BS-DONG-Y"], 2017, weak)).status_code == 302
    assert rating.history.first().history_change_reason == "Sửa theo Quyết định 768-QĐ/HU"
    page = admin_client.get(f"/admin/assessments/unitassessment/{rating.pk}/history/").content.decode()
    assert "Sửa theo Quyết định 768-QĐ/HU" in page
    assert "<strong>Xếp loại:</strong> Hoàn thành tốt nhiệm vụ → Yếu kém" in page
    assert ">None<" not in page and "Changed by" not in page


def test_member_ratings_are_found_and_filtered_by_their_grassroots_organization(admin_client, members):
    from assessments.models import MemberAssessment

    for member in members:
        MemberAssessment.objects.create(
            member=member, organization=member.organization, year=2017, level=level("hd27-2014", "member", "good")
        )
    in_dong_y = sum(1 for m in members if m.organization.code.startswith("BS-DONG-Y"))
    found = admin_client.get("/admin/assessments/memberassessment/", {"q": "dong y"})
    assert found.context["cl"].result_count == in_dong_y > 0
    filtered = admin_client.get("/admin/assessments/memberassessment/", {"co_so": "BS-DONG-Y"})
    assert filtered.context["cl"].result_count == in_dong_y


def test_the_admin_speaks_no_english_and_shows_no_dashes(admin_client, tree):
    rating = UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "good")
    )
    listing = admin_client.get("/admin/assessments/unitassessment/").content.decode()
    assert "Show counts" not in listing
    form = admin_client.get(f"/admin/assessments/unitassessment/{rating.pk}/change/").content.decode()
    assert "---------" not in form


def test_rating_filters_name_the_scheme_as_cited(admin_client, tree):
    UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "good"))
    UnitAssessment.objects.create(
        organization=tree["BS-NHAT-TIEN"], year=2018, level=level("qd132-2018", "unit", "good")
    )
    listing = admin_client.get("/admin/assessments/unitassessment/", {"quy_dinh": "qd132-2018"})
    page = listing.content.decode()
    assert "Bởi scheme" not in page and "Quy định 132-QĐ/TW" in page
    assert listing.context["cl"].result_count == 1
    assert "Bởi scheme" not in admin_client.get("/admin/assessments/ratinglevel/").content.decode()
