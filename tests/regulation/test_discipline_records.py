"""Discipline records: the import type `disciplines` (exactly one of card_number and organization_code, FILE:ROW:COLUMN
errors, nothing written on any error, export round trip), the new member_ratings columns, and the admin's checks."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.importing.exporting import data_export
from assessments.models import Discipline, MemberAssessment
from tests.factories import level
from tests.importfiles import csv_bytes, csv_imported, file_imported

pytestmark = pytest.mark.django_db

D = ["card_number", "organization_code", "form", "decided_on", "decision_ref", "deciding_body", "note"]


def test_disciplines_import_members_and_organizations_and_round_trip(members, tree, tmp_path, officer):
    card = members[0].card_number
    rows = [
        D,
        [card, "", "warning", "05/06/2019", "12-QĐ/UBKT", "Ủy ban Kiểm tra Huyện ủy", "Vi phạm quy chế"],
        ["", "BS-DONG-Y-01", "reprimand", "2019-03-01", "3-QĐ/HU", "Ban Thường vụ Huyện ủy", ""],
    ]
    result = csv_imported(tmp_path, "disciplines", rows, user=officer)
    assert result.ok and result.created == 2
    record = Discipline.objects.get(member=members[0])
    assert (record.form, record.decided_on, record.deciding_body) == (
        "warning",
        datetime.date(2019, 6, 5),
        "Ủy ban Kiểm tra Huyện ủy",
    )
    assert record.history.first().history_user == officer
    exported = tmp_path / "out.csv"
    assert data_export("disciplines", str(exported), organization=tree["BS"]) == 2
    again = file_imported(exported, "disciplines", user=officer)
    assert again.ok and again.unchanged == 2 and Discipline.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["", "", "warning", "2019-06-05", "1-QĐ", "UBKT"], "card_number", "chỉ một trong hai"),
        (["{card}", "BS-DONG-Y-01", "warning", "2019-06-05", "1-QĐ", "UBKT"], "card_number", "chỉ một trong hai"),
        (["{card}", "", "giai tan", "2019-06-05", "1-QĐ", "UBKT"], "form", "không dùng cho đảng viên"),
        (["", "BS-DONG-Y-01", "expulsion", "2019-06-05", "1-QĐ", "UBKT"], "form", "không dùng cho tổ chức đảng"),
        (["{card}", "", "phạt", "2019-06-05", "1-QĐ", "UBKT"], "form", "không phải giá trị hợp lệ"),
        (["{card}", "", "warning", "32/13/2019", "1-QĐ", "UBKT"], "decided_on", "Ngày không hợp lệ"),
        (["{card}", "", "warning", "2019-06-05", "", "UBKT"], "decision_ref", ""),
        (["999999", "", "warning", "2019-06-05", "1-QĐ", "UBKT"], "card_number", "Không có đảng viên số thẻ 999999"),
        (["", "KHONG-CO", "warning", "2019-06-05", "1-QĐ", "UBKT"], "organization_code", "Không có tổ chức mã"),
    ],
)
def test_each_error_names_row_and_column_and_nothing_is_written(members, tmp_path, officer, row, column, message):
    good = [members[1].card_number, "", "reprimand", "2019-01-02", "2-QĐ", "UBKT"]
    bad = [cell.format(card=members[0].card_number) for cell in row]
    result = csv_imported(tmp_path, "disciplines", [D[:6], good, bad], user=officer)
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert Discipline.objects.count() == 0


def test_a_secretary_may_not_import_disciplines(members, tmp_path, secretary_dong_y):
    from assessments.importing import FileRejected

    with pytest.raises(FileRejected):
        csv_imported(tmp_path, "disciplines", [D[:6], [members[0].card_number, "", "warning", "2019-06-05", "1", "U"]],
            user=secretary_dong_y)  # fmt: skip
    assert Discipline.objects.count() == 0


def test_the_import_command_prints_file_row_column(members, tmp_path):
    path = tmp_path / "kl.csv"
    path.write_bytes(csv_bytes([D[:6], [members[0].card_number, "", "dissolution", "2019-06-05", "1", "U"]]))
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("import_data", "disciplines", str(path), stdout=out, stderr=err)
    assert stop.value.code == 1
    assert f"{path}:2:form: " in out.getvalue() + err.getvalue()
    assert Discipline.objects.count() == 0


def test_member_ratings_carry_sick_leave_and_civil_servant_level(members, tmp_path, officer):
    header = ["card_number", "year", "organization_code", "level", "sick_leave_months", "civil_servant_level"]
    card = members[0].card_number
    org = members[0].organization.code
    result = csv_imported(
        tmp_path, "member_ratings", [header, [card, 2019, org, "completed", "4", "completed"]], user=officer
    )
    assert result.ok, result.errors
    rating = MemberAssessment.objects.get(member=members[0], year=2019)
    assert (rating.sick_leave_months, rating.civil_servant_level) == (4, "completed")
    assert rating.level == level("qd132-2018", "member", "completed")
    result = csv_imported(
        tmp_path, "member_ratings", [header, [card, 2019, org, "completed", "13", "tốt"]], user=officer
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "sick_leave_months"), (2, "civil_servant_level")]


def test_the_unit_page_lists_the_decisions_in_its_subtree(client, officer, members, tree):
    from tests.regulation.helpers import disciplined

    disciplined(members[0], "warning", datetime.date(2019, 6, 5), ref="12-QĐ/UBKT")
    disciplined(tree["BS-DONG-Y-01"], "reprimand", datetime.date(2019, 3, 1), ref="3-QĐ/HU")
    disciplined(tree["BS-NHAT-TIEN-01"], "warning", datetime.date(2019, 3, 1), ref="4-QĐ/HU")
    client.force_login(officer)
    page = client.get(f"/units/{members[0].organization.parent.code}/").content.decode()
    section = page[page.index('id="disciplines"') :]
    assert "12-QĐ/UBKT" in section and "Cảnh cáo" in section and members[0].card_number in section
    assert "3-QĐ/HU" in section and "4-QĐ/HU" not in section


def test_the_admin_refuses_a_form_that_does_not_fit_the_subject_and_keeps_history(client, admin_user, members):
    client.force_login(admin_user)
    data = {"member": members[0].pk, "form": "dissolution", "decided_on": "2019-06-05", "decision_ref": "1-QĐ",
            "deciding_body": "UBKT Huyện ủy", "note": ""}  # fmt: skip
    response = client.post("/admin/assessments/discipline/add/", data)
    assert response.status_code == 200 and "không dùng cho đảng viên" in response.content.decode()
    data["form"] = "warning"
    response = client.post("/admin/assessments/discipline/add/", data)
    assert response.status_code == 302
    record = Discipline.objects.get()
    assert record.history.first().history_user == admin_user
