"""Deterministic synthetic organizations, members and ratings, loaded with PostgreSQL COPY into the app's tables
(what the rows are made of: bench.synthetic; the tables, their columns and the COPY: bench.copying)."""

import datetime
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from assessments.common.text import fold
from bench.copying import COLUMNS, TABLES, Loader, copy_session, next_free_id
from bench.synthetic import (
    CELL_SECTORS,
    COMMITTEE_SECTORS,
    COMMUNE_COLLECTIVES,
    CRITERIA_GROUPS,
    ETHNICITY,
    MEMBER_DISTRIBUTION,
    PLACE,
    SUBJECT_GROUPS,
    UNIT_DISTRIBUTION,
    full_names,
    pick,
    scored,
)

# The year every synthetic member, unit, collective and leader is rated for: 2025, the first year of QĐ 366's scored
# scheme (qd366-2025), so ratings carry scores and task figures and the summaries count them. The year imports write to
# stays an unscored one (qd124-2023): the import's rate is comparable with the earlier runs.
YEAR = 2025
IMPORT_YEAR = 2023
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
# Leadership posts start with the 2020-2025 term; the members who hold them are also rated each quarter.
TERM_START = datetime.date(2020, 10, 1)
SEED = 20171231


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: int
    districts: tuple[int, ...]  # districts in each province


def scale_for(name: str) -> Scale:
    """district: one district of national-average size; province: eleven of them; national: 63 provinces, 700."""
    if name == "district":
        return Scale("district", 1, (1,))
    if name == "province":
        return Scale("province", 1, (11,))
    if name == "national":
        # 700 districts: 11 in each of the 63 provinces, 12 in the first seven.
        return Scale("national", 63, tuple(12 if p < 7 else 11 for p in range(63)))
    raise ValueError(f"unknown scale {name!r}: district, province or national")


# The score columns of a member-ratings file and each level's values in them (a bench file re-rates members).
SCORE_HEADER = ["score", "self_score", "tasks_assigned", "tasks_on_time", "tasks_exceeded", "tasks_late"]
FILE_SCORES = {
    "excellent": ["92", "95", "10", "10", "3", "0"],
    "good": ["80", "82", "10", "10", "0", "0"],
    "completed": ["60", "65", "10", "9", "0", "1"],
    "not_completed": ["40", "50", "10", "5", "0", "2"],
}


def file_scores(level: str, year: int = YEAR) -> list[str]:
    """The score cells of a bench file's row at the level: empty for a year without scores."""
    return FILE_SCORES[level] if year >= 2025 else [""] * len(SCORE_HEADER)


@dataclass
class Loaded:
    organizations: int = 0
    grassroots: int = 0
    members: int = 0
    member_assessments: int = 0
    unit_assessments: int = 0
    # Quarter rows beside the yearly ones (units; members who hold a leadership post), issue 15's periods.
    member_quarter_assessments: int = 0
    unit_quarter_assessments: int = 0
    collectives: int = 0
    positions: int = 0
    collective_ratings: int = 0
    leader_ratings: int = 0
    criteria_sets: int = 0
    criteria_items: int = 0
    seconds: float = 0.0


