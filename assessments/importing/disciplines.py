"""Import of discipline decisions: one row per decision number and member (card_number) or organization
(organization_code), exactly one of them; checked by regulation.services.discipline_check, written set-based."""

from django.db.models import Q

from assessments.importing.columns import DISCIPLINES
from assessments.importing.handlers import Handler, Row, subject_key, values_apply
from assessments.models import Discipline
from assessments.regulation.services import discipline_check

DISCIPLINE_FIELDS = ("form", "decided_on", "deciding_body", "note", "corruption")


class DisciplineHandler(Handler):
    data_type = DISCIPLINES
    field_columns = {"member": "card_number", "organization": "organization_code"}

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        rows = self.rows_keyed(rows, lambda data: f"{subject_key(data)}/{data['decision_ref']}")
        members = self.members_and_units_load(rows)
        refs = {row.data["decision_ref"] for row in rows}
        existing = {
            (d.member_id, d.organization_id, d.decision_ref): d
            for d in Discipline.objects.filter(decision_ref__in=refs).filter(
                Q(member__in=[m.pk for m in members.values()]) | Q(organization__code__in=self.orgs.by_code)
            )
        }
        creates, updates = [], []
        for row in rows:
            data = row.data
            subject = self.member_or_unit_get(row, members)
            if subject is None:
                continue
            member, org = subject
            key = (member.pk if member else None, org.pk if org else None, data["decision_ref"])
            discipline = existing.get(key)
            is_new = discipline is None
            if is_new:
                discipline = Discipline(member=member, organization=org, decision_ref=data["decision_ref"])
            values = self.present_values(data, DISCIPLINE_FIELDS)
            changed = values_apply(discipline, values, is_new=is_new)
            self.file_checked(
                row,
                discipline,
                is_new=is_new,
                changed=changed,
                check=lambda obj: discipline_check(obj, actor=self.scope_user),
                plan=(creates, updates),
            )
        return creates, updates

    def write(self, plan) -> None:
        self.write_with_history(Discipline, plan, list(DISCIPLINE_FIELDS))
