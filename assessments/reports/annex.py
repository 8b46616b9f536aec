"""The report's annex: one row per directly subordinate unit existing on 31 December, with its decided and
self-proposed level, exemplary, and its members by level (counted with the report's members, see
build._member_rows), and in a scored year its score (issue 15)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from assessments.common.text import sort_key
from assessments.common.vocabulary import Level, Levels, level_label, score_text
from assessments.models import NotRatedReason, Organization, rating_of
from assessments.reports.rows import NO_RECORD, MemberRow, kind_label, reason_label


@dataclass(frozen=True)
class AnnexRow:
    """One directly subordinate unit in the annex."""

    number: int
    code: str
    name: str
    kind_label: str
    level_label: str
    self_level_label: str
    exemplary: bool
    reason_label: str
    members: MemberRow
    score: Decimal | None = None

    @property
    def score_text(self) -> str:
        """The unit's score as written in Vietnamese ("85,5"), or "" when it has none."""
        return score_text(self.score) if self.score is not None else ""

    @property
    def result_label(self) -> str:
        """The decided level, or why the unit has none, as the files write it."""
        return self.level_label or self.reason_label

    @property
    def exemplary_label(self) -> str:
        return _("Tiêu biểu") if self.exemplary else ""

    @property
    def member_counts(self) -> list[int]:
        """Members by level, best first, in the scheme's order."""
        return [cell.count for cell in self.members.cells]


def unit_annex(
    *, organization: Organization, year: int, levels: Levels, members: dict[str, MemberRow], labels: dict | None = None
) -> list[AnnexRow]:
    """The annex rows in name order (one query; `members` are the report's member counts by unit code)."""
    rows = (
        Organization.objects.for_year(year)
        .filter(parent=organization)
        .annotate(rating=rating_of("assessments", year))
        .values(
            "code",
            "name",
            "kind",
            "rating__level_id",
            "rating__level__label_vi",
            "rating__level__label_en",
            "rating__self_level__label_vi",
            "rating__self_level__label_en",
            "rating__exemplary",
            "rating__not_rated_reason",
            "rating__score",
        )
    )
    ordered = sorted(rows, key=lambda row: (sort_key(row["name"]), row["code"]))
    member_levels: list[Level] = levels.members
    out = []
    for number, row in enumerate(ordered, start=1):
        rated = row["rating__level_id"] is not None and row["rating__level_id"] in levels.unit_pks
        reason = row["rating__not_rated_reason"]
        out.append(
            AnnexRow(
                number=number,
                code=row["code"],
                name=row["name"],
                kind_label=kind_label(row["kind"]),
                level_label=level_label(row["rating__level__label_vi"], row["rating__level__label_en"])
                if rated
                else "",
                self_level_label=level_label(row["rating__self_level__label_vi"], row["rating__self_level__label_en"]),
                exemplary=bool(rated and row["rating__exemplary"]),
                reason_label=""
                if rated
                else reason_label(NO_RECORD if reason is None else reason or NotRatedReason.OTHER, labels),
                members=members.get(row["code"]) or MemberRow(f"unit:{row['code']}", row["code"], member_levels),
                score=row["rating__score"] if rated else None,
            )
        )
    return out
