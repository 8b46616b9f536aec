"""Import of discipline decisions: one row per decision number and member (card_number) or organization
(organization_code), exactly one of them; checked by regulation.services.discipline_check, written set-based."""

from django.db.models import Q

from assessments.importing.columns import DISCIPLINES
from assessments.importing.handlers import Handler, Row, _changed, subject_key
from assessments.models import Discipline, Member
from assessments.regulation.services import discipline_check
from assessments.rules.access import member_out_of_scope_message, out_of_scope_message

DISCIPLINE_FIELDS = ("form", "decided_on", "deciding_body", "note", "corruption")


class DisciplineHandler(Handler):
    data_type = DISCIPLINES
    field_columns = {"member": "card_number", "organization": "organization_code"}

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        rows = self.rows_keyed(rows, lambda data: f"{subject_key(data)}/{data['decision_ref']}")
        cards = {row.data.get("card_number") for row in rows} - {None, ""}
        members = {
            m.card_number: m for m in Member.objects.filter(card_number__in=cards).select_related("organization")
        }
        self.orgs.load(
            codes={row.data.get("organization_code") for row in rows} - {None, ""},
            ids={m.organization_id for m in members.values()},
        )
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
            member = org = None
            if data.get("card_number"):
                member = members.get(data["card_number"])
                if member is None or not self.orgs.is_visible(member.organization_id):
                    row.error("card_number", member_out_of_scope_message(data["card_number"]))
                    continue
            else:
                org = self.orgs.get(data["organization_code"])
                if org is None:
                    row.error("organization_code", out_of_scope_message(data["organization_code"]))
                    continue
            key = (member.pk if member else None, org.pk if org else None, data["decision_ref"])
            discipline = existing.get(key)
            is_new = discipline is None
            if is_new:
                discipline = Discipline(member=member, organization=org, decision_ref=data["decision_ref"])
            values = {name: data[name] for name in DISCIPLINE_FIELDS if name in self.present}
            changed = list(values) if is_new else _changed(discipline, values)
            for name, value in values.items():
                setattr(discipline, name, value)
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
