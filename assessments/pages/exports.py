"""The unit and member lists exported as they are shown (same filters, every row, not one page) to XLSX and CSV;
every text cell goes through common.spreadsheets (cell_write, cell_escape) so that no cell runs as a formula."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from assessments.common.tables import FORMATS, table_response
from assessments.common.vocabulary import level_label
from assessments.models import period_label

__all__ = ["FORMATS", "members_response", "table_response", "units_response"]


def _sector_label(sector: str) -> str:
    from assessments.models import Sector

    return str(Sector(sector).label) if sector in Sector.values else ""


def _file_stem(stem: str, year: int, period: str) -> str:
    return f"{stem}-{year}-{period.lower()}" if period else f"{stem}-{year}"


def units_response(*, fmt: str, year: int, rows, period: str = "") -> HttpResponse:
    headers = [_("Tên"), _("Mã"), _("Loại hình"), _("Trực thuộc"), _("Tự đánh giá"), _("Xếp loại"), _("Tiêu biểu")]

    def lines():
        for unit in rows:
            yield [
                unit["name"],
                unit["code"],
                _sector_label(unit["sector"]),
                unit["parent__name"] or "",
                level_label(unit["rating__self_level__label_vi"], unit["rating__self_level__label_en"]),
                level_label(unit["rating__level__label_vi"], unit["rating__level__label_en"]) or _("Chưa xếp loại"),
                _("tiêu biểu") if unit["rating__exemplary"] else "",
            ]

    return table_response(
        fmt=fmt,
        filename=_file_stem("to-chuc-dang", year, period),
        title=_("Tổ chức đảng"),
        headers=headers,
        rows=lines(),
    )


def members_response(*, fmt: str, year: int, members, period: str = "") -> HttpResponse:
    headers = [
        _("Họ và tên"),
        _("Số thẻ"),
        _("Giới tính"),
        _("Dân tộc"),
        _("Trạng thái"),
        _("Chi bộ"),
        _("Đảng bộ cơ sở"),
        # "Xếp loại 2026", or "Xếp loại Quý I/2026" for a quarter's list.
        _("Xếp loại %(year)s") % {"year": period_label(year, period)},
    ]

    def lines():
        for m in members:
            rating = getattr(m, "rating", None)
            if rating is None:
                result = ""
            elif rating.level is not None:
                result = rating.level.label
            else:
                result = rating.get_not_rated_reason_display()
            parent = m.organization.parent.name if m.organization.kind == "cell" and m.organization.parent else ""
            yield [
                m.full_name,
                m.card_number,
                m.get_gender_display(),
                m.ethnicity,
                m.get_status_display(),
                m.organization.name,
                parent,
                result,
            ]

    return table_response(
        fmt=fmt, filename=_file_stem("dang-vien", year, period), title=_("Đảng viên"), headers=headers, rows=lines()
    )
