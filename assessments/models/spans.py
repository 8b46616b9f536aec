"""Rows in force for a span of years (schemes, guidance periods, criteria sets): their two year fields, the filter of
the rows in force in a year and the test of one row."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.fields import year_field


def in_force_fields() -> tuple[models.PositiveSmallIntegerField, models.PositiveSmallIntegerField]:
    """The first year a row is in force and the last (empty: no end yet), in this order."""
    return year_field(_("áp dụng từ năm")), year_field(_("áp dụng đến năm"), null=True, blank=True)


class InForceQuerySet(models.QuerySet):
    def for_year(self, year: int) -> "InForceQuerySet":
        """The rows in force in the year."""
        return self.filter(first_year__lte=year).filter(Q(last_year__isnull=True) | Q(last_year__gte=year))


class InForce:
    """A row with the two fields of in_force_fields."""

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)
