"""Probes the URL matrix does not make: POSTs without the CSRF token on every URL, open redirects through `next=`
and the language switch, the admin for non-staff and staff accounts, objects of another unit put into a form by
hand, and an import whose maker has moved to another unit.

The matrix (test_url_matrix) walks each URL with its path parameters; these tests hold what lies in the query
string, the POST body, the admin and the account's history. A test marked xfail(strict=True) is a hole found by the
security review and reported: it passes once the hole is closed, and strict makes the suite say so then.
"""

import datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.cycle import rules as cycle_rules
from assessments.importing import import_record_create
from assessments.models import (
    CriteriaSet,
    ImportRecord,
    Kind,
    Member,
    Organization,
    Role,
    UnitAssessment,
    YearCycle,
)
from consolidation.models import Task
from tests.conftest import PASSWORD
from tests.factories import MemberFactory, OrganizationFactory, UserFactory, staff_with
from tests.security import test_url_matrix as matrix
from tests.security.test_url_matrix import OTHER_YEAR, ROUTES, _row_counts, _url

pytestmark = pytest.mark.django_db

# The matrix's planted data (a commune with an object of every kind in Bắc Sơn and in Bình Gia) and Bình Gia's officer.
planted, officer_bg = matrix.planted, matrix.officer_bg

# Targets a `next=` must never send the browser to: another site written in the ways browsers accept.
FOREIGN_TARGETS = (
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example/",
    "javascript:alert(1)",
)


def _local(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


# --- CSRF: no URL takes a POST without the token ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "secretary_nhat_tien"])
def test_every_url_refuses_a_post_without_the_csrf_token_and_writes_nothing(request, planted, persona):
    client = Client(enforce_csrf_checks=True)
    client.force_login(request.getfixturevalue(persona))
    before = _row_counts()
    wrong = []
    for name, params in ROUTES:
        url = _url(name, params, planted["BS"])
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, {})
            if response.status_code != 403:
                wrong.append((method, url, response.status_code))
    for url in (reverse("admin:index"), reverse("admin:login"), reverse("logout"), reverse("api:token")):
        response = client.post(url, {})
        if response.status_code != 403:
            wrong.append(("post", url, response.status_code))
    assert not wrong
    assert _row_counts() == before


def test_the_api_token_is_neither_made_nor_revoked_by_a_session_post_without_the_csrf_token(officer):
    from knox.models import AuthToken

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    AuthToken.objects.create(user=officer)
    assert client.post(reverse("api:token")).status_code == 403
    assert client.delete(reverse("api:token")).status_code == 403
    assert client.post(reverse("api_token"), {"action": "revoke"}).status_code == 403
    assert client.post(reverse("api_token"), {"action": "create"}).status_code == 403
    assert AuthToken.objects.filter(user=officer).count() == 1


# --- open redirects ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", FOREIGN_TARGETS)
def test_the_language_switch_never_sends_the_browser_to_another_site(client, officer, target):
    for logged_in in (False, True):
        if logged_in:
            client.force_login(officer)
        response = client.post(reverse("set_language"), {"language": "en", "next": target})
        assert response.status_code == 302
        assert _local(response["Location"]), (target, response["Location"])
        referred = client.post(reverse("set_language"), {"language": "vi"}, HTTP_REFERER=target)
        assert _local(referred["Location"]), (target, referred["Location"])


@pytest.mark.parametrize("target", FOREIGN_TARGETS)
def test_logging_in_never_sends_the_browser_to_another_site(client, officer, target):
    response = client.post(reverse("login") + "?next=" + target, {"username": "binh", "password": PASSWORD})
    assert response.status_code == 302 and _local(response["Location"]), response["Location"]
    response = client.post(reverse("login"), {"username": "binh", "password": PASSWORD, "next": target})
    assert response.status_code == 302 and _local(response["Location"]), response["Location"]
    # Already logged in, the login page sends the user on: home, not the foreign address.
    again = client.get(reverse("login"), {"next": target})
    assert again.status_code == 302 and _local(again["Location"]), again["Location"]


