"""Deterministic synthetic organizations, members and ratings, loaded with PostgreSQL COPY into the app's tables."""

import datetime
import io
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from assessments.common.text import fold

# The year every synthetic member and unit is rated for (scheme qd124-2023), and the year imports write to.
YEAR = 2024
IMPORT_YEAR = 2023
SEED = 20171231
COPY_CHUNK = 100_000


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


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vi", "Lương", "Dương", "Hà", "Nông", "Lộc", "Mã", "Đinh", "Vũ"]
MIDDLE_M = ["Văn", "Đức", "Hữu", "Quang", "Minh", "Thành", "Xuân", "Công"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Thanh", "Thị Hồng", "Ngọc", "Thị Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đông",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiền",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Ngọc",
    "Nhung",
    "Phong",
    "Phương",
    "Quân",
    "Quyết",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thảo",
    "Thủy",
    "Tiến",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
    "Lụa",
    "Rum",
]
PLACE = [
    "Bắc Quỳnh",
    "Chiến Thắng",
    "Chiêu Vũ",
    "Đồng Ý",
    "Hưng Vũ",
    "Hữu Vĩnh",
    "Long Đống",
    "Nhất Hòa",
    "Nhất Tiến",
    "Quỳnh Sơn",
    "Tân Hương",
    "Tân Lập",
    "Tân Thành",
    "Tân Tri",
    "Trấn Yên",
    "Vạn Thủy",
    "Vũ Lăng",
    "Vũ Lễ",
    "Vũ Sơn",
    "Yên Bình",
    "Hòa Bình",
    "Đại Đồng",
    "Quang Trung",
    "Bình Minh",
    "Phú Thịnh",
    "An Khánh",
    "Thạch Đà",
    "Mường Lay",
]
ETHNICITY = ["Tày", "Tày", "Nùng", "Kinh", "Kinh", "Dao", "Mông", "Thái"]
COMMITTEE_SECTORS = ["commune", "commune", "commune", "commune", "ward", "town", "agency", "public_service"]
CELL_SECTORS = ["agency", "public_service", "public_service", "enterprise", "military", "police"]
# (cumulative percentage, level code): how synthetic members and units are rated.
MEMBER_DISTRIBUTION = [(11, "excellent"), (81, "good"), (95, "completed"), (97, "not_completed")]
UNIT_DISTRIBUTION = [(20, "excellent"), (78, "good"), (95, "completed"), (100, "not_completed")]


def _names(women: bool) -> list[tuple[str, str]]:
    middles = MIDDLE_F if women else MIDDLE_M
    names = []
    for family in FAMILY:
        for middle in middles:
            for given in GIVEN:
                full = f"{family} {middle} {given}"
                names.append((full, fold(full)))
    return names


def _pick(distribution: list[tuple[int, str]], roll: int) -> str | None:
    for upto, code in distribution:
        if roll < upto:
            return code
    return None


