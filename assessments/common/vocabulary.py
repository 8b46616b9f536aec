"""The counting vocabulary: a scheme's levels (top, lowest, good or better), shares with their denominators,
percentages and their text, "exists on 31 December", and level labels in the active language."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, numberformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

UNIT, MEMBER = "unit", "member"  # the values of models.Subject, without importing the models package here

__all__ = [
    "Level",
    "Levels",
    "Share",
    "band_bounds",
    "band_counts",
    "band_of",
    "band_text",
    "english",
    "exists_in_year",
    "level_label",
    "level_rows",
    "levels_of",
    "number_text",
    "percent",
    "percent_text",
    "points_text",
    "scheme_for_year",
    "scheme_title",
    "score_summary",
    "score_text",
    "year_end",
]


# --- labels in the active language ----------------------------------------------------------------------------


def english() -> bool:
    """True when the active language is English (level labels have an English name beside the Vietnamese one)."""
    return (get_language() or "vi").startswith("en")


def level_label(label_vi: str | None, label_en: str | None) -> str:
    """A level's name in the active language: English when active and known, else Vietnamese ("" for no level)."""
    if english() and label_en:
        return label_en
    return label_vi or ""


# --- "exists on 31 December" -------------------------------------------------------------------------------------


def year_end(year: int) -> datetime.date:
    """A unit counts in year Y when it exists on 31 December of Y."""
    return datetime.date(year, 12, 31)


def exists_in_year(valid_from: datetime.date | None, valid_to: datetime.date | None, year: int) -> bool:
    """A unit counts in year Y when it exists on 31 December of Y (OrganizationQuerySet.for_year in SQL)."""
    day = year_end(year)
    return (valid_from is None or valid_from <= day) and (valid_to is None or valid_to >= day)


# --- shares and percentages ------------------------------------------------------------------------------------


def percent(part: int, whole: int) -> float | None:
    """A percentage rounded to one decimal, or None when the denominator is zero."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)


@dataclass(frozen=True)
class Share:
    """A count over a stated denominator; the ratio is None when the denominator is zero."""

    count: int
    denominator: int

    @property
    def ratio(self) -> float | None:
        return self.count / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        return percent(self.count, self.denominator)

    @property
    def text(self) -> str:
        return percent_text(self)


def number_text(value: int | float | None, digits: int = 0) -> str:
    """A number in the active language's format, grouped by thousands ("2.824", "60,0" in Vietnamese)."""
    if value is None:
        return "—"
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=digits,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def percent_text(share: "Share | float | None") -> str:
    """A share as a percentage with one decimal ("60,0%"), or a dash when its denominator is zero."""
    value = share.percent if isinstance(share, Share) else share
    return "—" if value is None else f"{number_text(value, 1)}%"


def points_text(value: float | None) -> str:
    """A difference in percentage points with its sign ("+5,5", "−47,3", "0,0")."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{number_text(abs(value), 1)}"


# --- the levels of a scheme ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One level of a scheme for units or members, with its label in the language active when it was loaded."""

    code: str
    label: str
    rank: int
    is_top: bool
    is_good_or_better: bool
    is_lowest: bool = False
    pk: int | None = None
    subject: str = UNIT
    min_score: Decimal | None = None  # a scored scheme's band starts here (inclusive); None: no lower bound


@dataclass(frozen=True)
class Levels:
    """A scheme's unit and member levels, best first, and each subject's levels by primary key."""

    units: list[Level] = field(default_factory=list)
    members: list[Level] = field(default_factory=list)
    unit_pks: dict[int, Level] = field(default_factory=dict)
    member_pks: dict[int, Level] = field(default_factory=dict)

    def of(self, subject: str) -> list[Level]:
        return self.units if subject == UNIT else self.members

    def top(self, subject: str) -> list[Level]:
        return [lv for lv in self.of(subject) if lv.is_top]

    def good_or_better(self, subject: str) -> list[Level]:
        return [lv for lv in self.of(subject) if lv.is_good_or_better]

    def lowest(self, subject: str) -> list[Level]:
        return [lv for lv in self.of(subject) if lv.is_lowest]

    def cap_base(self, subject: str) -> list[Level]:
        """The levels the top level is capped against: good or better but not top ("good" in every scheme so far)."""
        return [lv for lv in self.of(subject) if lv.is_good_or_better and not lv.is_top]

    def codes(self, subject: str) -> list[str]:
        return [lv.code for lv in self.of(subject)]


