"""The rules in force in a year: the enabled rows of the guidance period covering it, with their source and numbers;
and the not-rated reasons' labels with the period's months."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.models import GuidancePeriod, NotRatedReason, PeriodRule, Rule


@dataclass(frozen=True)
class RuleInForce:
    """One rule binding in a year: its identifier, where it is written, and its parameters."""

    rule: str
    source: str
    period: str
    parameters: dict = field(default_factory=dict)

    def __getitem__(self, name: str):
        return self.parameters.get(name)


def period_for_year(year: int) -> GuidancePeriod | None:
    """The guidance period covering a year (the latest one if a district entered overlapping periods)."""
    return GuidancePeriod.objects.for_year(year).first()


def period_rules(year: int) -> list[PeriodRule]:
    """Every rule row, on or off, of the period covering the year (one query; none outside every period).
    Overlapping periods: the one that began last wins, as for schemes."""
    rows = list(
        PeriodRule.objects.filter(period__first_year__lte=year)
        .filter(Q(period__last_year__isnull=True) | Q(period__last_year__gte=year))
        .select_related("period")
    )
    if not rows:
        return []
    latest = max(row.period.first_year for row in rows)
    return [row for row in rows if row.period.first_year == latest]


def rule_of(row: PeriodRule) -> RuleInForce:
    return RuleInForce(rule=row.rule, source=row.source, period=row.period.code, parameters=dict(row.parameters))


def rules_in_force(year: int) -> dict[str, RuleInForce]:
    """Every rule the period covering the year switches on by default, by identifier (one query)."""
    return {row.rule: rule_of(row) for row in period_rules(year) if row.enabled}


def rule_in_force(rule: str, year: int) -> RuleInForce | None:
    """One rule if it binds in the year, else None."""
    return rules_in_force(year).get(rule)


# The reasons whose label carries the months of a period rule (the stored code stays the same whatever the months).
_REASON_RULES = {
    NotRatedReason.ADMITTED_RECENTLY: Rule.ADMITTED_RECENTLY,
    NotRatedReason.FOUNDED_RECENTLY: Rule.FOUNDED_RECENTLY,
}


def not_rated_reason_label(code: str, months: int | None = None) -> str:
    """A not-rated reason's label, "Vào Đảng chưa đủ N tháng" / "Thành lập chưa đủ N tháng" with the period's months
    when known (the stored label, which says 6, otherwise); "" for no reason."""
    if not code:
        return ""
    if isinstance(months, int) and code == NotRatedReason.ADMITTED_RECENTLY:
        return _("Vào Đảng chưa đủ %(months)s tháng") % {"months": months}
    if isinstance(months, int) and code == NotRatedReason.FOUNDED_RECENTLY:
        return _("Thành lập chưa đủ %(months)s tháng") % {"months": months}
    return str(NotRatedReason(code).label)


def not_rated_reason_labels(year: int | None) -> dict[str, str]:
    """Every not-rated reason's label by code for a year, with the months of the period covering it (its row, on or
    off; the stored labels when no year is known or no row gives months); one query when a year is given."""
    months = {row.rule: row.parameters.get("months") for row in period_rules(year)} if year is not None else {}
    return {code: not_rated_reason_label(code, months.get(_REASON_RULES.get(code))) for code in NotRatedReason.values}