def _esc(value) -> str:
    """One COPY text-format field; our synthetic text has no tabs, newlines or backslashes."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


class Loader:
    """Streams rows into one table with COPY, in chunks, through a psycopg2 cursor."""

    def __init__(self, cursor, table: str, columns: list[str]):
        self.cursor, self.table, self.columns = cursor, table, columns
        self.buffer: list[str] = []
        self.rows = 0

    def add(self, *values) -> None:
        self.buffer.append("\t".join(map(_esc, values)))
        if len(self.buffer) >= COPY_CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        data = io.StringIO("\n".join(self.buffer) + "\n")
        cols = ", ".join(f'"{c}"' for c in self.columns)
        self.cursor.copy_expert(f'COPY "{self.table}" ({cols}) FROM STDIN', data)
        self.rows += len(self.buffer)
        self.buffer = []


def _next_id(cursor, table: str) -> int:
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
    return cursor.fetchone()[0]


def _fix_sequences(cursor, tables: list[str]) -> None:
    for table in tables:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )


@dataclass
class Loaded:
    organizations: int = 0
    grassroots: int = 0
    members: int = 0
    member_assessments: int = 0
    unit_assessments: int = 0
    seconds: float = 0.0


class Generator:
    """Builds the tree and members in one deterministic pass (seeded per district, so scales share prefixes)."""

    def __init__(self, cursor, *, year: int = YEAR, rate: bool = True):
        self.cursor = cursor
        self.year = year
        self.rate = rate
        self.levels = self._levels()
        self.names = (_names(False), _names(True))
        self.org_id = _next_id(cursor, "assessments_organization")
        self.member_id = _next_id(cursor, "assessments_member")
        self.ma_id = _next_id(cursor, "assessments_memberassessment")
        self.ua_id = _next_id(cursor, "assessments_unitassessment")
        self.ms_id = _next_id(cursor, "assessments_membership")
        now = datetime.datetime.now(datetime.UTC).isoformat()
        self.now = now
        self.orgs = Loader(
            cursor,
            "assessments_organization",
            [
                "id",
                "code",
                "name",
                "name_folded",
                "kind",
                "sector",
                "parent_id",
                "path",
                "depth",
                "valid_from",
                "valid_to",
            ],
        )
        self.members = Loader(
            cursor,
            "assessments_member",
            [
                "id",
                "card_number",
                "full_name",
                "name_folded",
                "gender",
                "birth_date",
                "ethnicity",
                "admitted_on",
                "official_on",
                "status",
                "organization_id",
            ],
        )
        self.memberships = Loader(
            cursor, "assessments_membership", ["id", "member_id", "organization_id", "start", "end"]
        )
        self.member_ratings = Loader(
            cursor,
            "assessments_memberassessment",
            ["id", "member_id", "year", "organization_id", "level_id", "not_rated_reason", "note", "updated_at"],
        )
        self.unit_ratings = Loader(
            cursor,
            "assessments_unitassessment",
            [
                "id",
                "organization_id",
                "year",
                "self_level_id",
                "level_id",
                "exemplary",
                "not_rated_reason",
                "decision_ref",
                "decided_on",
                "note",
                "updated_at",
            ],
        )
        self.loaded = Loaded()

    def _levels(self) -> dict[tuple[str, str], int]:
        self.cursor.execute(
            """SELECT l.subject, l.code, l.id FROM assessments_ratinglevel l
               JOIN assessments_ratingscheme s ON s.id = l.scheme_id
               WHERE s.first_year <= %s AND (s.last_year IS NULL OR s.last_year >= %s)""",
            [self.year, self.year],
        )
        return {(subject, code): pk for subject, code, pk in self.cursor.fetchall()}

    def organization(self, *, code, name, kind, sector, parent, rng) -> tuple[int, str, int]:
        pk = self.org_id
        self.org_id += 1
        parent_id, parent_path, parent_depth = parent if parent else (None, "", -1)
        path = f"{parent_path}{code}/"
        self.orgs.add(pk, code, name, fold(name), kind, sector, parent_id, path, parent_depth + 1, None, None)
        self.loaded.organizations += 1
        if parent and self.rate:
            level = _pick(UNIT_DISTRIBUTION, rng.randrange(100))
            level_id = self.levels[("unit", level)]
            exemplary = level == "excellent" and rng.randrange(4) == 0
            self.unit_ratings.add(self.ua_id, pk, self.year, level_id, level_id, exemplary, "", "", None, "", self.now)
            self.ua_id += 1
            self.loaded.unit_assessments += 1
        return pk, path, parent_depth + 1

    def people(self, cell: tuple[int, str, int], count: int, rng: random.Random) -> None:
        for i in range(count):
            pk = self.member_id
            self.member_id += 1
            women = rng.randrange(3) == 0
            full, folded = rng.choice(self.names[women])
            born = 1950 + rng.randrange(52)
            admitted = datetime.date(born + 20 + rng.randrange(15), 1 + rng.randrange(12), 1 + rng.randrange(28))
            probationary = admitted.year >= 2024
            self.members.add(
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
            self.memberships.add(self.ms_id, pk, cell[0], admitted, None)
            self.ms_id += 1
            self.loaded.members += 1
            if self.rate:
                level = _pick(MEMBER_DISTRIBUTION, rng.randrange(100) if i % 10 else 50)
                reason = "" if level else rng.choice(["exempt", "admitted_recently"])
                self.member_ratings.add(
                    self.ma_id,
                    pk,
                    self.year,
                    cell[0],
                    self.levels[("member", level)] if level else None,
                    reason,
                    "",
                    self.now,
                )
                self.ma_id += 1
                self.loaded.member_assessments += 1

    def district(self, province: tuple[int, str, int], p: int, d: int) -> None:
        rng = random.Random(SEED * 1000 + p * 100 + d)
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
                for c in range(4 + rng.randrange(7)):
                    cell = self.organization(
                        code=f"{gcode}-C{c + 1:02d}",
                        name=f"Chi bộ thôn {PLACE[rng.randrange(len(PLACE))]} {c + 1}",
                        kind="cell",
                        sector=sector,
                        parent=unit,
                        rng=rng,
                    )
                    self.people(cell, 15 + rng.randrange(18), rng)
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
        for loader in (self.orgs, self.unit_ratings, self.members, self.memberships, self.member_ratings):
            loader.flush()


TABLES = [
    "assessments_organization",
    "assessments_member",
    "assessments_membership",
    "assessments_memberassessment",
    "assessments_unitassessment",
]


def _model_defaults(cursor, tables: list[str], *, drop: bool = False) -> list[str]:
    """Give NOT NULL columns the model field's default in the database while COPY loads (COPY fills an omitted
    column with the database default, and Django keeps defaults in Python): a field added to the app after this
    loader was written then loads with its default instead of failing. With drop, take those defaults off again."""
    from django.apps import apps
    from django.db import connection as django_connection
    from django.db.models import NOT_PROVIDED

    changed = []
    for model in apps.get_app_config("assessments").get_models():
        table = model._meta.db_table
        if table not in tables:
            continue
        for field in model._meta.concrete_fields:
            # Text fields without an explicit default get "" from Django (get_default), as the ORM would save them.
            provided = field.has_default() or (field.empty_strings_allowed and not field.primary_key)
            if field.null or not provided or getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
                continue
            if drop:
                cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{field.column}" DROP DEFAULT')
            else:
                value = field.get_db_prep_save(field.get_default(), django_connection)
                cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{field.column}" SET DEFAULT %s', [value])
            changed.append(f"{table}.{field.column}")
    return changed


def load_scale(connection, scale: Scale, *, progress=print) -> Loaded:
    """Generate and COPY one scale into an empty (migrated) database; foreign keys are right by construction."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Referential checks by trigger would cost a lookup per row; ids are consistent by construction and
        # verified by the counts below. Needs a superuser, as the bench database's owner normally is.
        cursor.execute("SET session_replication_role = replica")
        _model_defaults(cursor, TABLES)
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
            for d in range(scale.districts[p]):
                gen.district(province, p, d)
            # Organizations go first: members, memberships and ratings point at them.
            gen.orgs.flush()
            progress(
                f"  province {p + 1}/{scale.provinces}: {gen.loaded.organizations:,} organizations, "
                f"{gen.loaded.members:,} members, {time.perf_counter() - started:.0f} s"
            )
        gen.flush()
        _model_defaults(cursor, TABLES, drop=True)
        cursor.execute("SET session_replication_role = DEFAULT")
        _fix_sequences(cursor, TABLES)
        for table in TABLES:
            cursor.execute(f'ANALYZE "{table}"')
    connection.commit()
    gen.loaded.seconds = time.perf_counter() - started
    return gen.loaded


def import_pool(connection, *, members: int, code: str = "IMPORT") -> tuple[str, list[tuple[str, str]]]:
    """A separate province of unrated members for the import benchmark; returns its code and (card, cell) pairs."""
    pairs: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        _model_defaults(cursor, TABLES)
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
        _model_defaults(cursor, TABLES, drop=True)
        cursor.execute("SET session_replication_role = DEFAULT")
        _fix_sequences(cursor, TABLES)
        for table in TABLES:
            cursor.execute(f'ANALYZE "{table}"')
    connection.commit()
    return code, pairs


def member_rating_rows(pairs: list[tuple[str, str]], *, year: int = IMPORT_YEAR) -> Iterator[list[str]]:
    """Rows of a member_ratings file: 10% excellent, 70% good, 20% completed (inside the 20% cap everywhere)."""
    for i, (card, cell) in enumerate(pairs):
        level = "excellent" if i % 10 == 0 else ("completed" if i % 10 >= 8 else "good")
        yield [card, str(year), cell, level, "", "", ""]
