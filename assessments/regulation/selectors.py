"""Reads of the regulation's records used by the pages: discipline decisions and overrides within a subtree, which
rules of a period bind at a committee with the settings that decide it, and the names of the units above the checked
ones."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from assessments.models import Discipline, GuidancePeriod, Organization, PeriodRule, RuleOverride, RuleSetting
from assessments.regulation.switches import ancestor_paths

SETTING_HISTORY_SHOWN = 30

UNIT_DISCIPLINES_SHOWN = 20


def disciplines_in_subtree(*, organization: Organization, limit: int = UNIT_DISCIPLINES_SHOWN) -> QuerySet:
    """The latest decisions against the unit, the units under it and their members (one query)."""
    return (
        Discipline.objects.filter(
            Q(organization__path__startswith=organization.path)
            | Q(member__organization__path__startswith=organization.path)
        )
        .select_related("member", "organization")
        .order_by("-decided_on", "-pk")[:limit]
    )


def parent_names(*, organizations, root: Organization) -> dict[int, str]:
    """The name of each unit's parent, by unit id, for the units not directly under the root (one query at most):
    "Chi bộ thôn 1" needs its commune to be told apart on a district's page."""
    wanted = {
        org.parent_id for org in organizations if org.parent_id and org.pk != root.pk and org.parent_id != root.pk
    }
    if not wanted:
        return {}
    names = dict(Organization.objects.filter(pk__in=wanted).values_list("pk", "name"))
    return {org.pk: names[org.parent_id] for org in organizations if org.parent_id in names}


def overrides_in_subtree(*, organization: Organization, year: int) -> QuerySet:
    """The overrides of a year recorded in a subtree, with who decided (one query): listed in the results report."""
    return (
        RuleOverride.objects.filter(year=year, organization__path__startswith=organization.path)
        .select_related("organization", "member", "collective", "decided_by")
        .order_by("organization__path", "rule", "member__name_folded", "collective__code", "group", "pk")
    )


@dataclass
class RuleAtUnit:
    """One rule of a period as it stands at a unit: the period's default, the unit's own setting, the nearest one
    above it, and what binds."""

    period_rule: PeriodRule
    here: RuleSetting | None
    above: RuleSetting | None

    @property
    def binding(self) -> bool:
        decided = self.here or self.above
        return decided.enabled if decided is not None else self.period_rule.enabled


def rules_at_unit(*, organization: Organization, period: GuidancePeriod) -> list[RuleAtUnit]:
    """Every rule of the period with the settings of the unit and of the units above it (two queries)."""
    rows = list(PeriodRule.objects.filter(period=period).select_related("period").order_by("rule"))
    paths = ancestor_paths(organization.path)
    settings = RuleSetting.objects.filter(period_rule__in=rows, organization__path__in=paths).select_related(
        "organization", "set_by"
    )
    found: dict[int, list[RuleSetting]] = {}
    for setting in settings:
        found.setdefault(setting.period_rule_id, []).append(setting)
    result = []
    for row in rows:
        nearest = sorted(found.get(row.pk, []), key=lambda s: -len(s.organization.path))
        here = next((s for s in nearest if s.organization_id == organization.pk), None)
        above = next((s for s in nearest if s.organization_id != organization.pk), None)
        result.append(RuleAtUnit(period_rule=row, here=here, above=above))
    return result


def setting_history(*, organization: Organization, period: GuidancePeriod) -> QuerySet:
    """The latest changes of the unit's settings for the period's rules, with who (one query)."""
    return (
        RuleSetting.history.filter(organization_id=organization.pk, period_rule__period=period)
        .select_related("history_user", "period_rule")
        .order_by("-history_date", "-history_id")[:SETTING_HISTORY_SHOWN]
    )
