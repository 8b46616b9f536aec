"""What every import handler shares: the row and result records, the key index on disk, the organization and
level caches, and the Handler base class that plans a batch against the rules layer and writes it set-based."""

import datetime
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.common.text import fold, text_normalize
from assessments.common.vocabulary import scheme_title
from assessments.importing.columns import KEY_COLUMNS
from assessments.models import Member, Organization, RatingLevel, RatingScheme
from assessments.permissions import organizations_visible_to, scope_is_everything
from assessments.rules.access import member_out_of_scope_message, out_of_scope_message
from assessments.rules.locks import rating_locks
from assessments.rules.ratings import no_scheme_message
from assessments.signals import assessments_changed

WRITE_BATCH = 1000


def key_join(*parts) -> str:
    """A row's key from its parts, the empty ones (no period) left out."""
    return "/".join(str(part) for part in parts if part)


def subject_key(data: dict) -> str:
    """Who a row is about, in its key: the member's card, or `@` and the unit's code."""
    return data.get("card_number") or f"@{data.get('organization_code')}"


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    data_type: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first IMPORT_MAX_ERRORS_KEPT only
    changes: list[dict] = field(default_factory=list)  # a sample of rows to create or update, for the preview
    notes: list[str] = field(default_factory=list)  # what was read but not used (columns dropped), for the preview
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "written": self.written,
        }


@dataclass
class Row:
    number: int
    cells: list
    values: dict = field(default_factory=dict)
    data: dict | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column code or header text, message)
    action: str = ""  # created, updated, unchanged
    key: str = ""
    obj: Any = None  # the rating a row would write
    changed: list[str] = field(default_factory=list)  # columns an update changes, for the preview

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))


class _Rollback(Exception):
    pass


class KeyIndex:
    """Keys seen so far, on disk (a temporary SQLite file) so that memory does not grow with the file."""

    def __init__(self):
        handle, self.path = tempfile.mkstemp(prefix="bacson-import-", suffix=".sqlite3")
        os.close(handle)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-2000;"
            "CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID;"
        )

    def add(self, items: list[tuple[str, int]]) -> dict[int, int]:
        """Record keys; return {row: earlier row with the same key} for duplicates."""
        found: dict[str, int] = {}
        keys = list({key for key, _row in items})
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT key, row FROM seen WHERE key IN ({marks})", chunk))  # noqa: S608
        duplicates, fresh = {}, {}
        for key, row in items:
            first = found.get(key) or fresh.get(key)
            if first:
                duplicates[row] = first
            else:
                fresh[key] = row
        self.db.executemany("INSERT INTO seen VALUES (?, ?)", fresh.items())
        return duplicates

    def close(self) -> None:
        self.db.close()
        os.unlink(self.path)


class OrgCache:
    """Organizations looked up by code as batches need them, with whether the uploader may touch them."""

    def __init__(self, scope_user):
        self.scope_user = scope_user
        self.by_code: dict[str, Organization] = {}
        self.by_id: dict[int, Organization] = {}
        self.visible: set[int] = set()

    def load(self, *, codes: Iterable[str] = (), ids: Iterable[int] = ()) -> None:
        codes = {c for c in codes if c and c not in self.by_code}
        ids = {i for i in ids if i and i not in self.by_id}
        if not codes and not ids:
            return
        found = list(Organization.objects.filter(Q(code__in=codes) | Q(pk__in=ids)))
        for org in found:
            self.by_code[org.code] = org
            self.by_id[org.pk] = org
        if scope_is_everything(self.scope_user):
            self.visible.update(org.pk for org in found)
        else:
            self.visible.update(
                organizations_visible_to(self.scope_user)
                .filter(pk__in=[o.pk for o in found])
                .values_list("pk", flat=True)
            )

    def get(self, code: str) -> Organization | None:
        """The organization if it exists and is in scope; None either way, so nothing leaks outside the scope (the
        set-based form of assessments.permissions.write_allowed's scope)."""
        org = self.by_code.get(code)
        return org if org is not None and org.pk in self.visible else None

    def is_visible(self, org_id: int) -> bool:
        return org_id in self.visible


