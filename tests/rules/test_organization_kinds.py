"""Kinds of organizations (issue 13, item 11): the rules of creation (which kind sits under which) apply to every
change of kind or parent, checked against the parent, the children and the members, with one answer per path."""

import pytest
from django.core.exceptions import ValidationError

from assessments import demo, services
from assessments.models import Kind, Organization
from tests.factories import MemberFactory
from tests.rules.paths import admin_errors, import_messages, import_rows

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "kind", "parent_code"]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def change_answers(admin_user, admin_client, tmp_path):
    """`change_answers(org, kind=..., parent=...)`: the messages of the service, the importer and the admin's form for
    one change made by the admin, in that order."""

    def answers_to(org: Organization, *, kind: str, parent: Organization | None) -> list[list[str]]:
        answers = []
        changed = Organization.objects.get(pk=org.pk) if org.pk else org
        changed.kind, changed.parent = kind, parent
        try:
            services.organization_save(organization=changed, actor=admin_user)
            answers.append([])
        except ValidationError as error:
            answers.append(error.messages)
        row = [org.code, org.name, kind, parent.code if parent else ""]
        answers.append(import_messages(import_rows(tmp_path, "organizations", [HEADER, row], user=admin_user)))
        data = {
            "code": org.code,
            "name": org.name,
            "kind": kind,
            "sector": org.sector,
            "parent": parent.pk if parent else "",
        }
        url = f"/admin/assessments/organization/{org.pk}/change/" if org.pk else "/admin/assessments/organization/add/"
        answers.append(admin_errors(admin_client.post(url, data)))
        return answers

    return answers_to


def test_a_district_cannot_become_a_cell(tree, change_answers):
    answers = change_answers(tree["BS"], kind=Kind.CELL, parent=tree["LS"])
    expected = ["Chi bộ trực thuộc đảng ủy cơ sở không thể trực thuộc đảng bộ tỉnh (LS)."]
    assert answers == [expected, expected, expected]
    assert Organization.objects.get(code="BS").kind == Kind.DISTRICT


def test_a_committee_with_cells_cannot_become_a_grassroots_cell(tree, change_answers):
    answers = change_answers(tree["BS-DONG-Y"], kind=Kind.GRASSROOTS_CELL, parent=tree["BS"])
    expected = [
        "BS-DONG-Y không thể là chi bộ cơ sở: các tổ chức trực thuộc BS-DONG-Y-01, BS-DONG-Y-02 không thể ở dưới "
        "loại này."
    ]
    assert answers == [expected, expected, expected]
    assert Organization.objects.get(code="BS-DONG-Y").kind == Kind.GRASSROOTS_COMMITTEE


def test_a_cell_with_members_cannot_become_a_subcommittee(tree, change_answers):
    MemberFactory(organization=tree["BS-DONG-Y-01"])
    answers = change_answers(tree["BS-DONG-Y-01"], kind=Kind.SUBCOMMITTEE, parent=tree["BS-DONG-Y"])
    expected = ["BS-DONG-Y-01 không thể là đảng ủy bộ phận: còn 1 đảng viên sinh hoạt ở đây (chỉ chi bộ có đảng viên)."]
    assert answers == [expected, expected, expected]


def test_a_cell_without_members_may_become_a_subcommittee(tree, change_answers):
    answers = change_answers(tree["BS-DONG-Y-02"], kind=Kind.SUBCOMMITTEE, parent=tree["BS-DONG-Y"])
    assert answers == [[], [], []]
    assert Organization.objects.get(code="BS-DONG-Y-02").kind == Kind.SUBCOMMITTEE


def test_a_cell_cannot_be_created_directly_under_a_district(tree, change_answers):
    new = Organization(code="BS-LE", name="Chi bộ lẻ", kind=Kind.CELL, sector="")
    answers = change_answers(new, kind=Kind.CELL, parent=tree["BS"])
    expected = ["Chi bộ trực thuộc đảng ủy cơ sở không thể trực thuộc đảng bộ huyện (BS)."]
    assert answers == [expected, expected, expected]
    assert not Organization.objects.filter(code="BS-LE").exists()


def test_the_demo_tree_passes_the_rules_of_kinds(tree):
    with pytest.raises(ValidationError) as refused:
        demo.organizations_check([Organization(code="X", name="X", kind=Kind.CELL, parent=tree["LS"])])
    assert refused.value.messages == ["Chi bộ trực thuộc đảng ủy cơ sở không thể trực thuộc đảng bộ tỉnh (LS)."]


def test_an_organization_ending_before_it_is_founded_gets_one_answer_in_every_path(
    tree, admin_user, admin_client, tmp_path
):
    import datetime

    expected = ["Ngày kết thúc phải sau ngày thành lập."]
    cell = Organization.objects.get(code="BS-DONG-Y-01")
    cell.valid_from, cell.valid_to = datetime.date(2018, 1, 1), datetime.date(2017, 1, 1)
    with pytest.raises(ValidationError) as refused:
        services.organization_save(organization=cell, actor=admin_user)
    assert refused.value.message_dict == {"valid_to": expected}
    # No valid_from column: the end is checked against the stored foundation date, by the handler's rule call.
    rows = [[*HEADER, "valid_to"], [cell.code, cell.name, "cell", "BS-DONG-Y", "2017-01-01"]]
    Organization.objects.filter(pk=cell.pk).update(valid_from=datetime.date(2018, 1, 1))
    assert import_messages(import_rows(tmp_path, "organizations", rows, user=admin_user)) == expected
    data = {"code": cell.code, "name": cell.name, "kind": "cell", "sector": cell.sector, "parent": tree["BS-DONG-Y"].pk}
    data.update({"valid_from": "2018-01-01", "valid_to": "2017-01-01"})
    assert expected[0] in admin_errors(admin_client.post(f"/admin/assessments/organization/{cell.pk}/change/", data))
    assert Organization.objects.get(pk=cell.pk).valid_to is None
