"""The period a rating is for: the whole year, or one of its quarters (QĐ 366 rates by year and by quarter)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    # The year is stored as the empty code, so every row written before quarters existed is a yearly rating and
    # an import's blank `period` cell means the year.
    YEAR = "", _("Cả năm")
    Q1 = "Q1", _("Quý I")
    Q2 = "Q2", _("Quý II")
    Q3 = "Q3", _("Quý III")
    Q4 = "Q4", _("Quý IV")


QUARTERS = (Period.Q1, Period.Q2, Period.Q3, Period.Q4)


def period_field() -> models.CharField:
    """The period of a rating, a score or a summary: blank for the year, Q1–Q4 for a quarter."""
    return models.CharField(_("kỳ đánh giá"), max_length=2, choices=Period.choices, blank=True, default=Period.YEAR)


def year_and_period_code(year: int, period: str) -> str:
    """A year with its quarter's code after a space ("2026", "2026 Q1"): how a rating or summary row names its period
    in the admin (pages and documents write period_label's "Quý I/2026")."""
    return f"{year} {period}" if period else str(year)


def period_parse(value: str | None) -> str | None:
    """The period code a URL or command gives: nothing for the year, Q1–Q4 in any case; None when it is neither."""
    code = (value or "").strip().upper()
    return code if code in Period.values else None
