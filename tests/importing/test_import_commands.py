"""import_data and export_data as scripts use them: exit codes, FILE:ROW:COLUMN lines, counts, all or nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import ImportRecord, Member, MemberAssessment
from tests.importfiles import write_csv, write_xlsx

pytestmark = pytest.mark.usefixtures("media")

HEADER = ["card_number", "year", "organization_code", "level", "not_rated_reason"]


def run(*args):
    """Run a command as a script would: (exit code, stdout, stderr)."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return code, out.getvalue(), err.getvalue()


def test_import_prints_counts_and_exits_zero(members, tmp_path):
    path = write_csv(tmp_path, [HEADER, *[[m.card_number, 2017, m.organization.code, "good", ""] for m in members[:4]]])
    code, out, _err = run("import_data", "member_ratings", str(path))
    assert code == 0
    assert out.strip() == "created=4 updated=0 unchanged=0"
    assert MemberAssessment.objects.filter(year=2017, level__code="good").count() == 4


def test_reimporting_the_same_file_changes_nothing(members, tmp_path):
    path = write_csv(tmp_path, [HEADER, *[[m.card_number, 2017, m.organization.code, "good", ""] for m in members[:4]]])
    run("import_data", "member_ratings", str(path))
    history = MemberAssessment.history.count()
    code, out, _err = run("import_data", "member_ratings", str(path))
    assert (code, out.strip()) == (0, "created=0 updated=0 unchanged=4")
    assert MemberAssessment.history.count() == history


def test_errors_are_printed_as_file_row_column_and_exit_one(members, tmp_path):
    m = members[0]
    path = write_csv(
        tmp_path,
        [HEADER, [m.card_number, 2017, m.organization.code, "good", ""], ["999999", 2017, m.organization.code, "", ""]],
    )
    code, out, err = run("import_data", "member_ratings", str(path))
    assert code == 1
    assert f"{path}:3:card_number: " in err
    assert "999999" in err
    assert MemberAssessment.objects.count() == 0


def test_usage_errors_exit_two(tree, tmp_path):
    code, _out, err = run("import_data", "bananas", str(tmp_path / "x.csv"))
    assert code == 2 and "bananas" in err
    code, _out, err = run("import_data", "members", str(tmp_path / "missing.csv"))
    assert code == 2
    fake = tmp_path / "fake.xlsx"
    fake.write_text("card_number,full_name\n")
    code, _out, err = run("import_data", "members", str(fake))
    assert code == 2 and ".xlsx" in err


def test_dry_run_checks_but_writes_nothing(members, tmp_path):
    m = members[0]
    path = write_csv(tmp_path, [HEADER, [m.card_number, 2017, m.organization.code, "good", ""]])
    code, out, _err = run("import_data", "member_ratings", str(path), "--dry-run")
    assert code == 0 and "created=1" in out
    assert MemberAssessment.objects.count() == 0


def test_every_import_is_recorded_with_checksum_and_outcome(members, tmp_path):
    m = members[0]
    path = write_csv(tmp_path, [HEADER, [m.card_number, 2017, m.organization.code, "nonsense", ""]])
    run("import_data", "member_ratings", str(path))
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.FAILED
    assert record.error_count == 1 and record.errors[0][:2] == [2, "level"]
    assert len(record.checksum) == 64 and record.source == "command"
    assert record.file.name.startswith("imports/") and "data" not in record.file.name


def test_members_import_then_export_round_trip_csv_and_xlsx(tree, tmp_path):
    rows = [
        [
            "card_number",
            "full_name",
            "organization_code",
            "status",
            "gender",
            "birth_date",
            "ethnicity",
            "admitted_on",
            "official_on",
        ],
        [
            "0012345",
            "Hoàng Thị Mai",
            "BS-DONG-Y-01",
            "official",
            "female",
            "1980-02-03",
            "Tày",
            "2005-01-01",
            "2006-01-01",
        ],
        ["0012346", '=HYPERLINK("http://x")', "BS-DONG-Y-02", "probationary", "", "", "@Nùng", "", ""],
    ]
    code, out, err = run("import_data", "members", str(write_csv(tmp_path, rows)))
    assert code == 0, err
    for name in ("out.csv", "out.xlsx"):
        target = tmp_path / name
        assert run("export_data", "members", str(target), "--organization", "BS-DONG-Y")[0] == 0
        code, out, err = run("import_data", "members", str(target))
        assert (code, out.strip()) == (0, "created=0 updated=0 unchanged=2"), err
    assert Member.objects.get(card_number="0012346").full_name == '=HYPERLINK("http://x")'


def test_export_is_scoped_to_the_organization_subtree_and_year(members, tmp_path):
    for m in members:
        MemberAssessment.objects.create(member=m, year=2017, organization=m.organization, not_rated_reason="exempt")
    target = tmp_path / "r.csv"
    run("export_data", "member_ratings", str(target), "--organization", "BS-NHAT-TIEN", "--year", "2017")
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 6
    assert all("BS-NHAT-TIEN" in line for line in lines[1:])
    run("export_data", "member_ratings", str(target), "--year", "2018")
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 1


def test_xlsx_member_ratings_import(members, tmp_path):
    m = members[0]
    path = write_xlsx(tmp_path, [HEADER, [m.card_number, 2018, m.organization.code, "excellent", None]])
    code, out, err = run("import_data", "member_ratings", str(path))
    assert code == 0, err
    assert MemberAssessment.objects.get().level.code == "excellent"


def test_import_as_a_user_records_them_and_keeps_to_their_scope(members, secretary_dong_y, tmp_path):
    own = [m for m in members if m.organization.code.startswith("BS-DONG-Y")][:2]
    other = next(m for m in members if m.organization.code.startswith("BS-NHAT-TIEN"))
    rows = [[m.card_number, 2017, m.organization.code, "good", ""] for m in [*own, other]]
    code, _out, err = run("import_data", "member_ratings", str(write_csv(tmp_path, [HEADER, *rows])), "--user", "dongy")
    assert code == 1
    assert ":4:" in err  # the Nhất Tiến row is named
    assert not MemberAssessment.objects.exists()
    path = write_csv(tmp_path, [HEADER, *rows[:2]])
    code, _out, _err = run("import_data", "member_ratings", str(path), "--user", "dongy")
    assert code == 0
    assert MemberAssessment.objects.get(member=own[0], year=2017).history.first().history_user == secretary_dong_y
    assert ImportRecord.objects.filter(user=secretary_dong_y).count() == 2


def test_import_as_an_unknown_user_is_a_usage_error(members, tmp_path):
    path = write_csv(tmp_path, [HEADER])
    code, _out, err = run("import_data", "member_ratings", str(path), "--user", "khongco")
    assert code == 2
    assert "khongco" in err
