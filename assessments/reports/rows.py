"""What the yearly results report holds: rows of units and members by group, shares with their denominators,
the comparison with the year before, the trend and the listed units."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.common.vocabulary import Level, Share, points_text
from assessments.models import Kind, NotRatedReason, Organization, RatingScheme, RatingWord, Subject

NO_RECORD = "no_record"
NO_RECORD_LABEL = gettext_lazy("Chưa có kết quả xếp loại")
NO_SECTOR = "none"
# Members who are on the rolls but not assessed at all (không đánh giá), as opposed to not yet rated.
NOT_ASSESSED = (NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED)
TREND_YEARS = 10


class ReportError(ValueError):
    """The report cannot be made (no rating scheme for the year, organization absent that year)."""


@dataclass(frozen=True)
class LevelCell:
    level: Level
    count: int
    of_total: Share
    of_rated: Share


@dataclass
class _ByLevel:
    """What unit and member rows share: a group (its key and label) counted per level and per reason for no level,
    the count of the levels a test picks, and the top and good-or-better shares over the row's `share_base` (all
    units; rated members)."""

    key: str
    label: str
    levels: list[Level]
    total: int = 0
    rated: int = 0
    by_level: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)

    @property
    def top(self) -> Share:
        return Share(self.count_of(lambda lv: lv.is_top), self.share_base)

    @property
    def good_or_better(self) -> Share:
        return Share(self.count_of(lambda lv: lv.is_good_or_better), self.share_base)

    @property
    def cells(self) -> list[LevelCell]:
        return [
            LevelCell(
                level,
                self.by_level[level.code],
                Share(self.by_level[level.code], self.total),
                Share(self.by_level[level.code], self.rated),
            )
            for level in self.levels
        ]

    def count_of(self, picked) -> int:
        return sum(self.by_level[lv.code] for lv in self.levels if picked(lv))


@dataclass
class UnitRow(_ByLevel):
    """Units of one group (a kind, a sector, or all): totals, counts per level and percentages."""

    exemplary: int = 0

    @property
    def not_rated(self) -> int:
        return self.total - self.rated

    @property
    def share_base(self) -> int:
        """A unit share is over all units (the published "33/55" denominator)."""
        return self.total

    def add(self, *, n: int, level: Level | None, exemplary: bool, reason: str) -> None:
        self.total += n
        if level is None:
            self.reasons[reason or NO_RECORD] += n
            return
        self.rated += n
        self.by_level[level.code] += n
        if exemplary:
            self.exemplary += n


@dataclass
class MemberRow(_ByLevel):
    """Members on the rolls on 31 December of one group (a sector, or all): rated, not assessed (exempt,
    suspended), not yet rated and no result yet (a member on the rolls with no rating row, under NO_RECORD in
    `reasons`); percentages of levels are of rated members."""

    @property
    def exempt(self) -> int:
        return self.reasons[NotRatedReason.EXEMPT]

    @property
    def not_rated_other(self) -> int:
        """Not rated for a reason other than exemption (suspended, admitted recently, other, no result yet)."""
        return self.total - self.rated - self.exempt

    @property
    def not_assessed(self) -> int:
        """Not assessed at all (không đánh giá): exempt from party work, or suspended."""
        return sum(self.reasons[code] for code in NOT_ASSESSED)

    @property
    def no_result(self) -> int:
        """On the rolls on 31 December with no rating row that year (chưa có kết quả)."""
        return self.reasons[NO_RECORD]

    @property
    def not_yet_rated(self) -> int:
        """Assessed but not yet rated (chưa xếp loại): admitted less than six months before, or another reason."""
        return self.total - self.rated - self.not_assessed - self.no_result

    @property
    def rated_of_total(self) -> Share:
        """Rated members over the members on the rolls."""
        return Share(self.rated, self.total)

    @property
    def share_base(self) -> int:
        """A member share is over the rated members."""
        return self.rated

    @property
    def excellent_of_good(self) -> Share:
        """Members at the top level as a share of those good or better but not top: the cap's own count."""
        top = self.count_of(lambda lv: lv.is_top)
        base = self.count_of(lambda lv: lv.is_good_or_better and not lv.is_top)
        return Share(top, base)


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ListedUnit:
    code: str
    name: str
    kind: str
    kind_label: str
    parent_name: str
    level_label: str
    reason_label: str


