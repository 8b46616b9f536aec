"""The demo's July 2025 structure and its 2025 results: the six merged communes of Bắc Sơn directly under the
province, their village cells (successors of the old ones), and the old cells' members rated there for 2025 under
qd366-2025 with scores.

Deterministic (its own seed, after the published years, whose figures do not move) and idempotent. Every level is
the one its score and task figures allow (rules.scores), except two written "below the score" with a reason.
"""

import datetime
import random
from decimal import Decimal

from assessments import services
from assessments.models import (
    Kind,
    Member,
    MemberAssessment,
    Membership,
    NotRatedReason,
    Organization,
    RatingScheme,
    Subject,
    UnitAssessment,
    User,
)
from assessments.rules.scores import score_allowed_level, scored_levels

YEAR, SEED = 2025, 2025
START = datetime.date(2025, 7, 1)
DECISION = ("Quyết định số 215-QĐ/TU", datetime.date(2026, 1, 20))
CELL_DECISION = ("Quyết định của Đảng ủy xã", datetime.date(2025, 12, 26))
# Two levels below what the score allows, each with its written reason (rules.scores asks for one).
BELOW = {
    "unit": "Tập thể chi ủy bị khiển trách trong năm 2025.",
    "member": "Bị kỷ luật khiển trách tháng 9/2025.",
}


def _cells_of_new_communes(reorganization: list, by_code: dict[str, Organization]) -> dict[str, Organization]:
    """One village cell of each new commune per village cell of the communes it took over (old code -> new cell)."""
    from assessments.demo import _org, _upsert_orgs

    planned, successor_of = [], {}
    for code, _name, olds in reorganization:
        commune = by_code[f"LS-{code}"]
        names: set[str] = set()
        old_cells = Organization.objects.filter(parent__code__in=[f"BS-{o}" for o in olds], kind=Kind.CELL)
        for i, old in enumerate(old_cells.order_by("code"), start=1):
            name = old.name if old.name not in names else f"{old.name} ({old.parent.name.split('xã ')[-1]})"
            names.add(name)
            planned.append(_org(f"{commune.code}-{i:02d}", name, Kind.CELL, commune.sector, commune, valid_from=START))
            successor_of[old.code] = planned[-1].code
    cells = _upsert_orgs(planned)
    olds = Organization.objects.filter(code__in=successor_of)
    for old in olds:
        old.successors.add(cells[successor_of[old.code]])
    return {old: cells[new] for old, new in successor_of.items()}


def _members_rated_at(successors: dict[str, Organization]) -> list[tuple[Member, Organization]]:
    """The members of the old village cells, each with the successor cell where they are rated for 2025.

    They are not transferred: the demo's accounts and pages of 2016–2019 (the secretaries of Đồng Ý and Nhất Tiến
    and their members) stay exactly as they were; a rating records where it was given (MemberAssessment.organization).
    """
    open_at = dict(
        Membership.objects.filter(end__isnull=True, organization__code__in=list(successors)).values_list(
            "member_id", "organization__code"
        )
    )
    members = Member.objects.filter(pk__in=open_at).order_by("card_number")
    return [(member, successors[open_at[member.pk]]) for member in members]


def _tasks(rng: random.Random) -> dict:
    """A unit's task figures: mostly all on time, a few late."""
    assigned = rng.randint(10, 24)
    late = 0 if rng.random() < 0.7 else rng.randint(1, 3)
    return {
        "tasks_assigned": assigned,
        "tasks_on_time": assigned - late,
        "tasks_late": late,
        "tasks_exceeded": rng.randint(0, assigned // 2),
    }


def _score(rng: random.Random, mean: float) -> Decimal:
    # To the half point, as boards score.
    return Decimal(round(min(99.5, max(35.0, rng.gauss(mean, 7.5))) * 2)) / 2


def _scored(rating, levels: list, rng: random.Random, *, below: str = ""):
    """The rating at the level its score and tasks allow; with `below`, one level lower and that reason."""
    level = score_allowed_level(levels, rating)
    if below and level.rank < len(levels):
        level = next(lv for lv in levels if lv.rank == level.rank + 1)
        rating.below_score_reason = below
    rating.level = level
    rating.self_score = min(Decimal(100), rating.score + Decimal(rng.choice(["0", "0", "1", "2", "2.5"])))
    return rating


def _rate(rng: random.Random, communes: list[Organization], cells: list[Organization], members: list[tuple]):
    """The 2025 yearly results of the communes, their cells and their members, every level from its score."""
    from assessments.demo import _upsert, ratings_check

    scheme = RatingScheme.for_year(YEAR)
    unit_levels, member_levels = scored_levels(scheme, Subject.UNIT), scored_levels(scheme, Subject.MEMBER)
    units = []
    for i, org in enumerate([*communes, *cells]):
        ref, day = DECISION if org.kind == Kind.GRASSROOTS_COMMITTEE else CELL_DECISION
        rating = UnitAssessment(organization=org, year=YEAR, decision_ref=ref, decided_on=day, **_tasks(rng))
        rating.score = _score(rng, 82 if org.kind == Kind.GRASSROOTS_COMMITTEE else 79)
        _scored(rating, unit_levels, rng, below=BELOW["unit"] if i == len(communes) + 3 else "")
        rating.self_level = rating.level
        units.append(rating)
    ratings = []
    below_member = members[len(members) // 3][0].pk if members else None
    for member, cell in members:
        rating = MemberAssessment(member=member, year=YEAR, organization=cell)
        if member.birth_date.year <= YEAR - 75:
            rating.not_rated_reason = NotRatedReason.EXEMPT
        else:
            rating.score = _score(rng, 80)
            _scored(rating, member_levels, rng, below=BELOW["member"] if member.pk == below_member else "")
        ratings.append(rating)
    ratings_check([*units, *ratings])
    scores = ["score", "self_score", "tasks_assigned", "tasks_on_time", "tasks_exceeded", "tasks_late"]
    _upsert(
        UnitAssessment,
        units,
        ["organization", "year"],
        ["level", "self_level", "decision_ref", "decided_on", *scores, "below_score_reason"],
    )
    _upsert(
        MemberAssessment,
        ratings,
        ["member", "year"],
        ["organization", "level", "not_rated_reason", "score", "self_score", "below_score_reason"],
    )


def demo_2025_load(*, actor: User | None) -> list[Organization]:
    """The July 2025 structure, its cells and members, and the 2025 results (final); returns the new communes."""
    from assessments.demo import REORGANIZATION_2025, reorganization_2025_load

    rng = random.Random(SEED)
    communes = sorted(reorganization_2025_load(), key=lambda o: o.code)
    by_code = {o.code: o for o in communes}
    successors = _cells_of_new_communes(REORGANIZATION_2025, by_code)
    members = _members_rated_at(successors)
    cells = sorted({cell.pk: cell for cell in successors.values()}.values(), key=lambda o: o.code)
    _rate(rng, communes, cells, members)
    services.year_results_finalize(organizations=communes, year=YEAR, actor=actor)
    return communes
