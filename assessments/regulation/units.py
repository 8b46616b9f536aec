"""The period rules that bound a unit's level: the HD 21 thresholds (unit_excellent_thresholds, unit_good_thresholds),
discipline of the collective (collective_disciplined), a unit founded too recently (founded_recently) and the cap on
units at the top level within a group of similar units (unit_cap_20). Each takes the rule in force (its numbers) and
the level being judged, and answers a CheckResult, or None when the rule has nothing to say about that unit."""

import calendar
import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.common.vocabulary import MEMBER, UNIT, Levels, Share, percent_text
from assessments.models import (
    NO_SECTOR_GROUP,
    Kind,
    Organization,
    RatingLevel,
    Rule,
    Sector,
    UnitAssessment,
    cap_group_label,
    form_severity,
)
from assessments.regulation.facts import SubtreeFacts
from assessments.regulation.periods import RuleInForce

# Kinds whose members are counted directly (a cell); the others count their subordinate units (a committee).
CELL_KINDS = (Kind.CELL, Kind.GRASSROOTS_CELL)
# Sectors whose grassroots units lead a local government, Fatherland Front and mass organizations (HD 21's condition).
LOCAL_GOVERNMENT_SECTORS = (Sector.COMMUNE, Sector.WARD, Sector.TOWN)


def _result(rule: RuleInForce, organization: Organization, passed: bool, message: str, numbers: dict):
    from assessments.cycle.regulation import CheckResult  # the result type lives with the submission's checks

    return CheckResult(
        code=rule.rule,
        title=str(Rule(rule.rule).label),
        organization=organization,
        passed=passed,
        message=message,
        numbers=numbers,
        source=rule.source,
    )


def _cap_result(
    rule: RuleInForce,
    organization: Organization,
    *,
    group_code: str,
    group: dict,
    excellent: int,
    total: int,
    level: str,
    message: str,
):
    """A cap rule on one group (unit_cap_20, leader_cap_20): at most the rule's `percent`% of the group's `total` at
    the top level (`excellent`); `message` says it with the group's names and the numbers. An override covers the
    group (`group_code`: a title, a sector or the units with none, a kind) only; a blank code (all units together) is
    the committee's whole override."""
    numbers = {
        **group,
        "excellent": excellent,
        "total": total,
        "allowed": total * rule["percent"] // 100,
        "percent": percent_text(Share(excellent, total)),
        "cap": rule["percent"],
        "level": level,
    }
    passed = excellent * 100 <= rule["percent"] * total
    message = message % numbers
    if not passed:
        message += " " + _("Vượt tỷ lệ.")
    result = _result(rule, organization, passed, message, numbers)
    result.subject = {"group": group_code} if group_code else {}
    return result


def months_before_year_end(year: int, months: int) -> datetime.date:
    """The day `months` months before 31 December (30 June for six): on it or before is long enough."""
    month = 12 - months
    while month < 1:
        month, year = month + 12, year - 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def day_text(day: datetime.date) -> str:
    return date_format(day, "d/m/Y")


def bound_allows(levels: Levels, subject: str, best_level: str, level: RatingLevel | None) -> tuple[bool, str]:
    """Whether a level is within a bound ("lowest", "below_top", or a level code) and the bound's name."""
    scale = levels.of(subject)
    if best_level == "lowest":
        allowed = [lv for lv in scale if lv.is_lowest]
    elif best_level == "below_top":
        allowed = [lv for lv in scale if not lv.is_top]
    else:
        cut = next((lv.rank for lv in scale if lv.code == best_level), None)
        # A bound this scheme has no level for binds nothing (a civil-servant level named otherwise).
        allowed = [lv for lv in scale if cut is None or lv.rank >= cut]
    name = allowed[0].label if allowed else best_level
    return level is None or level.pk in {lv.pk for lv in allowed}, name


