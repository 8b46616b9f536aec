"""Import of unit ratings: one row per unit and year, checked by rules.ratings (the level and its score, the unit
existing that year, what a secretary may decide), written set-based."""

from assessments.importing.columns import UNIT_RATINGS
from assessments.importing.handlers import Handler, Row, _changed, key_join, updated_at_stamp
from assessments.models import Subject, UnitAssessment
from assessments.rules.criteria import item_score_totals_of, item_totals_planned
from assessments.rules.ratings import unit_assessment_check, unit_rating_actor_check
from assessments.rules.scores import SCORE_FIELDS

# What an update writes: every column the file can change, and the time of the change.
UPDATE_FIELDS = [
    "level",
    "self_level",
    "exemplary",
    "not_rated_reason",
    "decision_ref",
    "decided_on",
    "note",
    *SCORE_FIELDS,
    "updated_at",
]


class UnitRatingHandler(Handler):
    data_type = UNIT_RATINGS
    field_columns = {"organization": "organization_code", "not_rated_reason": "level"}

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        rows = self.rows_keyed(
            rows, lambda data: key_join(data["organization_code"], data["year"], data.get("period", ""))
        )
        self.orgs.load(codes={row.data["organization_code"] for row in rows})
        org_ids = [
            org.pk
            for code in {row.data["organization_code"] for row in rows}
            if (org := self.orgs.get(code)) is not None
        ]
        existing = {
            (a.organization_id, a.year, a.period): a
            for a in UnitAssessment.objects.filter(
                organization_id__in=org_ids, year__in={row.data["year"] for row in rows}
            ).select_related("level__scheme", "self_level__scheme")
        }
        # The item-score sums the rating rule compares each score with, for every row's unit and period at once.
        totals = item_score_totals_of(
            subject_field="organization_id",
            keys={
                (org.pk, row.data["year"], row.data.get("period", ""))
                for row in rows
                if (org := self.orgs.get(row.data["organization_code"])) is not None
            },
        )
        with item_totals_planned(totals):
            return self._plan_rows(rows, existing)

    def _plan_rows(self, rows: list[Row], existing: dict) -> tuple[list, list]:
        creates, updates = [], []
        for row in rows:
            data = row.data
            org = self.organization_get(row)
            if org is None:
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
            period = data.get("period", "")
            assessment = existing.get((org.pk, data["year"], period))
            is_new = assessment is None
            if is_new:
                assessment = UnitAssessment(organization=org, year=data["year"], period=period)
            values = {"level_id": level.pk if level else None}
            if level is not None:
                values["not_rated_reason"] = ""  # a decided level supersedes a stored "not rated" reason
            if "self_level" in self.present:
                values["self_level_id"] = self_level.pk if self_level else None
            values.update(self.present_values(data, ("exemplary", "decision_ref", "decided_on", "note", *SCORE_FIELDS)))
            changed = _changed(assessment, values)
            if not self.rule_holds(
                row, unit_rating_actor_check, actor=self.scope_user, organization=org, changed=changed
            ):
                continue
            for name, value in values.items():
                setattr(assessment, name, value)
            assessment.level = level
            if "self_level" in self.present:
                assessment.self_level = self_level
            if not self.rule_holds(row, unit_assessment_check, assessment):
                continue
            self.rating_file(row, assessment, org, is_new=is_new, changed=changed, plan=(creates, updates))
        return self.locks_apply(rows, creates, updates)

    def write(self, plan) -> None:
        updated_at_stamp(plan[1])
        self.write_with_history(UnitAssessment, plan, UPDATE_FIELDS)

    def signal(self) -> None:
        if self.org_ids:
            self.ratings_signal(UnitAssessment)
