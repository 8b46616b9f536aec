"""The import types `criteria` (a whole set per file, checked as one) and `item_scores` (FILE:ROW:COLUMN errors,
nothing written on any error), their exports' round trip, and the roll-up of item scores into the rating's score."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.importing import FileRejected
from assessments.importing.exporting import data_export
from assessments.models import CriteriaItem, CriteriaSet, ItemScore, MemberAssessment, UnitAssessment
from tests.criteria_factories import criteria_set_make
from tests.factories import level
from tests.importfiles import csv_bytes, csv_imported, file_imported

pytestmark = pytest.mark.django_db

C = [
    "set_code", "issuer_code", "subject_group", "first_year", "group_code", "group_name", "group_max", "item_code",
    "item_name", "item_max", "group_part",
]  # fmt: skip
S = ["card_number", "organization_code", "year", "period", "set_code", "item_code", "self_score", "score"]


def criteria_rows(*, issuer="BS", second_max="70", item_max="40"):
    common = ["TC-DV", issuer, "members_outside", "2025"]
    return [
        C,
        [*common, "I", "Tiêu chí chung", "30", "1.1", "Chính trị tư tưởng", "15", "common"],
        [*common, "I", "Tiêu chí chung", "30", "1.2", "Đạo đức, lối sống", "15", "common"],
        [*common, "II", "Kết quả thực hiện nhiệm vụ", second_max, "2.1", "Nhiệm vụ được giao", item_max, "tasks"],
        [*common, "II", "Kết quả thực hiện nhiệm vụ", second_max, "2.2", "Chất lượng, tiến độ", "30", "tasks"],
    ]


def test_criteria_import_writes_the_whole_set_and_its_export_round_trips(tree, officer, tmp_path):
    result = csv_imported(tmp_path, "criteria", criteria_rows(), user=officer)
    assert result.ok and result.created == 4
    criteria_set = CriteriaSet.objects.get(code="TC-DV")
    assert (criteria_set.issuer, criteria_set.version, criteria_set.first_year) == (tree["BS"], 1, 2025)
    assert [(g.code, g.max_points, g.part.code) for g in criteria_set.groups.all()] == [
        ("I", Decimal(30), "common"),
        ("II", Decimal(70), "tasks"),
    ]
    assert criteria_set.history.first().history_user == officer
    exported = tmp_path / "out.xlsx"
    assert data_export("criteria", str(exported), organization=tree["BS"]) == 4
    again = file_imported(exported, "criteria", user=officer)
    assert again.ok and again.unchanged == 4 and CriteriaItem.objects.count() == 4


def test_criteria_import_changes_a_stored_set_in_place_and_drops_items_the_file_no_longer_has(tree, officer, tmp_path):
    csv_imported(tmp_path, "criteria", criteria_rows(), user=officer)
    rows = criteria_rows(item_max="70")
    del rows[4]  # item 2.2 goes; 2.1 takes the group's 70 points
    result = csv_imported(tmp_path, "criteria", rows, user=officer)
    assert result.ok and (result.updated, result.unchanged) == (1, 2)
    assert sorted(CriteriaItem.objects.values_list("code", flat=True)) == ["1.1", "1.2", "2.1"]
    assert CriteriaSet.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "row", "column", "message"),
    [
        ({"second_max": "60"}, 2, "group_max", "phải đúng 100 điểm"),
        ({"item_max": "45"}, 2, "group_max", "quá 70 điểm tối đa của nhóm"),
        ({"issuer": "KHONG-CO"}, 2, "issuer_code", "Không có tổ chức mã KHONG-CO"),
        ({"issuer": "BS-DONG-Y-01"}, 2, "issuer_code", "cấp tỉnh hoặc đảng bộ xã"),
    ],
)
def test_each_criteria_error_names_row_and_column_and_nothing_is_written(
    tree, officer, tmp_path, change, row, column, message
):
    result = csv_imported(tmp_path, "criteria", criteria_rows(**change), user=officer)
    assert (result.errors[0].row, result.errors[0].column) == (row, column)
    assert message in result.errors[0].message
    assert not CriteriaSet.objects.exists() and not CriteriaItem.objects.exists()


def test_the_frame_shares_are_checked_from_the_frame_rows(tree, officer, tmp_path):
    rows = criteria_rows()
    for row in rows[1:3]:
        row[6], row[9] = "40", "20"  # common criteria 40 points
    for row in rows[3:]:
        row[6] = "60"
    rows[3][9] = "30"
    result = csv_imported(tmp_path, "criteria", rows, user=officer)
    assert any("khung quy định 30 điểm" in e.message for e in result.errors)
    assert not CriteriaSet.objects.exists()


def test_rows_of_one_set_must_agree_on_the_set(tree, officer, tmp_path):
    rows = criteria_rows()
    rows[2][3] = "2026"
    result = csv_imported(tmp_path, "criteria", rows, user=officer)
    assert [(e.row, e.column) for e in result.errors] == [(3, "first_year")]
    assert "Khác với dòng 2" in result.errors[0].message


def test_a_secretary_may_not_import_criteria(tree, secretary_dong_y, tmp_path):
    with pytest.raises(FileRejected):
        csv_imported(tmp_path, "criteria", criteria_rows(issuer="BS-DONG-Y"), user=secretary_dong_y)


def test_a_used_set_is_refused_by_the_import_with_the_new_version_hint(tree, members, officer, tmp_path):
    criteria_set = criteria_set_make(tree["BS"], code="TC-DV", subject_group="members_outside")
    member = members[0]
    ItemScore.objects.create(item=criteria_set.items.get(code="1.1"), member=member, year=2025, score=10)
    MemberAssessment.objects.create(
        member=member, year=2025, organization=member.organization, level=level("qd366-2025", "member", "good")
    )
    result = csv_imported(tmp_path, "criteria", criteria_rows(), user=officer)
    assert result.errors[0].column == "set_code"
    assert "hãy tạo phiên bản mới" in result.errors[0].message
    assert CriteriaItem.objects.filter(criteria_set=criteria_set).count() == 4


def scores_rows(card, *, first="12", second="35"):
    return [
        S,
        [card, "", "2025", "", "TC-2025", "1.1", "14", first],
        [card, "", "2025", "", "TC-2025", "2.1", "38", second],
    ]


@pytest.fixture
def member_set(tree):
    return criteria_set_make(tree["BS"], subject_group="members_outside")


def test_item_scores_import_and_round_trip(tree, members, member_set, officer, tmp_path):
    card = members[0].card_number
    result = csv_imported(tmp_path, "item_scores", scores_rows(card), user=officer)
    assert result.ok and result.created == 2
    assert sorted(ItemScore.objects.values_list("item__code", "score")) == [("1.1", 12), ("2.1", 35)]
    exported = tmp_path / "scores.csv"
    assert data_export("item_scores", str(exported), organization=tree["BS"], year=2025) == 2
    again = file_imported(exported, "item_scores", user=officer)
    assert again.ok and again.unchanged == 2


def test_item_scores_roll_up_into_the_rating_and_create_nothing_else(tree, members, member_set, officer, tmp_path):
    rated, unrated = members[0], members[1]
    rating = MemberAssessment.objects.create(
        member=rated, year=2025, organization=rated.organization, not_rated_reason="other"
    )
    rows = scores_rows(rated.card_number) + scores_rows(unrated.card_number)[1:]
    result = csv_imported(tmp_path, "item_scores", rows, user=officer)
    assert result.ok
    rating.refresh_from_db()
    assert (rating.self_score, rating.score) == (Decimal(52), Decimal(47))
    assert rating.history.first().history_user == officer
    assert not MemberAssessment.objects.filter(member=unrated).exists()


def test_a_preview_of_item_scores_writes_nothing(tree, members, member_set, officer, tmp_path):
    rating = MemberAssessment.objects.create(
        member=members[0], year=2025, organization=members[0].organization, not_rated_reason="other"
    )
    result = csv_imported(tmp_path, "item_scores", scores_rows(members[0].card_number), user=officer, dry_run=True)
    assert result.ok and result.created == 2
    rating.refresh_from_db()
    assert rating.score is None and not ItemScore.objects.exists()


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["{card}", "", "2025", "", "TC-2025", "1.1", "", "16"], "score", "phải từ 0 đến 15"),
        (["{card}", "", "2025", "", "TC-2025", "1.1", "-1", ""], "self_score", "từ 0 đến 100"),
        (["{card}", "BS-DONG-Y-01", "2025", "", "TC-2025", "1.1", "", "1"], "card_number", "chỉ một trong hai"),
        (["{card}", "", "2025", "", "TC-2025", "9.9", "", "1"], "item_code", "không có tiêu chí mã 9.9"),
        (["{card}", "", "2025", "", "KHONG", "1.1", "", "1"], "set_code", "Không có bộ tiêu chí mã KHONG"),
        (["{card}", "", "2024", "", "TC-2025", "1.1", "", "1"], "year", "không áp dụng cho năm 2024"),
        (["", "BS-DONG-Y-01", "2025", "", "TC-2025", "1.1", "", "1"], "item_code", "dành cho đảng viên"),
        (["{card}", "", "2025", "Q5", "TC-2025", "1.1", "", "1"], "period", "không phải giá trị hợp lệ"),
        (["999999", "", "2025", "", "TC-2025", "1.1", "", "1"], "card_number", "Không có đảng viên số thẻ 999999"),
    ],
)
def test_each_item_score_error_names_row_and_column_and_nothing_is_written(
    tree, members, member_set, officer, tmp_path, cells, column, message
):
    good = [members[1].card_number, "", "2025", "", "TC-2025", "1.1", "10", "10"]
    bad = [cell.format(card=members[0].card_number) for cell in cells]
    result = csv_imported(tmp_path, "item_scores", [S, good, bad], user=officer)
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert not ItemScore.objects.exists()


def test_scores_on_an_incomplete_set_are_refused(tree, members, officer, tmp_path):
    criteria_set_make(tree["BS"], subject_group="members_outside", groups=[("I", "common", 30, [("1.1", 15)])])
    result = csv_imported(tmp_path, "item_scores", scores_rows(members[0].card_number)[:2], user=officer)
    assert result.errors[0].column == "set_code" and "chưa hoàn chỉnh" in result.errors[0].message


def test_a_secretary_scores_own_members_but_not_another_communes(tree, members, member_set, secretary_dong_y, tmp_path):
    own = next(m for m in members if m.organization.code.startswith("BS-DONG-Y"))
    other = next(m for m in members if m.organization.code.startswith("BS-NHAT-TIEN"))
    assert csv_imported(tmp_path, "item_scores", scores_rows(own.card_number), user=secretary_dong_y).ok
    result = csv_imported(tmp_path, "item_scores", scores_rows(other.card_number), user=secretary_dong_y)
    assert result.errors[0].column == "card_number" and "trong phạm vi của bạn" in result.errors[0].message


def test_organization_scores_roll_up_into_the_unit_rating(tree, officer, tmp_path):
    criteria_set_make(tree["BS"], code="TC-TC")
    cell = tree["BS-DONG-Y-01"]
    rating = UnitAssessment.objects.create(organization=cell, year=2025)
    rows = [
        S,
        ["", cell.code, "2025", "", "TC-TC", "1.1", "15", "14"],
        ["", cell.code, "2025", "", "TC-TC", "1.2", "", "13,5"],
    ]
    assert csv_imported(tmp_path, "item_scores", rows, user=officer).ok
    rating.refresh_from_db()
    assert (rating.self_score, rating.score) == (Decimal(15), Decimal("27.5"))


def test_the_import_command_reports_file_row_column(tree, officer, tmp_path):
    path = tmp_path / "tc.csv"
    path.write_bytes(csv_bytes(criteria_rows(second_max="60")))
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("import_data", "criteria", str(path), stderr=err)
    assert f"{path}:2:" in err.getvalue()


@pytest.mark.parametrize("data_type", ["criteria", "item_scores"])
def test_the_templates_of_the_new_types_have_the_vietnamese_titles_and_a_guide(client, tree, officer, data_type):
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    client.force_login(officer)
    response = client.get(reverse("assessments:import_template", args=[data_type]))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    header = [cell.value for cell in next(workbook.worksheets[0].iter_rows(max_row=1))]
    assert "Mã bộ tiêu chí" in header and "Mã tiêu chí" in header
    assert len(workbook.worksheets) >= 2
