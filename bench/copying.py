"""COPY into the app's tables: the tables the generator fills and their columns, a loader streaming rows into one
of them, and the session a load runs in (triggers off and defaults set; then sequences, statistics and the commit)."""

import io
from collections.abc import Iterator
from contextlib import contextmanager

COPY_CHUNK = 100_000


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


def next_free_id(cursor, table: str) -> int:
    """The id the table's next generated row takes: the generator numbers its rows itself."""
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
    return cursor.fetchone()[0]


def _fix_sequences(cursor, tables: list[str]) -> None:
    for table in tables:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )


RATING_SCORES = ["self_score", "score", "tasks_assigned", "tasks_on_time", "tasks_exceeded", "tasks_late"]
# The tables the generator fills and the columns it writes, parents before the rows pointing at them: the order
# they are flushed in (the checks are off, but the order keeps a reader's sense).
LEADERSHIP_RATING = ["year", "period", "self_level_id", "appraisal_level_id", "level_id", *RATING_SCORES, "updated_at"]
COLUMNS = {
    "assessments_organization": [
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
    "assessments_unitassessment": [
        "id",
        "organization_id",
        "year",
        "period",
        "self_level_id",
        "level_id",
        "exemplary",
        "not_rated_reason",
        "decision_ref",
        "decided_on",
        "note",
        *RATING_SCORES,
        "updated_at",
    ],
    "assessments_member": [
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
    "assessments_membership": ["id", "member_id", "organization_id", "start", "end"],
    "assessments_memberassessment": [
        "id",
        "member_id",
        "year",
        "period",
        "organization_id",
        "level_id",
        "not_rated_reason",
        "note",
        *RATING_SCORES,
        "updated_at",
    ],
    "assessments_collective": ["id", "code", "organization_id", "kind", "name", "valid_from", "valid_to"],
    "assessments_position": ["id", "member_id", "collective_id", "title", "heads", "start", "end", "managed_by_id"],
    "assessments_collectiverating": ["id", "collective_id", *LEADERSHIP_RATING],
    "assessments_leaderrating": ["id", "member_id", "collective_id", *LEADERSHIP_RATING],
    "assessments_criteriaset": [
        "id",
        "code",
        "name",
        "issuer_id",
        "subject_group",
        "first_year",
        "last_year",
        "version",
        "replaces_id",
    ],
    "assessments_criteriagroup": ["id", "criteria_set_id", "code", "name", "max_points", "part_id", "order"],
    "assessments_criteriaitem": [
        "id",
        "group_id",
        "criteria_set_id",
        "code",
        "name",
        "description",
        "measured_by",
        "max_points",
        "order",
    ],
}
TABLES = list(COLUMNS)


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


@contextmanager
def copy_session(connection) -> Iterator:
    """A cursor to COPY the generator's tables through, then their sequences and statistics brought up to date and
    the whole committed."""
    with connection.cursor() as cursor:
        # Referential checks by trigger would cost a lookup per row; ids are consistent by construction and
        # verified by the counts of the loads. Needs a superuser, as the bench database's owner normally is.
        cursor.execute("SET session_replication_role = replica")
        _model_defaults(cursor, TABLES)
        yield cursor
        _model_defaults(cursor, TABLES, drop=True)
        cursor.execute("SET session_replication_role = DEFAULT")
        _fix_sequences(cursor, TABLES)
        for table in TABLES:
            cursor.execute(f'ANALYZE "{table}"')
    connection.commit()
