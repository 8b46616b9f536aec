"""Import of member ratings: one row per member and year, checked by rules.ratings, written set-based."""

from django.db import connection, transaction
from django.utils.translation import gettext as _

from assessments.common.text import fold
from assessments.importing.columns import MEMBER_RATINGS
from assessments.importing.handlers import WRITE_BATCH, Handler, Row, _same, key_join, updated_at_stamp
from assessments.models import Member, MemberAssessment, Subject
from assessments.rules.criteria import item_score_totals_of, item_totals_planned
from assessments.rules.ratings import member_assessment_check
from assessments.rules.scores import SCORE_FIELDS

# What an update writes: every column the file can change, and the time of the change.
UPDATE_FIELDS = [
    "organization",
    "level",
    "not_rated_reason",
    "note",
    "sick_leave_months",
    "civil_servant_level",
    *SCORE_FIELDS,
    "updated_at",
]


def updates_write_in_database(updates: list[MemberAssessment], *, actor, reason, now) -> None:
    """PostgreSQL: the changed ratings in one UPDATE ... FROM (VALUES ...) per batch and their history rows in one
    INSERT ... SELECT of the rows just written, the same rows bulk_update_with_history writes (type "~", the actor,
    the reason, one date for the import). Django's bulk_update builds a CASE WHEN per row and field, 60 % of a
    commune's confirm (bench/profile_deadline.py)."""
    from psycopg2.extras import execute_values

    meta = MemberAssessment._meta
    fields = [meta.get_field(name) for name in UPDATE_FIELDS]
    # Casts in the template type every VALUES column, NULLs included; names and types come from the model.
    template = "(%s::bigint, " + ", ".join(f"%s::{f.db_type(connection)}" for f in fields) + ")"
    columns = [f.column for f in fields]
    update = (
        f"UPDATE {meta.db_table} AS t SET "  # noqa: S608 — names from the model, values as parameters
        + ", ".join(f"{c} = v.{c}" for c in columns)
        + f" FROM (VALUES %s) AS v(id, {', '.join(columns)}) WHERE t.id = v.id"
    )
    history = MemberAssessment.history.model
    tracked = [f.column for f in history.tracked_fields]
    insert = (
        f"INSERT INTO {history._meta.db_table} "  # noqa: S608 — names from the models, values as parameters
        f"({', '.join(tracked)}, history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join(f't.{c}' for c in tracked)}, %s, %s, '~', %s FROM {meta.db_table} t "
        "JOIN unnest(%s::bigint[]) WITH ORDINALITY AS u(id, n) ON u.id = t.id ORDER BY u.n"
    )
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(updates), WRITE_BATCH):
            batch = updates[start : start + WRITE_BATCH]
            rows = [(a.pk, *(f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields)) for a in batch]
            execute_values(cursor.cursor, update, rows, template=template, page_size=WRITE_BATCH)
            cursor.execute(insert, [now, reason, actor.pk, [a.pk for a in batch]])


class MemberRatingHandler(Handler):
    data_type = MEMBER_RATINGS
    field_columns = {"member": "card_number", "organization": "organization_code"}

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        rows = self.rows_keyed(rows, lambda data: key_join(data["card_number"], data["year"], data.get("period", "")))
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
            (a.member_id, a.year, a.period): a
            for a in MemberAssessment.objects.filter(
                member_id__in=[m.pk for m in members.values()], year__in={row.data["year"] for row in rows}
            )
        }
        # The item-score sums the rating rule compares each score with, for every row's member and period at once.
        totals = item_score_totals_of(
            subject_field="member_id",
            keys={
                (members[row.data["card_number"]].pk, row.data["year"], row.data.get("period", ""))
                for row in rows
                if row.data["card_number"] in members
            },
        )
        with item_totals_planned(totals):
            return self._plan_rows(rows, members, existing)

    def _plan_rows(self, rows: list[Row], members: dict, existing: dict) -> tuple[list, list]:
        creates, updates = [], []
        for row in rows:
            data = row.data
            member = self.member_get(row, members)
            if member is None:
                continue
            if data.get("full_name") and fold(data["full_name"]).replace(" ", "") != member.name_folded.replace(
                " ", ""
            ):
                row.error(
                    "full_name",
                    _("Họ tên không khớp với đảng viên số thẻ %(card)s (%(name)s): dòng bị lệch?")
                    % {"card": member.card_number, "name": member.full_name},
                )
            org = self.organization_get(row)
            if org is None:
                continue
            level = self.levels.resolve(data["level"], data["year"], Subject.MEMBER)
            if isinstance(level, str):
                row.error("level", level)
                continue
            period = data.get("period", "")
            assessment = existing.get((member.pk, data["year"], period))
            is_new = assessment is None
            if is_new:
                assessment = MemberAssessment(member_id=member.pk, year=data["year"], period=period, organization=org)
            old = {
                "organization_id": assessment.organization_id,
                "level_id": assessment.level_id,
                "not_rated_reason": assessment.not_rated_reason,
                "note": assessment.note,
                "sick_leave_months": assessment.sick_leave_months,
                "civil_servant_level": assessment.civil_servant_level,
                **{name: getattr(assessment, name) for name in SCORE_FIELDS},
            }
            values = {"organization_id": org.pk, "level_id": level.pk if level else None}
            if "not_rated_reason" in self.present:
                values["not_rated_reason"] = data["not_rated_reason"]
            elif level is not None:
                values["not_rated_reason"] = ""  # a level means rated: a stored reason no longer applies
            values.update(
                self.present_values(data, ("note", "sick_leave_months", "civil_servant_level", *SCORE_FIELDS))
            )
            changed = [name for name, value in values.items() if not _same(old[name], value)]
            for name, value in values.items():
                setattr(assessment, name, value)
            assessment.organization = org
            assessment.level = level
            if not self.rule_holds(row, member_assessment_check, assessment) or row.errors:
                continue
            self.rating_file(row, assessment, org, is_new=is_new, changed=changed, plan=(creates, updates))
            if row.action == "updated" and old["organization_id"] != org.pk:
                self.org_ids.add(old["organization_id"])  # the unit it leaves is recounted too
        return self.locks_apply(rows, creates, updates)

    def write(self, plan) -> None:
        creates, updates = plan
        now = updated_at_stamp(updates)
        self.create_with_history(MemberAssessment, creates)
        if updates and connection.vendor == "postgresql" and self.actor is not None:
            updates_write_in_database(updates, actor=self.actor, reason=self.reason, now=now)
        else:
            self.update_with_history(MemberAssessment, updates, UPDATE_FIELDS)

    def signal(self) -> None:
        if self.org_ids:
            self.ratings_signal(MemberAssessment)