def level_of(row) -> Level:
    """A vocabulary Level from a RatingLevel row."""
    return Level(
        code=row.code,
        label=level_label(row.label_vi, row.label_en),
        rank=row.rank,
        is_top=row.is_top,
        is_good_or_better=row.is_good_or_better,
        is_lowest=row.is_lowest,
        pk=row.pk,
        subject=row.subject,
        min_score=row.min_score,
    )


def level_rows(scheme, subject: str | None = None):
    """The RatingLevel rows of a scheme (of one subject, or both), best first: the one query every level list uses."""
    from assessments.models import RatingLevel

    if scheme is None:
        return RatingLevel.objects.none()
    rows = RatingLevel.objects.filter(scheme=scheme)
    return rows.filter(subject=subject).order_by("rank") if subject else rows.order_by("subject", "rank")


def levels_of(scheme) -> Levels:
    """The levels of a scheme, best first, for units and for members (one query; none for no scheme)."""
    levels = Levels()
    if scheme is None:
        return levels
    for row in level_rows(scheme):
        level = level_of(row)
        if row.subject == UNIT:
            levels.units.append(level)
            levels.unit_pks[row.pk] = level
        else:
            levels.members.append(level)
            levels.member_pks[row.pk] = level
    return levels


def scheme_for_year(year: int):
    """The rating scheme in force for a year (RatingScheme.for_year), or None."""
    from assessments.models import RatingScheme

    return RatingScheme.for_year(year)


def scheme_title(scheme) -> str:
    """A scheme as people cite it ("Quy định 132-QĐ/TW"): its document's name without the date; never its code."""
    if scheme is None:
        return ""
    return scheme.name.split(" ngày ")[0].strip() or scheme.name


# --- score bands (a scored scheme: a level's band runs from its min_score up to the next better level's) ----------


def score_text(value: Decimal | float | None) -> str:
    """A score in the active language's format, without trailing zeros ("85,5", "90", "72,25")."""
    if value is None:
        return "—"
    value = Decimal(str(value))
    digits = next(n for n in (0, 1, 2) if value == round(value, n) or n == 2)
    return number_text(value, digits)


def band_bounds(levels: list, level) -> tuple[Decimal | None, Decimal | None]:
    """A level's band as (from, up to but excluding); None for an open end. `levels` best first, with min_score."""
    better = [lv.min_score for lv in levels if lv.rank < level.rank and lv.min_score is not None]
    return level.min_score, (min(better) if better else None)


def band_of(levels: list, score: Decimal):
    """The level whose band holds a score: the best level whose min_score the score reaches (None: no band)."""
    return next((lv for lv in levels if lv.min_score is None or score >= lv.min_score), None)


def band_text(levels: list, level) -> str:
    """A level's band in words: "70 đến dưới 90", "từ 90", "dưới 50"."""
    low, high = band_bounds(levels, level)
    if low is not None and high is not None:
        return _("%(low)s đến dưới %(high)s") % {"low": score_text(low), "high": score_text(high)}
    if low is not None:
        return _("từ %(low)s") % {"low": score_text(low)}
    if high is not None:
        return _("dưới %(high)s") % {"high": score_text(high)}
    return _("mọi mức điểm")


def band_counts(levels: list, counts: dict[str, int]) -> list[tuple]:
    """Each level of a scored scheme with its band's text and the number of scores in it (`counts` by level code)."""
    return [(lv, band_text(levels, lv), counts.get(lv.code, 0)) for lv in levels]


def score_summary(count: int, total, low, high) -> dict:
    """The summary JSON's score figures: how many rated rows have a score, their mean (two decimals), min and max."""
    if not count:
        return {"count": 0, "mean": None, "min": None, "max": None}
    mean = (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"count": count, "mean": float(mean), "min": float(low), "max": float(high)}
