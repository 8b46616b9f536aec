"""Upload checks (assessments.common.uploads): Office macros are found by declared content type, not by part name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from assessments.common.uploads import FileRejected, file_check, file_sha256, review_file_check

pytestmark = pytest.mark.django_db

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
VBA = "application/vnd.ms-office.vbaProject"


def _content_types(main_part: str, main_type: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>{extra}</Types>'
    )


def _package(main_part: str, main_type: str, extra_types: str, parts: dict) -> io.BytesIO:
    """An Office Open XML zip: its content types (the main part's and `extra_types`), then `parts` in their order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(main_part, main_type, extra_types))
        for name, body in parts.items():
            archive.writestr(name, body)
    buffer.seek(0)
    return buffer


def _docx(*, main_type: str = WORD_MAIN, extra_types: str = "", parts: dict | None = None) -> io.BytesIO:
    document = {"_rels/.rels": "<Relationships/>", "word/document.xml": "<w:document>Báo cáo kiểm điểm</w:document>"}
    return _package("word/document.xml", main_type, extra_types, {**document, **(parts or {})})


def test_a_plain_docx_is_accepted():
    assert review_file_check(_docx(), "bao-cao.docx") == "docx"


def test_a_docx_with_a_renamed_vba_part_declared_by_content_type_is_refused():
    handle = _docx(
        extra_types=f'<Override PartName="/word/ghi-chu.dat" ContentType="{VBA}"/>',
        parts={"word/ghi-chu.dat": b"\0macro"},
    )
    with pytest.raises(ValidationError) as error:
        review_file_check(handle, "bao-cao.docx")
    assert "chứa macro ([Content_Types].xml)" in error.value.messages[0]


def test_a_macro_enabled_word_document_saved_as_docx_is_refused():
    with pytest.raises(ValidationError, match="chứa macro"):
        review_file_check(_docx(main_type=WORD_MACRO_MAIN), "bao-cao.docx")


def test_a_vba_part_by_default_extension_is_refused():
    handle = _docx(extra_types=f'<Default Extension="bin" ContentType="{VBA}"/>', parts={"word/x.bin": b"\0"})
    with pytest.raises(ValidationError, match="chứa macro"):
        review_file_check(handle, "bao-cao.docx")


def _xlsx(extra_types: str = "", parts: dict | None = None) -> io.BytesIO:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return _package("xl/workbook.xml", main, extra_types, {"xl/workbook.xml": "<workbook/>", **(parts or {})})


def test_an_xlsx_with_a_renamed_vba_part_is_refused():
    handle = _xlsx(f'<Override PartName="/xl/data.dat" ContentType="{VBA}"/>', {"xl/data.dat": b"\0macro"})
    with pytest.raises(FileRejected, match="macro"):
        file_check(handle, "danh-sach.xlsx")


def test_the_checksum_is_read_in_chunks_and_leaves_the_file_rewound():
    handle = io.BytesIO(b"a" * (3 * 1024 * 1024 + 7))
    handle.seek(5)
    digest = file_sha256(handle)
    assert len(digest) == 64 and handle.tell() == 0


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    "name, body, message",
    [
        ("notreally.pdf", b"just some text\n", "Tệp “notreally.pdf” có đuôi .pdf nhưng nội dung không phải PDF."),
        ("anh.pdf", PNG, "Tệp “anh.pdf” có đuôi .pdf nhưng nội dung không phải PDF (nhận ra: png)."),
        (
            "notreally.docx",
            b"just some text\n",
            "Tệp “notreally.docx” có đuôi .docx nhưng nội dung không phải văn bản Word.",
        ),
        ("anh.docx", PNG, "Tệp “anh.docx” có đuôi .docx nhưng nội dung không phải văn bản Word (nhận ra: png)."),
    ],
)
def test_a_file_whose_content_is_not_its_extension_names_what_it_is_only_when_recognized(name, body, message):
    with pytest.raises(ValidationError) as refused:
        review_file_check(io.BytesIO(body), name)
    assert refused.value.messages == [message]