@pytest.mark.parametrize("target", FOREIGN_TARGETS)
def test_marking_notices_read_and_the_import_pages_never_send_the_browser_to_another_site(
    client, secretary_nhat_tien, target
):
    client.force_login(secretary_nhat_tien)
    response = client.post(reverse("assessments:notices_read"), {"next": target})
    assert response.status_code == 302 and _local(response["Location"]), response["Location"]
    page = client.get(reverse("assessments:import_upload"), {"next": target})
    assert page.status_code == 200
    assert page.context["next_url"] == ""  # no way back offered to it (the language switch's own next is the page)


# --- stored files: never served by their path, never named after the upload -----------------------------------------


def test_no_stored_file_is_reachable_by_its_path_or_named_after_the_upload(client, planted, officer):
    side = planted["BS"]
    stored = [
        (side["document"].file, "bao-cao"),
        (side["self_assessment"].file, "tu-kiem-diem"),
        (side["import"].file, "xep-loai"),
        (side["issued"].pdf_file, None),
        (side["issued"].docx_file, None),
    ]
    client.force_login(officer)
    for handle, original in stored:
        assert handle.name and (original is None or original not in handle.name), handle.name
        for url in (settings.MEDIA_URL + handle.name, "/media/" + handle.name, "/" + handle.name):
            assert client.get(url).status_code == 404, url


