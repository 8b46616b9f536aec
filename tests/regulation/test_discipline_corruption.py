"""QĐ 124 (HD 25, 2023–2024) and QĐ 366 (HD 43, 2025 on) on a collective's discipline: a corruption case ending in
discipline in a subordinate unit, more than 20% of subordinate units disciplined, the unit itself disciplined; under
QĐ 366 no disciplined subordinate unit for the top level. The yes/no "corruption case" of discipline records, in
the admin, the import type `disciplines` (optional column `corruption`) and its export."""

import datetime

import pytest

from assessments.importing.exporting import data_export
from assessments.models import Discipline, Kind, PeriodRule, Sector
from tests.factories import OrganizationFactory
from tests.importfiles import csv_imported, file_imported
from tests.regulation.helpers import checks, disciplined, member_rated
from tests.regulation.test_discipline_records import D

pytestmark = pytest.mark.django_db


def _five_cells(commune):
    for i in range(3, 6):
        OrganizationFactory(code=f"{commune.code}-0{i}", name=f"Chi bộ {i}", kind=Kind.CELL, sector=Sector.COMMUNE,
                            parent=commune)  # fmt: skip


def test_qd124_a_corruption_case_in_a_subordinate_unit_makes_the_collective_not_completed(tree):
    commune = tree["BS-DONG-Y"]
    _five_cells(commune)
    record = disciplined(tree["BS-DONG-Y-01"], "reprimand", datetime.date(2023, 4, 2))
    # 1 of 5 cells disciplined: exactly 20%, not more; not a corruption case: nothing to refuse.
    assert checks(commune, 2023, "qd124-2023", "good", "collective_disciplined") == []
    record.corruption = True
    record.save()
    (result,) = checks(commune, 2023, "qd124-2023", "good", "collective_disciplined")
    assert result.failed and result.numbers["corruption"] == 1
    assert "1 quyết định kỷ luật do vụ việc tham nhũng ở tổ chức trực thuộc" in result.message
    assert "“Không hoàn thành nhiệm vụ” trở xuống" in result.message
    assert checks(commune, 2023, "qd124-2023", "not_completed", "collective_disciplined") == []


def test_qd124_a_member_of_a_subordinate_cell_disciplined_for_corruption_counts_for_the_commune(tree):
    commune = tree["BS-DONG-Y"]
    rated = member_rated(tree["BS-DONG-Y-02"], 2024, "qd124-2023", "completed")
    record = disciplined(rated.member, "warning", datetime.date(2024, 8, 9))
    assert checks(commune, 2024, "qd124-2023", "excellent", "collective_disciplined") == []
    Discipline.objects.filter(pk=record.pk).update(corruption=True)
    (result,) = checks(commune, 2024, "qd124-2023", "excellent", "collective_disciplined")
    assert result.failed and "tham nhũng" in result.message
    # The cell itself has no subordinate unit: its own member's case is not "in a subordinate unit".
    assert checks(tree["BS-DONG-Y-02"], 2024, "qd124-2023", "good", "collective_disciplined") == []


def test_qd124_more_than_a_fifth_of_subordinate_units_on_both_sides_of_the_parameter(tree):
    commune = tree["BS-DONG-Y"]
    _five_cells(commune)
    disciplined(tree["BS-DONG-Y-01"], "reprimand", datetime.date(2023, 3, 1))
    disciplined(tree["BS-DONG-Y-02"], "reprimand", datetime.date(2023, 3, 1))
    (result,) = checks(commune, 2023, "qd124-2023", "good", "collective_disciplined")
    assert "2/5 đơn vị trực thuộc bị kỷ luật (40,0%, quá 20%)" in result.message
    # The 20 is a parameter of the period's row: at 40 the same two cells are within it.
    row = PeriodRule.objects.get(period__code="hd25-2023", rule="collective_disciplined")
    row.parameters = {**row.parameters, "subordinate_percent": 40}
    row.save()
    assert checks(commune, 2023, "qd124-2023", "good", "collective_disciplined") == []


def test_the_corruption_condition_is_off_outside_hd25(tree):
    commune = tree["BS-DONG-Y"]
    record = disciplined(tree["BS-DONG-Y-01"], "reprimand", datetime.date(2019, 4, 2))
    Discipline.objects.filter(pk=record.pk).update(corruption=True)
    # HD 21 bounds a collective by its own members' discipline only.
    assert checks(commune, 2019, "qd132-2018", "good", "collective_disciplined") == []
    rows = PeriodRule.objects.filter(rule="collective_disciplined").select_related("period")
    assert {row.period.code: row.parameters.get("subordinate_corruption") for row in rows} == {
        "hd27-2014": False, "hd16-2018": False, "hd21-2019": False, "hd25-2023": True, "hd43-2025": False,
    }  # fmt: skip
    hd25 = next(row for row in rows if row.period.code == "hd25-2023")
    assert "tham nhũng" in hd25.source and "Quy định 124-QĐ/TW" in hd25.source


