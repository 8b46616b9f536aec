"""Factories for the checks several models declare alike: an end that is not before its start, exactly one of two
references set. Each returns a plain CheckConstraint, so a migration sees it as if it were written out (the same
deconstruction); no new migration.

Apart from fields.py, which imports organizations.py: organizations.py uses these checks itself."""

import functools
import operator

from django.db import models
from django.db.models import Q


def range_constraint(
    start: str, end: str, *, name: str, message=None, start_optional: bool = False, end_optional: bool = True
) -> models.CheckConstraint:
    """A span's end is not before its start; an empty (optional) end or start is an open span, always allowed."""
    terms = [Q(**{f"{end}__isnull": True})] if end_optional else []
    terms += [Q(**{f"{start}__isnull": True})] if start_optional else []
    terms.append(Q(**{f"{end}__gte": models.F(start)}))
    return models.CheckConstraint(
        condition=functools.reduce(operator.or_, terms), name=name, violation_error_message=message
    )


def one_of_constraint(first: str, second: str, *, name: str, message) -> models.CheckConstraint:
    """Exactly one of two references is set: the row belongs to one subject or the other, never both, never none."""

    def isnull(field: str, value: bool) -> Q:
        return Q(**{f"{field}__isnull": value})

    return models.CheckConstraint(
        condition=(isnull(first, False) & isnull(second, True)) | (isnull(first, True) & isnull(second, False)),
        name=name,
        violation_error_message=message,
    )