# --- the admin ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer", "leader", "secretary_nhat_tien"])
def test_the_admin_is_closed_to_accounts_that_are_not_staff_even_with_the_password(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for url in (
        reverse("admin:index"),
        reverse("admin:assessments_member_changelist"),
        reverse("admin:assessments_organization_change", args=[user.organization_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), url
    # The admin's own login form does not let them in either.
    client.logout()
    response = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.fixture
def staff_officer_and_outsider(tree, officer):
    """Bắc Sơn's officer let into the admin to read members and organizations, and a member of another district."""
    other = OrganizationFactory(
        code="CL", name="Đảng bộ huyện Chi Lăng", kind=Kind.DISTRICT, sector="", parent=tree["LS"]
    )
    outsider = MemberFactory(organization=other, full_name="Hoàng Văn Ngoài")
    return staff_with(officer, ["view_member", "view_organization"]), outsider


def test_a_staff_officer_finds_no_member_of_another_district_in_the_admin(client, staff_officer_and_outsider):
    staff, outsider = staff_officer_and_outsider
    client.force_login(staff)
    listed = client.get(reverse("admin:assessments_member_changelist"))
    assert listed.status_code == 200
    assert "Hoàng Văn Ngoài" not in listed.content.decode()
    opened = client.get(reverse("admin:assessments_member_change", args=[outsider.pk]))
    assert _not_found(opened) and "Hoàng Văn Ngoài" not in opened.content.decode()
    history = client.get(reverse("admin:assessments_member_history", args=[outsider.pk]))
    assert history.status_code == 404 and "Hoàng Văn Ngoài" not in history.content.decode()
    organizations = client.get(reverse("admin:assessments_organization_changelist"))
    assert "Chi Lăng" not in organizations.content.decode()


def _admin_post_data(page) -> dict:
    """What the admin's change page would post back unchanged: the form's initial values, the inlines left empty."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        value = getattr(value, "pk", value)
        value = value.isoformat() if hasattr(value, "isoformat") else value
        data[name] = "" if value is None else value
    for inline in page.context["inline_admin_formsets"]:
        data[f"{inline.formset.prefix}-TOTAL_FORMS"] = data[f"{inline.formset.prefix}-INITIAL_FORMS"] = 0
    return data


def _unchanged_post_data(url: str, admin_user) -> dict:
    """What the change page would post back unchanged, read by an administrator: the staff officer, for whom the
    row is out of scope, is not shown the page."""
    reader = Client()
    reader.force_login(admin_user)
    return _admin_post_data(reader.get(url))


def _not_found(response) -> bool:
    """The admin's answer for a row outside the scope, the one it gives for a row that does not exist: a redirect to
    its index, which says so."""
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_staff_officer_cannot_change_a_member_of_another_district_in_the_admin(client, planted, officer, admin_user):
    staff_with(officer, ["view_member", "change_member"])
    member = Member.objects.get(full_name="Hoàng Thị Kín")  # of Hòa Bình, in Bình Gia
    url = reverse("admin:assessments_member_change", args=[member.pk])
    data = _unchanged_post_data(url, admin_user) | {"full_name": "Đã sửa từ Bắc Sơn"}
    client.force_login(officer)
    response = client.post(url, data)
    assert _not_found(response)
    member.refresh_from_db()
    assert member.full_name == "Hoàng Thị Kín"


def test_a_staff_officer_cannot_change_another_districts_plan_in_the_admin(client, planted, officer, admin_user):
    staff_with(officer, ["view_plan", "change_plan", "view_task", "add_task"])
    plan = planted["BG"]["plan"]
    title = plan.title
    url = reverse("admin:consolidation_plan_change", args=[plan.pk])
    data = _unchanged_post_data(url, admin_user) | {"title": "Đã sửa từ Bắc Sơn"}
    client.force_login(officer)
    assert _not_found(client.get(url))
    assert _not_found(client.post(url, data))
    # A task put on the plan by its id, from the task's own page: refused on the form, nothing written.
    added = client.post(
        reverse("admin:consolidation_task_add"),
        {
            "plan": plan.pk,
            "area": "political",
            "description": "Nhiệm vụ lấn",
            "owner": "",
            "due_on": "",
            "status": "not_started",
        },
    )
    assert added.status_code == 200 and "Không tìm thấy" in str(added.context["adminform"].form.non_field_errors())
    plan.refresh_from_db()
    assert plan.title == title
    assert not Task.objects.filter(plan=plan, description="Nhiệm vụ lấn").exists()


def test_a_staff_officer_cannot_change_another_districts_year_in_the_admin(client, planted, officer, admin_user):
    staff_with(officer, ["view_yearcycle", "change_yearcycle"])
    cycle = YearCycle.objects.get(organization__code="BG", year=OTHER_YEAR)
    deadline = cycle.deadline
    url = reverse("admin:assessments_yearcycle_change", args=[cycle.pk])
    data = _unchanged_post_data(url, admin_user) | {"deadline": f"{OTHER_YEAR + 1}-06-30"}
    client.force_login(officer)
    assert _not_found(client.get(url))
    assert _not_found(client.post(url, data))
    cycle.refresh_from_db()
    assert cycle.deadline == deadline


# --- objects of another unit put into a form by hand ----------------------------------------------------------------


def test_a_secretary_cannot_decide_another_communes_cell_by_adding_its_field(
    client,
    planted,
    tree,
    secretary_nhat_tien,
):
    level = cycle_rules.unit_levels(OTHER_YEAR)[0]
    client.force_login(secretary_nhat_tien)
    url = reverse("assessments:portal_cells", args=["BS-NHAT-TIEN", OTHER_YEAR])
    for code in ("BS-DONG-Y-01", "BS-NHAT-TIEN-01"):  # another commune's cell, then one of her own (the control)
        client.post(url, {f"cell_{tree[code].pk}": f"level:{level.pk}", "override_reason": "Ban Thường vụ quyết định"})
    assert not UnitAssessment.objects.filter(organization=tree["BS-DONG-Y-01"]).exists()
    assert UnitAssessment.objects.filter(organization=tree["BS-NHAT-TIEN-01"], level=level).exists()


def test_an_officer_cannot_open_a_year_or_issue_a_criteria_set_for_another_district(
    client,
    planted,
    officer,
):
    # Each form is posted for another district's unit, then for one of Bắc Sơn's (the control: the form is valid).
    # (A plan for another district's unit: tests/consolidation, test_officer_cannot_target_a_unit_outside_scope.)
    client.force_login(officer)
    for code in ("BG", "BS"):
        organization = Organization.objects.get(code=code)
        client.post(
            reverse("assessments:cycle_list"),
            {"organization": organization.pk, "year": OTHER_YEAR + 1, "deadline": f"{OTHER_YEAR + 1}-12-15"},
        )
    for code in ("BG-HOA-BINH", "BS-NHAT-TIEN"):
        organization = Organization.objects.get(code=code)
        client.post(
            reverse("assessments:criteria_create"),
            {
                "code": f"TC-MOI-{code}",
                "name": "Bộ tiêu chí mới",
                "issuer": organization.pk,
                "subject_group": "organizations",
                "first_year": 2025,  # a scored year: criteria sets belong to QĐ 366
                "last_year": "",
            },
        )
    assert set(YearCycle.objects.filter(year=OTHER_YEAR + 1).values_list("organization__code", flat=True)) == {"BS"}
    assert set(CriteriaSet.objects.filter(code__startswith="TC-MOI-").values_list("issuer__code", flat=True)) == {
        "BS-NHAT-TIEN"
    }


# --- an account whose organization moved ------------------------------------------------------------------------------


@pytest.fixture
def dong_y_import(tree, secretary_dong_y, media):
    """A file of Đồng Ý's member ratings, uploaded by its secretary (recorded as the upload page does)."""
    content = ContentFile("Số thẻ đảng viên,Xếp loại\n1,xuất sắc\n".encode(), name="dong-y.csv")
    record = import_record_create(handle=content, name="dong-y.csv", data_type="member_ratings", actor=secretary_dong_y)
    ImportRecord.objects.filter(pk=record.pk).update(status="failed")
    return record


def test_an_import_stays_with_its_unit_when_the_person_who_made_it_moves(
    client, tree, dong_y_import, officer, secretary_dong_y, secretary_nhat_tien
):
    assert dong_y_import.organization == tree["BS-DONG-Y"]
    client.force_login(secretary_nhat_tien)
    assert client.get(reverse("assessments:import_preview", args=[dong_y_import.pk])).status_code == 404
    # Đồng Ý's secretary becomes the secretary of a cell of Nhất Tiến: the file of Đồng Ý does not follow him there.
    secretary_dong_y.organization = tree["BS-NHAT-TIEN-01"]
    secretary_dong_y.save()
    for persona in (secretary_nhat_tien, secretary_dong_y):
        client.force_login(persona)
        for name in ("import_preview", "import_errors"):
            page = client.get(reverse(f"assessments:{name}", args=[dong_y_import.pk]))
            assert page.status_code == 404, (persona.username, name)
    # It stays in the scope of the unit it was made for: the district's officer, who has Đồng Ý in scope, reads it.
    client.force_login(officer)
    for name in ("import_preview", "import_errors"):
        assert client.get(reverse(f"assessments:{name}", args=[dong_y_import.pk])).status_code == 200, name


def test_a_commune_moved_to_another_district_takes_its_cells_out_of_the_old_districts_scope(
    client,
    tree,
    officer,
    officer_bg,
    secretary_dong_y,
    admin_user,
):
    commune = tree["BS-DONG-Y"]
    commune.parent = officer_bg.organization
    services.organization_save(organization=commune, actor=admin_user)
    cell = reverse("assessments:unit_detail", args=["BS-DONG-Y-01"])
    client.force_login(officer)
    assert client.get(cell).status_code == 404
    assert client.get("/api/v1/organizations/", {"parent": "BS-DONG-Y"}).json()["results"] == []
    client.force_login(officer_bg)
    assert client.get(cell).status_code == 200
    client.force_login(secretary_dong_y)  # the commune's own secretary keeps the commune and its cells
    assert client.get(cell).status_code == 200


@pytest.mark.parametrize(
    "backend", ["assessments.accounts.backends.OrganizationModelBackend", "django.contrib.auth.backends.ModelBackend"]
)
def test_a_deactivated_account_loses_its_open_session_at_once(client, secretary_nhat_tien, backend):
    client.force_login(secretary_nhat_tien, backend=backend)
    assert client.get(reverse("assessments:unit_detail", args=["BS-NHAT-TIEN"])).status_code == 200
    secretary_nhat_tien.is_active = False
    secretary_nhat_tien.save()
    page = client.get(reverse("assessments:unit_detail", args=["BS-NHAT-TIEN"]))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    assert client.get("/api/v1/organizations/").status_code == 401


def test_an_account_tied_to_a_dissolved_unit_sees_only_that_unit(client, tree):
    secretary = UserFactory(username="cu", role=Role.SECRETARY, organization=tree["BS-CU"])
    client.force_login(secretary)
    assert client.get(reverse("assessments:unit_detail", args=["BS-CU"])).status_code == 200
    for code in ("BS", "BS-NHAT-TIEN", "BS-DONG-Y-01"):
        assert client.get(reverse("assessments:unit_detail", args=[code])).status_code == 404, code
    last_year = datetime.date.today().year - 1
    assert client.get(reverse("assessments:portal_detail", args=["BS-CU", last_year])).status_code == 404
