"""Which rules bind at a unit: the period's default, switched on or off for a subtree by the nearest committee's
setting up the tree (RuleSetting). Read set-based: one query (a union) for the period's rules and the settings of every
ancestor of the units asked about and of every unit under them, then answered in Python per unit."""

from dataclasses import dataclass, field

from django.db.models import CharField, F, Q, Value

from assessments.models import Organization, PeriodRule, RuleSetting
from assessments.regulation.periods import RuleInForce


def ancestor_paths(path: str) -> list[str]:
    """The paths of a unit and of every unit above it, nearest first ("LS/BS/X/", "LS/BS/", "LS/")."""
    parts = path.strip("/").split("/")
    return ["".join(f"{part}/" for part in parts[:n]) for n in range(len(parts), 0, -1)]


@dataclass
class RulesInPlace:
    """The year's rules with the committees' switches: `at` a unit, or `anywhere` under the units asked about."""

    every: dict[str, RuleInForce] = field(default_factory=dict)
    defaults: set[str] = field(default_factory=set)
    switches: dict[str, dict[str, bool]] = field(default_factory=dict)

    def applies(self, rule: str, organization: Organization) -> bool:
        """Whether the rule binds at the unit: the nearest setting up the tree, else the period's default."""
        if rule not in self.every:
            return False
        for path in ancestor_paths(organization.path):
            switched = self.switches.get(path, {})
            if rule in switched:
                return switched[rule]
        return rule in self.defaults

    def at(self, organization: Organization) -> dict[str, RuleInForce]:
        return {code: rule for code, rule in self.every.items() if self.applies(code, organization)}

    def anywhere(self) -> dict[str, RuleInForce]:
        """The rules that bind at one unit at least: the checks are run for these, then kept where they bind."""
        switched_on = {rule for switched in self.switches.values() for rule, on in switched.items() if on}
        return {code: rule for code, rule in self.every.items() if code in self.defaults | switched_on}

    def where_binding(self, results: list) -> list:
        """The results of the rules that bind at their unit."""
        return [result for result in results if self.applies(str(result.code), result.organization)]


def rules_in_place(*, year: int, roots: list[Organization]) -> RulesInPlace:
    """The year's rules with the settings above and under the roots, in one query: the period's rule rows and,
    after them (a union), those settings, each with the path of the unit that set it ("" for the period's row)."""
    covering = Q(period__first_year__lte=year) & (Q(period__last_year__isnull=True) | Q(period__last_year__gte=year))
    columns = ["rule", "enabled", "source", "parameters", "period__code", "period__first_year", "where"]
    rows = (
        PeriodRule.objects.filter(covering)
        .order_by()
        .annotate(where=Value("", output_field=CharField()))
        .values_list(*columns)
    )
    if roots:
        where = Q(organization__path__in=sorted({path for root in roots for path in ancestor_paths(root.path)}))
        for root in roots:
            where |= Q(organization__path__startswith=root.path)
        settings = (
            RuleSetting.objects.filter(where, period_rule__in=PeriodRule.objects.filter(covering).values("pk"))
            .order_by()
            .annotate(where=F("organization__path"))
            .values_list(
                *[f"period_rule__{name}" for name in columns[:1]],
                "enabled",
                *[f"period_rule__{name}" for name in columns[2:6]],
                "where",
            )
        )
        rows = rows.union(settings, all=True)
    rows = list(rows)
    latest = max((first_year for *_, first_year, where in rows if not where), default=None)
    place = RulesInPlace()
    for rule, enabled, source, parameters, period, first_year, where in rows:
        if first_year != latest:
            continue
        if where:
            place.switches.setdefault(where, {})[rule] = enabled
            continue
        place.every[rule] = RuleInForce(rule=rule, source=source, period=period, parameters=dict(parameters or {}))
        if enabled:
            place.defaults.add(rule)
    return place