@dataclass(frozen=True)
class ComparisonLine:
    """One headline figure in two years; the levels compared are named because the schemes may differ."""

    subject: str
    measure: str
    label: str
    previous_levels: list[Level]
    current_levels: list[Level]
    previous: Share
    current: Share
    # False for the top level across a scheme change: two regulations' top levels are not the same measure, so
    # their shares are shown side by side and never subtracted.
    comparable: bool = True

    @property
    def difference_points(self) -> float | None:
        if not self.comparable or self.previous.percent is None or self.current.percent is None:
            return None
        return round(self.current.percent - self.previous.percent, 1)

    @property
    def difference_text(self) -> str:
        """The difference in points, or why there is none."""
        if not self.comparable:
            return _("không so sánh (khác quy định)")
        return points_text(self.difference_points)

    @property
    def previous_level_labels(self) -> str:
        return ", ".join(lv.label for lv in self.previous_levels)

    @property
    def current_level_labels(self) -> str:
        return ", ".join(lv.label for lv in self.current_levels)


@dataclass(frozen=True)
class Comparison:
    previous_year: int
    previous_scheme: RatingScheme
    current_scheme: RatingScheme
    lines: list[ComparisonLine]

    @property
    def schemes_differ(self) -> bool:
        return self.previous_scheme.pk != self.current_scheme.pk

    @property
    def note(self) -> str:
        if not self.schemes_differ:
            return _("Hai năm cùng áp dụng %(scheme)s; so sánh theo cùng mức xếp loại.") % {
                "scheme": self.current_scheme.name
            }
        top = next((line for line in self.lines if line.measure == "top" and line.subject == Subject.UNIT), None)
        text = _(
            "Quy định xếp loại khác nhau: năm %(prev)s theo %(prev_scheme)s, năm %(cur)s theo %(cur_scheme)s. "
            "Các mức được so sánh theo thứ bậc: mức cao nhất với mức cao nhất, “tốt trở lên” là hai mức đầu của "
            "mỗi quy định."
        ) % {
            "prev": self.previous_year,
            "prev_scheme": self.previous_scheme.name,
            "cur": self.previous_year + 1,
            "cur_scheme": self.current_scheme.name,
        }
        if top is not None:
            text += " " + _("Tổ chức đảng: “%(prev_level)s” năm %(prev)s so với “%(cur_level)s” năm %(cur)s.") % {
                "prev_level": top.previous_level_labels,
                "prev": self.previous_year,
                "cur_level": top.current_level_labels,
                "cur": self.previous_year + 1,
            }
        text += " " + _(
            "Mức cao nhất của hai quy định có tiêu chuẩn khác nhau nên không tính chênh lệch giữa hai năm; chỉ "
            "chỉ tiêu “tốt trở lên” được so sánh."
        )
        return text


@dataclass(frozen=True)
class TrendPoint:
    year: int
    scheme_code: str
    units_top: Share
    units_good_or_better: Share
    members_top: Share
    members_good_or_better: Share


