"""Names and free text (issue 13, item 13): NFC, no control, format or bidi character, spaces collapsed, in every
text field of the forms (admin, cycle, consolidation) and of the imports."""

import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from assessments.common.text import text_normalize
from assessments.cycle.forms import ReopenForm
from assessments.models import Member, Organization
from tests.factories import MemberFactory
from tests.importfiles import csv_bytes
from tests.rules.paths import admin_errors, import_messages, import_rows, member_admin_data

pytestmark = pytest.mark.django_db

NFD_NAME = unicodedata.normalize("NFD", "  Hoàng   Thị  Đào ")
HIDDEN = {
    "zero-width space": "Hoàng\u200bThị Đào",
    "right-to-left override": "\u202eHoàng Thị Đào",
    "left-to-right isolate": "Hoàng \u2066Thị Đào",
    "null": "Hoàng\x00 Thị Đào",
    "byte order mark": "Hoàng Thị Đào\ufeff",
}


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_text_is_nfc_with_spaces_collapsed_and_line_breaks_kept_only_in_multi_line_text():
    assert text_normalize(NFD_NAME) == unicodedata.normalize("NFC", "Hoàng Thị Đào")
    assert text_normalize("Hoàng\tThị\r\nĐào") == "Hoàng Thị Đào"
    assert text_normalize(" Dòng một  \r\n\r\n  dòng   hai ", multiline=True) == "Dòng một\n\ndòng hai"


@pytest.mark.parametrize("what", sorted(HIDDEN))
def test_invisible_and_direction_characters_are_refused_naming_the_character(what):
    with pytest.raises(ValidationError) as refused:
        text_normalize(HIDDEN[what])
    assert "U+" in refused.value.messages[0]


def test_the_members_import_stores_normalized_names_and_refuses_hidden_characters(tree, officer, tmp_path):
    header = ["card_number", "full_name", "organization_code", "status", "ethnicity"]
    rows = [
        header,
        ["1", NFD_NAME, "BS-DONG-Y-01", "official", " Tày "],
        ["2", HIDDEN["zero-width space"], "BS-DONG-Y-01", "official", ""],
    ]
    result = import_rows(tmp_path, "members", rows, user=officer)
    assert [(e.row, e.column) for e in result.errors] == [(3, "full_name")]
    assert "U+200B" in import_messages(result)[0]
    rows.pop()
    assert import_rows(tmp_path, "members", rows, user=officer).ok
    member = Member.objects.get(card_number="1")
    assert (member.full_name, member.ethnicity) == (unicodedata.normalize("NFC", "Hoàng Thị Đào"), "Tày")
    assert Member.objects.filter(name_folded="hoang thi dao").exists()


def test_the_organizations_import_refuses_a_bidi_override_in_a_name(tree, admin_user, tmp_path):
    rows = [["code", "name", "kind", "parent_code"], ["BS-DONG-Y-03", "Chi bộ \u202ethôn 3", "cell", "BS-DONG-Y"]]
    result = import_rows(tmp_path, "organizations", rows, user=admin_user)
    assert [(e.row, e.column) for e in result.errors] == [(2, "name")]
    assert not Organization.objects.filter(code="BS-DONG-Y-03").exists()


def test_the_admin_normalizes_a_members_name_and_refuses_an_invisible_one(tree, admin_client):
    member = MemberFactory(organization=tree["BS-DONG-Y-01"])
    response = admin_client.post(
        f"/admin/assessments/member/{member.pk}/change/",
        member_admin_data(member, full_name=HIDDEN["right-to-left override"]),
    )
    assert any("U+202E" in message for message in admin_errors(response))
    response = admin_client.post(
        f"/admin/assessments/member/{member.pk}/change/", member_admin_data(member, full_name=NFD_NAME)
    )
    assert response.status_code == 302, admin_errors(response)
    assert Member.objects.get(pk=member.pk).full_name == unicodedata.normalize("NFC", "Hoàng Thị Đào")


def test_a_cycle_form_refuses_a_reason_made_of_invisible_characters():
    form = ReopenForm(data={"reason": "\u200b\u200b"})
    assert not form.is_valid()
    assert "U+200B" in form.errors["reason"][0]
    form = ReopenForm(data={"reason": "Sai  sót\r\n  ở dòng 3"})
    assert form.is_valid() and form.cleaned_data["reason"] == "Sai sót\nở dòng 3"


def test_a_consolidation_form_normalizes_its_text(tree):
    from consolidation.forms import MeasurementForm
    from tests.consolidation_factories import PlanFactory

    plan = PlanFactory(organization=tree["BS-DONG-Y"])
    form = MeasurementForm(data={"measured_on": "2018-12-31", "value": "2", "note": "\u202ehết"}, plan=plan)
    assert not form.is_valid() and "note" in form.errors


def test_the_accounts_file_normalizes_full_names_and_refuses_hidden_characters(tree):
    from assessments.accounts.bulk import accounts_create_from_file
    from assessments.models import User

    header = ["username", "role", "organization_code", "full_name"]
    good = ["bt.mot", "secretary", "BS-DONG-Y", NFD_NAME]
    bad = ["bt.hai", "secretary", "BS-NHAT-TIEN", HIDDEN["right-to-left override"]]

    def create(rows):
        return accounts_create_from_file(handle=io.BytesIO(csv_bytes(rows)), name="tk.csv", deliver=lambda pairs: None)

    assert [(e.row, e.column) for e in create([header, good, bad]).errors] == [(3, "full_name")]
    assert not User.objects.filter(username__startswith="bt.").exists()
    assert create([header, good]).errors == []
    user = User.objects.get(username="bt.mot")
    assert user.get_full_name() == unicodedata.normalize("NFC", "Hoàng Thị Đào")
