"""Import of members: one row per card number; joining and moving cells follow rules.members (the cell exists
that day, a same-day move corrects the day's transfer), written set-based."""

from django.core.exceptions import ValidationError

from assessments.common.text import fold
from assessments.importing.columns import MEMBERS
from assessments.importing.handlers import WRITE_BATCH, Handler, Row, _changed
from assessments.models import Member, Membership
from assessments.rules.access import member_out_of_scope_message
from assessments.rules.members import (
    member_dates_check,
    member_organization_check,
    memberships_move,
    transfer_day_check,
)

MEMBER_FIELDS = ("full_name", "status", "gender", "birth_date", "ethnicity", "admitted_on", "official_on")


class MemberHandler(Handler):
    data_type = MEMBERS
    field_columns = {"organization": "organization_code"}

    def plan(self, rows: list[Row]) -> tuple[list, list, list]:
        rows = self.rows_keyed(rows, lambda data: data["card_number"])
        existing = {m.card_number: m for m in Member.objects.filter(card_number__in={row.key for row in rows})}
        self.orgs.load(
            codes={row.data["organization_code"] for row in rows}, ids={m.organization_id for m in existing.values()}
        )
        open_since = dict(
            Membership.objects.filter(member_id__in=[m.pk for m in existing.values()], end__isnull=True).values_list(
                "member_id", "start"
            )
        )
        creates, updates, moves = [], [], []
        for row in rows:
            data = row.data
            member = existing.get(row.key)
            if member is not None and not self.orgs.is_visible(member.organization_id):
                # The same answer as for a card number that does not exist (rules.access): nothing about the
                # member's commune leaks. A new card number that is taken elsewhere lands here too.
                row.error("card_number", member_out_of_scope_message(row.key))
                continue
            org = self.organization_get(row)
            if org is None:
                continue
            values = self.present_values(data, MEMBER_FIELDS)
            is_new = member is None
            if is_new:
                member = Member(card_number=row.key, organization=org)
                changed = list(values)
                moved = False
            else:
                changed = _changed(member, values)
                moved = member.organization_id != org.pk
            try:
                if is_new or moved:
                    member_organization_check(organization=org, day=self.today)
                if moved:
                    transfer_day_check(open_since=open_since.get(member.pk), day=self.today, field="organization")
                member_dates_check(
                    admitted_on=values.get("admitted_on", member.admitted_on),
                    official_on=values.get("official_on", member.official_on),
                    field="official_on" if "official_on" in self.present else "admitted_on",
                )
            except ValidationError as error:
                self.validation_error(row, error)
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
        created = self.create_with_history(Member, creates)
        if created:
            Membership.objects.bulk_create(
                [
                    Membership(member=m, organization_id=m.organization_id, start=m.admitted_on or self.today)
                    for m in created
                ],
                batch_size=WRITE_BATCH,
            )
        self.update_with_history(Member, updates, [*MEMBER_FIELDS, "name_folded", "organization"])
        if moves:
            self.transfer(moves)

    def transfer(self, moves: list[tuple[Member, int, int]]) -> None:
        """Record each changed cell as a transfer today, by the one writer of transfers (rules.members)."""
        memberships_move([(member.pk, new) for member, _old, new in moves], self.today)
