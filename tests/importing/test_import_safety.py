"""Upload safety: size, rows, decompression bombs, macros and content sniffing; arbitrary input never crashes."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from assessments.importing import FileRejected, data_import
from assessments.models import Member, MemberAssessment
from tests.importfiles import csv_bytes, write_xlsx

MEMBERS = ["card_number", "full_name", "organization_code", "status"]


def run(data: bytes, name: str, data_type: str = "members"):
    return data_import(data_type=data_type, handle=io.BytesIO(data), name=name)


def xlsx_bytes(tmp_path, rows=None, extra: dict[str, bytes] | None = None) -> bytes:
    path = write_xlsx(tmp_path, rows or [MEMBERS])
    if extra:
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in extra.items():
                archive.writestr(name, content)
    return path.read_bytes()


def test_file_above_the_size_limit_is_refused(tree, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(FileRejected, match="quá lớn"):
        run(csv_bytes([MEMBERS] + [["1", "A" * 50, "BS-DONG-Y-01", "official"]] * 3), "m.csv")


def test_rows_above_the_limit_are_refused_and_nothing_kept(tree, settings):
    settings.IMPORT_MAX_ROWS = 1500
    rows = [MEMBERS] + [[f"{i}", f"Nông Văn {i}", "BS-DONG-Y-01", "official"] for i in range(1600)]
    with pytest.raises(FileRejected, match="1.500 dòng"):
        run(csv_bytes(rows), "m.csv")
    assert Member.objects.count() == 0  # the first 1000 rows were written, then rolled back


def test_decompression_bomb_is_refused_before_openpyxl_opens_it(tree, tmp_path, monkeypatch):
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not see this file")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    bomb = xlsx_bytes(tmp_path, extra={"xl/media/padding.xml": b"0" * (4 * 1024 * 1024)})
    with pytest.raises(FileRejected, match="nén bất thường"):
        run(bomb, "bomb.xlsx")


def test_total_uncompressed_size_and_entry_count_limits(tree, tmp_path, settings):
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 5000
    with pytest.raises(FileRejected, match="giải nén quá lớn"):
        run(xlsx_bytes(tmp_path, rows=[MEMBERS] + [["1", "x" * 100, "BS-DONG-Y-01", "official"]] * 50), "a.xlsx")
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 10**9
    settings.IMPORT_XLSX_MAX_ENTRIES = 5
    with pytest.raises(FileRejected, match="quá nhiều thành phần"):
        run(xlsx_bytes(tmp_path), "b.xlsx")


def test_macro_workbooks_are_refused(tree, tmp_path):
    with pytest.raises(FileRejected, match="macro"):
        run(xlsx_bytes(tmp_path, extra={"xl/vbaProject.bin": b"\x00" * 100}), "renamed.xlsx")
    with pytest.raises(FileRejected, match="macro"):
        run(xlsx_bytes(tmp_path), "m.xlsm")


def test_content_is_sniffed_not_trusted_by_extension(tree, tmp_path):
    with pytest.raises(FileRejected, match="xlsx"):
        run(csv_bytes([MEMBERS]), "looks.xlsx")
    with pytest.raises(FileRejected, match="CSV"):
        run(xlsx_bytes(tmp_path), "looks.csv")
    with pytest.raises(FileRejected, match="CSV"):
        run(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image.csv")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(FileRejected):
        run(archive.getvalue(), "document.xlsx")
    with pytest.raises(FileRejected, match=".xls"):
        run(b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "old.xls")


def test_utf16_and_broken_xlsx_are_clear_errors(tree, tmp_path):
    with pytest.raises(FileRejected, match="UTF-16"):
        run("card_number\n".encode("utf-16"), "u.csv")
    good = xlsx_bytes(tmp_path)
    with pytest.raises(FileRejected):
        run(good[: len(good) // 2], "half.xlsx")


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), name=st.sampled_from(["f.csv", "f.xlsx"]))
def test_arbitrary_bytes_end_in_a_result_or_a_clear_rejection(tree, data, name):
    try:
        result = run(data, name, "member_ratings")
    except FileRejected as rejected:
        assert rejected.message
    else:
        assert not result.written or result.ok
    assert MemberAssessment.objects.count() == 0


cell = st.one_of(
    st.text(max_size=30), st.integers(-5, 3000).map(str), st.sampled_from(["good", "exempt", "", "BS-DONG-Y-01"])
)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=7), max_size=6))
def test_arbitrary_cells_never_crash_or_write_partially(members, rows):
    header = ["card_number", "year", "organization_code", "level", "not_rated_reason"]
    try:
        result = run(csv_bytes([header, *rows]), "r.csv", "member_ratings")
    except FileRejected:
        return
    if result.error_count:
        assert MemberAssessment.objects.count() == 0
    else:
        assert MemberAssessment.objects.count() == result.created
    MemberAssessment.objects.all().delete()