def _shares(organization: Organization, facts: SubtreeFacts, levels: Levels) -> tuple[str, int, int, int]:
    """What a unit's level is judged on: its members (a cell) or its subordinate units (a committee), rated that
    year: (what is counted, rated, completed or better, good or better); no query."""
    if organization.kind in CELL_KINDS:
        subject, counted = MEMBER, _("đảng viên")
        rated = [(level_id, n) for level_id, n in facts.member_levels.get(organization.pk, {}).items() if level_id]
    else:
        subject, counted = UNIT, _("đơn vị trực thuộc")
        ratings = [facts.ratings.get(child.pk) for child in facts.children_of(organization)]
        rated = [(rating.level_id, 1) for rating in ratings if rating is not None and rating.level_id]
    lowest = {lv.pk for lv in levels.lowest(subject)}
    good = {lv.pk for lv in levels.good_or_better(subject)}
    return (
        counted,
        sum(n for _level, n in rated),
        sum(n for level_id, n in rated if level_id not in lowest),
        sum(n for level_id, n in rated if level_id in good),
    )


def thresholds_check(
    *,
    rule: RuleInForce,
    organization: Organization,
    facts: SubtreeFacts,
    levels: Levels,
    level: RatingLevel | None,
):
    """unit_excellent_thresholds / unit_good_thresholds (HD 21): the shares of members or subordinate units at
    "completed" or better and at "good" or better a unit needs for the level judged; the excellent rule also needs
    the local government and mass organizations it leads rated good or better (a yes/no recorded with its proposal)."""
    judged = levels.unit_pks.get(level.pk) if level is not None else None
    if judged is None:
        return None
    excellent = rule.rule == Rule.UNIT_EXCELLENT_THRESHOLDS
    if excellent != judged.is_top or not judged.is_good_or_better:
        return None
    counted, rated, completed, good = _shares(organization, facts, levels)
    need_completed, need_good = rule["completed_percent"], rule["good_percent"]
    numbers = {
        "rated": rated,
        "completed": completed,
        "good": good,
        "completed_percent": percent_text(Share(completed, rated)),
        "good_percent": percent_text(Share(good, rated)),
        "need_completed": need_completed,
        "need_good": need_good,
    }
    passed = rated > 0 and completed * 100 >= need_completed * rated and good * 100 >= need_good * rated
    words = {**numbers, "counted": counted, "level": judged.label}
    message = (
        _(
            "Xếp “%(level)s”: %(completed)s/%(rated)s %(counted)s hoàn thành nhiệm vụ trở lên "
            "(%(completed_percent)s, cần %(need_completed)s%%), %(good)s/%(rated)s %(counted)s hoàn thành tốt trở lên "
            "(%(good_percent)s, cần %(need_good)s%%)."
        )
        % words
    )
    needs_mass = (
        excellent
        and rule["mass_organizations_good"]
        and organization.kind in (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)
        and organization.sector in LOCAL_GOVERNMENT_SECTORS
    )
    if needs_mass:
        mass_organizations_good = facts.mass_organizations_good(organization)
        numbers["mass_organizations_good"] = mass_organizations_good
        if mass_organizations_good is None:
            passed = False
            message += " " + _("Chưa ghi chính quyền, MTTQ và các đoàn thể có đạt hoàn thành tốt trở lên không.")
        elif not mass_organizations_good:
            passed = False
            message += " " + _("Chính quyền, MTTQ hoặc đoàn thể chưa đạt hoàn thành tốt trở lên.")
    if not passed:
        message += " " + _("Không đủ điều kiện.")
    return _result(rule, organization, passed, message, numbers)


def _below(path: str, organization: Organization) -> bool:
    """A unit strictly under the organization."""
    return path.startswith(organization.path) and path != organization.path


def _directly_below(path: str, organization: Organization) -> bool:
    return _below(path, organization) and path[len(organization.path) :].count("/") == 1


