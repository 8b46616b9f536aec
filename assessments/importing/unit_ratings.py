"""Import of unit ratings: one row per unit and year, checked by rules.ratings (the level and its score, the unit
existing that year, what a secretary may decide), written set-based."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.importing.columns import UNIT_RATINGS
from assessments.importing.handlers import WRITE_BATCH, Handler, Levels, Row, _changed, key_join
from assessments.models import Subject, UnitAssessment
from assessments.rules.access import out_of_scope_message
from assessments.rules.criteria import item_score_totals_of, item_totals_planned
from assessments.rules.ratings import unit_assessment_check, unit_rating_actor_check
from assessments.rules.scores import SCORE_FIELDS


class UnitRatingHandler(Handler):
    data_type = UNIT_RATINGS
    field_columns = {"organization": "organization_code", "not_rated_reason": "level"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.levels = Levels()

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
            org = self.orgs.get(data["organization_code"])
            if org is None:
                row.error("organization_code", out_of_scope_message(data["organization_code"]))
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
            for name in ("exemplary", "decision_ref", "decided_on", "note", *SCORE_FIELDS):
                if name in self.present:
                    values[name] = data[name]
            changed = _changed(assessment, values)
            try:
                unit_rating_actor_check(actor=self.scope_user, organization=org, changed=changed)
            except ValidationError as error:
                self.validation_error(row, error)
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
            self.rated_add(org, data["year"], data.get("period", ""))
            self.file(row, assessment, is_new=is_new, changed=changed, plan=(creates, updates))
            if row.action != "unchanged":
                self.changed_add(org.pk, data["year"], data.get("period", ""))
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
                    *SCORE_FIELDS,
                    "updated_at",
                ],
                batch_size=WRITE_BATCH,
                default_user=self.actor,
                default_change_reason=self.reason,
            )

    def signal(self) -> None:
        if self.org_ids:
            self.ratings_signal(UnitAssessment)
