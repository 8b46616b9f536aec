"""Vietnamese ordering in the database: ICU's vi collation on PostgreSQL, the same order on SQLite via Python."""

from functools import cmp_to_key, lru_cache

from django.db.models import CharField, Func

from assessments.common.text import sort_key

SQLITE_COLLATION = "vi"
POSTGRES_COLLATION = "vi-x-icu"


def given_name(full_name: str | None) -> str:
    """The last word of a Vietnamese full name, by which people are listed."""
    parts = (full_name or "").split()
    return parts[-1] if parts else ""


@lru_cache(maxsize=100_000)
def _key(text: str) -> tuple:
    return sort_key(text)


def _compare(a: str, b: str) -> int:
    # SQLite calls this O(n log n) times per sort: the keys are cached (a district's names fit easily).
    ka, kb = _key(a), _key(b)
    return (ka > kb) - (ka < kb)


vietnamese_key = cmp_to_key(_compare)


def sqlite_register(connection) -> None:
    """Give a new SQLite connection the vi collation and the given-name function (connection_created hook)."""
    raw = connection.connection
    raw.create_collation(SQLITE_COLLATION, _compare)
    raw.create_function("vi_given_name", 1, given_name, deterministic=True)


def on_connection_created(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        sqlite_register(connection)


class GivenName(Func):
    """SQL for the last word of a name; falls back to the whole name on databases without a way to split it."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substring(%(expressions)s from '[^[:space:]]+$')", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="vi_given_name", **extra)

    def as_sql(self, compiler, connection, function=None, template=None, **extra):
        if function is None and template is None and connection.vendor not in ("postgresql", "sqlite"):
            template = "%(expressions)s"
        return super().as_sql(compiler, connection, function=function, template=template, **extra)


class Vietnamese(Func):
    """An expression compared in Vietnamese alphabetical order (a < ă < â, d < đ, tones after letters)."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=f'(%(expressions)s) COLLATE "{POSTGRES_COLLATION}"', **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=f'(%(expressions)s) COLLATE "{SQLITE_COLLATION}"', **extra)

    def as_sql(self, compiler, connection, function=None, template=None, **extra):
        if template is None:
            template = "%(expressions)s"
        return super().as_sql(compiler, connection, function=function, template=template, **extra)
