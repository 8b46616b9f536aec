"""The import pipeline: header mapping, a form per row, the rules layer through one handler per data type
(organizations, members, unit_ratings, member_ratings), set-based upserts, all or nothing."""

import difflib
from collections.abc import Callable
from functools import partial
from typing import IO

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils.translation import gettext as _

from assessments.common.text import fold
from assessments.common.vocabulary import level_label
from assessments.importing.collective_ratings import CollectiveRatingHandler
from assessments.importing.collectives import CollectiveHandler
from assessments.importing.columns import (
    COLLECTIVE_RATINGS,
    COLLECTIVES,
    COLUMNS,
    CRITERIA,
    DATA_TYPE_LABELS,
    DATA_TYPES,
    DISCIPLINES,
    ERRORS_COLUMN,
    IGNORED,
    ITEM_SCORES,
    LEADER_RATINGS,
    MEMBER_RATINGS,
    MEMBERS,
    ORGANIZATIONS,
    POSITIONS,
    ROW_NUMBER_TITLES,
    UNIT_RATINGS,
    WIDE_MARK,
    header_lookup,
    header_row_score,
    wide_column,
)
from assessments.importing.criteria import CriteriaHandler
from assessments.importing.disciplines import DisciplineHandler
from assessments.importing.forms import ROW_FORMS, CodeChoiceField, RowValidator, row_form_class
from assessments.importing.handlers import WRITE_BATCH, ImportResult, Row, RowError, _Rollback
from assessments.importing.item_scores import ItemScoreHandler
from assessments.importing.leader_ratings import LeaderRatingHandler
from assessments.importing.member_ratings import MemberRatingHandler
from assessments.importing.members import MemberHandler
from assessments.importing.organizations import OrganizationHandler
from assessments.importing.positions import PositionHandler
from assessments.importing.readers import FileRejected, Table, file_check
from assessments.importing.unit_ratings import UnitRatingHandler
from assessments.models import RatingScheme
from assessments.permissions import data_write_allowed, is_officer
from assessments.rules.access import role_refused_message
from assessments.services import year_results_finalize

__all__ = ["ImportResult", "RowError", "data_import", "final_import_allowed", "header_map", "import_allowed"]


def final_import_allowed(user, data_type: str) -> bool:
    """Importing results as final (locked): ratings only, by an officer (or a command, with no user)."""
    return data_type in (UNIT_RATINGS, MEMBER_RATINGS) and (user is None or is_officer(user))


def import_allowed(user, data_type: str) -> bool:
    """Which types a user may import: the one predicate of every write path (permissions.data_write_allowed)."""
    return data_write_allowed(user, data_type)


HANDLERS = {
    ORGANIZATIONS: OrganizationHandler,
    MEMBERS: MemberHandler,
    UNIT_RATINGS: UnitRatingHandler,
    MEMBER_RATINGS: MemberRatingHandler,
    DISCIPLINES: DisciplineHandler,
    CRITERIA: CriteriaHandler,
    ITEM_SCORES: ItemScoreHandler,
    COLLECTIVES: CollectiveHandler,
    POSITIONS: PositionHandler,
    COLLECTIVE_RATINGS: CollectiveRatingHandler,
    LEADER_RATINGS: LeaderRatingHandler,
}


