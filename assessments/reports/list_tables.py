"""The year's lists (reports.lists), the regulation overrides and the score bands as plain tables: titles, columns and
rows written once for the report's XLSX (one sheet each) and its Word file (one table each)."""

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assessments.regulation.selectors import overrides_in_subtree
from assessments.reports.lists import EXCELLENT_YEARS, EXEMPLARY_YEARS, NOT_COMPLETED_YEARS, ResultLists, result_lists
from assessments.reports.rows import Report


@dataclass(frozen=True)
class Column:
    label: str
    kind: str  # "int" or "text", as in the workbook's column specs
    width: float


@dataclass(frozen=True)
class ListTable:
    """One list: the sheet's short name (31 characters at most), its heading, its columns and rows."""

    sheet: str
    heading: str
    columns: list[Column]
    rows: list[list]


def _when(moment) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "d/m/Y H:i")


def _numbered_table(sheet: str, heading: str, columns: list[Column], rows) -> ListTable:
    """A list whose first column numbers its rows (STT), as every list of the report has."""
    numbered = [[i, *row] for i, row in enumerate(rows, 1)]
    return ListTable(sheet, heading, [Column(_("STT"), "int", 6), *columns], numbered)


def _unit_table(sheet: str, heading: str, units) -> ListTable:
    columns = [
        Column(_("Mã"), "text", 18),
        Column(_("Tổ chức đảng"), "text", 44),
        Column(_("Trực thuộc"), "text", 36),
    ]
    rows = ([unit.code, unit.name, unit.parent.name if unit.parent else ""] for unit in units)
    return _numbered_table(sheet, heading, columns, rows)


def _member_table(sheet: str, heading: str, members) -> ListTable:
    columns = [
        Column(_("Họ và tên"), "text", 30),
        Column(_("Số thẻ đảng viên"), "text", 18),
        Column(_("Chi bộ"), "text", 40),
        Column(_("Xếp loại năm nay"), "text", 28),
    ]
    rows = ([m.name, m.card_number, m.unit_name, m.level_label] for m in members)
    return _numbered_table(sheet, heading, columns, rows)


def _finalized_table(lists: ResultLists) -> ListTable:
    columns = [
        Column(_("Tổ chức đảng"), "text", 36),
        Column(_("Xếp loại"), "text", 26),
        Column(_("Lý do"), "text", 50),
        Column(_("Người chốt"), "text", 24),
        Column(_("Thời gian"), "text", 18),
    ]
    rows = (
        [row.unit_name, row.level_label, row.reason, row.finalized_by, _when(row.finalized_at)]
        for row in lists.overrides
    )
    return _numbered_table(
        _("Chốt khi chưa đạt kiểm tra"), _("Kết quả chốt khi chưa đạt kiểm tra quy định, và lý do"), columns, rows
    )


def _decided_table(overrides) -> ListTable:
    columns = [
        Column(_("Đơn vị"), "text", 36),
        Column(_("Quy tắc"), "text", 40),
        Column(_("Lý do"), "text", 50),
        Column(_("Người ghi"), "text", 24),
        Column(_("Thời gian"), "text", 18),
    ]
    rows = (
        [
            # An override of one subject names it: two leaders (collectives, groups) of a unit are two rows.
            o.subject_name,
            o.get_rule_display(),
            o.reason,
            (o.decided_by.get_full_name() or o.decided_by.username) if o.decided_by else _("hệ thống"),
            _when(o.decided_at),
        ]
        for o in overrides
    )
    return _numbered_table(_("Vượt kiểm tra quy định"), _("Quyết định vượt kiểm tra theo quy định"), columns, rows)


def score_band_table(report: Report) -> ListTable:
    """A scored year: the units and members whose score falls in each level's band, next to the level (the heading is
    the Word file's; the XLSX sheet's names the year)."""
    columns = [
        Column(_("Mức xếp loại"), "text", 32),
        Column(_("Khung điểm"), "text", 18),
        Column(_("Tổ chức đảng có điểm trong khung"), "int", 16),
        Column(_("Đảng viên có điểm trong khung"), "int", 16),
    ]
    rows = [[unit.level.label, unit.band, unit.count, member.count] for unit, member in report.score_bands["rows"]]
    return ListTable(_("Phân bố điểm"), _("Phân bố điểm theo khung xếp loại"), columns, rows)


def list_tables(*, organization, year: int, lists: ResultLists | None = None, overrides=None) -> list[ListTable]:
    """The lists of an organization's year as tables, in the order of the report page (six queries if not given)."""
    lists = lists if lists is not None else result_lists(organization=organization, year=year)
    if overrides is None:
        overrides = list(overrides_in_subtree(organization=organization, year=year))
    return [
        _unit_table(
            _("Tiêu biểu năm %(year)s") % {"year": year},
            _("Tổ chức đảng đề nghị công nhận “trong sạch, vững mạnh tiêu biểu” năm %(year)s") % {"year": year},
            lists.exemplary,
        ),
        _unit_table(
            _("Tiêu biểu %(n)s năm liền") % {"n": EXEMPLARY_YEARS},
            _("Tổ chức đảng “trong sạch, vững mạnh tiêu biểu” %(n)s năm liền") % {"n": EXEMPLARY_YEARS},
            lists.exemplary_running,
        ),
        _member_table(
            _("Xuất sắc %(n)s năm liền") % {"n": EXCELLENT_YEARS},
            _("Đảng viên hoàn thành xuất sắc nhiệm vụ %(n)s năm liền") % {"n": EXCELLENT_YEARS},
            lists.excellent_running,
        ),
        _member_table(
            _("Không hoàn thành %(n)s năm liền") % {"n": NOT_COMPLETED_YEARS},
            _("Đảng viên không hoàn thành nhiệm vụ %(n)s năm liền (đề nghị cấp ủy xem xét)")
            % {"n": NOT_COMPLETED_YEARS},
            lists.not_completed_running,
        ),
        _finalized_table(lists),
        _decided_table(overrides),
    ]