@dataclass
class Report:
    """Everything the page, the spreadsheet and the PDF show, computed with a fixed number of queries."""

    organization: Organization
    year: int
    scheme: RatingScheme
    unit_levels: list[Level]
    member_levels: list[Level]
    units_by_kind: list[UnitRow]
    units_by_sector: list[UnitRow]
    units_total: UnitRow
    cells_by_sector: list[UnitRow]
    cells_total: UnitRow
    members_by_sector: list[MemberRow]
    members_total: MemberRow
    weak_units: list[ListedUnit]
    not_rated_units: list[ListedUnit]
    comparison: Comparison | None
    trend: list[TrendPoint]
    generated_on: datetime.date
    # The word of the guidance period covering the year (GuidancePeriod.rating_word: HD 27 "phân loại", later
    # "xếp loại"), read from data.
    rating_word_code: str = RatingWord.RANKING
    # One row per directly subordinate unit (reports.annex.AnnexRow): its levels, exemplary, its members by level.
    unit_annex: list = field(default_factory=list)
    # Issue 15, a scored year: units and members by the band their score falls in (selectors.score_bands).
    score_bands: dict | None = None
    # The not-rated reasons' labels with the year's months (regulation.periods.not_rated_reason_labels).
    reason_labels: dict | None = None
    # Issue 16: the subtree's leadership collectives and leaders by level, from the stored summary
    # (selectors.leadership_table; [] when it has none).
    leadership: list = field(default_factory=list)

    @property
    def leadership_rated(self) -> list:
        """The leadership table for the files (XLSX, DOCX): only in a year where some collective or leader was rated,
        so that the files of the years before leadership ratings stay as they were."""
        return self.leadership if any(row.rated for row in self.leadership) else []

    @property
    def trend_note(self) -> str:
        """Why the top-level lines of the trend stop at a scheme change ("" when the trend has none)."""
        codes = [p.scheme_code for p in self.trend]
        if all(code == codes[0] for code in codes):
            return ""
        return _(
            "Đường mức cao nhất ngắt khi đổi quy định: mức cao nhất của hai quy định có tiêu chuẩn khác nhau, không "
            "so sánh được; đường “tốt trở lên” được nối liền."
        )

    @property
    def rating_word(self) -> str:
        """The period's word in the active language: "phân loại" in the years of Hướng dẫn 27, "xếp loại" after."""
        return str(RatingWord(self.rating_word_code).label)

    @property
    def unit_table_columns(self) -> int:
        """Columns of a unit table: label, total, rated, not rated, three per level, exemplary."""
        return 5 + 3 * len(self.unit_levels)

    @property
    def unit_sections(self) -> list[tuple[str, list[UnitRow]]]:
        return [(_("Theo loại tổ chức"), self.units_by_kind), (_("Theo loại hình"), self.units_by_sector)]

    @property
    def cell_sections(self) -> list[tuple[str, list[UnitRow]]]:
        return [(_("Theo loại hình"), self.cells_by_sector)]

    @property
    def unit_reasons(self) -> list[Reason]:
        return reasons_list(self.units_total.reasons, self.reason_labels)

    @property
    def cell_reasons(self) -> list[Reason]:
        return reasons_list(self.cells_total.reasons, self.reason_labels)

    @property
    def member_reasons(self) -> list[Reason]:
        return reasons_list(self.members_total.reasons, self.reason_labels)

    @property
    def top_unit_level(self) -> Level | None:
        return next((lv for lv in self.unit_levels if lv.is_top), None)

    @property
    def top_member_level(self) -> Level | None:
        return next((lv for lv in self.member_levels if lv.is_top), None)

    @property
    def weak_level(self) -> Level | None:
        """The lowest unit level of the scheme (yếu kém before 2018, không hoàn thành nhiệm vụ after)."""
        return next((lv for lv in self.unit_levels if lv.is_lowest), None)


def kind_label(kind: str) -> str:
    """An organization kind's label; a code that is no kind stays as it is."""
    try:
        return str(Kind(kind).label)
    except ValueError:
        return kind


def reason_label(code: str, labels: dict | None = None) -> str:
    """A not-rated reason's label: from the year's labels when given (the period's months), else the stored one."""
    if code == NO_RECORD:
        return str(NO_RECORD_LABEL)
    if labels and code in labels:
        return labels[code]
    try:
        return str(NotRatedReason(code).label)
    except ValueError:
        return code


def reasons_list(counter: Counter, labels: dict | None = None) -> list[Reason]:
    """Not-rated reasons with their counts, in a fixed order (no record first)."""
    order = [NO_RECORD, *NotRatedReason.values]
    codes = sorted(counter, key=lambda c: order.index(c) if c in order else len(order))
    return [Reason(code, reason_label(code, labels), counter[code]) for code in codes if counter[code]]


def leadership_lines(row) -> list[tuple[str, int, Share | None]]:
    """One line of the leadership table (selectors.LeadershipRow) as the files' rows: the total, the rated, each level
    with its share of the rated, then the not rated."""
    return [
        (_("Tổng số"), row.total, None),
        (_("Đã xếp loại"), row.rated, None),
        *((level.label, count, Share(count, row.rated)) for level, count, _percent in row.cells),
        (_("Chưa xếp loại"), row.not_rated, None),
    ]