class Generator:
    """Builds the tree and members in one deterministic pass (seeded per district, so scales share prefixes)."""

    def __init__(self, cursor, *, year: int = YEAR, rate: bool = True):
        self.cursor = cursor
        self.year = year
        self.rate = rate
        self.levels = self._levels()
        # Scores and task figures only for a scored scheme's year (2025 on), as the rules want them.
        self.scored = year >= 2025
        self.names = (full_names(False), full_names(True))
        self.ids = {table: next_free_id(cursor, table) for table in TABLES}
        now = datetime.datetime.now(datetime.UTC).isoformat()
        self.now = now
        self.copies = {table: Loader(cursor, table, columns) for table, columns in COLUMNS.items()}
        self.frame_parts = self._frame_parts()
        # The second random stream (scores, quarters, leadership), reseeded with the first one per district.
        self.xrng = random.Random(SEED - 2)
        self.loaded = Loaded()

    def add(self, table: str, *values) -> None:
        """One row, its values in the order of COLUMNS[table], into the table's COPY."""
        self.copies[table].add(*values)

    def next_id(self, table: str) -> int:
        pk = self.ids[table]
        self.ids[table] = pk + 1
        return pk

    @property
    def member_id(self) -> int:
        """The id the next member gets (import_pool reads the cards of the members it made)."""
        return self.ids["assessments_member"]

    def _levels(self) -> dict[tuple[str, str], int]:
        self.cursor.execute(
            """SELECT l.subject, l.code, l.id FROM assessments_ratinglevel l
               JOIN assessments_ratingscheme s ON s.id = l.scheme_id
               WHERE s.first_year <= %s AND (s.last_year IS NULL OR s.last_year >= %s)""",
            [self.year, self.year],
        )
        return {(subject, code): pk for subject, code, pk in self.cursor.fetchall()}

    def _frame_parts(self) -> dict[str, int]:
        self.cursor.execute(
            """SELECT p.code, p.id FROM assessments_framepart p JOIN assessments_ratingscheme s ON s.id = p.scheme_id
               WHERE s.first_year <= %s AND (s.last_year IS NULL OR s.last_year >= %s)""",
            [self.year, self.year],
        )
        return dict(self.cursor.fetchall())

    def _scores(self, level: str | None) -> tuple:
        # From the second stream: the first one draws the tree and the levels exactly as before scores existed.
        return scored(level, self.xrng) if self.scored else (None,) * 6

    def _unit_rating(self, pk: int, period: str, rng: random.Random) -> None:
        level = pick(UNIT_DISTRIBUTION, rng.randrange(100))
        level_id = self.levels[("unit", level)]
        exemplary = not period and level == "excellent" and rng.randrange(4) == 0
        self.add(
            "assessments_unitassessment",
            self.next_id("assessments_unitassessment"),
            pk,
            self.year,
            period,
            level_id,
            level_id,
            exemplary,
            "",
            "",
            None,
            "",
            *self._scores(level),
            self.now,
        )

    def organization(self, *, code, name, kind, sector, parent, rng) -> tuple[int, str, int]:
        pk = self.next_id("assessments_organization")
        parent_id, parent_path, parent_depth = parent if parent else (None, "", -1)
        path = f"{parent_path}{code}/"
        self.add(
            "assessments_organization",
            pk,
            code,
            name,
            fold(name),
            kind,
            sector,
            parent_id,
            path,
            parent_depth + 1,
            None,
            None,
        )
        self.loaded.organizations += 1
        if parent and self.rate:
            self._unit_rating(pk, "", rng)
            self.loaded.unit_assessments += 1
            if self.scored:
                for quarter in QUARTERS:
                    self._unit_rating(pk, quarter, self.xrng)
                self.loaded.unit_quarter_assessments += len(QUARTERS)
        return pk, path, parent_depth + 1

    def _member_rating(self, member: int, cell: int, period: str, level: str | None, reason: str, rng) -> None:
        self.add(
            "assessments_memberassessment",
            self.next_id("assessments_memberassessment"),
            member,
            self.year,
            period,
            cell,
            self.levels[("member", level)] if level else None,
            reason,
            "",
            *self._scores(level),
            self.now,
        )

    def people(self, cell: tuple[int, str, int], count: int, rng: random.Random) -> list[tuple[int, int]]:
        """The cell's members, rated for the year; returns (member, cell) of the rated ones."""
        rated = []
        for i in range(count):
            pk = self.next_id("assessments_member")
            women = rng.randrange(3) == 0
            full, folded = rng.choice(self.names[women])
            born = 1950 + rng.randrange(52)
            admitted = datetime.date(born + 20 + rng.randrange(15), 1 + rng.randrange(12), 1 + rng.randrange(28))
            probationary = admitted.year >= 2024
            self.add(
                "assessments_member",
                pk,
                f"{pk:010d}",
                full,
                folded,
                "female" if women else "male",
                f"{born}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}",
                rng.choice(ETHNICITY),
                admitted,
                None if probationary else admitted.replace(year=admitted.year + 1),
                "probationary" if probationary else "official",
                cell[0],
            )
            self.add("assessments_membership", self.next_id("assessments_membership"), pk, cell[0], admitted, None)
            self.loaded.members += 1
            if self.rate:
                level = pick(MEMBER_DISTRIBUTION, rng.randrange(100) if i % 10 else 50)
                reason = "" if level else rng.choice(["exempt", "admitted_recently"])
                self._member_rating(pk, cell[0], "", level, reason, rng)
                self.loaded.member_assessments += 1
                if level and not probationary:
                    rated.append((pk, cell[0]))
        return rated

    def _leadership_rating(self, table: str, subject: tuple, period: str, level: str, distribution_subject: str, rng):
        level_id = self.levels[(distribution_subject, level)]
        self.add(
            table,
            self.next_id(table),
            *subject,
            self.year,
            period,
            level_id,
            level_id,
            level_id,
            *self._scores(level),
            self.now,
        )

    def leadership(self, unit: tuple[int, str, int], code: str, managed_by: int, rated: list) -> None:
        """A commune's three collectives and ten posts held by its members, each rated for the year and its quarters
        (QĐ 366); the members holding the posts are rated each quarter too."""
        if not self.rate or not self.scored or len(rated) < 10:
            return
        rng = self.xrng
        holders = rng.sample(rated, 10)
        holders_rated = list(holders)
        periods = ("", *QUARTERS)
        for k, (kind, name, titles) in enumerate(COMMUNE_COLLECTIVES):
            collective = self.next_id("assessments_collective")
            self.add("assessments_collective", collective, f"{code}-T{k + 1}", unit[0], kind, name, None, None)
            self.loaded.collectives += 1
            for period in periods:
                level = pick(UNIT_DISTRIBUTION, rng.randrange(100))
                self._leadership_rating("assessments_collectiverating", (collective,), period, level, "unit", rng)
                self.loaded.collective_ratings += 1
            for title, heads in titles:
                member, _cell = holders.pop()
                self.add(
                    "assessments_position",
                    self.next_id("assessments_position"),
                    member,
                    collective,
                    title,
                    heads,
                    TERM_START,
                    None,
                    managed_by,
                )
                self.loaded.positions += 1
                for period in periods:
                    level = pick(MEMBER_DISTRIBUTION, rng.randrange(97))
                    self._leadership_rating(
                        "assessments_leaderrating", (member, collective), period, level, "member", rng
                    )
                    self.loaded.leader_ratings += 1
        # The post holders' own member ratings of each quarter, where their yearly rating is.
        for member, cell in holders_rated:
            for quarter in QUARTERS:
                level = pick(MEMBER_DISTRIBUTION, rng.randrange(97))
                self._member_rating(member, cell, quarter, level, "", rng)
                self.loaded.member_quarter_assessments += 1

    def criteria(self, province: tuple[int, str, int], code: str) -> None:
        """The province's criteria sets for the scored years, one per group of subjects."""
        if not self.scored or not self.frame_parts:
            return
        for subject_group in SUBJECT_GROUPS:
            criteria_set = self.next_id("assessments_criteriaset")
            self.add(
                "assessments_criteriaset",
                criteria_set,
                f"{code}-{subject_group.upper().replace('_', '-')}",
                f"Bộ tiêu chí {subject_group} tỉnh {code}",
                province[0],
                subject_group,
                self.year,
                None,
                1,
                None,
            )
            self.loaded.criteria_sets += 1
            for g, (part, name, points, items) in enumerate(CRITERIA_GROUPS):
                group = self.next_id("assessments_criteriagroup")
                self.add(
                    "assessments_criteriagroup",
                    group,
                    criteria_set,
                    str(g + 1),
                    name,
                    points,
                    self.frame_parts[part],
                    g + 1,
                )
                for i, item_points in enumerate(items):
                    self.add(
                        "assessments_criteriaitem",
                        self.next_id("assessments_criteriaitem"),
                        group,
                        criteria_set,
                        f"{g + 1}.{i + 1}",
                        f"Tiêu chí {g + 1}.{i + 1}",
                        "",
                        "",
                        item_points,
                        i + 1,
                    )
                    self.loaded.criteria_items += 1

    def district(self, province: tuple[int, str, int], p: int, d: int) -> None:
        rng = random.Random(SEED * 1000 + p * 100 + d)
        self.xrng = random.Random(SEED * 1000 + p * 100 + d + 500_000)
        pcode = f"P{p + 1:02d}"
        dcode = f"{pcode}-D{d + 1:02d}"
        place = PLACE[(p * 7 + d) % len(PLACE)]
        district = self.organization(
            code=dcode, name=f"Đảng bộ huyện {place} {d + 1}", kind="district", sector="", parent=province, rng=rng
        )
        for g in range(60 + rng.randrange(30)):
            gcode = f"{dcode}-G{g + 1:03d}"
            gplace = PLACE[rng.randrange(len(PLACE))]
            self.loaded.grassroots += 1
            if rng.randrange(10) < 6:
                sector = rng.choice(COMMITTEE_SECTORS)
                unit = self.organization(
                    code=gcode,
                    name=f"Đảng bộ xã {gplace} {g + 1}",
                    kind="grassroots_committee",
                    sector=sector,
                    parent=district,
                    rng=rng,
                )
                rated = []
                for c in range(4 + rng.randrange(7)):
                    cell = self.organization(
                        code=f"{gcode}-C{c + 1:02d}",
                        name=f"Chi bộ thôn {PLACE[rng.randrange(len(PLACE))]} {c + 1}",
                        kind="cell",
                        sector=sector,
                        parent=unit,
                        rng=rng,
                    )
                    rated += self.people(cell, 15 + rng.randrange(18), rng)
                self.leadership(unit, gcode, district[0], rated)
            else:
                cell = self.organization(
                    code=gcode,
                    name=f"Chi bộ cơ quan {gplace} {g + 1}",
                    kind="grassroots_cell",
                    sector=rng.choice(CELL_SECTORS),
                    parent=district,
                    rng=rng,
                )
                self.people(cell, 10 + rng.randrange(31), rng)

    def flush(self) -> None:
        # Parents before the rows pointing at them (the checks are off, but the order keeps a reader's sense).
        for loader in self.copies.values():
            loader.flush()


