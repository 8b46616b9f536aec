"""The admin's pickers of the discipline records, the members' exempt or suspended times and the overrides offer only
the user's scope, as the rule settings' do (admin_scope): the form's choices and its search boxes list in-scope
organizations and members only, an id posted from outside the scope is refused and nothing is written; an
administrator still picks anything."""

import datetime
import json

import pytest

from assessments.models import Discipline, Kind, Membership, MemberStatusSpan, RuleOverride
from tests.factories import MemberFactory, OrganizationFactory, staff_with

pytestmark = pytest.mark.django_db

DISCIPLINE = "/admin/assessments/discipline/add/"
SPAN = "/admin/assessments/memberstatusspan/add/"
PICKER = "/admin/autocomplete/?app_label=assessments&model_name={model}&field_name={field}&term={term}"


@pytest.fixture
def staff_officer(officer):
    """The district officer of Bắc Sơn, let into the admin for the regulation's records."""
    codenames = [
        f"{action}_{model}"
        for action in ("add", "change", "view")
        for model in ("discipline", "memberstatusspan", "ruleoverride")
    ] + ["view_organization", "view_member"]
    return staff_with(officer, codenames)


@pytest.fixture
def people(tree):
    """A member of a cell of Đồng Ý, and the other district Chi Lăng with a member of its own."""
    other = OrganizationFactory(code="CL", name="Đảng bộ huyện Chi Lăng", kind=Kind.DISTRICT, sector="",
                                parent=tree["LS"])  # fmt: skip
    inside = MemberFactory(organization=tree["BS-DONG-Y-01"], full_name="Hoàng Văn Trong")
    outside = MemberFactory(organization=other, full_name="Hoàng Văn Ngoài")
    for member in (inside, outside):
        Membership.objects.create(member=member, organization=member.organization, start=datetime.date(2010, 1, 1))
    return {"other": other, "inside": inside, "outside": outside}


def _found(client, model: str, field: str, term: str = "") -> set[str]:
    response = client.get(PICKER.format(model=model, field=field, term=term))
    assert response.status_code == 200
    return {row["text"] for row in json.loads(response.content)["results"]}


def _choices(client, url: str, field: str) -> set:
    return set(client.get(url).context["adminform"].form.fields[field].queryset)


def test_the_discipline_form_lists_only_the_officers_organizations_and_members(client, tree, staff_officer, people):
    client.force_login(staff_officer)
    organizations = _choices(client, DISCIPLINE, "organization")
    assert tree["BS-DONG-Y"] in organizations and tree["BS"] in organizations
    assert people["other"] not in organizations and tree["LS"] not in organizations
    assert _choices(client, DISCIPLINE, "member") == {people["inside"]}
    found = _found(client, "discipline", "organization")
    assert any("Đồng Ý" in text for text in found)
    assert not any("Chi Lăng" in text or "tỉnh Lạng Sơn" in text for text in found)
    assert _found(client, "discipline", "organization", "chi lang") == set()
    assert {text for text in _found(client, "discipline", "member", "hoang van") if "Hoàng Văn" in text} == {
        str(people["inside"])
    }


def _discipline(**subject) -> dict:
    return {"form": "reprimand", "decided_on": "2025-03-01", "decision_ref": "12-QĐ/UBKT",
            "deciding_body": "Ủy ban Kiểm tra Huyện ủy", "member": "", "organization": "", **subject}  # fmt: skip


def test_a_discipline_outside_the_scope_is_refused_and_nothing_is_written(client, tree, staff_officer, people):
    client.force_login(staff_officer)
    for field, outside in (("member", people["outside"]), ("organization", people["other"])):
        response = client.post(DISCIPLINE, _discipline(**{field: outside.pk}))
        assert response.status_code == 200
        what = "Đảng viên" if field == "member" else "Tổ chức đảng"
        assert response.context["adminform"].form.errors == {
            field: [f"{what} đã chọn không thuộc phạm vi của bạn: chỉ chọn {what.lower()} trong phạm vi."]
        }
    assert not Discipline.objects.exists()
    assert client.post(DISCIPLINE, _discipline(member=people["inside"].pk)).status_code == 302
    assert Discipline.objects.get().member == people["inside"]


def test_a_members_status_outside_the_scope_is_refused(client, tree, staff_officer, people):
    client.force_login(staff_officer)
    assert _choices(client, SPAN, "member") == {people["inside"]}
    data = {"member": people["outside"].pk, "kind": "exempt", "start": "2025-01-01", "end": ""}
    response = client.post(SPAN, data)
    assert response.status_code == 200 and "member" in response.context["adminform"].form.errors
    assert not MemberStatusSpan.objects.exists()
    data["member"] = people["inside"].pk
    assert client.post(SPAN, data).status_code == 302 and MemberStatusSpan.objects.get().member == people["inside"]


def test_an_override_cannot_be_moved_to_another_organization(client, tree, staff_officer, people):
    """The overrides are read only in the admin (recorded by the services that decide): a posted organization,
    in scope or not, changes nothing."""
    override = RuleOverride.objects.create(organization=tree["BS-DONG-Y"], year=2025, rule="member_cap_20",
                                           reason="Ban Thường vụ quyết định")  # fmt: skip
    client.force_login(staff_officer)
    url = f"/admin/assessments/ruleoverride/{override.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "organization" not in page.context["adminform"].form.fields
    client.post(url, {"organization": people["other"].pk, "reason": "khác"})
    override.refresh_from_db()
    assert override.organization == tree["BS-DONG-Y"] and override.reason == "Ban Thường vụ quyết định"


def test_the_administrator_still_picks_anyone(client, tree, admin_user, people):
    client.force_login(admin_user)
    assert any("Chi Lăng" in text for text in _found(client, "discipline", "organization", "chi lang"))
    assert people["outside"] in _choices(client, DISCIPLINE, "member")
    # A picker no admin scopes (a member's own organization) is left as it was.
    assert any("Chi Lăng" in text for text in _found(client, "member", "organization", "chi lang"))
