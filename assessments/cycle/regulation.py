"""Regulation checks of a unit's submission: the cap on members at the top level and the weak-unit shares of
committees and cells (Hướng dẫn 27) here, the other rules of the period from assessments.regulation; every rule's
numbers and switch come from the period's rows (assessments.regulation.periods), the levels' facts from the scheme."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from assessments.common.vocabulary import MEMBER, UNIT, Level, level_label, levels_of, percent_text
from assessments.common.vocabulary import Share as _Share
from assessments.models import Kind, MemberAssessment, Organization, RatingLevel, RatingScheme, Rule
from assessments.regulation.facts import SubtreeFacts, facts_load
from assessments.regulation.periods import RuleInForce, rule_in_force


@dataclass
class CheckResult:
    """One regulation check on one unit: the rule's identifier (code) and source, whether it passed, and the numbers
    behind it for display; overridden when the competent body kept the level anyway, with its reason."""

    code: str
    title: str
    organization: Organization
    passed: bool
    message: str
    numbers: dict = field(default_factory=dict)
    source: str = ""
    overridden: bool = False
    reason: str = ""
    # The one subject a rule judged within the unit, as RuleOverride's fields (member_id and collective_id for a
    # leader, collective_id for a collective, group for a group a cap counts apart): an override covers it alone.
    subject: dict = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return not self.passed and not self.overridden


def _percent(part: int, whole: int) -> str:
    return percent_text(_Share(part, whole))


def _words(labels: Iterable[str]) -> str:
    """Level names inside a sentence: "hoàn thành tốt nhiệm vụ" (the labels are written capitalized)."""
    return ", ".join(label[:1].lower() + label[1:] for label in sorted(labels))


def _labels(levels: list[Level]) -> str:
    return _words(level.label for level in levels)


def _names(levels: list[Level]) -> str:
    """Level names as a level is named on its own: "Yếu kém"."""
    return ", ".join(level.label for level in levels)


def cap_applies(scheme: RatingScheme | None, year: int) -> bool:
    """Whether the cap on members at the top level (member_cap_20) binds in this year under a scheme."""
    return scheme is not None and rule_in_force(Rule.MEMBER_CAP_20, year) is not None


def _above_lowest(level: RatingLevel | None) -> bool:
    """A level other than the lowest of its scheme (None: no level chosen yet, nothing to refuse)."""
    return level is not None and not level.is_lowest


def excellent_cap_checks(
    *, organizations: Iterable[Organization], year: int, scheme: RatingScheme | None, rule: RuleInForce | None = None
) -> dict[int, CheckResult]:
    """member_cap_20: members at the top level within each grassroots organization must not exceed the period's
    share (20%) of those at the level below it ("good")."""
    organizations = list(organizations)
    rule = rule or rule_in_force(Rule.MEMBER_CAP_20, year)
    if not organizations or scheme is None or rule is None:
        return {}
    cap = rule["percent"]
    condition = Q()
    for org in organizations:
        condition |= Q(organization__path__startswith=org.path)
    # The levels come with the counts (their flags and names), so that the check costs one query like the cap
    # check by level codes did; the scheme's levels are read only when no member is at one of them.
    rows = (
        MemberAssessment.objects.yearly()
        .filter(condition, year=year, level__scheme=scheme, level__subject=MEMBER)
        .filter(Q(level__is_top=True) | Q(level__is_good_or_better=True))
        .values_list("organization__path", "level__is_top", "level__code", "level__label_vi", "level__label_en")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {org.pk: {"top": 0, "base": 0} for org in organizations}
    names: dict[str, dict[str, str]] = {"top": {}, "base": {}}
    # Longest path first, so a cell is counted in its nearest grassroots organization.
    by_path = sorted(organizations, key=lambda org: -len(org.path))
    for path, is_top, code, label_vi, label_en, n in rows:
        group = "top" if is_top else "base"
        names[group][code] = level_label(label_vi, label_en)
        owner = next((org for org in by_path if path.startswith(org.path)), None)
        if owner is not None:
            counts[owner.pk][group] += n
    if not (names["top"] and names["base"]):
        levels = levels_of(scheme)
        names = {
            "top": {lv.code: lv.label for lv in levels.top(MEMBER)},
            "base": {lv.code: lv.label for lv in levels.cap_base(MEMBER)},
        }
    top_words, base_words = _words(names["top"].values()), _words(names["base"].values())
    results = {}
    for org in organizations:
        excellent, good = counts[org.pk]["top"], counts[org.pk]["base"]
        numbers = {
            "excellent": excellent,
            "good": good,
            "allowed": good * cap // 100,
            "percent": _percent(excellent, good),
        }
        words = {**numbers, "cap": cap, "top": top_words, "base": base_words}
        passed = excellent * 100 <= good * cap
        if passed:
            message = _(
                "%(excellent)s đảng viên %(top)s, %(good)s %(base)s: tối đa được %(allowed)s (%(cap)s%% của số "
                "%(base)s)."
            )
        else:
            message = _(
                "%(excellent)s đảng viên %(top)s = %(percent)s của %(good)s %(base)s, vượt mức tối đa %(cap)s%% "
                "(tối đa %(allowed)s)."
            )
        results[org.pk] = CheckResult(
            code=Rule.MEMBER_CAP_20,
            source=rule.source,
            title=_("Số %(top)s không quá %(cap)s%% số %(base)s") % words,
            organization=org,
            passed=passed,
            message=message % words,
            numbers=numbers,
        )
    return results


def _share_judge(
    *,
    code: str,
    rule: RuleInForce,
    organization: Organization,
    bad: int,
    total: int,
    level: RatingLevel | None,
    numbers: dict,
    words: dict,
    title: str,
    messages: tuple[str, str, str],
) -> CheckResult:
    """The Hướng dẫn 27 share rules: with more than 1/N (the rule's share) of `total` at the lowest level, the unit
    can only be rated at the lowest level. `messages` say it within the share, over it at the lowest level, and over
    it at `level` above the lowest."""
    over = bad * rule["share"] > total
    passed = not (over and _above_lowest(level))
    if passed:
        message = messages[1] if over else messages[0]
    else:
        numbers["level"] = level.label
        message = messages[2]
    return CheckResult(
        code=code,
        source=rule.source,
        title=title % words,
        organization=organization,
        passed=passed,
        message=message % {**numbers, **words},
        numbers=numbers,
    )


def committee_weak_judge(
    *, rule: RuleInForce, organization: Organization, facts: SubtreeFacts, levels, level: RatingLevel | None
) -> CheckResult | None:
    """hd27_weak_committee: a grassroots committee with more than 1/N of its units at the lowest level can only be
    rated at the lowest level (Hướng dẫn 27: N = 3); no query."""
    if organization.kind != Kind.GRASSROOTS_COMMITTEE:
        return None
    lowest = {lv.pk for lv in levels.lowest(UNIT)}
    children = facts.children_of(organization)
    total = len(children)
    weak = sum(1 for child in children if getattr(facts.ratings.get(child.pk), "level_id", None) in lowest)
    numbers = {"weak": weak, "total": total, "percent": _percent(weak, total)}
    words = {"share": rule["share"], "weak_words": _labels(levels.lowest(UNIT)), "lowest": _names(levels.lowest(UNIT))}
    return _share_judge(
        code=Rule.HD27_WEAK_COMMITTEE,
        rule=rule,
        organization=organization,
        bad=weak,
        total=total,
        level=level,
        numbers=numbers,
        words=words,
        title=_("Đảng bộ có quá 1/%(share)s đơn vị trực thuộc %(weak_words)s"),
        messages=(
            _("%(weak)s/%(total)s đơn vị trực thuộc %(weak_words)s (%(percent)s), không quá 1/%(share)s."),
            _(
                "%(weak)s/%(total)s đơn vị trực thuộc %(weak_words)s (%(percent)s), quá 1/%(share)s: "
                "chỉ được xếp %(lowest)s."
            ),
            _(
                "%(weak)s/%(total)s đơn vị trực thuộc %(weak_words)s (%(percent)s), quá 1/%(share)s: "
                "không được xếp “%(level)s”, chỉ được xếp %(lowest)s."
            ),
        ),
    )


def committee_weak_units_check(
    *,
    organization: Organization,
    year: int,
    scheme: RatingScheme | None,
    level: RatingLevel | None,
    rule: RuleInForce | None = None,
) -> CheckResult | None:
    """hd27_weak_committee on one committee, in the periods where the rule is on (committee_weak_judge)."""
    rule = rule or rule_in_force(Rule.HD27_WEAK_COMMITTEE, year)
    if scheme is None or rule is None or organization.kind != Kind.GRASSROOTS_COMMITTEE:
        return None
    facts = facts_load(roots=[organization], year=year)
    return committee_weak_judge(
        rule=rule, organization=organization, facts=facts, levels=levels_of(scheme), level=level
    )


def cell_weak_judge(
    *, rule: RuleInForce, cell: Organization, facts: SubtreeFacts, vocabulary, level: RatingLevel | None
) -> CheckResult:
    """hd27_weak_cell: a cell with more than 1/N of its members at the lowest level can only be rated at the lowest
    level (Hướng dẫn 27: N = 2); no query."""
    lowest = {lv.pk for lv in vocabulary.lowest(MEMBER)}
    counts = facts.member_levels.get(cell.pk, {})
    total = sum(counts.values())
    bad = sum(n for level_id, n in counts.items() if level_id in lowest)
    words = {
        "share": rule["share"],
        "bad_words": _labels(vocabulary.lowest(MEMBER)),
        "lowest": _names(vocabulary.lowest(UNIT)),
    }
    numbers = {"cell": cell.name, "bad": bad, "total": total, "percent": _percent(bad, total)}
    return _share_judge(
        code=Rule.HD27_WEAK_CELL,
        rule=rule,
        organization=cell,
        bad=bad,
        total=total,
        level=level,
        numbers=numbers,
        words=words,
        title=_("Chi bộ có quá 1/%(share)s đảng viên %(bad_words)s"),
        messages=(
            _("%(cell)s: %(bad)s/%(total)s đảng viên %(bad_words)s (%(percent)s), không quá 1/%(share)s."),
            _(
                "%(cell)s: %(bad)s/%(total)s đảng viên %(bad_words)s (%(percent)s), quá 1/%(share)s: "
                "chi bộ chỉ được xếp %(lowest)s."
            ),
            _(
                "%(cell)s: %(bad)s/%(total)s đảng viên %(bad_words)s (%(percent)s), quá 1/%(share)s: "
                "không được xếp “%(level)s”, chỉ được xếp %(lowest)s."
            ),
        ),
    )


def cell_not_completed_checks(
    *,
    cells: Iterable[Organization],
    year: int,
    scheme: RatingScheme | None,
    levels: dict[int, RatingLevel | None],
    rule: RuleInForce | None = None,
) -> list[CheckResult]:
    """hd27_weak_cell on cells judged at the given levels, in the periods where the rule is on (cell_weak_judge)."""
    cells = list(cells)
    rule = rule or rule_in_force(Rule.HD27_WEAK_CELL, year)
    if scheme is None or rule is None or not cells:
        return []
    facts = facts_load(roots=cells, year=year)
    vocabulary = levels_of(scheme)
    return [
        cell_weak_judge(rule=rule, cell=cell, facts=facts, vocabulary=vocabulary, level=levels.get(cell.pk))
        for cell in cells
    ]


def decided_cells(organization: Organization, year: int) -> list[Organization]:
    """The cells a grassroots committee rates itself, as they stood at the end of the year."""
    if organization.kind != Kind.GRASSROOTS_COMMITTEE:
        return []
    return list(
        Organization.objects.subtree(organization)
        .for_year(year)
        .filter(kind__in=[Kind.CELL, Kind.SUBCOMMITTEE])
        .order_by("name_folded")
    )


def submission_checks(*, submission, level: RatingLevel | None) -> list[CheckResult]:
    """Every regulation check in force for the year of a unit's submission, judged against the level about to be
    recorded: the unit's own level rules, its group's cap, its members' rules and the cells it decides."""
    org, year, scheme = submission.organization, submission.cycle.year, submission.cycle.scheme
    return unit_checks(organization=org, year=year, scheme=scheme, level=level)


class _LazyLevels:
    """The scheme's levels, read on first use: most rules decide they have nothing to say without them."""

    def __init__(self, scheme: RatingScheme):
        self._scheme, self._levels = scheme, None

    def __getattr__(self, name: str):
        if self._levels is None:
            self._levels = levels_of(self._scheme)
        return getattr(self._levels, name)


def unit_own_checks(
    *,
    organization: Organization,
    facts: SubtreeFacts,
    levels,
    level: RatingLevel | None,
    in_force: dict[str, RuleInForce],
) -> list[CheckResult]:
    """The rules in force on one unit's own level judged at `level`, and the HD 27 share of the cells it decides at
    their stored levels, all read from the subtree's facts (no query but the discipline records, read once)."""
    from assessments.regulation import units as unit_rules

    org, results = organization, []
    if Rule.HD27_WEAK_COMMITTEE in in_force:
        rule = in_force[Rule.HD27_WEAK_COMMITTEE]
        results.append(committee_weak_judge(rule=rule, organization=org, facts=facts, levels=levels, level=level))
    for code in (Rule.UNIT_EXCELLENT_THRESHOLDS, Rule.UNIT_GOOD_THRESHOLDS):
        if code in in_force:
            results.append(
                unit_rules.thresholds_check(
                    rule=in_force[code], organization=org, facts=facts, levels=levels, level=level
                )
            )
    if Rule.COLLECTIVE_DISCIPLINED in in_force:
        results.append(
            unit_rules.collective_disciplined_check(
                rule=in_force[Rule.COLLECTIVE_DISCIPLINED], organization=org, facts=facts, levels=levels, level=level
            )
        )
    if Rule.FOUNDED_RECENTLY in in_force:
        results.append(
            unit_rules.founded_recently_check(
                rule=in_force[Rule.FOUNDED_RECENTLY], organization=org, facts=facts, level=level
            )
        )
    if Rule.HD27_WEAK_CELL in in_force:
        rule = in_force[Rule.HD27_WEAK_CELL]
        if org.kind == Kind.GRASSROOTS_CELL:
            results.append(cell_weak_judge(rule=rule, cell=org, facts=facts, vocabulary=levels, level=level))
        elif org.kind == Kind.GRASSROOTS_COMMITTEE:
            cells = sorted(
                (unit for unit in facts.units.values() if unit.kind == Kind.CELL and unit.path.startswith(org.path)),
                key=lambda unit: unit.name_folded,
            )
            results += [
                cell_weak_judge(rule=rule, cell=cell, facts=facts, vocabulary=levels, level=facts.level_of(cell))
                for cell in cells
            ]
    return [result for result in results if result is not None]


def unit_checks(
    *, organization: Organization, year: int, scheme: RatingScheme | None, level: RatingLevel | None
) -> list[CheckResult]:
    """Every rule binding in the year at one unit judged at `level` (the period's rules with the committees'
    settings), its group's cap, its members and the cells it decides, in a fixed number of queries."""
    from assessments.regulation import members as member_rules
    from assessments.regulation import units as unit_rules
    from assessments.regulation.switches import rules_in_place

    org = organization
    place = rules_in_place(year=year, roots=[org])
    in_force = place.anywhere()
    if scheme is None or not in_force:
        return []
    levels = _LazyLevels(scheme)
    facts = facts_load(roots=[org], year=year)
    results = []
    if Rule.MEMBER_CAP_20 in in_force:
        results += excellent_cap_checks(
            organizations=[org], year=year, scheme=scheme, rule=in_force[Rule.MEMBER_CAP_20]
        ).values()
    results += unit_own_checks(organization=org, facts=facts, levels=levels, level=level, in_force=in_force)
    if Rule.UNIT_CAP_20 in in_force:
        cap = unit_rules.unit_cap_check_for(
            rule=in_force[Rule.UNIT_CAP_20], organization=org, year=year, levels=levels, level=level
        )
        results += [cap] if cap is not None else []
    results += member_rules.member_checks(organizations=[org], year=year, levels=levels, rules=in_force)
    return place.where_binding(results)
