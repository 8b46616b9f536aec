"""Downloadable XLSX templates (Vietnamese titles, a sheet explaining every column) and files annotated with errors."""

import csv
import io
import tempfile
from functools import partial
from typing import IO

import openpyxl
from django.utils.translation import gettext as _

from assessments.common.spreadsheets import cell_escape
from assessments.common.vocabulary import level_rows, scheme_title
from assessments.importing.columns import (
    COLUMNS,
    DATA_TYPE_LABELS,
    ERRORS_COLUMN,
    ERRORS_TITLE,
    MEMBER_RATINGS,
    header_row_score,
)
from assessments.importing.engine import RowError, data_import, header_map
from assessments.importing.exporting import rows_write_xlsx
from assessments.importing.readers import CSV, Table, file_check
from assessments.models import (
    MEMBER_REASONS,
    CivilServantLevel,
    CollectiveKind,
    DisciplineForm,
    Gender,
    ImportRecord,
    Kind,
    Member,
    MemberStatus,
    NotRatedReason,
    Period,
    RatingScheme,
    Sector,
    Subject,
    SubjectGroup,
    Title,
)
from assessments.permissions import organizations_visible_to
from assessments.regulation.members import not_rated_reasons_suggested

CODE_LISTS = {
    "kind": Kind.choices,
    "sector": Sector.choices,
    "status": MemberStatus.choices,
    "gender": Gender.choices,
    "member_reasons": [(r.value, r.label) for r in MEMBER_REASONS],
    "discipline_form": DisciplineForm.choices,
    "civil_servant_level": CivilServantLevel.choices,
    "period": Period.choices,
    "subject_group": SubjectGroup.choices,
    "collective_kind": CollectiveKind.choices,
    "title": Title.choices,
}


def _choice_lists(data_type: str, year: int | None) -> dict[str, list[str]]:
    """The Vietnamese labels each code column accepts (levels: those of the year's scheme, or of the latest)."""
    lists: dict[str, list[str]] = {}
    scheme = RatingScheme.for_year(year) if year else RatingScheme.objects.order_by("-first_year").first()
    for column in COLUMNS[data_type]:
        if column.choices in ("unit_levels", "member_levels"):
            subject = Subject.UNIT if column.choices == "unit_levels" else Subject.MEMBER
            lists[column.code] = list(level_rows(scheme, subject).values_list("label_vi", flat=True))
        elif column.choices:
            lists[column.code] = [str(label) for _code, label in CODE_LISTS[column.choices]]
    return lists


def _guide_rows(data_type: str) -> list[list]:
    rows = [[_("Cột (tiêu đề)"), _("Mã cột"), _("Bắt buộc"), _("Giải thích")]]
    for column in COLUMNS[data_type]:
        rows.append([column.title, column.code, _("Có") if column.required else _("Không"), str(column.help)])
    rows.append([])
    rows.append(
        [
            _(
                "Ngày ghi YYYY-MM-DD hoặc DD/MM/YYYY, hoặc là ô kiểu ngày. Cột %(title)s do hệ thống thêm khi trả "
                "lại tệp có lỗi; khi tải lên lại, cột này được bỏ qua. Cột STT (số thứ tự) và các dòng tiêu đề phía "
                "trên bảng cũng được bỏ qua."
            )
            % {"title": ERRORS_TITLE}
        ]
    )
    rows.append([_("Các cột có danh sách chọn: ghi đúng tên như trong danh sách (có dấu hoặc không dấu đều được).")])
    lists = {column.choices for column in COLUMNS[data_type] if column.choices}
    for name in sorted(lists):
        rows.append([])
        if name in ("unit_levels", "member_levels"):
            subject = Subject.UNIT if name == "unit_levels" else Subject.MEMBER
            rows.append(
                [_("Mức xếp loại (%(subject)s) theo quy định của từng năm") % {"subject": Subject(subject).label}]
            )
            rows.append([_("Ghi"), _("Mã (cũng được chấp nhận)"), _("Quy định"), _("Các năm"), _("Mã quy định")])
            for scheme in RatingScheme.objects.prefetch_related("levels").order_by("first_year"):
                years = f"{scheme.first_year}–{scheme.last_year or ''}"
                for lv in sorted((lv for lv in scheme.levels.all() if lv.subject == subject), key=lambda lv: lv.rank):
                    rows.append([lv.label_vi, lv.code, scheme_title(scheme), years, scheme.code])
        else:
            title = next(column.title for column in COLUMNS[data_type] if column.choices == name)
            rows.append([_("Giá trị của cột %(title)s") % {"title": title}])
            rows.append([_("Ghi"), _("Mã (cũng được chấp nhận)")])
            for code, label in CODE_LISTS[name]:
                rows.append([str(label), code])
    if data_type == MEMBER_RATINGS:
        rows.append([])
        rows.append([_("Lý do không xếp loại chỉ ghi khi để trống cột Xếp loại.")])
    return rows