def header_map(
    data_type: str, header: list[str], notes: list[str] | None = None
) -> tuple[list[str | None], list[RowError]]:
    """Column code for each position (None for a blank header, IGNORED for a dropped one), and the header's errors.

    Row numbers ("STT") are dropped silently; another unknown column is dropped with a note (added to notes),
    unless it looks like a misspelled column of the type, which is an error: its data would be lost.
    """
    lookup = header_lookup(data_type)
    titles = {column.code: column.title for column in COLUMNS[data_type]}
    spellings = {key: code for key, code in lookup.items() if code != ERRORS_COLUMN}
    positions: list[str | None] = []
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for text in header:
        text = str(text).strip()
        if not text:
            positions.append(None)
            continue
        folded = fold(text)
        code = lookup.get(folded) or wide_column(data_type, text)
        if code is None:
            close = difflib.get_close_matches(folded, spellings, n=1, cutoff=0.8)
            if close:
                message = _("Không nhận ra cột “%(column)s”: có phải là cột “%(title)s”?")
                errors.append(RowError(1, text, message % {"column": text, "title": titles[spellings[close[0]]]}))
            elif folded not in ROW_NUMBER_TITLES and notes is not None:
                notes.append(_("Đã bỏ qua cột “%(column)s”: mẫu không có cột này.") % {"column": text})
            positions.append(IGNORED)
            continue
        if code in seen:
            errors.append(
                RowError(1, text, _("Cột “%(title)s” xuất hiện hai lần.") % {"title": titles.get(code, text)})
            )
        else:
            seen[code] = text
        positions.append(code)
    missing = [column for column in COLUMNS[data_type] if column.required and column.code not in seen]
    if any(code.startswith(WIDE_MARK) for code in seen):
        # A scoring sheet names its items in its headers.
        missing = [column for column in missing if column.code != "item_code"]
    for column in missing:
        errors.append(
            RowError(
                1,
                column.title,
                _("Thiếu cột bắt buộc “%(title)s”. Mẫu %(type)s có các cột: %(columns)s.")
                % {
                    "title": column.title,
                    "type": str(DATA_TYPE_LABELS[data_type]).lower(),
                    "columns": "; ".join(c.title for c in COLUMNS[data_type]),
                },
            )
        )
    return positions, errors


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def data_import(
    *,
    data_type: str,
    handle: IO[bytes],
    name: str,
    actor=None,
    scope_user=None,
    dry_run: bool = False,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_row: Callable[[Row], None] | None = None,
    reason: str = "",
    final: bool = False,
) -> ImportResult:
    """Import one file of a type: every row checked, then all written in one transaction, or nothing at all.

    With final (ratings only, by an officer or a command), the year's results of every unit the file rates become
    final once written: from then on only an officer changes them, after a reopen with a reason (rules.locks).
    Raises FileRejected when the file as a whole cannot be used (kind, safety, size, encoding, row limit).
    """
    if data_type not in DATA_TYPES:
        raise FileRejected(_("Loại dữ liệu không hợp lệ: %(type)s.") % {"type": data_type})
    if scope_user is not None and not import_allowed(scope_user, data_type):
        raise FileRejected(role_refused_message())
    if final and not final_import_allowed(scope_user, data_type):
        raise FileRejected(_("Chỉ cán bộ Ban Tổ chức mới nhập kết quả xếp loại như đã chốt."))
    kind = file_check(handle, name)
    result = ImportResult(data_type=data_type, dry_run=dry_run)
    keep = int(getattr(settings, "IMPORT_MAX_ERRORS_KEPT", 1000))
    sample = int(getattr(settings, "IMPORT_PREVIEW_ROWS", 500))

    def report(error: RowError) -> None:
        result.error_count += 1
        if len(result.errors) < keep:
            result.errors.append(error)
        if on_error is not None:
            on_error(error)

    def settle(rows: list[Row], header: list[str], positions: list[str | None], orgs) -> None:
        titles = {code: header[i] for i, code in enumerate(positions) if code}
        for row in rows:
            for column, message in row.errors:
                report(RowError(row.number, titles.get(column, column), message))
            if row.action in ("created", "updated", "unchanged") and not row.errors:
                setattr(result, row.action, getattr(result, row.action) + 1)
                if row.action != "unchanged" and len(result.changes) < sample:
                    result.changes.append(_change_summary(data_type, row, orgs))
            if on_row is not None:
                on_row(row)

    def run() -> None:
        with Table(handle, kind, partial(header_row_score, data_type)) as table:
            positions, header_errors = header_map(data_type, table.header, result.notes)
            for error in header_errors:
                report(RowError(table.header_row, error.column, error.message))
            if header_errors:
                return
            present = {code for code in positions if code and code != IGNORED}
            validator = RowValidator(row_form_class(data_type, present))
            handler = HANDLERS[data_type](
                actor=actor,
                scope_user=scope_user,
                present=present,
                result=result,
                reason=reason or _("Nhập từ tệp %(name)s") % {"name": name[:60]},
            )
            context = (table.header, positions, handler.orgs)
            try:
                batch: list[Row] = []
                for number, cells in table.rows():
                    batch.append(_row_from_cells(number, cells, positions, validator))
                    result.rows += 1
                    if len(batch) >= WRITE_BATCH:
                        settle(handler.process(batch, not dry_run and result.error_count == 0), *context)
                        batch = []
                        _query_log_trim()
                        if on_progress is not None:
                            on_progress(result.rows)
                settle(handler.process(batch, not dry_run and result.error_count == 0), *context)
                settle(handler.finish(not dry_run and result.error_count == 0), *context)
                if on_progress is not None:
                    on_progress(result.rows)
                if not dry_run and result.error_count == 0:
                    handler.signal()
                    if final:
                        for year, organizations in sorted(handler.rated.items()):
                            year_results_finalize(organizations=organizations.values(), year=year, actor=actor)
            finally:
                handler.close()

    with RatingScheme.memoized():
        if dry_run:
            run()
        else:
            try:
                with transaction.atomic():
                    run()
                    if result.error_count:
                        raise _Rollback
                    result.written = True
            except _Rollback:
                pass
            except DatabaseError as error:
                # A constraint hit by a concurrent change, or a lost connection: nothing is kept either way.
                result.written = False
                report(RowError(0, "", _("Lỗi cơ sở dữ liệu, không ghi gì: %(error)s") % {"error": error}))
    return result


