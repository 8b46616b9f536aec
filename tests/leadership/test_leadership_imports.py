"""Imports and exports of collectives, positions and their ratings: FILE:ROW:COLUMN errors in Vietnamese, nothing
written when a row is wrong, Vietnamese labels accepted, a secretary limited to his commune and to the
self-assessment, templates with a guide, and exports that import back unchanged."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessments.importing.exporting import data_export
from assessments.importing.workbooks import template_workbook
from assessments.models import Collective, CollectiveRating, LeaderRating, Position
from tests.factories import MemberFactory
from tests.importfiles import csv_imported, file_imported
from tests.leadership.helpers import collective, collective_rated, leader, leader_rated

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


COLLECTIVES = ["code", "organization_code", "kind", "name", "valid_from", "valid_to"]


def test_collectives_are_imported_with_vietnamese_kinds_and_a_bad_row_writes_nothing(tree, tmp_path, officer):
    rows = [
        COLLECTIVES,
        ["DY-BTV", "BS-DONG-Y", "Ban Thường vụ", "Ban Thường vụ Đảng ủy xã Đồng Ý", "2020-10-01", ""],
        ["DY-UBND", "BS-DONG-Y", "peoples_committee", "Ủy ban nhân dân xã Đồng Ý", "01/07/2021", ""],
        ["DY-HDND", "BS-DONG-Y", "hội đồng", "Thường trực HĐND xã Đồng Ý", "2021-07-01", ""],
        ["DY-MT", "BS-DONG-Y", "fatherland_front", "Ban Thường trực MTTQ xã Đồng Ý", "2021-07-01", "2021-06-30"],
    ]
    result = csv_imported(tmp_path, "collectives", rows, user=officer)
    assert [(row, column) for row, column, _m in errors(result)] == [(4, "kind"), (5, "valid_to")]
    assert errors(result)[0][2].startswith("“hội đồng” không phải giá trị hợp lệ; ghi một trong: Ban Thường vụ;")
    assert errors(result)[1][2] == "Ngày kết thúc phải từ ngày bắt đầu trở đi."
    assert Collective.objects.count() == 0
    result = csv_imported(tmp_path, "collectives", rows[:3], user=officer)
    assert result.ok and result.created == 2
    assert Collective.objects.get(code="DY-BTV").kind == "standing_board"


def test_a_secretary_may_not_import_collectives_and_an_officer_only_inside_his_scope(tree, tmp_path, officer):
    from assessments.importing import FileRejected
    from tests.factories import OrganizationFactory, UserFactory

    secretary = UserFactory(username="s", role="secretary", organization=tree["BS-DONG-Y"])
    rows = [COLLECTIVES, ["DY-BTV", "BS-DONG-Y", "standing_board", "Ban Thường vụ", "", ""]]
    with pytest.raises(FileRejected):
        csv_imported(tmp_path, "collectives", rows, user=secretary)
    elsewhere = OrganizationFactory(code="CB", kind="district", sector="", parent=tree["LS"])
    stranger = UserFactory(username="o2", role="officer", organization=elsewhere)
    result = csv_imported(tmp_path, "collectives", rows, user=stranger)
    assert errors(result) == [(2, "organization_code", "Không có tổ chức mã BS-DONG-Y trong phạm vi của bạn.")]


POSITIONS = ["card_number", "collective_code", "title", "heads", "start", "end", "managed_by_code"]


def test_positions_name_the_unknown_member_collective_and_committee(tree, tmp_path, officer):
    group = collective(tree["BS-DONG-Y"], code="DY-BTV")
    member = MemberFactory(organization=tree["BS-DONG-Y-01"])
    rows = [
        POSITIONS,
        [member.card_number, "DY-BTV", "Bí thư", "có", "2020-10-01", "", "BS"],
        ["999999", "DY-XX", "chair", "", "2020-10-01", "", "NOPE"],
    ]
    result = csv_imported(tmp_path, "positions", rows, user=officer)
    assert errors(result) == [
        (3, "card_number", "Không có đảng viên số thẻ 999999 trong phạm vi của bạn."),
        (3, "collective_code", "Không có tập thể mã DY-XX trong phạm vi của bạn."),
        (3, "managed_by_code", "Không có tổ chức mã NOPE trong phạm vi của bạn."),
    ]
    assert Position.objects.count() == 0
    result = csv_imported(tmp_path, "positions", rows[:2], user=officer)
    assert result.ok and result.created == 1
    post = Position.objects.get()
    assert (post.collective, post.title, post.heads, post.managed_by.code) == (group, "secretary", True, "BS")


RATINGS = ["collective_code", "year", "period", "level", "self_level", "self_score", "score", "tasks_assigned"]


def test_collective_ratings_take_labels_quarters_and_scores_with_a_comma(tree, tmp_path, officer):
    collective(tree["BS-DONG-Y"], code="DY-BTV")
    rows = [
        RATINGS,
        ["DY-BTV", 2025, "", "Hoàn thành tốt nhiệm vụ", "excellent", "91,5", "85", ""],
        ["DY-BTV", 2026, "Quý I", "", "good", "80", "", ""],
    ]
    result = csv_imported(tmp_path, "collective_ratings", rows, user=officer)
    assert result.ok and result.created == 2
    year, quarter = CollectiveRating.objects.order_by("year")
    assert (year.level.code, year.self_level.code, year.self_score, year.score) == (
        "good",
        "excellent",
        Decimal("91.50"),
        Decimal("85.00"),
    )
    assert quarter.period == "Q1" and quarter.level is None


def test_a_rating_row_with_a_level_of_another_scheme_or_bad_figures_is_refused_with_its_column(tree, tmp_path, officer):
    collective(tree["BS-DONG-Y"], code="DY-BTV")
    rows = [
        RATINGS,
        ["DY-BTV", 2025, "", "clean_strong", "", "", "", ""],
        ["DY-BTV", 2024, "Q5", "", "", "", "", "-1"],
        ["DY-BTV", 2025, "", "good", "", "", "", ""],
        ["DY-BTV", 2026, "Q1", "good", "", "101", "", ""],
    ]
    result = csv_imported(tmp_path, "collective_ratings", rows, user=officer)
    found = {(row, column): message for row, column, message in errors(result)}
    assert set(found) == {(2, "level"), (3, "period"), (3, "tasks_assigned"), (4, "collective_code"), (5, "self_score")}
    assert found[(2, "level")].startswith("Mức “Trong sạch, vững mạnh” thuộc")
    assert found[(4, "collective_code")] == "Trùng với dòng 2 (cùng khóa DY-BTV/2025/)."
    assert found[(5, "self_score")] == "Điểm 101 vượt tổng điểm 100 của Quy định 366-QĐ/TW."
    assert CollectiveRating.objects.count() == 0


def test_a_secretary_imports_his_leaders_self_assessments_but_not_their_levels_nor_another_communes(
    tree, tmp_path, secretary_dong_y
):
    mine = collective(tree["BS-DONG-Y"], code="DY-BTV")
    theirs = collective(tree["BS-NHAT-TIEN"], code="NT-BTV")
    head, other = leader(mine), leader(theirs)
    header = ["card_number", "collective_code", "year", "level", "self_level", "self_score"]
    result = csv_imported(
        tmp_path,
        "leader_ratings",
        [header, [head.card_number, "DY-BTV", 2025, "", "Hoàn thành tốt nhiệm vụ", "88"]],
        user=secretary_dong_y,
    )
    assert result.ok and LeaderRating.objects.get().self_score == Decimal("88.00")
    result = csv_imported(
        tmp_path,
        "leader_ratings",
        [
            header,
            [head.card_number, "DY-BTV", 2025, "excellent", "good", "88"],
            [other.card_number, "NT-BTV", 2025, "", "good", ""],
        ],
        user=secretary_dong_y,
    )
    assert [(row, column) for row, column, _m in errors(result)] == [(2, "level"), (3, "collective_code")]
    assert "chỉ ghi phần tự đánh giá" in errors(result)[0][2]
    assert LeaderRating.objects.get().level is None


def test_a_leader_rating_needs_a_post_in_the_collective_that_year(tree, tmp_path, officer):
    group = collective(tree["BS-DONG-Y"], code="DY-BTV")
    later = leader(group, start=datetime.date(2026, 2, 1))
    header = ["card_number", "collective_code", "year", "level"]
    result = csv_imported(tmp_path, "leader_ratings", [header, [later.card_number, "DY-BTV", 2025, ""]], user=officer)
    assert errors(result) == [
        (
            2,
            "card_number",
            f"Đảng viên số thẻ {later.card_number} không giữ chức danh nào trong tập thể DY-BTV năm 2025.",
        )
    ]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("data_type", ["collectives", "positions", "collective_ratings", "leader_ratings"])
def test_exports_import_back_unchanged(tree, tmp_path, data_type, suffix):
    group = collective(tree["BS-DONG-Y"], code="DY-BTV", valid_from=datetime.date(2020, 10, 1))
    head = leader(group)
    collective_rated(
        group, 2025, "good", self_score=Decimal("84.5"), score=Decimal("80"), decision_ref="=12-QĐ/TU", note='nói "tốt"'
    )
    collective_rated(group, 2026, None, period="Q2", tasks_assigned=4, tasks_on_time=3)
    leader_rated(head, group, 2025, "good", score=Decimal("80"), decided_on=datetime.date(2026, 1, 15))
    path = tmp_path / f"{data_type}.{suffix}"
    written = data_export(data_type, str(path))
    assert written == {"collectives": 1, "positions": 1, "collective_ratings": 2, "leader_ratings": 1}[data_type]
    result = file_imported(path, data_type)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, written)


@pytest.mark.parametrize("data_type", ["collectives", "positions", "collective_ratings", "leader_ratings"])
def test_templates_have_the_columns_and_a_guide_in_vietnamese(tree, officer, tmp_path, data_type):
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_workbook(data_type, user=officer, year=2025))
    workbook = load_workbook(path)
    assert len(workbook.sheetnames) >= 2
    header = [cell.value for cell in next(workbook.worksheets[0].iter_rows(max_row=1))]
    assert header[0] in ("Mã tập thể", "Số thẻ đảng viên")
    guide = " ".join(str(c.value) for row in workbook.worksheets[1].iter_rows() for c in row if c.value)
    assert "Bắt buộc" in guide or "bắt buộc" in guide


def test_a_leaders_level_above_its_score_band_is_refused_alike_by_the_import_and_the_service(tree, tmp_path, officer):
    from django.core.exceptions import ValidationError

    from assessments.leadership.services import leader_rating_save
    from tests.factories import level

    group = collective(tree["BS-DONG-Y"], code="DY-BTV")
    head = leader(group)
    header = ["card_number", "collective_code", "year", "level", "score"]
    result = csv_imported(
        tmp_path, "leader_ratings", [header, [head.card_number, "DY-BTV", 2025, "excellent", "85"]], user=officer
    )
    [(row, column, message)] = errors(result)
    assert (row, column) == (2, "level") and message.startswith("Điểm 85 thuộc khung Hoàn thành tốt nhiệm vụ")
    rating = LeaderRating(
        member=head, collective=group, year=2025, level=level("qd366-2025", "member", "excellent"), score=Decimal("85")
    )
    with pytest.raises(ValidationError) as refused:
        leader_rating_save(rating=rating, actor=officer)
    assert refused.value.message_dict["level"] == [message]


def test_a_secretarys_export_holds_his_communes_collectives_and_leaders_only(tree, secretary_dong_y):
    from assessments.importing.exporting import export_rows
    from assessments.permissions import organizations_visible_to

    for code in ("BS-DONG-Y", "BS-NHAT-TIEN"):
        group = collective(tree[code], code=f"{code}-BTV")
        leader_rated(leader(group), group, 2025, None, self_level=None)
    visible = organizations_visible_to(secretary_dong_y)
    for data_type in ("collectives", "positions", "leader_ratings"):
        rows = list(export_rows(data_type, organizations=visible))[1:]
        assert len(rows) == 1 and "BS-DONG-Y-BTV" in rows[0], data_type


def test_a_secretary_downloads_the_leader_ratings_template_but_not_the_positions_one(client, secretary_dong_y):
    client.force_login(secretary_dong_y)
    response = client.get("/imports/template/leader_ratings/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/imports/template/positions/").status_code == 403
