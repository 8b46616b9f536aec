"""The import pipeline: header mapping, a form per row, the domain rules, set-based upserts, all or nothing."""

import datetime
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.common.text import fold
from assessments.importing.columns import (
    COLUMNS,
    DATA_TYPES,
    ERRORS_COLUMN,
    KEY_COLUMNS,
    MEMBER_RATINGS,
    MEMBERS,
    ORGANIZATIONS,
    UNIT_RATINGS,
    header_lookup,
)
from assessments.importing.forms import RowValidator, row_form_class
from assessments.importing.readers import FileRejected, Table, file_check
from assessments.models import (
    MEMBER_KINDS,
    Kind,
    Member,
    MemberAssessment,
    Membership,
    Organization,
    RatingLevel,
    RatingScheme,
    Role,
    Subject,
    UnitAssessment,
)
from assessments.permissions import organizations_visible_to
from assessments.services import member_assessment_check, unit_assessment_check
from assessments.signals import assessments_changed, organizations_changed

WRITE_BATCH = 1000


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


def scope_is_everything(user) -> bool:
    return user is None or user.is_superuser or (user.role == Role.ADMIN and user.organization_id is None)


def import_allowed(user, data_type: str) -> bool:
    """District staff import every type; a secretary members and ratings; leaders nothing."""
    if user is None or user.is_superuser or user.role in (Role.OFFICER, Role.ADMIN):
        return True
    return user.role == Role.SECRETARY and data_type in (MEMBERS, UNIT_RATINGS, MEMBER_RATINGS)


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
        from django.db.models import Q

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
        """The organization if it exists and is in scope; None either way, so nothing leaks outside the scope."""
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
            return _("Năm %(year)s chưa có quy định xếp loại.") % {"year": year}
        allowed = [lv.code for lv in self.all if lv.scheme_id == scheme.pk and lv.subject == subject]
        return _("“%(value)s” không phải mức xếp loại; năm %(year)s (quy định %(scheme)s) dùng: %(codes)s.") % {
            "value": value,
            "year": year,
            "scheme": scheme.code,
            "codes": ", ".join(sorted(allowed)),
        }


def _same(old, new) -> bool:
    # XLSX cannot carry a carriage return (XML turns it into a line feed): line endings do not count as a change.
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n").replace("\r", "\n") == new.replace("\r\n", "\n").replace("\r", "\n")
    return old == new


