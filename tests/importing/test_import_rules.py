"""Each rule of the import format: the error names the row (header = 1) and the column; nothing partial is kept."""

import datetime

import pytest

from assessments.importing import FileRejected, data_import
from assessments.models import Kind, Member, MemberAssessment, Membership, Organization, UnitAssessment
from tests.factories import MemberFactory, UnitAssessmentFactory, level
from tests.importfiles import csv_imported, write_csv

MR = ["card_number", "year", "organization_code", "level", "not_rated_reason"]


def errors(result):
    return [(e.row, e.column) for e in result.errors]


# --- header ---


def test_an_unknown_column_is_reported_as_ignored_and_a_misspelled_one_is_an_error(members, tmp_path):
    # Issue 18: an office's own column ("xep hang") is dropped with a note; nothing is dropped silently ("diem" was
    # the example before issue 15 made "Điểm" the score column).
    result = csv_imported(
        tmp_path,
        "member_ratings",
        [[*MR, "xep hang"], [members[0].card_number, 2017, "BS-DONG-Y-01", "", "exempt", "9"]],
    )
    assert result.ok and result.created == 1
    assert result.notes == ["Đã bỏ qua cột “xep hang”: mẫu không có cột này."]
    # A misspelled column of the format would lose its data: an error naming the column it looks like.
    result = csv_imported(
        tmp_path,
        "member_ratings",
        [
            [*MR[:3], "Xếp loai", "Ly do khong xep loai", "Ghi chus"],
            [members[0].card_number, 2017, "BS-DONG-Y-01", "", "exempt", "x"],
        ],
    )
    assert errors(result) == [(1, "Ghi chus")]
    assert result.errors[0].message == "Không nhận ra cột “Ghi chus”: có phải là cột “Ghi chú”?"
    assert MemberAssessment.objects.count() == 1