def test_qd366_the_top_level_needs_no_disciplined_subordinate_unit_in_the_year(tree):
    commune = tree["BS-DONG-Y"]
    disciplined(tree["BS-DONG-Y-01"], "reprimand", datetime.date(2024, 12, 31))  # the year before: not counted
    assert checks(commune, 2025, "qd366-2025", "excellent", "collective_disciplined") == []
    disciplined(tree["BS-DONG-Y-01"], "reprimand", datetime.date(2025, 1, 1))
    (result,) = checks(commune, 2025, "qd366-2025", "excellent", "collective_disciplined")
    assert result.failed and "1/2 đơn vị trực thuộc bị kỷ luật (50,0%, quá 0%)" in result.message
    assert checks(commune, 2025, "qd366-2025", "good", "collective_disciplined") == []


CORRUPTION = [*D, "corruption"]


@pytest.mark.parametrize(("word", "expected"), [("có", True), ("Có", True), ("x", True), ("yes", True),
                                                ("true", True), ("1", True), ("không", False), ("", False),
                                                ("no", False), ("0", False)])  # fmt: skip
def test_the_import_reads_the_corruption_column_in_yes_no_forms(members, tmp_path, officer, word, expected):
    row = [members[0].card_number, "", "warning", "2023-06-05", "12-QĐ/UBKT", "UBKT Huyện ủy", "", word]
    result = csv_imported(tmp_path, "disciplines", [CORRUPTION, row], user=officer)
    assert result.ok, result.errors
    assert Discipline.objects.get().corruption is expected


def test_a_bad_corruption_value_names_row_and_column_and_nothing_is_written(members, tmp_path, officer):
    good = [members[1].card_number, "", "reprimand", "2023-01-02", "2-QĐ", "UBKT", "", "có"]
    bad = [members[0].card_number, "", "warning", "2023-06-05", "3-QĐ", "UBKT", "", "hơi hơi"]
    result = csv_imported(tmp_path, "disciplines", [CORRUPTION, good, bad], user=officer)
    assert [(e.row, e.column) for e in result.errors] == [(3, "corruption")]
    assert "“hơi hơi” không hợp lệ" in result.errors[0].message
    assert Discipline.objects.count() == 0


def test_the_export_carries_the_corruption_column_and_round_trips(members, tree, tmp_path, officer):
    rows = [
        CORRUPTION,
        [members[0].card_number, "", "warning", "2023-06-05", "12-QĐ/UBKT", "UBKT Huyện ủy", "", "có"],
        ["", "BS-DONG-Y-01", "reprimand", "2023-03-01", "3-QĐ/HU", "Ban Thường vụ Huyện ủy", "", "không"],
    ]
    assert csv_imported(tmp_path, "disciplines", rows, user=officer).ok
    exported = tmp_path / "out.csv"
    assert data_export("disciplines", str(exported), organization=tree["BS"]) == 2
    text = exported.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].endswith(",corruption") and ",true" in text and ",false" in text
    Discipline.objects.update(corruption=False)
    again = file_imported(exported, "disciplines", user=officer)
    assert again.ok and again.updated == 1
    assert Discipline.objects.get(member=members[0]).corruption is True
    # A file without the column leaves the recorded answer as it is.
    assert csv_imported(tmp_path, "disciplines", [D, rows[1][:7]], user=officer, name="kl2.csv").ok
    assert Discipline.objects.get(member=members[0]).corruption is True


def test_the_admin_records_the_corruption_case(client, admin_user, tree):
    client.force_login(admin_user)
    data = {"organization": tree["BS-DONG-Y-01"].pk, "form": "warning", "decided_on": "2023-06-05",
            "decision_ref": "5-QĐ/HU", "deciding_body": "Ban Thường vụ Huyện ủy", "note": "",
            "corruption": "on"}  # fmt: skip
    assert client.post("/admin/assessments/discipline/add/", data).status_code == 302
    assert Discipline.objects.get().corruption is True
    listing = client.get("/admin/assessments/discipline/?corruption__exact=1").content.decode()
    assert "5-QĐ/HU" in listing
