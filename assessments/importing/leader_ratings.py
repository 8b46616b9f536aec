"""Import of the ratings of leaders: one row per member, collective, year and period, the member holding a post in
the collective that year (looked up set-based); otherwise planned as the collectives' ratings."""

from django.db.models import Q

from assessments.importing.collective_ratings import CollectiveRatingHandler
from assessments.importing.columns import LEADER_RATINGS
from assessments.importing.handlers import Row
from assessments.models import LeaderRating, Member, Subject
from assessments.rules.access import member_out_of_scope_message
from assessments.rules.collectives import leader_rating_check, positions_held


class LeaderRatingHandler(CollectiveRatingHandler):
    data_type = LEADER_RATINGS
    model = LeaderRating
    subject = Subject.MEMBER

    def row_key(self, data: dict) -> str:
        return f"{data['card_number']}/{super().row_key(data)}"

    def subjects_load(self, rows: list[Row]) -> None:
        super().subjects_load(rows)
        self.members = {
            m.card_number: m for m in Member.objects.filter(card_number__in={row.data["card_number"] for row in rows})
        }
        self.held = set()
        for year in {row.data["year"] for row in rows}:
            posts = positions_held(
                collective_ids=[c.pk for c in self.collectives.values()],
                member_ids=[m.pk for m in self.members.values()],
                year=year,
            )
            self.held |= {(m, c, year) for m, c in posts.values_list("member_id", "collective_id")}

    def existing_load(self, rows: list[Row]) -> dict:
        ratings = LeaderRating.objects.filter(
            Q(member__in=list(self.members.values())),
            collective__in=list(self.collectives.values()),
            year__in={row.data["year"] for row in rows},
        )
        return {self.stored_key(r.collective_id, r): r for r in ratings}

    def stored_key(self, collective_id: int, rating) -> tuple:
        return (rating.member_id, collective_id, rating.year, rating.period)

    def subject_of(self, row: Row) -> dict | None:
        subject = super().subject_of(row)
        member = self.members.get(row.data["card_number"])
        if member is None:
            row.error("card_number", member_out_of_scope_message(row.data["card_number"]))
            return None
        return None if subject is None else {**subject, "member": member}

    def rating_check(self, rating) -> None:
        leader_rating_check(rating, held=(rating.member_id, rating.collective_id, rating.year) in self.held)
