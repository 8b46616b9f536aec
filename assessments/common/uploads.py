"""Upload checks and checksums: data files (CSV, XLSX) and review reports (PDF, DOCX), before any parser sees them;
stored documents kept and served back as attachments."""

import codecs
import hashlib
import io
import os
import re
import zipfile
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assessments.common.vocabulary import number_text

CSV, XLSX = "csv", "xlsx"
PDF, DOCX = "pdf", "docx"
_CHUNK = 1024 * 1024
DOCX_MAX_ENTRIES = 2000
DOCX_MAX_UNCOMPRESSED = 300 * 1024 * 1024
# Enough of [Content_Types].xml for any honest package (a few KB); a bigger one is read no further.
CONTENT_TYPES_MAX = 200_000
# Office packages declare macros by content type, whatever the part is called: a macro-enabled main part
# (".macroEnabled.main+xml"), a VBA project part ("application/vnd.ms-office.vbaProject") or its data part.
_MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|vbaData", re.IGNORECASE)


class FileRejected(Exception):
    """The file as a whole cannot be read: wrong kind, unsafe, too big, unreadable. Nothing was imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def file_sha256(handle: IO[bytes]) -> str:
    """SHA-256 of a file, read in chunks so that a large upload is never held in memory at once."""
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _size(handle: IO[bytes]) -> int:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


def _entries(handle: IO[bytes]) -> list[zipfile.ZipInfo] | None:
    """The zip directory of a file, or None when it is not a readable zip; the handle is rewound."""
    try:
        with zipfile.ZipFile(handle) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        handle.seek(0)


def macro_parts(handle: IO[bytes], entries: list[zipfile.ZipInfo]) -> str | None:
    """What shows that an Office package carries macros (a part's name or its declared content type), or None."""
    names = {entry.filename for entry in entries}
    named = next((name for name in sorted(names) if name.lower().endswith("vbaproject.bin")), None)
    if named is not None:
        return named.rsplit("/", 1)[-1]
    if "[Content_Types].xml" not in names:
        return None
    try:
        with zipfile.ZipFile(handle) as archive, archive.open("[Content_Types].xml") as part:
            declared = part.read(CONTENT_TYPES_MAX)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError):
        return None
    finally:
        handle.seek(0)
    return "[Content_Types].xml" if _MACRO_CONTENT_TYPE.search(declared) else None


# --- data files (imports) ---------------------------------------------------------------------------------------


def file_kind(name: str) -> str:
    """The kind promised by the file name; the content is checked against it separately."""
    lowered = (name or "").lower()
    if lowered.endswith(".csv"):
        return CSV
    if lowered.endswith(".xlsx"):
        return XLSX
    if lowered.endswith((".xlsm", ".xltm", ".xlam")):
        raise FileRejected(_("Tệp Excel có macro (.xlsm) không được chấp nhận: hãy lưu thành .xlsx."))
    if lowered.endswith(".xls"):
        raise FileRejected(_("Định dạng Excel cũ (.xls) không được hỗ trợ: hãy lưu thành .xlsx hoặc .csv."))
    raise FileRejected(_("Chỉ nhận tệp .csv hoặc .xlsx."))