def load_scale(connection, scale: Scale, *, progress=print) -> Loaded:
    """Generate and COPY one scale into an empty (migrated) database; foreign keys are right by construction."""
    started = time.perf_counter()
    with copy_session(connection) as cursor:
        gen = Generator(cursor)
        for p in range(scale.provinces):
            rng = random.Random(SEED + p)
            province = gen.organization(
                code=f"P{p + 1:02d}",
                name=f"Đảng bộ tỉnh {PLACE[p % len(PLACE)]} {p + 1}",
                kind="province",
                sector="",
                parent=None,
                rng=rng,
            )
            gen.criteria(province, f"P{p + 1:02d}")
            for d in range(scale.districts[p]):
                gen.district(province, p, d)
            # Organizations go first: members, memberships and ratings point at them.
            gen.copies["assessments_organization"].flush()
            progress(
                f"  province {p + 1}/{scale.provinces}: {gen.loaded.organizations:,} organizations, "
                f"{gen.loaded.members:,} members, {gen.loaded.collectives:,} collectives, "
                f"{time.perf_counter() - started:.0f} s"
            )
        gen.flush()
    gen.loaded.seconds = time.perf_counter() - started
    return gen.loaded


def import_pool(connection, *, members: int, code: str = "IMPORT") -> tuple[str, list[tuple[str, str]]]:
    """A separate province of unrated members for the import benchmark; returns its code and (card, cell) pairs."""
    pairs: list[tuple[str, str]] = []
    with copy_session(connection) as cursor:
        gen = Generator(cursor, year=IMPORT_YEAR, rate=False)
        rng = random.Random(SEED - 1)
        province = gen.organization(
            code=code, name="Đảng bộ tỉnh Nhập Thử", kind="province", sector="", parent=None, rng=rng
        )
        district = gen.organization(
            code=f"{code}-D", name="Đảng bộ huyện Nhập Thử", kind="district", sector="", parent=province, rng=rng
        )
        per_cell = 150
        for c in range((members + per_cell - 1) // per_cell):
            ccode = f"{code}-C{c + 1:05d}"
            cell = gen.organization(
                code=ccode,
                name=f"Chi bộ Nhập Thử {c + 1}",
                kind="grassroots_cell",
                sector="agency",
                parent=district,
                rng=rng,
            )
            first = gen.member_id
            gen.people(cell, min(per_cell, members - c * per_cell), rng)
            pairs.extend((f"{pk:010d}", ccode) for pk in range(first, gen.member_id))
        gen.flush()
    return code, pairs


def member_rating_rows(pairs: list[tuple[str, str]], *, year: int = IMPORT_YEAR) -> Iterator[list[str]]:
    """Rows of a member_ratings file: 10% excellent, 70% good, 20% completed (inside the 20% cap everywhere)."""
    for i, (card, cell) in enumerate(pairs):
        level = "excellent" if i % 10 == 0 else ("completed" if i % 10 >= 8 else "good")
        yield [card, str(year), cell, level, "", "", ""]