class Levels:
    """Level codes (or Vietnamese labels) of a row resolved against the scheme of that row's year."""

    def __init__(self):
        self.all = list(RatingLevel.objects.select_related("scheme"))
        self.exact = {(lv.scheme_id, lv.subject, lv.code): lv for lv in self.all}
        self.by_label = {(lv.scheme_id, lv.subject, fold(lv.label_vi)): lv for lv in self.all}

    def resolve(self, value: str, year: int, subject: str) -> RatingLevel | str | None:
        """A level, None for blank, or an error message. A level of another scheme or subject is returned so
        that the services' level_check words the error."""
        if not value:
            return None
        scheme = RatingScheme.for_year(year)
        if scheme is not None:
            level = self.exact.get((scheme.pk, subject, value)) or self.by_label.get((scheme.pk, subject, fold(value)))
            if level is not None:
                return level
        same_code = [lv for lv in self.all if lv.code == value]
        for candidates in (
            [lv for lv in same_code if lv.subject == subject],
            [lv for lv in same_code if scheme is not None and lv.scheme_id == scheme.pk],
            same_code,
        ):
            if candidates:
                return candidates[0]
        if scheme is None:
            return no_scheme_message(year)
        allowed = sorted((lv for lv in self.all if lv.scheme_id == scheme.pk and lv.subject == subject), key=_rank)
        return _("“%(value)s” không phải mức xếp loại; năm %(year)s (%(scheme)s) ghi một trong: %(labels)s.") % {
            "value": value,
            "year": year,
            "scheme": scheme_title(scheme),
            "labels": "; ".join(lv.label_vi for lv in allowed),
        }


def _rank(level: RatingLevel) -> int:
    return level.rank


def _same(old, new) -> bool:
    # Imported text is normalized (common.text.text_normalize): stored text written before that, which normalizes
    # to what the file says, is not a change (nor are line endings, which XLSX cannot carry as they were).
    if isinstance(old, str) and isinstance(new, str):
        return old == new or new in (_normalized(old, multiline=False), _normalized(old, multiline=True))
    return old == new


def _normalized(text: str, *, multiline: bool) -> str | None:
    try:
        return text_normalize(text, multiline=multiline)
    except ValidationError:
        return None


def _changed(obj, values: dict) -> list[str]:
    return [name for name, value in values.items() if not _same(getattr(obj, name), value)]


def updated_at_stamp(objs: list) -> datetime.datetime:
    """Stamp the time of the change on rows about to be updated set-based (bulk_update skips auto_now)."""
    now = timezone.now()
    for obj in objs:
        obj.updated_at = now
    return now


def values_apply(obj, values: dict, *, is_new: bool) -> list[str]:
    """Set a row's values on obj and name the fields this changes: all of them on a new row."""
    changed = list(values) if is_new else _changed(obj, values)
    for name, value in values.items():
        setattr(obj, name, value)
    return changed


def set_values(obj, values: dict, *, is_new: bool, owner: tuple) -> list[str]:
    """Set a row's values and its owner (the collective's organization, the post's managing committee) on obj, and
    name the fields this changes."""
    field, owner_obj = owner
    changed = _changed(obj, values)
    if is_new or getattr(obj, f"{field}_id") != owner_obj.pk:
        changed.append(f"{field}_id")
    for name, value in values.items():
        setattr(obj, name, value)
    setattr(obj, field, owner_obj)
    return changed