def file_size_check(size: int) -> None:
    """A data file of `size` bytes must not exceed UPLOAD_MAX_BYTES."""
    max_bytes = limit("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    if size > max_bytes:
        raise FileRejected(
            _("Tệp quá lớn (%(size)s byte); giới hạn là %(max)s byte.")
            % {"size": number_text(size), "max": number_text(max_bytes)}
        )


def file_check(handle: IO[bytes], name: str) -> str:
    """Check size, content and (for XLSX) the zip structure before any parser sees the file; return its kind."""
    kind = file_kind(name)
    size = _size(handle)
    file_size_check(size)
    if size == 0:
        raise FileRejected(_("Tệp rỗng."))
    head = handle.read(8192)
    handle.seek(0)
    guessed = filetype.guess(head)
    if kind == XLSX:
        if guessed is None or guessed.extension not in ("xlsx", "zip"):
            raise FileRejected(_("Nội dung tệp không phải là bảng tính .xlsx (tên tệp có đuôi .xlsx)."))
        _zip_check(handle)
    else:
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileRejected(_("Tệp CSV mã UTF-16 không được hỗ trợ: hãy lưu thành “CSV UTF-8”."))
        if guessed is not None or b"\0" in head:
            raise FileRejected(_("Nội dung tệp không phải là văn bản CSV (tên tệp có đuôi .csv)."))
    return kind


def _zip_check(handle: IO[bytes]) -> None:
    """Refuse decompression bombs and macro workbooks by reading only the zip directory and the content types."""
    entries = _entries(handle)
    if entries is None:
        raise FileRejected(_("Tệp .xlsx bị hỏng, không đọc được."))
    max_entries = limit("IMPORT_XLSX_MAX_ENTRIES", 500)
    if len(entries) > max_entries:
        raise FileRejected(_("Tệp .xlsx có quá nhiều thành phần (%(n)s).") % {"n": number_text(len(entries))})
    names = {entry.filename for entry in entries}
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRejected(_("Tệp Excel có macro không được chấp nhận: hãy lưu thành .xlsx không có macro."))
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRejected(_("Nội dung tệp không phải là bảng tính .xlsx."))
    total = sum(entry.file_size for entry in entries)
    max_total = limit("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
    if total > max_total:
        raise FileRejected(
            _("Tệp .xlsx khi giải nén quá lớn (%(total)s byte; giới hạn %(max)s byte).")
            % {"total": number_text(total), "max": number_text(max_total)}
        )
    max_ratio = limit("IMPORT_XLSX_MAX_RATIO", 100)
    for entry in entries:
        # Tiny entries compress oddly well without harm; only judge entries of some size.
        if entry.file_size > 1024 * 1024 and entry.file_size > max_ratio * max(entry.compress_size, 1):
            raise FileRejected(
                _("Tệp .xlsx có thành phần nén bất thường (%(name)s, tỷ lệ nén trên %(ratio)s lần).")
                % {"name": entry.filename, "ratio": max_ratio}
            )
    if macro_parts(handle, entries) is not None:
        raise FileRejected(_("Tệp Excel có macro không được chấp nhận: hãy lưu thành .xlsx không có macro."))


# --- review reports (the yearly cycle) --------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return number_format(round(size / (1024 * 1024), 1), decimal_pos=1)


# What an uploaded document is, for the message that names it: a unit's review report or a member's self-assessment.
REVIEW_REPORT, SELF_ASSESSMENT = "review_report", "self_assessment"


def _wrong_kind(name: str, document: str) -> ValidationError:
    if document == SELF_ASSESSMENT:
        text = _("Tệp “%(name)s”: chỉ nhận bản tự kiểm điểm dạng PDF (.pdf) hoặc Word (.docx).")
    else:
        text = _("Tệp “%(name)s”: chỉ nhận báo cáo dạng PDF (.pdf) hoặc Word (.docx).")
    return ValidationError(text % {"name": name})


def review_file_check(handle: IO[bytes], name: str, *, document: str = REVIEW_REPORT) -> str:
    """The kind ("pdf" or "docx") of an uploaded review report or, `document=SELF_ASSESSMENT`, a member's
    self-assessment, after checking its size, content and structure."""
    lowered = (name or "").lower()
    max_bytes = int(settings.UPLOAD_MAX_BYTES)
    size = _size(handle)
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng (0 byte).") % {"name": name})
    if size > max_bytes:
        raise ValidationError(
            _("Tệp “%(name)s” nặng %(size)s MB (%(bytes)s byte), vượt giới hạn %(max)s MB.")
            % {
                "name": name,
                "size": _megabytes(size),
                "bytes": number_format(size, force_grouping=True),
                "max": _megabytes(max_bytes),
            }
        )
    if lowered.endswith((".docm", ".dotm")):
        raise ValidationError(
            _("Tệp “%(name)s” là văn bản Word có macro: không nhận, hãy lưu thành .docx hoặc .pdf.") % {"name": name}
        )
    if lowered.endswith(".pdf"):
        expected = PDF
    elif lowered.endswith(".docx"):
        expected = DOCX
    else:
        raise _wrong_kind(name, document)
    head = handle.read(8192)
    handle.seek(0)
    guessed = filetype.guess(head)
    if expected == PDF:
        if guessed is None or guessed.extension != "pdf" or not head.startswith(b"%PDF-"):
            raise _content_mismatch(
                name,
                guessed,
                _("Tệp “%(name)s” có đuôi .pdf nhưng nội dung không phải PDF (nhận ra: %(found)s)."),
                _("Tệp “%(name)s” có đuôi .pdf nhưng nội dung không phải PDF."),
            )
        handle.seek(max(0, size - 2048))
        tail = handle.read()
        handle.seek(0)
        if b"%%EOF" not in tail:
            raise ValidationError(
                _("Tệp “%(name)s” không phải PDF hoàn chỉnh: thiếu dấu kết thúc %%%%EOF (tệp hỏng hoặc tải chưa xong).")
                % {"name": name}
            )
        return expected
    if guessed is None or guessed.extension not in ("docx", "zip"):
        raise _content_mismatch(
            name,
            guessed,
            _("Tệp “%(name)s” có đuôi .docx nhưng nội dung không phải văn bản Word (nhận ra: %(found)s)."),
            _("Tệp “%(name)s” có đuôi .docx nhưng nội dung không phải văn bản Word."),
        )
    _docx_check(handle, name)
    return expected


def _content_mismatch(name: str, guessed, recognized: str, unrecognized: str) -> ValidationError:
    """A file whose content is not what its extension says: the message names what it is, when filetype knows."""
    if guessed is None:
        return ValidationError(unrecognized % {"name": name})
    return ValidationError(recognized % {"name": name, "found": guessed.extension})


def _docx_check(handle: IO[bytes], name: str) -> None:
    """Read only the zip directory and the content types: a Word body must be there, macros and bombs must not."""
    entries = _entries(handle)
    if entries is None:
        raise ValidationError(_("Tệp “%(name)s” bị hỏng, không mở được như văn bản .docx.") % {"name": name})
    names = {entry.filename for entry in entries}
    if len(entries) > DOCX_MAX_ENTRIES or sum(entry.file_size for entry in entries) > DOCX_MAX_UNCOMPRESSED:
        raise ValidationError(
            _("Tệp “%(name)s” khi giải nén quá lớn hoặc có quá nhiều thành phần; không nhận.") % {"name": name}
        )
    # A macro part may have any name: Word finds it by the content type declared for it, so both are checked.
    found = macro_parts(handle, entries)
    if found is not None:
        raise ValidationError(
            _("Tệp “%(name)s” chứa macro (%(part)s): không nhận, hãy lưu thành .docx không có macro hoặc .pdf.")
            % {"name": name, "part": found}
        )
    if "word/document.xml" not in names:
        raise ValidationError(
            _("Tệp “%(name)s” không phải văn bản Word: thiếu phần nội dung word/document.xml.") % {"name": name}
        )


def review_upload_fields(handle: IO[bytes], *, document: str = REVIEW_REPORT) -> dict:
    """The stored columns of an uploaded review report or self-assessment (name, kind, size, checksum), after
    `review_file_check`."""
    name = os.path.basename(getattr(handle, "name", "") or "")[:255]
    kind = review_file_check(handle, name, document=document)
    checksum = file_sha256(handle)
    size = handle.size if hasattr(handle, "size") else len(handle.read())
    return {"original_name": name, "kind": kind, "size": size, "checksum": checksum}


def document_store(document, handle: IO[bytes]) -> None:
    """Write an uploaded document's file, then its row; no orphan file on disk when the row could not be written."""
    document.file.save(document.original_name, handle, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise


def stored_attachment(stored, *, filename: str, content_type: str) -> FileResponse:
    """A stored file (a FileField's value) as an attachment under `filename`; 404 if the file is gone from disk."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("Tệp không còn trên máy chủ.")) from error
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
