"""Export of organizations, members, ratings and discipline decisions as CSV or XLSX in the import format, safe to
open in Excel."""

import csv
import datetime
from collections.abc import Iterator
from typing import IO

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from assessments.common.spreadsheets import cell_escape
from assessments.importing.columns import (
    COLLECTIVE_RATINGS,
    COLLECTIVES,
    COLUMNS,
    CRITERIA,
    DISCIPLINES,
    ITEM_SCORES,
    LEADER_RATINGS,
    MEMBER_RATINGS,
    MEMBERS,
    ORGANIZATIONS,
    POSITIONS,
    SCORE_COLUMNS,
    UNIT_RATINGS,
)
from assessments.importing.criteria_export import criteria_rows, item_score_rows
from assessments.models import (
    Collective,
    CollectiveRating,
    Discipline,
    LeaderRating,
    Member,
    MemberAssessment,
    Organization,
    Position,
    UnitAssessment,
)


class ExportError(Exception):
    pass


def _org_scope(organization: Organization | None) -> QuerySet[Organization]:
    return Organization.objects.subtree(organization) if organization else Organization.objects.all()


def export_rows(
    data_type: str,
    *,
    organization: Organization | None = None,
    year: int | None = None,
    organizations: QuerySet[Organization] | None = None,
) -> Iterator[list]:
    """Rows (header of English codes first) of one type, limited to a subtree, a year and a user's scope."""
    scope = _org_scope(organization)
    if organizations is not None:
        scope = scope.filter(pk__in=organizations.values("pk"))
    yield [column.code for column in COLUMNS[data_type]]
    if data_type == ORGANIZATIONS:
        orgs = scope.for_year(year) if year else scope
        for org in orgs.select_related("parent").order_by("path").iterator(chunk_size=2000):
            yield [
                org.code,
                org.name,
                org.kind,
                org.parent.code if org.parent_id else "",
                org.sector,
                org.valid_from,
                org.valid_to,
            ]
    elif data_type == MEMBERS:
        members = Member.objects.filter(organization__in=scope.for_year(year) if year else scope)
        for m in members.select_related("organization").order_by("card_number").iterator(chunk_size=2000):
            yield [
                m.card_number,
                m.full_name,
                m.organization.code,
                m.status,
                m.gender,
                m.birth_date,
                m.ethnicity,
                m.admitted_on,
                m.official_on,
            ]
    elif data_type == UNIT_RATINGS:
        order = ("year", "period", "organization__path")
        for a in _ratings_in_scope(UnitAssessment, scope, year, ("organization", "level", "self_level"), order):
            yield [
                a.organization.code,
                a.year,
                a.level.code if a.level_id else "",
                a.self_level.code if a.self_level_id else "",
                "true" if a.exemplary else "false",
                a.decision_ref,
                a.decided_on,
                a.note,
                a.period,
                *_score_cells(a),
            ]
    elif data_type == MEMBER_RATINGS:
        order = ("year", "period", "organization__path", "member__card_number")
        for a in _ratings_in_scope(MemberAssessment, scope, year, ("organization", "level", "member"), order):
            yield [
                a.member.card_number,
                a.year,
                a.organization.code,
                a.level.code if a.level_id else "",
                a.not_rated_reason,
                a.member.full_name,
                a.note,
                a.sick_leave_months,
                a.civil_servant_level,
                a.period,
                *_score_cells(a),
            ]
    elif data_type == DISCIPLINES:
        records = Discipline.objects.filter(Q(member__organization__in=scope) | Q(organization__in=scope))
        if year:
            records = records.filter(decided_on__year=year)
        for d in (
            records.select_related("member", "organization").order_by("decided_on", "pk").iterator(chunk_size=2000)
        ):
            yield [
                d.member.card_number if d.member_id else "",
                d.organization.code if d.organization_id else "",
                d.form,
                d.decided_on,
                d.decision_ref,
                d.deciding_body,
                d.note,
                "true" if d.corruption else "false",
            ]
    elif data_type == CRITERIA:
        yield from criteria_rows(scope, year)
    elif data_type == ITEM_SCORES:
        yield from item_score_rows(scope, year)
    elif data_type in LEADERSHIP_EXPORTS:
        yield from LEADERSHIP_EXPORTS[data_type](scope, year)
    else:
        raise ExportError(_("Loại dữ liệu không hợp lệ: %(type)s.") % {"type": data_type})