def _drop_downs(workbook, sheet_title: str, data_type: str, year: int | None, height: int) -> None:
    """Excel drop-down lists of the Vietnamese labels on every code column, read from a hidden sheet of lists (a
    list typed into the rule itself is limited to 255 characters)."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = _choice_lists(data_type, year)
    if not lists:
        return
    source = workbook.create_sheet(_("Danh sách"))
    source.sheet_state = "hidden"
    sheet = workbook[sheet_title]
    codes = [column.code for column in COLUMNS[data_type]]
    for number, (code, labels) in enumerate(lists.items(), start=1):
        letter = get_column_letter(number)
        for row, label in enumerate(labels, start=1):
            source[f"{letter}{row}"] = cell_escape(label)  # a label is text, never a formula
        target = get_column_letter(codes.index(code) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(source.title)}!${letter}$1:${letter}${max(len(labels), 1)}",
            allow_blank=True,
            showErrorMessage=False,  # a code or an unaccented label is accepted too: refuse nothing
        )
        validation.add(f"{target}2:{target}{max(height, 500) + 1}")
        sheet.add_data_validation(validation)


def template_workbook(data_type: str, *, user, year: int | None = None) -> bytes:
    """An XLSX template; for member ratings with a year, prefilled with the members in the user's scope."""
    rows: list[list] = [[column.title for column in COLUMNS[data_type]]]
    if data_type == MEMBER_RATINGS and year:
        members = (
            Member.objects.filter(organization__in=organizations_visible_to(user))
            .select_related("organization")
            .order_by("organization__path", "name_folded")
        )
        # Exempt, suspended or recently admitted members come with the suggested reason and no level (issue 14).
        reasons = not_rated_reasons_suggested(members=members, year=year)
        for member in members.iterator(chunk_size=2000):
            reason = reasons.get(member.pk, "")
            label = str(NotRatedReason(reason).label) if reason else ""
            rows.append([member.card_number, year, member.organization.code, "", label, member.full_name, ""])

    def guide(workbook) -> None:
        sheet = workbook.create_sheet(_("Hướng dẫn"))
        for row in _guide_rows(data_type):
            sheet.append([cell_escape(value) for value in row])

    title = str(DATA_TYPE_LABELS[data_type])[:31]
    out = io.BytesIO()
    rows_write_xlsx(iter(rows), out, title=title, extra_sheets=guide)
    # The template is small (one commune's members at most): reopened to add the drop-down lists, which the
    # streaming writer cannot.
    workbook = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    _drop_downs(workbook, title, data_type, year, len(rows))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def annotated_file(record: ImportRecord) -> tuple[IO[bytes], str]:
    """The uploaded file again with a column of errors per row (checked again now); returns a file and its name."""
    by_row: dict[int, list[str]] = {}

    def collect(error: RowError) -> None:
        by_row.setdefault(error.row, []).append(f"{error.column}: {error.message}")

    # Returned open for the response to stream; FileResponse closes it.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    with record.file.open("rb") as handle:
        kind = file_check(handle, record.file_name)
        data_import(
            data_type=record.data_type,
            handle=handle,
            name=record.file_name,
            scope_user=record.user,
            dry_run=True,
            on_error=collect,
        )
        handle.seek(0)

        def rows():
            with Table(handle, kind, partial(header_row_score, record.data_type)) as table:
                positions, _errors = header_map(record.data_type, table.header)
                # A file that already has an error column (fixed and uploaded again) gets a fresh one.
                keep = [i for i, code in enumerate(positions) if code != ERRORS_COLUMN]
                yield [*(table.header[i] for i in keep), ERRORS_TITLE]
                for number, cells in table.rows():
                    yield [*(cells[i] if i < len(cells) else "" for i in keep), "; ".join(by_row.get(number, []))]

        if kind == CSV:
            text = io.TextIOWrapper(spool, encoding="utf-8", newline="", write_through=True)
            text.write("\ufeff")
            writer = csv.writer(text, lineterminator="\r\n")
            for row in rows():
                writer.writerow([_csv_text(value) for value in row])
            text.detach()
            suffix = ".csv"
        else:
            rows_write_xlsx(rows(), spool, title=record.data_type)
            suffix = ".xlsx"
    spool.seek(0)
    stem = record.file_name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80]
    return spool, f"{stem}-loi{suffix}"


def _csv_text(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(cell_escape(value))


__all__ = ["RowError", "annotated_file", "template_workbook"]
