"""Import of the ratings of leadership collectives: one row per collective, year and period; what the uploader may
write (a secretary the self-assessment only) and the rating's rules come from rules.collectives; written set-based.
The leaders' ratings (leader_ratings.py) are planned the same way, one subject more."""

from assessments.importing.collectives import collective_out_of_scope_message
from assessments.importing.columns import COLLECTIVE_RATINGS
from assessments.importing.handlers import Handler, Row, _changed, updated_at_stamp
from assessments.models import Collective, CollectiveRating, Subject
from assessments.rules.collectives import RATING_FIELDS, collective_rating_check, leadership_actor_check
from assessments.rules.scores import SCORE_FIELDS
from assessments.signals import leadership_changed

LEVEL_COLUMNS = ("level", "self_level", "appraisal_level")
VALUE_COLUMNS = (*SCORE_FIELDS, "decision_ref", "decided_on", "note")
WRITTEN_FIELDS = [name.removesuffix("_id") for name in RATING_FIELDS] + ["updated_at"]


class CollectiveRatingHandler(Handler):
    data_type = COLLECTIVE_RATINGS
    model = CollectiveRating
    subject = Subject.UNIT
    field_columns = {"collective": "collective_code", "member": "card_number"}

    def row_key(self, data: dict) -> str:
        return f"{data['collective_code']}/{data['year']}/{data.get('period') or ''}"

    def subjects_load(self, rows: list[Row]) -> None:
        """The collectives the rows name, and whether the uploader may see their organizations."""
        self.collectives = {
            c.code: c
            for c in Collective.objects.filter(code__in={row.data["collective_code"] for row in rows}).select_related(
                "organization"
            )
        }
        self.orgs.load(ids={c.organization_id for c in self.collectives.values()})

    def existing_load(self, rows: list[Row]) -> dict:
        ratings = self.model.objects.filter(
            collective__in=list(self.collectives.values()), year__in={row.data["year"] for row in rows}
        )
        return {self.stored_key(r.collective_id, r): r for r in ratings}

    def stored_key(self, collective_id: int, rating) -> tuple:
        return (collective_id, rating.year, rating.period)

    def subject_of(self, row: Row) -> dict | None:
        """The rating's subject fields for a row, or None with the row's error."""
        collective = self.collectives.get(row.data["collective_code"])
        if collective is None or not self.orgs.is_visible(collective.organization_id):
            row.error("collective_code", collective_out_of_scope_message(row.data["collective_code"]))
            return None
        return {"collective": collective}

    def rating_check(self, rating) -> None:
        collective_rating_check(rating)

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        rows = self.rows_keyed(rows, self.row_key)
        self.subjects_load(rows)
        existing = self.existing_load(rows)
        creates, updates = [], []
        for row in rows:
            data = row.data
            subject = self.subject_of(row)
            if subject is None:
                continue
            resolved = {}
            for name in LEVEL_COLUMNS:
                if name in self.present:
                    resolved[name] = self.levels.resolve(data[name], data["year"], self.subject)
                    if isinstance(resolved[name], str):
                        row.error(name, resolved[name])
            if row.errors:
                continue
            period = data.get("period") or ""
            rating = self.model(**subject, year=data["year"], period=period)
            rating = existing.get(self.stored_key(subject["collective"].pk, rating), rating)
            is_new = rating.pk is None
            values = {f"{name}_id": level.pk if level else None for name, level in resolved.items()}
            values.update(self.present_values(data, VALUE_COLUMNS))
            changed = _changed(rating, values) if not is_new else [n for n, v in values.items() if v not in (None, "")]
            if not self.rule_holds(row, leadership_actor_check, actor=self.scope_user, changed=changed):
                continue
            for name, value in values.items():
                setattr(rating, name, value)
            for name, level in resolved.items():
                setattr(rating, name, level)
            self.file_checked(
                row, rating, is_new=is_new, changed=changed, check=self.rating_check, plan=(creates, updates)
            )
        return creates, updates

    def write(self, plan) -> None:
        creates, updates = plan
        updated_at_stamp(updates)
        self.write_with_history(self.model, plan, WRITTEN_FIELDS)
        # Each organization's summaries of the periods its collectives' (or leaders') ratings changed (issue 16).
        by_key: dict[tuple[int, str], set[int]] = {}
        for rating in (*creates, *updates):
            by_key.setdefault((rating.year, rating.period), set()).add(rating.collective.organization_id)
        for key, ids in sorted(by_key.items()):
            leadership_changed.send(sender=self.model, organization_ids=sorted(ids), keys=[key])
