"""The Bắc Sơn demo district: 55 directly subordinate units, their cells and members, rated 2016–2018; and since
July 2025 the six merged communes under the province, rated 2025 with scores (demo_2025).

Deterministic (a fixed random seed) and idempotent (upserts by natural key), so every load gives the same data.
Written in bulk, but every row passes the rules layer's checks first; the published years are final (rules.locks).
The figures reproduce DOMAIN.md: for 2017, 33 of 55 units clean and strong and 85% of rated members good or
better; Đồng Ý weak in 2016 and clean and strong in 2017; Nhất Tiến completed in 2017 and good in 2018.
"""

import datetime
import random
from collections.abc import Iterable

from django.db import transaction

from assessments import services
from assessments.common.text import fold
from assessments.demo_names import (
    COMMITTEE_CELLS,
    COMMUNES,
    ETHNIC_WEIGHTS,
    FEMALE_GIVEN,
    MALE_GIVEN,
    MALE_MIDDLE,
    OTHER_UNITS,
    SURNAMES,
    VILLAGES,
)
from assessments.models import (
    Kind,
    Member,
    MemberAssessment,
    Membership,
    MemberStatus,
    NotRatedReason,
    Organization,
    RatingLevel,
    RatingScheme,
    Role,
    Sector,
    Subject,
    UnitAssessment,
    User,
)
from assessments.rules.members import member_dates_check, member_organization_check
from assessments.rules.ratings import member_assessment_check, unit_assessment_check
from assessments.signals import assessments_changed, demo_loaded, organizations_changed

DEMO_PASSWORD = "BacSon-demo-2017"  # noqa: S105 — printed by `make demo`; load_demo refuses to run with DEBUG off
YEARS = (2016, 2017, 2018)
SEED = 2017

# Unit results of the directly subordinate units: rank -> how many (summing to 55), and the named units.
UNIT_PLAN = {
    2016: {"counts": {1: 30, 2: 17, 3: 7, 4: 1}, "fixed": {"DONG-Y": 4, "NHAT-TIEN": 2}, "exemplary": 3},
    2017: {
        "counts": {1: 33, 2: 15, 3: 6, 4: 1},
        "fixed": {"DONG-Y": 1, "NHAT-TIEN": 3, "HUU-VINH": 4},
        "exemplary": 4,
    },
    2018: {"counts": {1: 7, 2: 41, 3: 6, 4: 1}, "fixed": {"NHAT-TIEN": 2, "DONG-Y": 2}, "exemplary": 3},
    # Not published: the demo's 2019 (regulation.demo), under HD 21, for the regulation checks to look at.
    2019: {"counts": {1: 10, 2: 38, 3: 6, 4: 1}, "fixed": {"NHAT-TIEN": 2, "DONG-Y": 1}, "exemplary": 2},
}
# Share of rated members rated good or better, and of excellent, per year; 2017 is exactly 85%.
MEMBER_PLAN = {2016: (0.82, 0.12), 2017: (0.85, 0.13), 2018: (0.87, 0.14), 2019: (0.88, 0.12)}
DECISIONS = {
    2016: ("512-QĐ/HU", datetime.date(2017, 1, 10)),
    2017: ("768-QĐ/HU", datetime.date(2018, 1, 12)),
    2018: ("1025-QĐ/HU", datetime.date(2019, 1, 14)),
    2019: ("1290-QĐ/HU", datetime.date(2020, 1, 15)),
}

ACCOUNTS = [  # username, role, organization code, full name
    ("binh", Role.OFFICER, "BS", "Nguyễn Hữu Bình"),
    # Since July 2025 the provincial Organization Board runs what the district's did (the six merged communes).
    ("tinh", Role.OFFICER, "LS", "Hoàng Thị Thu"),
    ("lanhdao", Role.LEADER, "BS", "Hoàng Văn Lãnh"),
    ("dongy", Role.SECRETARY, "BS-DONG-Y", "Lương Văn Đồng"),
    ("rum", Role.SECRETARY, "BS-NHAT-TIEN", "Dương Văn Rum"),
    ("admin", Role.ADMIN, None, "Quản trị viên"),
]


