"""Import of posts in leadership collectives: one row per member, collective and start date; the member, the
collective and the managing committee in the uploader's scope; checked by rules.collectives.position_check."""

from assessments.importing.collectives import collective_out_of_scope_message
from assessments.importing.columns import POSITIONS
from assessments.importing.handlers import Handler, Row
from assessments.models import Collective, Member, Position
from assessments.rules.collectives import position_check
from assessments.signals import leadership_changed

POSITION_FIELDS = ("title", "heads", "end", "managed_by")


class PositionHandler(Handler):
    data_type = POSITIONS
    field_columns = {"member": "card_number", "collective": "collective_code", "managed_by": "managed_by_code"}

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        rows = self.rows_keyed(
            rows, lambda data: f"{data['card_number']}/{data['collective_code']}/{data['start'].isoformat()}"
        )
        members = {
            m.card_number: m for m in Member.objects.filter(card_number__in={row.data["card_number"] for row in rows})
        }
        collectives = {
            c.code: c
            for c in Collective.objects.filter(code__in={row.data["collective_code"] for row in rows}).select_related(
                "organization"
            )
        }
        self.orgs.load(
            codes={row.data["managed_by_code"] for row in rows},
            ids={m.organization_id for m in members.values()} | {c.organization_id for c in collectives.values()},
        )
        existing = {
            (p.member_id, p.collective_id, p.start): p
            for p in Position.objects.filter(
                member__in=list(members.values()), collective__in=list(collectives.values())
            )
        }
        creates, updates = [], []
        for row in rows:
            data = row.data
            member = self.member_get(row, members)
            collective = collectives.get(data["collective_code"])
            if collective is None or not self.orgs.is_visible(collective.organization_id):
                row.error("collective_code", collective_out_of_scope_message(data["collective_code"]))
            managed_by = self.organization_get(row, "managed_by_code")
            if row.errors:
                continue
            position = existing.get((member.pk, collective.pk, data["start"]))
            is_new = position is None
            if is_new:
                position = Position(member=member, collective=collective, start=data["start"])
            self.owned_file_checked(
                row,
                position,
                is_new=is_new,
                names=("title", "heads", "end"),
                owner=("managed_by", managed_by),
                check=position_check,
                plan=(creates, updates),
            )
        return creates, updates

    def write(self, plan) -> None:
        creates, updates = plan
        self.write_with_history(Position, plan, list(POSITION_FIELDS))
        if creates or updates:
            # A leader counts in the summaries of the collective's organization and above it (issue 16).
            ids = {p.collective.organization_id for p in (*creates, *updates)}
            leadership_changed.send(sender=Position, organization_ids=sorted(ids))
