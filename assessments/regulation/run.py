"""Every check in force for a year over a subtree, each unit judged at its stored level, with the overrides a
competent body recorded: what check_ratings prints and the officers' page shows."""

from django.utils.translation import gettext as _

from assessments.common.vocabulary import levels_of
from assessments.cycle.regulation import CheckResult, excellent_cap_checks, unit_own_checks
from assessments.models import GRASSROOTS_KINDS, Kind, Organization, RatingScheme, Rule
from assessments.regulation import leaders as leader_rules
from assessments.regulation import members as member_rules
from assessments.regulation import units as unit_rules
from assessments.regulation.facts import facts_load
from assessments.regulation.overrides import overrides_apply
from assessments.regulation.switches import rules_in_place

RATED_KINDS = (*GRASSROOTS_KINDS, Kind.SUBCOMMITTEE, Kind.CELL)


def subtree_checks(*, organization: Organization, year: int) -> list[CheckResult]:
    """The results of every rule binding in the year (the period's rules with the committees' settings) on the
    organization and every unit under it that existed on 31 December: each unit's own rules at its stored level, the
    member cap of each grassroots organization, the unit cap of each committee's groups, the members' rules once and
    the leadership rules on the collectives and leaders of the subtree; overridden results marked with their reason.
    The year's facts of the subtree are loaded once (regulation.facts), then every unit is judged in Python."""
    scheme = RatingScheme.for_year(year)
    place = rules_in_place(year=year, roots=[organization])
    in_force = place.anywhere()
    if scheme is None or not in_force:
        return []
    levels = levels_of(scheme)
    facts = facts_load(roots=[organization], year=year)
    units = [unit for unit in facts.units.values() if unit.kind in RATED_KINDS]
    results: list[CheckResult] = []
    for unit in units:
        results += unit_own_checks(
            organization=unit, facts=facts, levels=levels, level=facts.level_of(unit), in_force=in_force
        )
    grassroots = [unit for unit in units if unit.kind in GRASSROOTS_KINDS]
    if Rule.MEMBER_CAP_20 in in_force:
        results += excellent_cap_checks(
            organizations=grassroots, year=year, scheme=scheme, rule=in_force[Rule.MEMBER_CAP_20]
        ).values()
    if Rule.UNIT_CAP_20 in in_force:
        for committee in facts.units.values():
            children = facts.children_of(committee)
            stored = {child.pk: getattr(facts.ratings.get(child.pk), "level_id", None) for child in children}
            results += unit_rules.unit_cap_judge(
                rule=in_force[Rule.UNIT_CAP_20], committee=committee, units=children, stored=stored, levels=levels
            ).values()
    results += member_rules.member_checks(organizations=[organization], year=year, levels=levels, rules=in_force)
    results += leader_rules.subtree_leadership_checks(
        organization=organization, year=year, levels=levels, in_force=in_force
    )
    return overrides_apply(place.where_binding(results), year)


def reported(results: list[CheckResult]) -> list[CheckResult]:
    """The results worth a line: failed, or overridden by a competent body."""
    return [result for result in results if result.failed or result.overridden]


def as_json(result: CheckResult, year: int) -> dict:
    """One result as check_ratings --format json writes it."""
    return {
        "organization": result.organization.code,
        "year": year,
        "rule": str(result.code),
        "source": result.source,
        "overridden": result.overridden,
        "reason": result.reason,
        "numbers": result.numbers,
        "message": result.message,
    }


def as_line(result: CheckResult, year: int) -> str:
    """One result as check_ratings writes it in text: ORGCODE YEAR RULE: message."""
    message = result.message
    if result.overridden:
        message += " " + _("[Đã quyết định vượt kiểm tra: %(reason)s]") % {"reason": result.reason}
    return f"{result.organization.code} {year} {result.code}: {message}"