SUMMARY_COLUMNS = {
    ORGANIZATIONS: ("name", "kind", "parent_code"),
    MEMBERS: ("full_name", "organization_code", "status"),
    UNIT_RATINGS: ("organization_code", "level", "self_level", "exemplary"),
    MEMBER_RATINGS: ("full_name", "organization_code", "level", "not_rated_reason"),
    DISCIPLINES: ("card_number", "organization_code", "form", "decided_on"),
    CRITERIA: ("set_code", "group_code", "item_name", "item_max"),
    ITEM_SCORES: ("card_number", "organization_code", "set_code", "self_score", "score"),
    COLLECTIVES: ("name", "kind", "organization_code"),
    POSITIONS: ("card_number", "collective_code", "title", "start"),
    COLLECTIVE_RATINGS: ("collective_code", "period", "level", "self_level"),
    LEADER_RATINGS: ("card_number", "collective_code", "period", "level", "self_level"),
}
# Model fields an update changes, by the file's column that sets them.
FIELD_COLUMNS = {
    "level_id": "level",
    "self_level_id": "self_level",
    "appraisal_level_id": "appraisal_level",
    "organization_id": "organization_code",
    "managed_by_id": "managed_by_code",
}


def _cell_text(data_type: str, name: str, row: Row, orgs) -> str:
    """A value as the pages show it: a level's or a code's label, an organization's name, a date as 31/12/2020."""
    value = (row.data or {}).get(name)
    if name in ("level", "self_level"):
        level = getattr(row.obj, name, None)
        return level_label(level.label_vi, level.label_en) if level is not None else ""
    if name in ("organization_code", "parent_code") and value:
        org = orgs.by_code.get(value)
        return f"{org.name} ({value})" if org is not None else value
    field = ROW_FORMS[data_type].base_fields.get(name)
    if isinstance(field, CodeChoiceField) and value:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def _change_summary(data_type: str, row: Row, orgs) -> dict:
    """What the preview shows of a row to be written: its key, its main values as the pages show them (titles of
    the template's columns), and for an update the columns it changes."""
    titles = {column.code: column.title for column in COLUMNS[data_type]}
    cells = [
        [titles[name], text]
        for name in SUMMARY_COLUMNS[data_type]
        if (row.data or {}).get(name) not in (None, "") and (text := _cell_text(data_type, name, row, orgs))
    ]
    changed = []
    for name in row.changed:
        column = FIELD_COLUMNS.get(name, name.removesuffix("_id"))
        if column in titles and titles[column] not in changed:
            changed.append(titles[column])
    return {"row": row.number, "action": row.action, "key": row.key, "cells": cells, "changed": changed}


def _query_log_trim() -> None:
    """With DEBUG on, Django keeps the text of the last 9,000 queries: the bulk INSERTs of a large import would
    make memory grow with the file. Left alone while a test captures queries (force_debug_cursor)."""
    if settings.DEBUG:
        for conn in connections.all(initialized_only=True):
            if not conn.force_debug_cursor:
                conn.queries_log.clear()


def _row_from_cells(number: int, cells: list, positions: list[str | None], validator: RowValidator) -> Row:
    row = Row(number=number, cells=cells)
    for index, code in enumerate(positions):
        value = cells[index] if index < len(cells) else ""
        if code is None:
            if value != "":
                row.error(_letter(index), _("Ô có dữ liệu nhưng cột không có tiêu đề."))
            continue
        if code not in (ERRORS_COLUMN, IGNORED):
            row.values[code] = value
    for index in range(len(positions), len(cells)):
        if cells[index] != "":
            row.error(_letter(index), _("Ô có dữ liệu nhưng cột không có tiêu đề."))
    row.data, form_errors = validator.validate(row.values)
    if form_errors:
        for name, messages in form_errors.items():
            for message in messages:
                row.error(name if name != "__all__" else next(iter(row.values)), message)
    return row