def _member_reasons(rule: RuleInForce, organization: Organization, facts: SubtreeFacts, numbers: dict) -> list:
    """The decisions at `member_form` or above against the members of the unit's party leadership collectives, or,
    where the unit has no such collective recorded for the year, against the members whose membership is in the unit
    itself (the approximation kept from before collectives existed)."""
    floor = form_severity(rule["member_form"])
    form = _form_label(rule["member_form"]).lower()
    if facts.has_leadership_collective(organization):
        records = facts.collective_member_records(organization)
        n = len({record.record_id for record in records if form_severity(record.form) >= floor})
        if not n:
            return []
        numbers["members"] = n
        return [
            _("%(n)s quyết định kỷ luật thành viên tập thể lãnh đạo của đơn vị từ mức %(form)s trở lên")
            % {"n": n, "form": form}
        ]
    n = len(
        {
            record.record_id
            for record in facts.member_records
            if record.organization_id == organization.pk and form_severity(record.form) >= floor
        }
    )
    if not n:
        return []
    numbers["members"] = n
    return [_("%(n)s quyết định kỷ luật đảng viên của đơn vị từ mức %(form)s trở lên") % {"n": n, "form": form}]


def _discipline_reasons(rule: RuleInForce, organization: Organization, facts: SubtreeFacts) -> tuple[list, dict]:
    """The reasons the year's records give to bound a collective's level, with their numbers."""
    reasons, numbers = [], {}
    units = [
        record
        for record in facts.unit_records
        if _below(record.path, organization) or record.organization_id == organization.pk
    ]
    own = sum(1 for record in units if record.organization_id == organization.pk)
    if rule["own"] and own:
        numbers["own"] = own
        reasons.append(_("đơn vị bị kỷ luật %(n)s lần trong năm") % {"n": own})
    if rule["member_form"]:
        reasons += _member_reasons(rule, organization, facts, numbers)
    if rule["subordinate_corruption"]:
        below = [record for record in facts.member_records if record.corruption and _below(record.path, organization)]
        corruption = sum(1 for record in units if record.corruption and _below(record.path, organization))
        corruption += len({record.record_id for record in below})
        if corruption:
            numbers["corruption"] = corruption
            reasons.append(_("%(n)s quyết định kỷ luật do vụ việc tham nhũng ở tổ chức trực thuộc") % {"n": corruption})
    hit = len({record.organization_id for record in units if _directly_below(record.path, organization)})
    if rule["subordinate_percent"] is not None and hit:
        total = len(facts.children_of(organization))
        if hit * 100 > rule["subordinate_percent"] * total:
            numbers.update(subordinates=hit, total=total, percent=percent_text(Share(hit, total)))
            reasons.append(
                _("%(hit)s/%(total)s đơn vị trực thuộc bị kỷ luật (%(percent)s, quá %(limit)s%%)")
                % {**numbers, "hit": hit, "limit": rule["subordinate_percent"]}
            )
    return reasons, numbers


def collective_disciplined_check(
    *, rule: RuleInForce, organization: Organization, facts: SubtreeFacts, levels: Levels, level: RatingLevel | None
):
    """collective_disciplined: a unit disciplined itself that year (own), with members of its own disciplined at a
    form or above (member_form), with a corruption case ending in discipline in a unit under it
    (subordinate_corruption), or with more than a share of its subordinate units disciplined (subordinate_percent;
    0: any) is bounded (best_level: the lowest level, or below the top). Only a level above the bound is looked into
    (the year's records are read then, once for the whole subtree); None when within the bound or nothing applies."""
    if level is None or bound_allows(levels, UNIT, rule["best_level"], level)[0]:
        return None  # nothing the records could refuse: no query
    reasons, numbers = _discipline_reasons(rule, organization, facts)
    if not reasons:
        return None
    bound = bound_allows(levels, UNIT, rule["best_level"], level)[1]
    numbers.update(bound=bound, level=level.label)
    message = _("%(reasons)s: chỉ được xếp từ “%(bound)s” trở xuống, đang xếp “%(level)s”.") % {
        "reasons": "; ".join(reasons),
        "bound": bound,
        "level": level.label,
    }
    return _result(rule, organization, False, message[:1].upper() + message[1:], numbers)