def _ratings_in_scope(model, scope: QuerySet[Organization], year: int | None, related: tuple, order: tuple):
    """The unit or member ratings recorded in the scope (in a year, if given), joined, in the file's order."""
    ratings = model.objects.filter(organization__in=scope)
    if year:
        ratings = ratings.filter(year=year)
    return ratings.select_related(*related).order_by(*order).iterator(chunk_size=2000)


def _score_cells(rating) -> list:
    """The score columns of a rating, in the order of importing.columns.SCORE_COLUMNS."""
    return [getattr(rating, column.code) for column in SCORE_COLUMNS]


def _collective_rows(scope: QuerySet[Organization], year: int | None) -> Iterator[list]:
    collectives = Collective.objects.filter(organization__in=scope)
    if year:
        collectives = collectives.for_year(year)
    for c in collectives.select_related("organization").order_by("code").iterator(chunk_size=2000):
        yield [c.code, c.organization.code, c.kind, c.name, c.valid_from, c.valid_to]


def _position_rows(scope: QuerySet[Organization], year: int | None) -> Iterator[list]:
    positions = Position.objects.filter(collective__organization__in=scope)
    if year:
        positions = positions.for_year(year)
    for p in (
        positions.select_related("member", "collective", "managed_by")
        .order_by("collective__code", "member__card_number", "start")
        .iterator(chunk_size=2000)
    ):
        heads = "true" if p.heads else "false"
        yield [p.member.card_number, p.collective.code, p.title, heads, p.start, p.end, p.managed_by.code]


def _rating_cells(r) -> list:
    """The columns after the subject's, in the order of columns.COLUMNS (levels, scores and tasks, decision)."""
    levels = [lv.code if lv is not None else "" for lv in (r.level, r.self_level, r.appraisal_level)]
    return [r.period, *levels, *_score_cells(r), r.decision_ref, r.decided_on, r.note]


def _leadership_ratings(model, scope: QuerySet[Organization], year: int | None, order: tuple, joins: tuple):
    ratings = model.objects.filter(collective__organization__in=scope)
    if year:
        ratings = ratings.filter(year=year)
    related = ("collective", "level", "self_level", "appraisal_level", *joins)
    return ratings.select_related(*related).order_by(*order).iterator(chunk_size=2000)


def _collective_rating_rows(scope: QuerySet[Organization], year: int | None) -> Iterator[list]:
    order = ("year", "period", "collective__code")
    for r in _leadership_ratings(CollectiveRating, scope, year, order, ()):
        yield [r.collective.code, r.year, *_rating_cells(r)]


def _leader_rating_rows(scope: QuerySet[Organization], year: int | None) -> Iterator[list]:
    order = ("year", "period", "collective__code", "member__card_number")
    for r in _leadership_ratings(LeaderRating, scope, year, order, ("member",)):
        yield [r.member.card_number, r.collective.code, r.year, *_rating_cells(r)]


LEADERSHIP_EXPORTS = {
    COLLECTIVES: _collective_rows,
    POSITIONS: _position_rows,
    COLLECTIVE_RATINGS: _collective_rating_rows,
    LEADER_RATINGS: _leader_rating_rows,
}


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(cell_escape(value))


def rows_write_csv(rows: Iterator[list], out: IO[str]) -> int:
    """UTF-8 with a byte order mark, so that Excel shows Vietnamese correctly; returns the data rows written."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    count = -1
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
    return max(count, 0)


def rows_write_xlsx(rows: Iterator[list], out: IO[bytes] | str, *, title: str = "data", extra_sheets=None) -> int:
    """A streaming (write-only) workbook; text cells escaped, dates as date cells; returns the data rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    count = -1
    for row in rows:
        cells = []
        for value in row:
            value = "" if value is None else cell_escape(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
        count += 1
    if extra_sheets:
        extra_sheets(workbook)
    workbook.save(out)
    return max(count, 0)


def data_export(
    data_type: str,
    path: str,
    *,
    organization: Organization | None = None,
    year: int | None = None,
    organizations: QuerySet[Organization] | None = None,
) -> int:
    """Write one type to a .csv or .xlsx file in the import format; returns the number of data rows."""
    rows = export_rows(data_type, organization=organization, year=year, organizations=organizations)
    lowered = path.lower()
    if lowered.endswith(".csv"):
        with open(path, "w", encoding="utf-8", newline="") as out:
            return rows_write_csv(rows, out)
    if lowered.endswith(".xlsx"):
        return rows_write_xlsx(rows, path, title=data_type)
    raise ExportError(_("Tên tệp phải có đuôi .csv hoặc .xlsx."))
