"""The admin's organization picker for a committee's rule settings offers only the organizations in the user's scope,
in the form and in its search box; an organization outside the scope is refused and nothing is written."""

import json

import pytest

from assessments.models import Kind, PeriodRule, RuleSetting
from tests.factories import OrganizationFactory, staff_with

pytestmark = pytest.mark.django_db

ADD = "/admin/assessments/rulesetting/add/"
PICKER = "/admin/autocomplete/?app_label=assessments&model_name=rulesetting&field_name=organization&term="


@pytest.fixture
def staff_officer(officer):
    """The district officer of Bắc Sơn, let into the admin for the rule settings."""
    return staff_with(officer, ["add_rulesetting", "change_rulesetting", "view_rulesetting", "view_organization"])


@pytest.fixture
def other_district(tree):
    return OrganizationFactory(code="CL", name="Đảng bộ huyện Chi Lăng", kind=Kind.DISTRICT, sector="",
                               parent=tree["LS"])  # fmt: skip


def test_the_picker_offers_only_the_officers_subtree(client, tree, staff_officer, other_district):
    client.force_login(staff_officer)
    assert client.get(ADD).status_code == 200
    found = {row["text"] for row in json.loads(client.get(PICKER).content)["results"]}
    assert any("Đồng Ý" in text for text in found)
    assert not any("Chi Lăng" in text or "tỉnh Lạng Sơn" in text for text in found)
    found = json.loads(client.get(PICKER + "chi lang").content)["results"]
    assert found == []


def test_an_organization_outside_the_scope_is_refused(client, tree, staff_officer, other_district):
    client.force_login(staff_officer)
    row = PeriodRule.objects.get(period__code="hd21-2019", rule="sick_leave")
    data = {"organization": other_district.pk, "period_rule": row.pk, "enabled": "", "reason": "Thí điểm"}
    response = client.post(ADD, data)
    assert response.status_code == 200 and "organization" in response.context["adminform"].form.errors
    assert not RuleSetting.objects.exists()
    data["organization"] = tree["BS-DONG-Y"].pk
    assert client.post(ADD, data).status_code == 302
    assert RuleSetting.objects.get().organization == tree["BS-DONG-Y"]


def test_the_administrator_still_picks_any_organization(client, tree, admin_user, other_district):
    client.force_login(admin_user)
    found = {row["text"] for row in json.loads(client.get(PICKER + "chi lang").content)["results"]}
    assert any("Chi Lăng" in text for text in found)