def test_title_rows_and_a_row_number_column_above_and_beside_the_table(members, tmp_path):
    """A commune office's list: title rows (merged cells in Excel), then the header with "STT"; the row numbers of
    errors are those the spreadsheet shows."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ĐẢNG BỘ XÃ ĐỒNG Ý"])
    sheet.append(["DANH SÁCH KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN NĂM 2017"])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["STT", "Số thẻ đảng viên", "Năm", "Mã chi bộ", "Xếp loại", "Lý do không xếp loại"])
    sheet.append([1, members[0].card_number, 2017, "BS-DONG-Y-01", "hoàn thành tốt nhiệm vụ", ""])
    sheet.append([2, members[1].card_number, 2017, "BS-DONG-Y-01", "xuất sắc lắm", ""])
    path = tmp_path / "xa.xlsx"
    workbook.save(path)
    with open(path, "rb") as handle:
        result = data_import(data_type="member_ratings", handle=handle, name="xa.xlsx", dry_run=True)
    assert errors(result) == [(6, "Xếp loại")] and result.notes == []
    assert "Hoàn thành xuất sắc nhiệm vụ" in result.errors[0].message


def test_missing_required_column_and_duplicate_column(members, tmp_path):
    result = csv_imported(tmp_path, "member_ratings", [["card_number", "year", "year", "level"]])
    assert (1, "Mã chi bộ") in errors(result)  # the missing column, by its title in the template
    assert (1, "year") in errors(result)


def test_vietnamese_titles_are_accepted_ignoring_case_and_diacritics(members, tmp_path):
    m = members[0]
    header = ["SO THE DANG VIEN", "năm", "Mã chi bộ", "Xếp loại", "lý do không xếp loại"]
    result = csv_imported(tmp_path, "member_ratings", [header, [m.card_number, 2017, m.organization.code, "good", ""]])
    assert result.ok and result.created == 1


# --- shape of a row ---


def test_shape_errors_name_row_and_column(members, tmp_path):
    m = members[0]
    rows = [
        MR,
        [m.card_number, "hai nghìn", m.organization.code, "good", ""],
        [m.card_number, 2017, "mã sai!", "good", ""],
        [members[1].card_number, 2017, m.organization.code, "", "bận"],
    ]
    result = csv_imported(tmp_path, "member_ratings", rows)
    assert errors(result) == [(2, "year"), (3, "organization_code"), (4, "not_rated_reason")]
    assert "Miễn công tác và sinh hoạt đảng" in result.errors[2].message  # the allowed values, in Vietnamese


def test_a_value_under_no_header_is_an_error(members, tmp_path):
    m = members[0]
    result = csv_imported(
        tmp_path, "member_ratings", [[*MR, ""], [m.card_number, 2017, m.organization.code, "good", "", "?"]]
    )
    assert errors(result) == [(2, "F")]


def test_dates_in_both_formats_and_bad_dates(tree, tmp_path):
    header = ["card_number", "full_name", "organization_code", "status", "birth_date", "admitted_on", "official_on"]
    rows = [
        header,
        ["1", "A Văn Một", "BS-DONG-Y-01", "official", "1970-05-04", "04/05/2000", "2001-05-04"],
        ["2", "B Văn Hai", "BS-DONG-Y-01", "official", "31/02/1970", "", ""],
        ["3", "C Văn Ba", "BS-DONG-Y-01", "official", "", "2001-05-04", "2000-05-04"],
    ]
    result = csv_imported(tmp_path, "members", rows)
    assert errors(result) == [(3, "birth_date"), (4, "official_on")]
    rows = rows[:2]
    assert csv_imported(tmp_path, "members", rows).ok
    assert Member.objects.get(card_number="1").admitted_on == datetime.date(2000, 5, 4)


# --- rules ---


def test_unknown_card_and_misaligned_name(members, tmp_path):
    m = members[0]
    rows = [
        [*MR, "full_name"],
        ["404", 2017, m.organization.code, "good", "", ""],
        [m.card_number, 2017, m.organization.code, "good", "", "Người  Khác"],
        [members[1].card_number, 2017, members[1].organization.code, "good", "", members[1].full_name.upper()],
    ]
    result = csv_imported(tmp_path, "member_ratings", rows)
    assert errors(result) == [(2, "card_number"), (3, "full_name")]


def test_level_of_another_year_or_subject_is_refused(members, tmp_path):
    m = members[0]
    rows = [
        MR,
        [m.card_number, 2017, m.organization.code, "clean_strong", ""],  # a unit level in a member file
        [members[1].card_number, 2018, m.organization.code, "weak", ""],  # a 2014-scheme level in 2018
        [members[2].card_number, 2017, m.organization.code, "superb", ""],  # no such level
    ]
    result = csv_imported(tmp_path, "member_ratings", rows)
    assert errors(result) == [(2, "level"), (3, "level"), (4, "level")]
    assert "Hướng dẫn 27-HD/BTCTW" in result.errors[1].message and "hd27" not in result.errors[1].message
    unit_rows = [["organization_code", "year", "level"], ["BS-DONG-Y", 2017, "excellent"]]
    result = csv_imported(tmp_path, "unit_ratings", unit_rows)
    assert errors(result) == [(2, "level")] and "Quy định 132-QĐ/TW" in result.errors[0].message


def test_reason_required_when_not_rated_and_refused_when_rated(members, tmp_path):
    rows = [
        MR,
        [members[0].card_number, 2017, "BS-DONG-Y-01", "", ""],
        [members[1].card_number, 2017, "BS-DONG-Y-01", "good", "exempt"],
        [members[2].card_number, 2017, "BS-DONG-Y-01", "", "founded_recently"],
    ]
    result = csv_imported(tmp_path, "member_ratings", rows)
    assert errors(result) == [(2, "not_rated_reason"), (3, "not_rated_reason"), (4, "not_rated_reason")]


def test_duplicate_key_names_the_earlier_row(members, tmp_path):
    m = members[0]
    rows = [
        MR,
        [m.card_number, 2017, m.organization.code, "good", ""],
        [m.card_number, 2017, m.organization.code, "completed", ""],
    ]
    result = csv_imported(tmp_path, "member_ratings", rows)
    assert errors(result) == [(3, "card_number")] and "2" in result.errors[0].message


def test_rating_in_a_unit_that_did_not_exist_that_year(tree, tmp_path):
    result = csv_imported(tmp_path, "unit_ratings", [["organization_code", "year", "level"], ["BS-CU", 2017, "good"]])
    assert errors(result) == [(2, "organization_code")]


def test_exemplary_only_for_the_top_level(tree, tmp_path):
    rows = [
        ["organization_code", "year", "level", "exemplary"],
        ["BS-DONG-Y", 2017, "good", "có"],
        ["BS-NHAT-TIEN", 2017, "clean_strong", "maybe"],
    ]
    result = csv_imported(tmp_path, "unit_ratings", rows)
    assert errors(result) == [(2, "exemplary"), (3, "exemplary")]
    rows = [["organization_code", "year", "level", "exemplary"], ["BS-DONG-Y", 2017, "clean_strong", "có"]]
    assert csv_imported(tmp_path, "unit_ratings", rows).ok
    assert UnitAssessment.objects.get().exemplary is True


def test_member_must_belong_to_a_cell(tree, tmp_path):
    rows = [["card_number", "full_name", "organization_code", "status"], ["9", "Lý Văn Chín", "BS-DONG-Y", "official"]]
    result = csv_imported(tmp_path, "members", rows)
    assert errors(result) == [(2, "organization_code")]


def test_nothing_is_written_when_one_row_in_a_thousand_is_bad(tree, tmp_path):
    header = ["card_number", "full_name", "organization_code", "status"]
    rows = [header] + [[f"{i:06d}", f"Nông Văn {i}", "BS-DONG-Y-01", "official"] for i in range(1000)]
    rows[700][3] = "retired"
    result = csv_imported(tmp_path, "members", rows)
    assert errors(result) == [(701, "status")]
    assert result.rows == 1000 and not result.written
    assert Member.objects.count() == 0 and Membership.objects.count() == 0


def test_windows_1258_and_semicolons(tree, tmp_path):
    rows = [
        ["card_number", "full_name", "organization_code", "status", "ethnicity"],
        ["77", "Hoàng Thị Thu Hường", "BS-DONG-Y-01", "Chính thức", "Nùng"],
    ]
    result = csv_imported(tmp_path, "members", rows, encoding="cp1258", delimiter=";")
    assert result.ok, result.errors
    member = Member.objects.get(card_number="77")
    assert member.full_name == "Hoàng Thị Thu Hường" and member.status == "official"


def test_utf8_with_bom(tree, tmp_path):
    rows = [
        ["card_number", "full_name", "organization_code", "status"],
        ["78", "Đàm Văn Đức", "BS-DONG-Y-01", "official"],
    ]
    assert csv_imported(tmp_path, "members", rows, bom=True).ok
    assert Member.objects.get(card_number="78").full_name == "Đàm Văn Đức"


def test_changed_cell_is_recorded_as_a_transfer(tree, tmp_path):
    rows = [
        ["card_number", "full_name", "organization_code", "status", "admitted_on"],
        ["5", "Vi Văn Năm", "BS-DONG-Y-01", "official", "2001-01-01"],
    ]
    csv_imported(tmp_path, "members", rows)
    rows[1][2] = "BS-DONG-Y-02"
    result = csv_imported(tmp_path, "members", rows)
    assert (result.updated, result.ok) == (1, True)
    member = Member.objects.get(card_number="5")
    spans = list(member.memberships.order_by("start").values_list("organization__code", "end"))
    assert [code for code, _end in spans] == ["BS-DONG-Y-01", "BS-DONG-Y-02"]
    assert spans[0][1] is not None and spans[1][1] is None
    assert member.history.first().history_type == "~"


def test_dry_run_counts_without_writing(members, tmp_path):
    rows = [MR, [members[0].card_number, 2017, "BS-DONG-Y-01", "good", ""]]
    result = csv_imported(tmp_path, "member_ratings", rows, dry_run=True)
    assert (result.created, result.written) == (1, False)
    assert MemberAssessment.objects.count() == 0


def test_update_records_history_with_the_actor(members, officer, tmp_path):
    m = members[0]
    MemberAssessment.objects.create(
        member=m, year=2017, organization=m.organization, level=level("hd27-2014", "member", "good")
    )
    result = csv_imported(
        tmp_path, "member_ratings", [MR, [m.card_number, 2017, m.organization.code, "excellent", ""]], user=officer
    )
    assert result.updated == 1
    record = MemberAssessment.history.filter(member=m).first()
    assert record.history_user == officer and record.level.code == "excellent"


def test_one_signal_per_import_with_every_organization_and_year(members, tmp_path):
    from assessments.signals import assessments_changed

    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    assessments_changed.connect(receiver)
    try:
        rows = [MR] + [[m.card_number, 2017, m.organization.code, "good", ""] for m in members]
        csv_imported(tmp_path, "member_ratings", rows)
    finally:
        assessments_changed.disconnect(receiver)
    assert len(calls) == 1
    assert set(calls[0]["organization_ids"]) == {m.organization_id for m in members}
    assert calls[0]["years"] == [2017]


# --- scope ---


def test_secretary_cannot_import_into_another_commune(members, secretary_dong_y, tmp_path):
    mine = next(m for m in members if m.organization.code.startswith("BS-DONG-Y"))
    theirs = next(m for m in members if m.organization.code.startswith("BS-NHAT-TIEN"))
    rows = [
        MR,
        [mine.card_number, 2017, mine.organization.code, "good", ""],
        [theirs.card_number, 2017, theirs.organization.code, "good", ""],
    ]
    result = csv_imported(tmp_path, "member_ratings", rows, user=secretary_dong_y)
    assert errors(result) == [(3, "card_number")]
    assert MemberAssessment.objects.count() == 0
    rows = [
        ["card_number", "full_name", "organization_code", "status"],
        ["55", "Lộc Văn A", "BS-NHAT-TIEN-01", "official"],
    ]
    result = csv_imported(tmp_path, "members", rows, user=secretary_dong_y)
    assert errors(result) == [(2, "organization_code")]


def test_secretary_decides_cells_but_only_proposes_own_level(tree, secretary_dong_y, tmp_path):
    header = ["organization_code", "year", "level", "self_level"]
    ok = csv_imported(
        tmp_path,
        "unit_ratings",
        [header, ["BS-DONG-Y-01", 2017, "good", ""], ["BS-DONG-Y", 2017, "", "good"]],
        user=secretary_dong_y,
    )
    assert ok.ok and ok.created == 2
    own = UnitAssessment.objects.get(organization__code="BS-DONG-Y")
    assert own.self_level.code == "good" and own.level is None
    bad = csv_imported(
        tmp_path, "unit_ratings", [header, ["BS-DONG-Y", 2017, "clean_strong", "good"]], user=secretary_dong_y
    )
    assert errors(bad) == [(2, "level")]
    other = csv_imported(
        tmp_path, "unit_ratings", [header, ["BS-NHAT-TIEN-01", 2017, "good", ""]], user=secretary_dong_y
    )
    assert errors(other) == [(2, "organization_code")]


def test_secretary_may_not_import_organizations_and_leader_nothing(tree, secretary_dong_y, leader, tmp_path):
    rows = [["code", "name", "kind", "parent_code"], ["BS-DONG-Y-09", "Chi bộ thôn 9", "cell", "BS-DONG-Y"]]
    with pytest.raises(FileRejected):
        csv_imported(tmp_path, "organizations", rows, user=secretary_dong_y)
    with pytest.raises(FileRejected):
        csv_imported(tmp_path, "member_ratings", [MR], user=leader)


# --- organizations ---


def test_organizations_in_any_order_build_the_tree(tree, officer, tmp_path):
    rows = [
        ["code", "name", "kind", "parent_code", "sector", "valid_from"],
        ["BS-MOI-01", "Chi bộ thôn 1 xã Mới", "cell", "BS-MOI", "commune", "2019-01-01"],
        ["BS-MOI", "Đảng bộ xã Mới", "grassroots_committee", "BS", "commune", "01/01/2019"],
    ]
    result = csv_imported(tmp_path, "organizations", rows, user=officer)
    assert result.ok and result.created == 2, result.errors
    cell = Organization.objects.get(code="BS-MOI-01")
    assert cell.path == "LS/BS/BS-MOI/BS-MOI-01/" and cell.depth == 3 and cell.parent.code == "BS-MOI"
    assert cell.name_folded == "chi bo thon 1 xa moi"


def test_moving_an_organization_moves_its_subtree(tree, members, tmp_path):
    rows = [["code", "name", "kind", "parent_code"], ["BS-DONG-Y-02", "Chi bộ thôn 2 Đồng Ý", "cell", "BS-NHAT-TIEN"]]
    assert csv_imported(tmp_path, "organizations", rows).ok
    moved = Organization.objects.get(code="BS-DONG-Y-02")
    assert moved.path == "LS/BS/BS-NHAT-TIEN/BS-DONG-Y-02/"
    rows = [["code", "name", "kind", "parent_code"], ["BS-DONG-Y", "Đảng bộ xã Đồng Ý", "grassroots_committee", "LS"]]
    assert csv_imported(tmp_path, "organizations", rows).ok
    assert Organization.objects.get(code="BS-DONG-Y-01").path == "LS/BS-DONG-Y/BS-DONG-Y-01/"


def test_organization_cycles_and_missing_parents(tree, officer, tmp_path):
    rows = [
        ["code", "name", "kind", "parent_code"],
        ["BS-DONG-Y", "Đảng bộ xã Đồng Ý", "grassroots_committee", "BS-DONG-Y-01"],
        ["BS-X", "X", "cell", "NOWHERE"],
        ["LS-2", "Tỉnh khác", "province", ""],
    ]
    result = csv_imported(tmp_path, "organizations", rows, user=officer)
    assert errors(result) == [(2, "parent_code"), (3, "parent_code"), (4, "parent_code")]
    assert Organization.objects.get(code="BS-DONG-Y").parent.code == "BS"


def test_unit_ratings_update_keeps_absent_columns(tree, tmp_path):
    UnitAssessmentFactory(
        organization=tree["BS-DONG-Y"],
        year=2017,
        level=level("hd27-2014", "unit", "good"),
        decision_ref="12-QĐ/HU",
        note="giữ nguyên",
    )
    result = csv_imported(
        tmp_path, "unit_ratings", [["organization_code", "year", "level"], ["BS-DONG-Y", 2017, "weak"]]
    )
    assert result.updated == 1
    rating = UnitAssessment.objects.get()
    assert (rating.level.code, rating.decision_ref, rating.note) == ("weak", "12-QĐ/HU", "giữ nguyên")


def test_members_of_a_dissolved_cell_cannot_be_added(tree, tmp_path):
    tree["BS-DONG-Y-01"].valid_to = datetime.date(2019, 12, 31)
    tree["BS-DONG-Y-01"].save()
    rows = [
        ["card_number", "full_name", "organization_code", "status"],
        ["5", "Vi Văn Năm", "BS-DONG-Y-01", "official"],
    ]
    assert errors(csv_imported(tmp_path, "members", rows)) == [(2, "organization_code")]


def test_transfer_out_of_scope_member_refused(tree, secretary_dong_y, tmp_path):
    theirs = MemberFactory(organization=tree["BS-NHAT-TIEN-01"])
    rows = [
        ["card_number", "full_name", "organization_code", "status"],
        [theirs.card_number, theirs.full_name, "BS-DONG-Y-01", "official"],
    ]
    assert errors(csv_imported(tmp_path, "members", rows, user=secretary_dong_y)) == [(2, "card_number")]
    assert Member.objects.get(pk=theirs.pk).organization.kind == Kind.CELL
    assert Member.objects.get(pk=theirs.pk).organization.code == "BS-NHAT-TIEN-01"


def test_write_csv_helper_roundtrip(tmp_path):
    assert write_csv(tmp_path, [["a"]]).read_bytes() == b"a\r\n"


def _submission(tree, status):
    import datetime as dt

    from assessments.models import RatingScheme, Submission, SubmissionStatus, YearCycle

    cycle = YearCycle.objects.create(
        organization=tree["BS"], year=2017, scheme=RatingScheme.for_year(2017), deadline=dt.date(2017, 12, 15)
    )
    return Submission.objects.create(
        cycle=cycle, organization=tree["BS-DONG-Y"], status=getattr(SubmissionStatus, status)
    )


def test_submitted_ratings_are_locked_for_the_secretary_and_finalized_ones_for_everyone(
    members, tree, secretary_dong_y, tmp_path
):
    mine = [m for m in members if m.organization.code.startswith("BS-DONG-Y")]
    rows = [MR] + [[m.card_number, 2017, m.organization.code, "good", ""] for m in mine]
    submission = _submission(tree, "SUBMITTED")
    result = csv_imported(tmp_path, "member_ratings", rows, user=secretary_dong_y)
    assert errors(result) == [(n, "organization_code") for n in range(2, 8)]
    assert csv_imported(tmp_path, "member_ratings", rows, dry_run=True).ok  # the district may still change them
    submission.status = "finalized"
    submission.save()
    result = csv_imported(tmp_path, "member_ratings", rows)
    assert len(result.errors) == 6 and "chốt" in result.errors[0].message
    assert MemberAssessment.objects.count() == 0


def test_xlsx_empty_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(members, tmp_path):
    from tests.importfiles import write_xlsx

    m = members[0]
    path = write_xlsx(
        tmp_path,
        [
            MR,
            [m.card_number, 2017, m.organization.code, "good", None],
            [],
            [None] * 5,
            [members[1].card_number, 2017, m.organization.code, "bad", None],
        ],
    )
    with open(path, "rb") as handle:
        result = data_import(data_type="member_ratings", handle=handle, name="f.xlsx")
    assert result.rows == 2 and errors(result) == [(5, "level")]