class Handler:
    """One file type: plan each batch of rows against the database, then write it set-based."""

    data_type = ""
    # Model fields whose errors belong to a column of another name.
    field_columns: dict[str, str] = {}

    def __init__(self, *, actor, scope_user, present: set[str], result: ImportResult, reason: str):
        self.actor = actor
        self.scope_user = scope_user
        self.present = present
        self.result = result
        self.reason = reason
        self.keys = KeyIndex()
        self.orgs = OrgCache(scope_user)
        self.org_ids: set[int] = set()
        # The years a rating row changed, by period ("" the year, Q1–Q4): one summaries signal per period.
        self.years: dict[str, set[int]] = {}
        # Every organization a clean rating row lands in, by year (changed or not): what an import as final locks.
        self.rated: dict[int, dict[int, Organization]] = {}
        self.today = timezone.localdate()

    @cached_property
    def levels(self) -> Levels:
        """The rating levels, read once per import by the handlers whose rows name levels."""
        return Levels()

    def close(self) -> None:
        self.keys.close()

    def changed_add(self, organization_id: int, year: int, period: str) -> None:
        self.org_ids.add(organization_id)
        self.years.setdefault(period, set()).add(year)

    def ratings_signal(self, sender) -> None:
        """Tell the summaries which organizations changed in which years of each period, once per period."""
        for period, years in sorted(self.years.items()):
            assessments_changed.send(
                sender=sender, organization_ids=sorted(self.org_ids), years=sorted(years), periods=[period]
            )

    def rated_add(self, organization: Organization, year: int, period: str = "") -> None:
        # An import as final finalizes the yearly cycle's files: a quarter's rows have no file to finalize.
        if not period:
            self.rated.setdefault(year, {})[organization.pk] = organization

    def column_for(self, name: str) -> str:
        column = self.field_columns.get(name, name)
        if column in self.present:
            return column
        return KEY_COLUMNS[self.data_type][0]

    def validation_error(self, row: Row, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            for message in messages:
                row.error(self.column_for(name if name != "__all__" else ""), message)

    def file(self, row: Row, obj, *, is_new: bool, changed: list, plan: tuple) -> None:
        """File a planned object in the plan as created, updated or unchanged, and say so on its row."""
        creates, updates = plan
        row.obj, row.changed = obj, changed
        if is_new:
            row.action = "created"
            creates.append(obj)
        elif changed:
            row.action = "updated"
            updates.append(obj)
        else:
            row.action = "unchanged"

    def rule_holds(self, row: Row, rule, *args, **kwargs) -> bool:
        """Whether a rule of the rules layer holds for a row; a broken rule becomes the row's errors."""
        try:
            rule(*args, **kwargs)
        except ValidationError as error:
            self.validation_error(row, error)
            return False
        return True

    def file_checked(self, row: Row, obj, *, is_new: bool, changed: list, check, plan: tuple) -> None:
        """Check a planned object by its rule, then file it; a broken rule becomes the row's error instead."""
        if self.rule_holds(row, check, obj):
            self.file(row, obj, is_new=is_new, changed=changed, plan=plan)

    def owned_file_checked(self, row: Row, obj, *, is_new: bool, names, owner: tuple, check, plan: tuple) -> None:
        """Set the row's values of the named columns the file has and its owner on obj (set_values), then check it
        by its rule and file it."""
        changed = set_values(obj, self.present_values(row.data, names), is_new=is_new, owner=owner)
        self.file_checked(row, obj, is_new=is_new, changed=changed, check=check, plan=plan)

    def create_with_history(self, model, objs: list) -> list:
        """Insert new rows set-based, each with its history row naming the uploader and the reason; the rows
        written (with their keys)."""
        if not objs:
            return []
        return bulk_create_with_history(
            objs, model, batch_size=WRITE_BATCH, default_user=self.actor, default_change_reason=self.reason
        )

    def update_with_history(self, model, objs: list, fields: list) -> None:
        """Write changed rows' fields set-based, each with its history row naming the uploader and the reason."""
        if objs:
            bulk_update_with_history(
                objs, model, fields, batch_size=WRITE_BATCH, default_user=self.actor, default_change_reason=self.reason
            )

    def write_with_history(self, model, plan: tuple, fields: list) -> list:
        """Write a plan's new and changed rows set-based, with their history rows; the new rows written."""
        creates, updates = plan
        created = self.create_with_history(model, creates)
        self.update_with_history(model, updates, fields)
        return created

    def present_values(self, data: dict, names) -> dict:
        """A row's values of the named columns the file has: a column left out leaves the stored value as it is."""
        return {name: data[name] for name in names if name in self.present}

    def organization_get(self, row: Row, column: str = "organization_code") -> Organization | None:
        """The organization a row names in `column` if it is in scope; None with the row's error otherwise."""
        organization = self.orgs.get(row.data[column])
        if organization is None:
            row.error(column, out_of_scope_message(row.data[column]))
        return organization

    def member_get(self, row: Row, members: dict):
        """The member of the row's card if the uploader may see their cell; None with the row's error otherwise, the
        same answer whether the card exists elsewhere or not."""
        member = members.get(row.data["card_number"])
        if member is None or not self.orgs.is_visible(member.organization_id):
            row.error("card_number", member_out_of_scope_message(row.data["card_number"]))
            return None
        return member

    def members_and_units_load(self, rows: list[Row]) -> dict[str, Member]:
        """For rows about a member (card_number) or a unit (organization_code): the members by card, with their
        cells, and the organizations of both loaded into the cache."""
        cards = {row.data.get("card_number") for row in rows} - {None, ""}
        members = {
            m.card_number: m for m in Member.objects.filter(card_number__in=cards).select_related("organization")
        }
        self.orgs.load(
            codes={row.data.get("organization_code") for row in rows} - {None, ""},
            ids={m.organization_id for m in members.values()},
        )
        return members

    def member_or_unit_get(self, row: Row, members: dict) -> tuple[Member | None, Organization | None] | None:
        """The member or the unit a row is about, as (member, None) or (None, unit); None with the row's error when
        it is outside the uploader's scope."""
        if row.data.get("card_number"):
            member = self.member_get(row, members)
            return None if member is None else (member, None)
        organization = self.organization_get(row)
        return None if organization is None else (None, organization)

    def rating_file(self, row: Row, rating, organization: Organization, *, is_new: bool, changed: list, plan) -> None:
        """File a unit's or a member's rating; its unit and year count as rated (what an import as final locks) and,
        when it changes, as changed for the summaries."""
        self.rated_add(organization, rating.year, rating.period)
        self.file(row, rating, is_new=is_new, changed=changed, plan=plan)
        if row.action != "unchanged":
            self.changed_add(organization.pk, rating.year, rating.period)

    def rows_keyed(self, rows: list[Row], key) -> list[Row]:
        """Each row keyed by `key(row.data)`; the rows left once those repeating a key of the file are refused."""
        for row in rows:
            row.key = key(row.data)
        self.duplicates(rows)
        return [row for row in rows if not row.errors]

    def duplicates(self, rows: list[Row]) -> None:
        found = self.keys.add([(row.key, row.number) for row in rows])
        for row in rows:
            if row.number in found:
                row.error(
                    KEY_COLUMNS[self.data_type][0],
                    _("Trùng với dòng %(row)s (cùng khóa %(key)s).") % {"row": found[row.number], "key": row.key},
                )

    def process(self, batch: list[Row], writing: bool) -> list[Row]:
        """Plan the batch; write it when allowed and clean; return the rows now settled, in order."""
        self.settle(batch, writing)
        return batch

    def settle(self, rows: list[Row], writing: bool) -> None:
        """Plan the rows that were read cleanly; write the plan when allowed and no row has an error."""
        clean = [row for row in rows if row.data is not None and not row.errors]
        if clean:
            plan = self.plan(clean)
            if writing and not any(row.errors for row in rows):
                self.write(plan)

    def finish(self, writing: bool) -> list[Row]:
        return []

    def plan(self, rows: list[Row]) -> Any:
        raise NotImplementedError

    def write(self, plan: Any) -> None:
        raise NotImplementedError

    def signal(self) -> None:
        pass

    def locks_apply(self, rows: list[Row], creates: list, updates: list) -> tuple[list, list]:
        """Ratings the yearly cycle has locked (finalized; or submitted, for the unit's secretary) are errors, as
        in unit/member_assessment_save: one query per year of the batch."""
        changing = [row for row in rows if row.action in ("created", "updated") and not row.errors]
        by_period: dict[tuple[int, str], dict[int, Organization]] = {}
        for row in changing:
            by_period.setdefault((row.obj.year, row.obj.period), {})[row.obj.organization_id] = row.obj.organization
        locked = {}
        for (year, period), orgs in by_period.items():
            locks = rating_locks(organizations=orgs.values(), year=year, actor=self.scope_user, period=period)
            for org_id, message in locks.items():
                locked[(org_id, year, period)] = message
        if not locked:
            return creates, updates
        refused = set()
        for row in changing:
            message = locked.get((row.obj.organization_id, row.obj.year, row.obj.period))
            if message:
                row.error("organization_code", str(message))
                row.action = ""
                refused.add(id(row.obj))
        return [a for a in creates if id(a) not in refused], [a for a in updates if id(a) not in refused]
