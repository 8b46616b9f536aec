"""The demo's leadership for the six communes of July 2025: each commune's standing board, party committee and
people's committee, with their heads and deputies (members of the merged communes), rated for 2025 and for the first
quarter of 2026. One head, Vũ Lễ's secretary, is rated above his standing board, for check_ratings to catch: the
demo records decisions already taken, so it calls the rules of each row (rules/collectives.py) but not the period's
rules, as the importer does."""

import datetime
from decimal import Decimal

from django.db.models import Q

from assessments.models import (
    Collective,
    CollectiveKind,
    CollectiveRating,
    LeaderRating,
    Member,
    Organization,
    Period,
    Position,
    RatingLevel,
    Title,
)
from assessments.rules.collectives import collective_check, collective_rating_check, leader_rating_check, position_check

START = datetime.date(2025, 7, 1)
COLLECTIVE_DECIDED, LEADERS_DECIDED = datetime.date(2026, 1, 12), datetime.date(2026, 1, 16)
# (kind, code suffix, name prefix, posts as (title, heads)) of each commune.
BOARDS = [
    (
        CollectiveKind.STANDING_BOARD,
        "BTV",
        "Ban Thường vụ Đảng ủy",
        [(Title.SECRETARY, True), (Title.DEPUTY_SECRETARY, False)],
    ),
    (CollectiveKind.PARTY_COMMITTEE, "BCH", "Ban Chấp hành Đảng bộ", [(Title.SECRETARY, True), (Title.MEMBER, False)]),
    (CollectiveKind.PEOPLES_COMMITTEE, "UBND", "Ủy ban nhân dân", [(Title.CHAIR, True), (Title.VICE_CHAIR, False)]),
]
# Each commune's collectives' levels for 2025 (standing board, party committee, people's committee) with scores.
LEVELS_2025 = {
    "LS-BAC-SON": ["excellent", "excellent", "good"],
    "LS-HUNG-VU": ["good", "good", "good"],
    "LS-VU-LANG": ["good", "good", "completed"],
    "LS-NHAT-HOA": ["good", "good", "good"],
    "LS-VU-LE": ["good", "good", "good"],
    "LS-TAN-TRI": ["excellent", "good", "good"],
}
SCORES = {"excellent": Decimal("92.5"), "good": Decimal("81"), "completed": Decimal("62")}
CAUGHT = "LS-VU-LE"  # its secretary is rated excellent over a standing board rated good


def _level(subject: str, code: str) -> RatingLevel:
    return RatingLevel.objects.get(scheme__code="qd366-2025", subject=subject, code=code)


def _leaders(commune: Organization, count: int) -> list[Member]:
    """Members of this commune or of the communes merged into it (wherever the demo put them after 1 July 2025),
    the same every time (by card number)."""
    inside = Q(organization__path__startswith=commune.path)
    for old in Organization.objects.filter(successors=commune):
        inside |= Q(organization__path__startswith=old.path)
    return list(Member.objects.filter(inside).order_by("card_number")[:count])


def _saved(obj, check, **check_options):
    check(obj, **check_options)
    obj.save()
    return obj


def _collective(commune: Organization, kind: str, suffix: str, prefix: str) -> Collective:
    code = f"{commune.code}-{suffix}"
    name = f"{prefix} xã {commune.name.removeprefix('Đảng bộ xã ')}"
    found = Collective.objects.filter(code=code).first()
    collective = found or Collective(code=code)
    collective.organization, collective.kind, collective.name, collective.valid_from = commune, kind, name, START
    return _saved(collective, collective_check)


def _rating(model, values: dict, lookup: dict, check, **check_options):
    rating = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(rating, name, value)
    return _saved(rating, check, **check_options)


def _decided(subject: str, code: str, day: datetime.date) -> dict:
    score = SCORES[code]
    return {
        "self_level": _level(subject, code), "appraisal_level": _level(subject, code), "level": _level(subject, code),
        "self_score": score, "score": score, "tasks_assigned": 10, "tasks_on_time": 10,
        "tasks_exceeded": 4 if code == "excellent" else 1, "tasks_late": 0,
        "decision_ref": "15-QĐ/TU", "decided_on": day,
    }  # fmt: skip


def leadership_demo_load(*, communes: list[Organization], province: Organization) -> dict[str, int]:
    """Collectives, posts and 2025 ratings of the six communes; reloading leaves the same rows."""
    counts = {"collectives": 0, "positions": 0, "leader_ratings": 0}
    for commune in sorted(communes, key=lambda org: org.code):
        people = iter(_leaders(commune, sum(len(posts) for *_rest, posts in BOARDS)))
        for (kind, suffix, prefix, posts), code in zip(BOARDS, LEVELS_2025[commune.code], strict=True):
            collective = _collective(commune, kind, suffix, prefix)
            counts["collectives"] += 1
            lookup = {"collective": collective, "year": 2025, "period": Period.YEAR}
            _rating(CollectiveRating, _decided("unit", code, COLLECTIVE_DECIDED), lookup, collective_rating_check)
            quarter = {"collective": collective, "year": 2026, "period": Period.Q1}
            _rating(CollectiveRating, {"self_level": _level("unit", code)}, quarter, collective_rating_check)
            for title, heads in posts:
                member = next(people)
                post = Position.objects.filter(member=member, collective=collective, start=START).first()
                post = post or Position(member=member, collective=collective, start=START)
                post.title, post.heads, post.managed_by = title, heads, province
                _saved(post, position_check)
                counts["positions"] += 1
                caught = commune.code == CAUGHT and kind == CollectiveKind.STANDING_BOARD and heads
                mine = "excellent" if caught else ("good" if code == "excellent" else code)
                values = _decided("member", mine, LEADERS_DECIDED)
                lookup = {"member": member, "collective": collective, "year": 2025, "period": Period.YEAR}
                _rating(LeaderRating, values, lookup, leader_rating_check, held=True)
                counts["leader_ratings"] += 1
    return counts