def _org(code, name, kind, sector, parent, valid_from=None, valid_to=None) -> Organization:
    path = f"{parent.path if parent else ''}{code}/"
    return Organization(
        code=code,
        name=name,
        name_folded=fold(name),
        kind=kind,
        sector=sector,
        parent=parent,
        path=path,
        depth=path.count("/") - 1,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def _upsert(model, objects: list, unique: list[str], update: list[str]) -> None:
    """Insert or update by natural key in one statement per batch; rerunning leaves the data as it was."""
    model.objects.bulk_create(
        objects, batch_size=500, update_conflicts=True, unique_fields=unique, update_fields=update
    )


def _fields_but(model, key: str) -> list[str]:
    """Every field of a model but its id and its natural key: what an upsert of the demo's whole rows writes."""
    return [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != key]


# Hữu Vĩnh and Quỳnh Sơn are missing from later lists (merged around 2019–2020; into which unit is not
# confirmed), so the demo ends them, with their cells, at the end of 2019 and names no successor.
MERGED_2019 = {"BS-HUU-VINH", "BS-QUYNH-SON"}
MERGED_2019_END = datetime.date(2019, 12, 31)


def organizations_check(objects: Iterable[Organization]) -> None:
    """The demo writes in bulk, but every organization passes the rules the services apply (a system write)."""
    for org in objects:
        services.organization_write_check(org, actor=None)


def members_check(members: Iterable[Member]) -> None:
    """Every member joins a cell that exists on the day they join it (their admission), with consistent dates."""
    for member in members:
        member_organization_check(organization=member.organization, day=member.admitted_on)
        member_dates_check(admitted_on=member.admitted_on, official_on=member.official_on)


def ratings_check(rows: Iterable[UnitAssessment | MemberAssessment]) -> None:
    """Every rating passes the rules of rules.ratings (the level of that year's scheme, the unit existing then)."""
    with RatingScheme.memoized():
        for row in rows:
            (unit_assessment_check if isinstance(row, UnitAssessment) else member_assessment_check)(row)


def _upsert_orgs(objects: list[Organization]) -> dict[str, Organization]:
    organizations_check(objects)
    _upsert(Organization, objects, ["code"], _fields_but(Organization, "code"))
    return {o.code: o for o in Organization.objects.filter(code__in=[o.code for o in objects])}


def _build_tree(rng: random.Random) -> tuple[dict[str, Organization], list[Organization]]:
    """Province, district, the 55 units, and the cells members belong to; returns (all by code, units)."""
    top = _upsert_orgs([_org("LS", "Đảng bộ tỉnh Lạng Sơn", Kind.PROVINCE, "", None)])
    ls = top["LS"]
    top.update(_upsert_orgs([_org("BS", "Đảng bộ huyện Bắc Sơn", Kind.DISTRICT, "", ls)]))
    bs = top["BS"]
    units = [
        _org(
            f"BS-{s}",
            name,
            Kind.GRASSROOTS_COMMITTEE,
            sector,
            bs,
            valid_to=MERGED_2019_END if f"BS-{s}" in MERGED_2019 else None,
        )
        for s, name, sector in COMMUNES
    ]
    units += [_org(f"BS-{s}", name, kind, sector, bs) for s, name, kind, sector in OTHER_UNITS]
    by_code = {**top, **_upsert_orgs(units)}
    cells = []
    for suffix, _name, _sector in COMMUNES:
        commune = by_code[f"BS-{suffix}"]
        for i, village in enumerate(rng.sample(VILLAGES, rng.randint(6, 12)), start=1):
            cells.append(
                _org(
                    f"{commune.code}-{i:02d}",
                    f"Chi bộ thôn {village}",
                    Kind.CELL,
                    commune.sector,
                    commune,
                    valid_to=commune.valid_to,
                )
            )
    for suffix, names in COMMITTEE_CELLS.items():
        committee = by_code[f"BS-{suffix}"]
        cells += [
            _org(f"{committee.code}-{i:02d}", n, Kind.CELL, committee.sector, committee)
            for i, n in enumerate(names, start=1)
        ]
    by_code.update(_upsert_orgs(cells))
    ordered_units = [by_code[u.code] for u in units]
    return by_code, ordered_units


def _member_cells(by_code: dict[str, Organization]) -> list[Organization]:
    return sorted((o for o in by_code.values() if o.kind in (Kind.CELL, Kind.GRASSROOTS_CELL)), key=lambda o: o.code)


def _person(rng: random.Random) -> tuple[str, str, str]:
    ethnicity = rng.choices([e for e, _ in ETHNIC_WEIGHTS], weights=[w for _, w in ETHNIC_WEIGHTS])[0]
    surname = rng.choice(SURNAMES[ethnicity])
    if rng.random() < 0.62:
        return f"{surname} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}", "male", ethnicity
    return f"{surname} Thị {rng.choice(FEMALE_GIVEN)}", "female", ethnicity


def _build_members(rng: random.Random, cells: list[Organization]) -> list[Member]:
    members = []
    serial = 0
    for cell in cells:
        size = rng.randint(8, 20) if cell.kind == Kind.CELL else rng.randint(5, 18)
        for _ in range(size):
            serial += 1
            name, gender, ethnicity = _person(rng)
            born = datetime.date(rng.randint(1940, 1995), rng.randint(1, 12), rng.randint(1, 28))
            admitted = datetime.date(
                max(born.year + 19, rng.randint(1965, 2017)), rng.randint(1, 12), rng.randint(1, 28)
            )
            if admitted.year >= 2018:
                admitted = datetime.date(2017, rng.randint(1, 10), rng.randint(1, 28))
            official = admitted + datetime.timedelta(days=365)
            is_official = official <= datetime.date(2018, 12, 31)
            members.append(
                Member(
                    card_number=f"{48_000_000 + serial}",
                    full_name=name,
                    name_folded=fold(name),
                    gender=gender,
                    birth_date=born,
                    ethnicity=ethnicity,
                    admitted_on=admitted,
                    official_on=official if is_official else None,
                    status=MemberStatus.OFFICIAL if is_official else MemberStatus.PROBATIONARY,
                    organization=cell,
                )
            )
    members_check(members)
    _upsert(Member, members, ["card_number"], _fields_but(Member, "card_number"))
    saved = {
        m.card_number: m
        for m in Member.objects.filter(card_number__in=[m.card_number for m in members]).select_related("organization")
    }
    with_membership = set(
        Membership.objects.filter(member__in=saved.values(), end__isnull=True).values_list("member_id", flat=True)
    )
    Membership.objects.bulk_create(
        [
            Membership(member=m, organization_id=m.organization_id, start=m.admitted_on)
            for m in saved.values()
            if m.pk not in with_membership
        ],
        batch_size=1000,
    )
    return [saved[m.card_number] for m in members]


def _levels(year: int, subject: str) -> dict[int, RatingLevel]:
    scheme = RatingScheme.for_year(year)
    return {lv.rank: lv for lv in RatingLevel.objects.filter(scheme=scheme, subject=subject)}


def _quota(ranks: dict[int, int]) -> list[int]:
    return [rank for rank, count in sorted(ranks.items()) for _ in range(count)]


def _rate_units(
    rng: random.Random,
    year: int,
    units: list[Organization],
    by_code: dict[str, Organization],
    cell_weights: tuple[int, int, int] = (45, 45, 10),
):
    plan = UNIT_PLAN[year]
    levels = _levels(year, Subject.UNIT)
    ref, decided_on = DECISIONS[year]
    remaining = dict(plan["counts"])
    fixed = {f"BS-{suffix}": rank for suffix, rank in plan["fixed"].items()}
    for rank in fixed.values():
        remaining[rank] -= 1
    pool = _quota(remaining)
    rng.shuffle(pool)
    ranks = {}
    for unit in units:
        ranks[unit.code] = fixed.get(unit.code) or pool.pop()
    top_units = sorted(code for code, rank in ranks.items() if rank == 1)
    exemplary = set(rng.sample(top_units, plan["exemplary"]))
    rows = []
    for unit in units:
        rank = ranks[unit.code]
        self_rank = max(1, rank - 1) if rng.random() < 0.3 else rank
        rows.append(
            UnitAssessment(
                organization=unit,
                year=year,
                level=levels[rank],
                self_level=levels[self_rank],
                exemplary=unit.code in exemplary,
                decision_ref=f"Quyết định số {ref}",
                decided_on=decided_on,
            )
        )
    # Cells inside grassroots committees are decided by their committee; none is weak in the demo.
    for cell in sorted((o for o in by_code.values() if o.kind == Kind.CELL), key=lambda o: o.code):
        rank = rng.choices([1, 2, 3], weights=list(cell_weights))[0]
        rows.append(
            UnitAssessment(
                organization=cell,
                year=year,
                level=levels[rank],
                self_level=levels[rank],
                decision_ref="Quyết định của Đảng ủy cơ sở",
                decided_on=datetime.date(year, 12, 28),
            )
        )
    ratings_check(rows)
    _upsert(
        UnitAssessment,
        rows,
        ["organization", "year", "period"],
        ["level", "self_level", "exemplary", "decision_ref", "decided_on"],
    )


def _rate_members(rng: random.Random, year: int, members: list[Member]):
    good_share, excellent_share = MEMBER_PLAN[year]
    levels = _levels(year, Subject.MEMBER)
    june_30, dec_31 = datetime.date(year, 6, 30), datetime.date(year, 12, 31)
    present = [m for m in members if m.admitted_on <= dec_31]
    reasons: dict[int, str] = {}
    for m in present:
        if m.admitted_on > june_30:
            reasons[m.pk] = NotRatedReason.ADMITTED_RECENTLY
        elif m.birth_date.year <= year - 75:
            reasons[m.pk] = NotRatedReason.EXEMPT
        elif rng.random() < 0.004:
            reasons[m.pk] = NotRatedReason.SUSPENDED
    rated = [m for m in present if m.pk not in reasons]
    # Round the rated count to a multiple of 20 so that the good-or-better share is exact (85.0% in 2017).
    for m in sorted(rated, key=lambda m: m.birth_date)[: len(rated) % 20]:
        reasons[m.pk] = NotRatedReason.EXEMPT
    rated = [m for m in present if m.pk not in reasons]
    total = len(rated)
    good_or_better = round(total * good_share)
    excellent = round(total * excellent_share)
    not_completed = max(1, total // 120)
    pool = _quota(
        {
            1: excellent,
            2: good_or_better - excellent,
            3: total - good_or_better - not_completed,
            4: not_completed,
        }
    )
    rng.shuffle(pool)
    rows = [
        MemberAssessment(member=m, year=year, organization=m.organization, level=levels[rank], not_rated_reason="")
        for m, rank in zip(rated, pool, strict=True)
    ]
    rows += [
        MemberAssessment(member=m, year=year, organization=m.organization, level=None, not_rated_reason=reasons[m.pk])
        for m in present
        if m.pk in reasons
    ]
    ratings_check(rows)
    _upsert(MemberAssessment, rows, ["member", "year", "period"], ["organization", "level", "not_rated_reason"])


def _accounts(by_code: dict[str, Organization], password: str) -> list[User]:
    users = []
    for username, role, code, full_name in ACCOUNTS:
        first, _sep, last = full_name.rpartition(" ")
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "organization": by_code.get(code) if code else None,
                "first_name": first,
                "last_name": last,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        users.append(user)
    return users


@transaction.atomic
def demo_load(*, password: str = DEMO_PASSWORD) -> dict[str, int]:
    """Load (or reload to the same state) the Bắc Sơn demo district and its demo accounts."""
    rng = random.Random(SEED)
    by_code, units = _build_tree(rng)
    members = _build_members(rng, _member_cells(by_code))
    for year in YEARS:
        _rate_units(rng, year, units, by_code)
        _rate_members(rng, year, members)
    users = _accounts(by_code, password)
    for year in YEARS:
        # Published results are final: only an officer changes them, after a reopen with a reason (rules.locks).
        services.year_results_finalize(organizations=units, year=year, actor=users[0])
    # 2019 after the published years, with its own seed: their figures do not move (issue 14).
    from assessments.regulation.demo import demo_2019_load

    demo_2019_load(by_code=by_code, units=units, members=members, actor=users[0])
    # The July 2025 structure and its scored 2025 results, decided by the provincial board (issue 15).
    from assessments.demo_2025 import demo_2025_load

    demo_2025_load(actor=next(user for user in users if user.username == "tinh"))
    # Lạng Sơn's criteria sets for 2025 (QĐ 366), a system write: the district's officer does not issue the province's.
    from assessments.criteria.demo import criteria_demo_load

    criteria_demo_load()
    # And 2026's first three quarters, scored, beside the year that is not rated yet (issue 15, periods).
    from assessments.demo_2026 import demo_2026_load

    quarters = demo_2026_load()
    ids = list(Organization.objects.values_list("pk", flat=True))
    organizations_changed.send(sender=Organization, organization_ids=ids)
    assessments_changed.send(sender=UnitAssessment, organization_ids=ids, years=[*YEARS, 2019, 2025])
    assessments_changed.send(sender=UnitAssessment, organization_ids=ids, years=[2026], periods=quarters)
    demo_loaded.send(sender=None, actor=users[0])
    return {"organizations": len(by_code), "units": len(units), "members": len(members)}


REORGANIZATION_2025 = [  # new commune, the former units it takes over
    ("BAC-SON", "Đảng bộ xã Bắc Sơn", ["TT-BAC-SON", "LONG-DONG", "BAC-QUYNH"]),
    ("HUNG-VU", "Đảng bộ xã Hưng Vũ", ["TRAN-YEN", "HUNG-VU"]),
    ("VU-LANG", "Đảng bộ xã Vũ Lăng", ["TAN-LAP", "TAN-HUONG", "CHIEU-VU", "VU-LANG"]),
    ("NHAT-HOA", "Đảng bộ xã Nhất Hòa", ["TAN-THANH", "NHAT-TIEN", "NHAT-HOA"]),
    ("VU-LE", "Đảng bộ xã Vũ Lễ", ["CHIEN-THANG", "VU-SON", "VU-LE"]),
    ("TAN-TRI", "Đảng bộ xã Tân Tri", ["DONG-Y", "VAN-THUY", "TAN-TRI"]),
]


@transaction.atomic
def reorganization_2025_load() -> list[Organization]:
    """The July 2025 structure: the district level ends and six merged communes come directly under the province.

    Every unit of the district ends on 30 June 2025; the communes name their successors. Where the district's
    agencies went is not recorded here, so they get no successor. Each commune gets its leadership collectives
    (assessments.leadership.demo).
    """
    end, start = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)
    ls = Organization.objects.get(code="LS")
    new = _upsert_orgs(
        [
            _org(f"LS-{code}", name, Kind.GRASSROOTS_COMMITTEE, Sector.COMMUNE, ls, valid_from=start)
            for code, name, _old in REORGANIZATION_2025
        ]
    )
    district = Organization.objects.get(code="BS")
    Organization.objects.subtree(district).filter(valid_to__isnull=True).update(valid_to=end)
    for code, _name, olds in REORGANIZATION_2025:
        for old in Organization.objects.filter(code__in=[f"BS-{c}" for c in olds]):
            old.successors.add(new[f"LS-{code}"])
    # Their standing boards, party committees and people's committees, with heads and deputies rated for 2025.
    from assessments.leadership.demo import leadership_demo_load

    leadership_demo_load(communes=list(new.values()), province=ls)
    organizations_changed.send(sender=Organization, organization_ids=[o.pk for o in new.values()])
    return list(new.values())


def codes(orgs: Iterable[Organization]) -> list[str]:
    return sorted(o.code for o in orgs)