def _form_label(form: str) -> str:
    from assessments.models import DisciplineForm

    return str(DisciplineForm(form).label)


def founded_recently_check(
    *, rule: RuleInForce, organization: Organization, facts: SubtreeFacts, level: RatingLevel | None
):
    """founded_recently: a unit founded less than `months` months before 31 December is not rated; a level given
    anyway fails. None for a unit founded earlier (or with no founding date), and for one that succeeds others: a
    merger or a split carries on its predecessors' work (the communes of 1 July 2025), it is not a new unit (the
    successors are read only when a unit is that young)."""
    cutoff = months_before_year_end(facts.year, rule["months"])
    if organization.valid_from is None or organization.valid_from <= cutoff or organization.pk in facts.successors:
        return None
    numbers = {"founded": day_text(organization.valid_from), "months": rule["months"], "cutoff": day_text(cutoff)}
    message = _("Thành lập ngày %(founded)s, chưa đủ %(months)s tháng đến 31/12: không xếp loại.") % numbers
    if level is not None:
        message += " " + _("Đang xếp “%(level)s”.") % {"level": level.label}
    return _result(rule, organization, level is None, message, numbers)


def _group_key(organization: Organization, group_by: str) -> str:
    """The code of the unit's group: blank only when all units are counted together."""
    return {"sector": organization.sector or NO_SECTOR_GROUP, "kind": organization.kind}.get(group_by, "")


def _group_name(key: str) -> str:
    return cap_group_label(Rule.UNIT_CAP_20, key) if key else _("tất cả đơn vị")


def unit_cap_checks(
    *, rule: RuleInForce, committee: Organization, year: int, levels: Levels, judged: dict | None = None
) -> dict[str, object]:
    """unit_cap_20 for the units a committee decides, read from the database (two queries); `judged` puts a level
    about to be recorded in place of a unit's stored one. See unit_cap_judge."""
    units = list(Organization.objects.filter(parent=committee).for_year(year))
    stored = dict(
        UnitAssessment.objects.yearly()
        .filter(organization__in=units, year=year)
        .values_list("organization_id", "level_id")
    )
    for pk, level in (judged or {}).items():
        stored[pk] = level.pk if level is not None else None
    return unit_cap_judge(rule=rule, committee=committee, units=units, stored=stored, levels=levels)


def unit_cap_judge(
    *, rule: RuleInForce, committee: Organization, units: list[Organization], stored: dict, levels: Levels
) -> dict[str, object]:
    """unit_cap_20: units at the top level may be at most `percent`% of a group of similar units decided by the same
    committee (grouped by `group_by`: sector by default, or kind, or all together); `stored` gives each unit's level
    id. One result per group, keyed by the group (no query)."""
    group_by = rule["group_by"] or "sector"
    top = {lv.pk for lv in levels.top(UNIT)}
    groups: dict[str, list[int]] = {}
    for unit in units:
        counts = groups.setdefault(_group_key(unit, group_by), [0, 0])
        counts[1] += 1
        counts[0] += stored.get(unit.pk) in top
    label = levels.top(UNIT)[0].label if levels.top(UNIT) else ""
    results = {}
    for key, (excellent, total) in groups.items():
        results[key] = _cap_result(
            rule,
            committee,
            group_code=key,
            group={"group": _group_name(key)},
            excellent=excellent,
            total=total,
            level=label,
            message=_(
                "Nhóm %(group)s: %(excellent)s/%(total)s đơn vị “%(level)s” (%(percent)s), tối đa %(cap)s%% "
                "(%(allowed)s đơn vị)."
            ),
        )
    return results


def unit_cap_check_for(*, rule: RuleInForce, organization: Organization, year: int, levels: Levels, level):
    """unit_cap_20 for the group of one unit, with the level about to be recorded in place of its stored one."""
    if organization.parent_id is None:
        return None
    results = unit_cap_checks(
        rule=rule, committee=organization.parent, year=year, levels=levels, judged={organization.pk: level}
    )
    return results.get(_group_key(organization, rule["group_by"] or "sector"))