def _changed(obj, values: dict) -> list[str]:
    return [name for name, value in values.items() if not _same(getattr(obj, name), value)]


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
        self.years: set[int] = set()
        self.today = timezone.localdate()

    def close(self) -> None:
        self.keys.close()

    def column_for(self, name: str) -> str:
        column = self.field_columns.get(name, name)
        if column in self.present:
            return column
        return KEY_COLUMNS[self.data_type][0]

    def validation_error(self, row: Row, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            for message in messages:
                row.error(self.column_for(name if name != "__all__" else ""), message)

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
        rows = [row for row in batch if row.data is not None and not row.errors]
        if rows:
            plan = self.plan(rows)
            if writing and not any(row.errors for row in batch):
                self.write(plan)
        return batch

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
        from assessments.cycle.rules import rating_locks

        changing = [row for row in rows if row.action in ("created", "updated") and not row.errors]
        by_year: dict[int, dict[int, Organization]] = {}
        for row in changing:
            by_year.setdefault(row.obj.year, {})[row.obj.organization_id] = row.obj.organization
        locked = {}
        for year, orgs in by_year.items():
            for org_id, message in rating_locks(organizations=orgs.values(), year=year, actor=self.scope_user).items():
                locked[(org_id, year)] = message
        if not locked:
            return creates, updates
        refused = set()
        for row in changing:
            message = locked.get((row.obj.organization_id, row.obj.year))
            if message:
                row.error("organization_code", str(message))
                row.action = ""
                refused.add(id(row.obj))
        return [a for a in creates if id(a) not in refused], [a for a in updates if id(a) not in refused]


# --- member ratings -----------------------------------------------------------------------------------------------


class MemberRatingHandler(Handler):
    data_type = MEMBER_RATINGS
    field_columns = {"member": "card_number", "organization": "organization_code"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.levels = Levels()

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        for row in rows:
            row.key = f"{row.data['card_number']}/{row.data['year']}"
        self.duplicates(rows)
        rows = [row for row in rows if not row.errors]
        # Plain tuples: a model instance per member costs more than the whole rule check.
        members = {
            m.card_number: m
            for m in Member.objects.filter(card_number__in={row.data["card_number"] for row in rows}).values_list(
                "pk", "card_number", "full_name", "name_folded", "organization_id", named=True
            )
        }
        self.orgs.load(
            codes={row.data["organization_code"] for row in rows}, ids={m.organization_id for m in members.values()}
        )
        existing = {
            (a.member_id, a.year): a
            for a in MemberAssessment.objects.filter(
                member_id__in=[m.pk for m in members.values()], year__in={row.data["year"] for row in rows}
            )
        }
        creates, updates = [], []
        for row in rows:
            data = row.data
            member = members.get(data["card_number"])
            if member is None or not self.orgs.is_visible(member.organization_id):
                row.error(
                    "card_number",
                    _("Không có đảng viên số thẻ %(card)s trong phạm vi của bạn.") % {"card": data["card_number"]},
                )
                continue
            if data.get("full_name") and fold(data["full_name"]).replace(" ", "") != member.name_folded.replace(
                " ", ""
            ):
                row.error(
                    "full_name",
                    _("Họ tên không khớp với đảng viên số thẻ %(card)s (%(name)s): dòng bị lệch?")
                    % {"card": member.card_number, "name": member.full_name},
                )
            org = self.orgs.get(data["organization_code"])
            if org is None:
                row.error(
                    "organization_code",
                    _("Không có tổ chức mã %(code)s trong phạm vi của bạn.") % {"code": data["organization_code"]},
                )
                continue
            if not org.exists_in(data["year"]):
                row.error(
                    "organization_code",
                    _("%(code)s không tồn tại vào ngày 31/12/%(year)s.") % {"code": org.code, "year": data["year"]},
                )
            level = self.levels.resolve(data["level"], data["year"], Subject.MEMBER)
            if isinstance(level, str):
                row.error("level", level)
                continue
            assessment = existing.get((member.pk, data["year"]))
            is_new = assessment is None
            if is_new:
                assessment = MemberAssessment(member_id=member.pk, year=data["year"], organization=org)
            old = {
                "organization_id": assessment.organization_id,
                "level_id": assessment.level_id,
                "not_rated_reason": assessment.not_rated_reason,
                "note": assessment.note,
            }
            values = {"organization_id": org.pk, "level_id": level.pk if level else None}
            if "not_rated_reason" in self.present:
                values["not_rated_reason"] = data["not_rated_reason"]
            elif level is not None:
                values["not_rated_reason"] = ""  # a level means rated: a stored reason no longer applies
            if "note" in self.present:
                values["note"] = data["note"]
            changed = [name for name, value in values.items() if not _same(old[name], value)]
            for name, value in values.items():
                setattr(assessment, name, value)
            assessment.organization = org
            assessment.level = level
            try:
                member_assessment_check(assessment)
            except ValidationError as error:
                self.validation_error(row, error)
                continue
            if row.errors:
                continue
            row.obj = assessment
            row.changed = changed
            if is_new:
                row.action = "created"
                creates.append(assessment)
            elif changed:
                row.action = "updated"
                updates.append(assessment)
                if old["organization_id"] != org.pk:
                    self.org_ids.add(old["organization_id"])
            else:
                row.action = "unchanged"
            if row.action != "unchanged":
                self.org_ids.add(org.pk)
                self.years.add(data["year"])
        return self.locks_apply(rows, creates, updates)

    def write(self, plan) -> None:
        creates, updates = plan
        now = timezone.now()
        if creates:
            bulk_create_with_history(
                creates,
                MemberAssessment,
                batch_size=WRITE_BATCH,
                default_user=self.actor,
                default_change_reason=self.reason,
            )
        if updates:
            for assessment in updates:
                assessment.updated_at = now  # bulk_update skips auto_now
            bulk_update_with_history(
                updates,
                MemberAssessment,
                ["organization", "level", "not_rated_reason", "note", "updated_at"],
                batch_size=WRITE_BATCH,
                default_user=self.actor,
                default_change_reason=self.reason,
            )

    def signal(self) -> None:
        if self.org_ids:
            assessments_changed.send(
                sender=MemberAssessment, organization_ids=sorted(self.org_ids), years=sorted(self.years)
            )


# --- unit ratings -------------------------------------------------------------------------------------------------

DECIDED_FIELDS = ("level_id", "exemplary", "decision_ref", "decided_on", "note")


class UnitRatingHandler(Handler):
    data_type = UNIT_RATINGS
    field_columns = {"organization": "organization_code", "not_rated_reason": "level"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.levels = Levels()

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        for row in rows:
            row.key = f"{row.data['organization_code']}/{row.data['year']}"
        self.duplicates(rows)
        rows = [row for row in rows if not row.errors]
        self.orgs.load(codes={row.data["organization_code"] for row in rows})
        org_ids = [
            org.pk
            for code in {row.data["organization_code"] for row in rows}
            if (org := self.orgs.get(code)) is not None
        ]
        existing = {
            (a.organization_id, a.year): a
            for a in UnitAssessment.objects.filter(
                organization_id__in=org_ids, year__in={row.data["year"] for row in rows}
            ).select_related("level__scheme", "self_level__scheme")
        }
        user = self.scope_user
        secretary = user is not None and not user.is_superuser and user.role == Role.SECRETARY
        own_kind = user.organization.kind if secretary else ""
        creates, updates = [], []
        for row in rows:
            data = row.data
            org = self.orgs.get(data["organization_code"])
            if org is None:
                row.error(
                    "organization_code",
                    _("Không có tổ chức mã %(code)s trong phạm vi của bạn.") % {"code": data["organization_code"]},
                )
                continue
            level = self.levels.resolve(data["level"], data["year"], Subject.UNIT)
            self_level = None
            if "self_level" in self.present:
                self_level = self.levels.resolve(data["self_level"], data["year"], Subject.UNIT)
                if isinstance(self_level, str):
                    row.error("self_level", self_level)
            if isinstance(level, str):
                row.error("level", level)
            if row.errors:
                continue
            assessment = existing.get((org.pk, data["year"]))
            is_new = assessment is None
            if is_new:
                assessment = UnitAssessment(organization=org, year=data["year"])
            values = {"level_id": level.pk if level else None}
            if level is not None:
                values["not_rated_reason"] = ""  # a decided level supersedes a stored "not rated" reason
            if "self_level" in self.present:
                values["self_level_id"] = self_level.pk if self_level else None
            for name in ("exemplary", "decision_ref", "decided_on", "note"):
                if name in self.present:
                    values[name] = data[name]
            changed = _changed(assessment, values)
            if secretary and org.pk == user.organization_id:
                # A grassroots organization only proposes its own level; the district decides it.
                for name in changed:
                    if name in DECIDED_FIELDS:
                        column = "level" if name == "level_id" else name
                        row.error(
                            column,
                            _(
                                "Cấp trên quyết định xếp loại của chính tổ chức bạn: bạn chỉ ghi "
                                "cột self_level (tự đánh giá); cột này phải giữ như hiện có."
                            ),
                        )
            elif secretary and own_kind != Kind.GRASSROOTS_COMMITTEE:
                row.error("organization_code", _("Chỉ đảng ủy cơ sở mới quyết định xếp loại chi bộ trực thuộc."))
            if row.errors:
                continue
            for name, value in values.items():
                setattr(assessment, name, value)
            assessment.level = level
            if "self_level" in self.present:
                assessment.self_level = self_level
            try:
                unit_assessment_check(assessment)
            except ValidationError as error:
                self.validation_error(row, error)
                continue
            row.obj = assessment
            row.changed = changed
            if is_new:
                row.action = "created"
                creates.append(assessment)
            elif changed:
                row.action = "updated"
                updates.append(assessment)
            else:
                row.action = "unchanged"
            if row.action != "unchanged":
                self.org_ids.add(org.pk)
                self.years.add(data["year"])
        return self.locks_apply(rows, creates, updates)

    def write(self, plan) -> None:
        creates, updates = plan
        if creates:
            bulk_create_with_history(
                creates,
                UnitAssessment,
                batch_size=WRITE_BATCH,
                default_user=self.actor,
                default_change_reason=self.reason,
            )
        if updates:
            now = timezone.now()
            for assessment in updates:
                assessment.updated_at = now
            bulk_update_with_history(
                updates,
                UnitAssessment,
                [
                    "level",
                    "self_level",
                    "exemplary",
                    "not_rated_reason",
                    "decision_ref",
                    "decided_on",
                    "note",
                    "updated_at",
                ],
                batch_size=WRITE_BATCH,
                default_user=self.actor,
                default_change_reason=self.reason,
            )

    def signal(self) -> None:
        if self.org_ids:
            assessments_changed.send(
                sender=UnitAssessment, organization_ids=sorted(self.org_ids), years=sorted(self.years)
            )


# --- members ------------------------------------------------------------------------------------------------------

MEMBER_FIELDS = ("full_name", "status", "gender", "birth_date", "ethnicity", "admitted_on", "official_on")


class MemberHandler(Handler):
    data_type = MEMBERS
    field_columns = {"organization": "organization_code"}

    def plan(self, rows: list[Row]) -> tuple[list, list, list]:
        for row in rows:
            row.key = row.data["card_number"]
        self.duplicates(rows)
        rows = [row for row in rows if not row.errors]
        existing = {m.card_number: m for m in Member.objects.filter(card_number__in={row.key for row in rows})}
        self.orgs.load(
            codes={row.data["organization_code"] for row in rows}, ids={m.organization_id for m in existing.values()}
        )
        constraint = next(c for c in Member._meta.constraints if c.name == "member_official_after_admission")
        creates, updates, moves = [], [], []
        for row in rows:
            data = row.data
            member = existing.get(row.key)
            if member is not None and not self.orgs.is_visible(member.organization_id):
                row.error(
                    "card_number",
                    _(
                        "Đảng viên số thẻ %(card)s đang sinh hoạt ở tổ chức ngoài phạm vi của "
                        "bạn; việc chuyển sinh hoạt do cấp trên thực hiện."
                    )
                    % {"card": row.key},
                )
                continue
            org = self.orgs.get(data["organization_code"])
            if org is None:
                row.error(
                    "organization_code",
                    _("Không có tổ chức mã %(code)s trong phạm vi của bạn.") % {"code": data["organization_code"]},
                )
                continue
            values = {name: data[name] for name in MEMBER_FIELDS if name in self.present}
            is_new = member is None
            if is_new:
                member = Member(card_number=row.key, organization=org)
                changed = list(values)
                moved = False
            else:
                changed = _changed(member, values)
                moved = member.organization_id != org.pk
            if is_new or moved:
                if org.kind not in MEMBER_KINDS:
                    row.error(
                        "organization_code", _("Đảng viên sinh hoạt ở chi bộ, không ở %(org)s.") % {"org": org.name}
                    )
                elif org.valid_to is not None and org.valid_to < self.today:
                    row.error(
                        "organization_code",
                        _("%(code)s đã thôi tồn tại từ %(day)s.")
                        % {"code": org.code, "day": org.valid_to.strftime("%d/%m/%Y")},
                    )
            admitted = values.get("admitted_on", member.admitted_on)
            official = values.get("official_on", member.official_on)
            if admitted and official and official < admitted:
                row.error(
                    "official_on" if "official_on" in self.present else "admitted_on",
                    str(constraint.violation_error_message),
                )
            if row.errors:
                continue
            for name, value in values.items():
                setattr(member, name, value)
            member.name_folded = fold(member.full_name)
            if is_new:
                row.action = "created"
                creates.append(member)
            elif changed or moved:
                row.action = "updated"
                row.changed = [*changed, *(["organization_code"] if moved else [])]
                if moved:
                    moves.append((member, member.organization_id, org.pk))
                    member.organization = org
                updates.append(member)
            else:
                row.action = "unchanged"
        return creates, updates, moves

    def write(self, plan) -> None:
        creates, updates, moves = plan
        if creates:
            created = bulk_create_with_history(
                creates, Member, batch_size=WRITE_BATCH, default_user=self.actor, default_change_reason=self.reason
            )
            Membership.objects.bulk_create(
                [
                    Membership(member=m, organization_id=m.organization_id, start=m.admitted_on or self.today)
                    for m in created
                ],
                batch_size=WRITE_BATCH,
            )
        if updates:
            bulk_update_with_history(
                updates,
                Member,
                [*MEMBER_FIELDS, "name_folded", "organization"],
                batch_size=WRITE_BATCH,
                default_user=self.actor,
                default_change_reason=self.reason,
            )
        if moves:
            self.transfer(moves)

    def transfer(self, moves: list[tuple[Member, int, int]]) -> None:
        """Record each changed cell as a transfer today: close the open membership, open the next."""
        member_ids = [member.pk for member, _old, _new in moves]
        open_rows = {m.member_id: m for m in Membership.objects.filter(member_id__in=member_ids, end__isnull=True)}
        closing, corrected, opening = [], [], []
        for member, _old, new in moves:
            current = open_rows.get(member.pk)
            if current is not None and current.start >= self.today:
                # Moved again on the day it started: a same-day correction, not a second transfer.
                current.organization_id = new
                corrected.append(current)
                continue
            if current is not None:
                current.end = self.today - datetime.timedelta(days=1)
                closing.append(current)
            opening.append(Membership(member=member, organization_id=new, start=self.today))
        Membership.objects.bulk_update(closing, ["end"], batch_size=WRITE_BATCH)
        Membership.objects.bulk_update(corrected, ["organization"], batch_size=WRITE_BATCH)
        Membership.objects.bulk_create(opening, batch_size=WRITE_BATCH)


# --- organizations ------------------------------------------------------------------------------------------------

ORG_FIELDS = ("name", "kind", "sector", "valid_from", "valid_to")


class OrganizationHandler(Handler):
    """Organizations reference each other (parent_code), so the file is planned as a whole: a tree of a province
    is a few thousand rows, far below the row limit."""

    data_type = ORGANIZATIONS
    field_columns = {"parent": "parent_code"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rows: list[Row] = []

    def process(self, batch: list[Row], writing: bool) -> list[Row]:
        self.rows.extend(batch)
        return []

    def finish(self, writing: bool) -> list[Row]:
        rows = [row for row in self.rows if row.data is not None and not row.errors]
        if rows:
            plan = self.plan(rows)
            if writing and not any(row.errors for row in self.rows):
                self.write(plan)
        return self.rows

    def plan(self, rows: list[Row]):
        for row in rows:
            row.key = row.data["code"]
        self.duplicates(rows)
        rows = [row for row in rows if not row.errors]
        in_file = {row.key: row for row in rows}
        codes = set(in_file) | {row.data["parent_code"] for row in rows if row.data["parent_code"]}
        existing = {org.code: org for org in Organization.objects.filter(code__in=codes).select_related("parent")}
        # Ancestors of existing organizations, to place them when an ancestor in the file moves.
        self.orgs.load(codes=codes)
        everything = scope_is_everything(self.scope_user)
        new_paths: dict[str, str | None] = {}
        in_progress: set[str] = set()

        def path_of_existing(org: Organization) -> str:
            parts = org.path.strip("/").split("/")
            for i in range(len(parts) - 1, -1, -1):
                if parts[i] in in_file and parts[i] != org.code:
                    above = new_path(parts[i])
                    return None if above is None else above + "".join(p + "/" for p in parts[i + 1 :])
            return org.path

        def new_path(code: str) -> str | None:
            if code in new_paths:
                return new_paths[code]
            row = in_file[code]
            if code in in_progress:
                row.error("parent_code", _("Quan hệ cấp trên tạo thành vòng lặp (%(code)s).") % {"code": code})
                new_paths[code] = None
                return None
            in_progress.add(code)
            parent_code = row.data["parent_code"]
            if not parent_code:
                result = f"{code}/"
            elif parent_code in in_file:
                above = new_path(parent_code)
                result = None if above is None else f"{above}{code}/"
            elif parent_code in existing:
                above = path_of_existing(existing[parent_code])
                result = None if above is None else f"{above}{code}/"
            else:
                row.error("parent_code", _("Không có tổ chức mã %(code)s.") % {"code": parent_code})
                result = None
            if result is not None and parent_code and result.count(f"/{code}/") + result.startswith(f"{code}/") > 1:
                row.error("parent_code", _("Không thể đặt một tổ chức trực thuộc chính cấp dưới của nó."))
                result = None
            in_progress.discard(code)
            new_paths.setdefault(code, result)
            return new_paths[code]

        creates, updates = [], []
        for row in rows:
            data = row.data
            org = existing.get(row.key)
            path = new_path(row.key)
            if path is None:
                if not row.errors:
                    row.error("parent_code", _("Tổ chức cấp trên có lỗi ở dòng khác."))
                continue
            parent_code = data["parent_code"]
            parent_changed = org is None or (org.parent.code if org.parent_id else "") != parent_code
            if not everything:
                if org is not None and not self.orgs.is_visible(org.pk):
                    row.error("code", _("Tổ chức mã %(code)s nằm ngoài phạm vi của bạn.") % {"code": row.key})
                    continue
                if parent_changed:
                    if not parent_code:
                        row.error("parent_code", _("Chỉ quản trị hệ thống mới tạo tổ chức gốc."))
                    elif parent_code not in in_file and not self.orgs.is_visible(existing[parent_code].pk):
                        row.error(
                            "parent_code",
                            _("Không có tổ chức mã %(code)s trong phạm vi của bạn.") % {"code": parent_code},
                        )
                    if row.errors:
                        continue
            values = {name: data[name] for name in ORG_FIELDS if name in self.present}
            if org is None:
                org = Organization(code=row.key)
                row.action = "created"
                creates.append((row, org, path))
            else:
                changed = _changed(org, values) or parent_changed or org.path != path
                start = values.get("valid_from", org.valid_from)
                end = values.get("valid_to", org.valid_to)
                if start and end and end < start:
                    row.error(
                        "valid_to" if "valid_to" in self.present else "valid_from",
                        _("Ngày kết thúc phải sau ngày thành lập."),
                    )
                    continue
                row.action = "updated" if changed else "unchanged"
                row.changed = [*_changed(org, values), *(["parent_code"] if parent_changed else [])]
                if changed:
                    updates.append((row, org, path))
            for name, value in values.items():
                setattr(org, name, value)
            org.name_folded = fold(org.name)
        return creates, updates, existing, in_file

    def write(self, plan) -> None:
        creates, updates, existing, in_file = plan
        ids: dict[str, int] = {code: org.pk for code, org in existing.items()}
        # Parents first: one bulk insert per depth of the tree.
        by_depth: dict[int, list] = {}
        for row, org, path in creates:
            by_depth.setdefault(path.count("/"), []).append((row, org, path))
        for depth in sorted(by_depth):
            objs = []
            for row, org, path in by_depth[depth]:
                org.parent_id = ids.get(row.data["parent_code"]) if row.data["parent_code"] else None
                org.path, org.depth = path, path.count("/") - 1
                objs.append(org)
            for org in bulk_create_with_history(
                objs, Organization, batch_size=WRITE_BATCH, default_user=self.actor, default_change_reason=self.reason
            ):
                ids[org.code] = org.pk
                self.org_ids.add(org.pk)
        old_paths = {}
        objs = []
        for row, org, path in updates:
            org.parent_id = ids.get(row.data["parent_code"]) if row.data["parent_code"] else None
            if org.path != path:
                old_paths[org.pk] = org.path
            org.path, org.depth = path, path.count("/") - 1
            objs.append(org)
            self.org_ids.add(org.pk)
        if objs:
            bulk_update_with_history(
                objs,
                Organization,
                [*ORG_FIELDS, "name_folded", "parent", "path", "depth"],
                batch_size=WRITE_BATCH,
                default_user=self.actor,
                default_change_reason=self.reason,
            )
        self.descendants_move(old_paths, {org.pk: org.path for _r, org, _p in updates}, set(ids.values()))

    def descendants_move(self, old_paths: dict[int, str], new_paths: dict[int, str], in_file: set[int]) -> None:
        """Re-root the paths of moved subtrees (rows not in the file); deepest first, so the nearest move wins."""
        from django.db.models import F, Value
        from django.db.models.functions import Concat, Substr

        for pk, old in sorted(old_paths.items(), key=lambda item: -len(item[1])):
            new = new_paths[pk]
            (
                Organization.objects.filter(path__startswith=old)
                .exclude(pk__in=in_file)
                .update(
                    path=Concat(Value(new), Substr("path", len(old) + 1)),
                    depth=F("depth") + (new.count("/") - old.count("/")),
                )
            )

    def signal(self) -> None:
        if self.org_ids:
            organizations_changed.send(sender=Organization, organization_ids=sorted(self.org_ids))


HANDLERS = {
    ORGANIZATIONS: OrganizationHandler,
    MEMBERS: MemberHandler,
    UNIT_RATINGS: UnitRatingHandler,
    MEMBER_RATINGS: MemberRatingHandler,
}


def header_map(data_type: str, header: list[str]) -> tuple[list[str | None], list[RowError]]:
    """Column code for each position (None for a blank header), or the errors of row 1."""
    lookup = header_lookup(data_type)
    positions: list[str | None] = []
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    for text in header:
        text = str(text).strip()
        if not text:
            positions.append(None)
            continue
        code = lookup.get(fold(text))
        if code is None:
            known = ", ".join(c.code for c in COLUMNS[data_type])
            message = _("Cột không được biết đến: “%(column)s”. Các cột của loại %(type)s: %(columns)s.")
            errors.append(RowError(1, text, message % {"column": text, "type": data_type, "columns": known}))
        elif code in seen:
            errors.append(RowError(1, text, _("Cột %(code)s xuất hiện hai lần.") % {"code": code}))
        else:
            seen[code] = text
        positions.append(code)
    for column in COLUMNS[data_type]:
        if column.required and column.code not in seen:
            errors.append(
                RowError(
                    1,
                    column.code,
                    _("Thiếu cột bắt buộc %(code)s (“%(title)s”).") % {"code": column.code, "title": column.title},
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
) -> ImportResult:
    """Import one file of a type: every row checked, then all written in one transaction, or nothing at all.

    Raises FileRejected when the file as a whole cannot be used (kind, safety, size, encoding, row limit).
    """
    if data_type not in DATA_TYPES:
        raise FileRejected(_("Loại dữ liệu không hợp lệ: %(type)s.") % {"type": data_type})
    if scope_user is not None and not import_allowed(scope_user, data_type):
        raise FileRejected(_("Bạn không có quyền nhập loại dữ liệu này."))
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

    def settle(rows: list[Row], header: list[str], positions: list[str | None]) -> None:
        titles = {code: header[i] for i, code in enumerate(positions) if code}
        for row in rows:
            for column, message in row.errors:
                report(RowError(row.number, titles.get(column, column), message))
            if row.action in ("created", "updated", "unchanged") and not row.errors:
                setattr(result, row.action, getattr(result, row.action) + 1)
                if row.action != "unchanged" and len(result.changes) < sample:
                    result.changes.append(_change_summary(data_type, row))
            if on_row is not None:
                on_row(row)

    def run() -> None:
        with Table(handle, kind) as table:
            positions, header_errors = header_map(data_type, table.header)
            for error in header_errors:
                report(error)
            if header_errors:
                return
            present = {code for code in positions if code}
            validator = RowValidator(row_form_class(data_type, present))
            handler = HANDLERS[data_type](
                actor=actor,
                scope_user=scope_user,
                present=present,
                result=result,
                reason=reason or _("Nhập từ tệp %(name)s") % {"name": name[:60]},
            )
            try:
                batch: list[Row] = []
                for number, cells in table.rows():
                    batch.append(_row_from_cells(number, cells, positions, validator))
                    result.rows += 1
                    if len(batch) >= WRITE_BATCH:
                        settle(handler.process(batch, not dry_run and result.error_count == 0), table.header, positions)
                        batch = []
                        _query_log_trim()
                        if on_progress is not None:
                            on_progress(result.rows)
                settle(handler.process(batch, not dry_run and result.error_count == 0), table.header, positions)
                settle(handler.finish(not dry_run and result.error_count == 0), table.header, positions)
                if on_progress is not None:
                    on_progress(result.rows)
                if not dry_run and result.error_count == 0:
                    handler.signal()
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
    UNIT_RATINGS: ("level", "self_level", "exemplary"),
    MEMBER_RATINGS: ("full_name", "organization_code", "level", "not_rated_reason"),
}


def _change_summary(data_type: str, row: Row) -> dict:
    """What the preview shows of a row to be written: its key, main values, and for an update the changed columns."""
    data = row.data or {}
    values = ", ".join(
        f"{name}={data[name]}" for name in SUMMARY_COLUMNS[data_type] if data.get(name) not in (None, "")
    )
    columns = sorted({"level" if n == "level_id" else n.removesuffix("_id") for n in row.changed} - {"organization"})
    if any(n == "organization_id" for n in row.changed):
        columns.append("organization_code")
    return {"row": row.number, "action": row.action, "key": row.key, "values": values, "changed": ", ".join(columns)}


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
        if code != ERRORS_COLUMN:
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
