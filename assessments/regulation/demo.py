"""The demo's 2019 results (qd132-2018, guidance HD 21) with the regulation's records and realistic violations for
the checks to find: discipline decisions, sick leaves, civil-servant ratings, members admitted in 2019 (one rated
anyway), a cell rated excellent with too few members good or better. Its own random seed, drawn after 2016–2018, so
the published figures of those years do not move; every row passes the rules layer like the rest of the demo."""

import datetime
import random

from assessments import services
from assessments.models import (
    Discipline,
    Member,
    MemberAssessment,
    MemberStatus,
    Organization,
    RatingLevel,
    Sector,
    UnitAssessment,
    User,
)
from assessments.regulation.services import discipline_save

YEAR = 2019
SEED = 2019
BODY = "Ủy ban Kiểm tra Huyện ủy Bắc Sơn"
# Members admitted in 2019: two before 30 June (rated), two after (not yet rated; the first is rated anyway).
RECENT = [
    ("48900001", "Hoàng Văn Sáng", "male", datetime.date(2019, 3, 2)),
    ("48900002", "Lương Thị Mai", "female", datetime.date(2019, 5, 19)),
    ("48900003", "Vi Văn Khánh", "male", datetime.date(2019, 8, 24)),
    ("48900004", "Nông Thị Hoa", "female", datetime.date(2019, 10, 3)),
]


def recent_members_ensure(cells: list[Organization]) -> list[Member]:
    """The members admitted in 2019, created once through the service (with their first membership)."""
    found = {m.card_number: m for m in Member.objects.filter(card_number__in=[row[0] for row in RECENT])}
    made = []
    for i, (card, name, gender, admitted) in enumerate(RECENT):
        member = found.get(card)
        if member is None:
            member = Member(
                card_number=card,
                full_name=name,
                gender=gender,
                birth_date=datetime.date(1996 + i, 4, 12),
                ethnicity="Tày" if i % 2 == 0 else "Nùng",
                admitted_on=admitted,
                status=MemberStatus.PROBATIONARY,
                organization=cells[i],
            )
            services.member_save(member=member, actor=None, joined_on=admitted)
        else:
            # Rated in 2019 where they joined: on a reload they may since have moved (the 2025 merger, demo_2025).
            member.organization = cells[i]
        made.append(member)
    return made


def _level(code: str, subject: str = "member") -> RatingLevel:
    return RatingLevel.objects.get(scheme__code="qd132-2018", subject=subject, code=code)


def _rating_set(rating: MemberAssessment, **fields) -> None:
    for name, value in fields.items():
        setattr(rating, name, value)
    services.member_assessment_check(rating)
    rating.save()


def _discipline_get(**key) -> Discipline:
    """The demo's discipline record of that member or organization and decision, or a new one: reloads add none."""
    return Discipline.objects.filter(**key).first() or Discipline(**key)


def violations_load(*, units: list[Organization]) -> None:
    """The 2019 records and the cases the checks must find, picked with the year's own seed (idempotent)."""
    rng = random.Random(SEED)
    ratings = list(
        MemberAssessment.objects.yearly()
        .filter(year=YEAR, level__isnull=False)
        .select_related("member", "organization", "level")
        .order_by("member__card_number")
    )
    picked = rng.sample(ratings, 14)
    disciplined, sick, civil = picked[:6], picked[6:11], picked[11:]
    for i, rating in enumerate(disciplined):
        form = "warning" if i % 3 == 0 else "reprimand"
        record = _discipline_get(member=rating.member, decision_ref=f"{20 + i}-QĐ/UBKTHU")
        record.form, record.decided_on, record.deciding_body = form, datetime.date(YEAR, 3 + i, 10), BODY
        record.note = "Vi phạm quy định về những điều đảng viên không được làm"
        discipline_save(discipline=record, actor=None)
        # Most are rated as HD 21 says; the last two were rated "good" anyway: member_disciplined finds them.
        _rating_set(rating, level=_level("not_completed" if i < 4 else "good"))
    for i, rating in enumerate(sick):
        # 3 to 6 months of sick leave; whoever stayed above "completed" fails sick_leave.
        _rating_set(rating, sick_leave_months=(3, 4, 6, 2, 5)[i])
    for i, rating in enumerate(civil):
        _rating_set(rating, civil_servant_level=("completed", "good", "excellent")[i])
    recent = {m.card_number: m for m in Member.objects.filter(card_number__in=[row[0] for row in RECENT])}
    late = MemberAssessment.objects.yearly().get(member=recent["48900003"], year=YEAR)
    _rating_set(late, level=_level("good"), not_rated_reason="")  # admitted in August: admitted_recently fails
    # A cell reprimanded as a body; communes rated excellent say whether their mass organizations were good.
    cell = Organization.objects.filter(parent__in=units, kind="cell").order_by("code")[5]
    record = _discipline_get(organization=cell, decision_ref="7-QĐ/HU")
    record.form, record.decided_on = "reprimand", datetime.date(YEAR, 9, 5)
    record.deciding_body = "Ban Thường vụ Huyện ủy"
    discipline_save(discipline=record, actor=None)
    excellent = (
        UnitAssessment.objects.yearly()
        .filter(year=YEAR, organization__in=units, organization__sector=Sector.COMMUNE, level__is_top=True)
        .order_by("organization__code")
    )
    for i, rating in enumerate(excellent):
        # The first was rated excellent though its mass organizations were not all good: a failure to find.
        UnitAssessment.objects.yearly().filter(pk=rating.pk).update(mass_organizations_good=i != 0)


def demo_2019_load(*, by_code: dict[str, Organization], units: list[Organization], members: list[Member],
                   actor: User | None) -> None:  # fmt: skip
    """Rate 2019 like the published years (the demo's own planners), then add the regulation's records."""
    from assessments import demo

    rng = random.Random(SEED)
    cells = [o for o in demo._member_cells(by_code) if o.exists_in(YEAR)]
    recent = recent_members_ensure(cells[:: max(1, len(cells) // 4)][:4])
    demo._rate_units(rng, YEAR, units, by_code, cell_weights=(15, 70, 15))
    demo._rate_members(rng, YEAR, [*members, *recent])
    violations_load(units=units)
    services.year_results_finalize(organizations=units, year=YEAR, actor=actor)
