"""Import of member ratings: one row per member and year, checked by rules.ratings, written set-based."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.common.text import fold
from assessments.importing.columns import MEMBER_RATINGS
from assessments.importing.handlers import WRITE_BATCH, Handler, Levels, Row, _same
from assessments.models import Member, MemberAssessment, Subject
from assessments.rules.access import member_out_of_scope_message, out_of_scope_message
from assessments.rules.ratings import member_assessment_check
from assessments.rules.scores import SCORE_FIELDS
from assessments.signals import assessments_changed


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
                row.error("card_number", member_out_of_scope_message(data["card_number"]))
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
                row.error("organization_code", out_of_scope_message(data["organization_code"]))
                continue
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
                "sick_leave_months": assessment.sick_leave_months,
                "civil_servant_level": assessment.civil_servant_level,
                **{name: getattr(assessment, name) for name in SCORE_FIELDS},
            }
            values = {"organization_id": org.pk, "level_id": level.pk if level else None}
            if "not_rated_reason" in self.present:
                values["not_rated_reason"] = data["not_rated_reason"]
            elif level is not None:
                values["not_rated_reason"] = ""  # a level means rated: a stored reason no longer applies
            for name in ("note", "sick_leave_months", "civil_servant_level", *SCORE_FIELDS):
                if name in self.present:
                    values[name] = data[name]
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
            self.rated_add(org, data["year"])
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
                [
                    "organization",
                    "level",
                    "not_rated_reason",
                    "note",
                    "sick_leave_months",
                    "civil_servant_level",
                    *SCORE_FIELDS,
                    "updated_at",
                ],
                batch_size=WRITE_BATCH,
                default_user=self.actor,
                default_change_reason=self.reason,
            )

    def signal(self) -> None:
        if self.org_ids:
            assessments_changed.send(
                sender=MemberAssessment, organization_ids=sorted(self.org_ids), years=sorted(self.years)
            )
