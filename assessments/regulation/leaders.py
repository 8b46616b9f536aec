"""The period rules on leadership collectives and leaders (issue 16): a head not above the collective he or she heads
(leader_above_collective), decided after it (leader_before_collective), the cap on `excellent` among equivalent titles
managed by one committee (leader_cap_20), and the collective's discipline (leadership_disciplined). Yearly ratings only
(period blank); each check answers a CheckResult on the collective's (or the managing committee's) organization naming
the subject it judged (the leader, the group of titles, the collective), so that an override covers that subject
only."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.common.vocabulary import MEMBER, UNIT, Level, Levels, year_end
from assessments.models import (
    CollectiveRating,
    Discipline,
    LeaderRating,
    Organization,
    Period,
    Position,
    Rule,
    cap_group_label,
    form_severity,
)
from assessments.regulation.periods import RuleInForce
from assessments.regulation.units import _cap_result, _form_label, _result, bound_allows, day_text

LEADERSHIP_RULES = (
    Rule.LEADER_ABOVE_COLLECTIVE,
    Rule.LEADER_BEFORE_COLLECTIVE,
    Rule.LEADER_CAP_20,
    Rule.LEADERSHIP_DISCIPLINED,
)


@dataclass
class Facts:
    """What the checks of a set of ratings read, loaded set-based: the collectives' yearly ratings, each leader's
    posts in the year, and the discipline records of the year against the collectives' members and organizations."""

    collective_ratings: dict[int, CollectiveRating] = field(default_factory=dict)  # by collective
    posts: dict[tuple[int, int], list[Position]] = field(default_factory=dict)  # by (member, collective)
    members_of: dict[int, set[int]] = field(default_factory=dict)  # collective -> members holding a post
    member_forms: dict[int, list[str]] = field(default_factory=dict)  # member -> forms of the year
    organization_records: dict[int, int] = field(default_factory=dict)  # organization -> records of the year


def _in_year(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), year_end(year)


def facts_load(*, collective_ids: set[int], year: int, collective_ratings=None) -> Facts:
    """Load the facts about some collectives for a year (four queries)."""
    facts = Facts()
    first, last = _in_year(year)
    if collective_ratings is None:
        collective_ratings = CollectiveRating.objects.filter(
            collective_id__in=collective_ids, year=year, period=Period.YEAR
        ).select_related("collective__organization")
    facts.collective_ratings = {row.collective_id: row for row in collective_ratings}
    posts = Position.objects.held_during(year).filter(collective_id__in=collective_ids)
    for post in posts.select_related("managed_by").order_by("start"):
        facts.posts.setdefault((post.member_id, post.collective_id), []).append(post)
        facts.members_of.setdefault(post.collective_id, set()).add(post.member_id)
    members = set().union(*facts.members_of.values()) if facts.members_of else set()
    organizations = {row.collective.organization_id for row in facts.collective_ratings.values()}
    records = Discipline.objects.filter(decided_on__gte=first, decided_on__lte=last).filter(
        Q(member_id__in=members) | Q(organization_id__in=organizations)
    )
    for member_id, organization_id, form in records.values_list("member_id", "organization_id", "form"):
        if member_id:
            facts.member_forms.setdefault(member_id, []).append(form)
        else:
            facts.organization_records[organization_id] = facts.organization_records.get(organization_id, 0) + 1
    return facts


def _level(levels: Levels, subject: str, pk: int | None) -> Level | None:
    if pk is None:
        return None
    return (levels.unit_pks if subject == UNIT else levels.member_pks).get(pk)


def _who(rating: LeaderRating) -> str:
    return f"{rating.member.full_name} ({rating.member.card_number})"


def _heads(rating: LeaderRating, facts: Facts) -> bool:
    return any(post.heads for post in facts.posts.get((rating.member_id, rating.collective_id), ()))


def _leader_result(rule: RuleInForce, rating: LeaderRating, passed: bool, message: str, numbers: dict):
    """A result of a check on one leader: on the collective's organization, naming the leader (for the override)."""
    result = _result(rule, rating.collective.organization, passed, message, numbers)
    result.subject = {"member_id": rating.member_id, "collective_id": rating.collective_id}
    return result


def above_check(*, rule: RuleInForce, rating: LeaderRating, facts: Facts, levels: Levels):
    """leader_above_collective: the head of a collective is rated no higher than the collective (both decided)."""
    collective_rating = facts.collective_ratings.get(rating.collective_id)
    mine = _level(levels, MEMBER, rating.level_id)
    theirs = _level(levels, UNIT, collective_rating.level_id) if collective_rating else None
    if not _heads(rating, facts) or mine is None or theirs is None:
        return None
    numbers = {
        "leader": _who(rating),
        "collective": rating.collective.code,
        "leader_level": mine.label,
        "collective_level": theirs.label,
    }
    passed = mine.rank >= theirs.rank
    if passed:
        message = _("%(leader)s, người đứng đầu %(collective)s: “%(leader_level)s”, tập thể “%(collective_level)s”.")
    else:
        message = _(
            "%(leader)s, người đứng đầu %(collective)s, xếp “%(leader_level)s”, cao hơn tập thể "
            "(“%(collective_level)s”): người đứng đầu không xếp cao hơn tập thể mình đứng đầu."
        )
    return _leader_result(rule, rating, passed, message % numbers, numbers)


def before_check(*, rule: RuleInForce, rating: LeaderRating, facts: Facts, levels: Levels):
    """leader_before_collective: a head is decided after the collective: not while it is undecided, nor on an
    earlier date."""
    if not _heads(rating, facts) or rating.level_id is None:
        return None
    collective_rating = facts.collective_ratings.get(rating.collective_id)
    numbers = {"leader": _who(rating), "collective": rating.collective.code}
    if collective_rating is None or collective_rating.level_id is None:
        message = _("%(leader)s, người đứng đầu %(collective)s, đã được xếp loại khi tập thể chưa được xếp loại.")
        return _leader_result(rule, rating, False, message % numbers, numbers)
    mine, theirs = rating.decided_on, collective_rating.decided_on
    passed = not (mine and theirs and mine < theirs)
    numbers.update(leader_day=day_text(mine) if mine else "", collective_day=day_text(theirs) if theirs else "")
    if passed:
        message = _("%(leader)s, người đứng đầu %(collective)s: xếp loại sau tập thể.")
    else:
        message = _(
            "%(leader)s, người đứng đầu %(collective)s, quyết định ngày %(leader_day)s, trước tập thể (ngày "
            "%(collective_day)s): xếp loại người đứng đầu sau tập thể."
        )
    return _leader_result(rule, rating, passed, message % numbers, numbers)


def _title_group_name(title: str) -> str:
    return cap_group_label(Rule.LEADER_CAP_20, title) if title else _("mọi chức danh")


def _group(rating: LeaderRating, facts: Facts, group_by: str) -> tuple[Organization, str] | None:
    """The committee managing a leader's post in the collective and the post's title (the latest post held)."""
    posts = facts.posts.get((rating.member_id, rating.collective_id))
    if not posts:
        return None
    post = posts[-1]
    return post.managed_by, (post.title if group_by == "title" else "")


def cap_checks(*, rule: RuleInForce, ratings: list[LeaderRating], facts: Facts, levels: Levels) -> list:
    """leader_cap_20: leaders at the top level at most `percent`% of the rated leaders of a group of equivalent titles
    (`group_by`: title, or all) managed by the same committee; one result per group."""
    group_by = rule["group_by"] or "title"
    groups: dict[tuple[int, str], list] = {}
    for rating in ratings:
        level = _level(levels, MEMBER, rating.level_id)
        key = _group(rating, facts, group_by)
        if level is None or key is None:
            continue
        committee, title = key
        entry = groups.setdefault((committee.pk, title), [committee, 0, 0])
        entry[1] += level.is_top
        entry[2] += 1
    top = levels.top(MEMBER)
    label = top[0].label if top else ""
    results = []
    for (_pk, title), (committee, excellent, total) in sorted(groups.items(), key=lambda item: item[0]):
        group = {"group": _title_group_name(title), "committee": committee.code}
        results.append(
            _cap_result(
                rule,
                committee,
                group_code=title,
                group=group,
                excellent=excellent,
                total=total,
                level=label,
                message=_(
                    "Nhóm chức danh %(group)s do %(committee)s quản lý: %(excellent)s/%(total)s người “%(level)s” "
                    "(%(percent)s), tối đa %(cap)s%% (%(allowed)s người)."
                ),
            )
        )
    return results


def disciplined_check(*, rule: RuleInForce, rating: CollectiveRating, facts: Facts, levels: Levels):
    """leadership_disciplined: a collective with a member disciplined in the year at `member_form` or above, or
    whose organization was disciplined (`own`), is rated no higher than `best_level`. None within the bound."""
    level = _level(levels, UNIT, rating.level_id)
    if level is None or bound_allows(levels, UNIT, rule["best_level"], rating.level)[0]:
        return None
    reasons, numbers = [], {"collective": rating.collective.code}
    if rule["member_form"]:
        floor = form_severity(rule["member_form"])
        members = facts.members_of.get(rating.collective_id, set())
        hit = sum(
            1 for member in members for form in facts.member_forms.get(member, ()) if form_severity(form) >= floor
        )
        if hit:
            numbers["members"] = hit
            reasons.append(
                _("%(n)s quyết định kỷ luật thành viên của tập thể từ mức %(form)s trở lên")
                % {"n": hit, "form": _form_label(rule["member_form"]).lower()}
            )
    own = facts.organization_records.get(rating.collective.organization_id, 0)
    if rule["own"] and own:
        numbers["own"] = own
        reasons.append(_("tổ chức đảng của tập thể bị kỷ luật %(n)s lần trong năm") % {"n": own})
    if not reasons:
        return None
    bound = bound_allows(levels, UNIT, rule["best_level"], rating.level)[1]
    numbers.update(bound=bound, level=level.label)
    message = _("%(collective)s: %(reasons)s: chỉ được xếp từ “%(bound)s” trở xuống, đang xếp “%(level)s”.") % {
        "collective": rating.collective.code,
        "reasons": "; ".join(reasons),
        "bound": bound,
        "level": level.label,
    }
    result = _result(rule, rating.collective.organization, False, message, numbers)
    result.subject = {"collective_id": rating.collective_id}
    return result


def ratings_checks(
    *, collective_ratings: list, leader_ratings: list, facts: Facts, levels: Levels, in_force: dict
) -> list:
    """Every leadership rule in force on the given ratings."""
    results: list = []
    for rating in leader_ratings:
        for code, check in ((Rule.LEADER_ABOVE_COLLECTIVE, above_check), (Rule.LEADER_BEFORE_COLLECTIVE, before_check)):
            if code in in_force:
                results.append(check(rule=in_force[code], rating=rating, facts=facts, levels=levels))
    if Rule.LEADER_CAP_20 in in_force:
        results += cap_checks(rule=in_force[Rule.LEADER_CAP_20], ratings=leader_ratings, facts=facts, levels=levels)
    if Rule.LEADERSHIP_DISCIPLINED in in_force:
        rule = in_force[Rule.LEADERSHIP_DISCIPLINED]
        results += [disciplined_check(rule=rule, rating=r, facts=facts, levels=levels) for r in collective_ratings]
    return [result for result in results if result is not None]


def subtree_leadership_checks(*, organization: Organization, year: int, levels: Levels, in_force: dict) -> list:
    """The leadership rules on the yearly ratings of the collectives of a subtree (six queries, whatever the size)."""
    if not any(code in in_force for code in LEADERSHIP_RULES):
        return []
    inside = Q(collective__organization__path__startswith=organization.path)
    collective_ratings = list(
        CollectiveRating.objects.filter(inside, year=year, period=Period.YEAR).select_related(
            "collective__organization", "level"
        )
    )
    leader_ratings = list(
        LeaderRating.objects.filter(inside, year=year, period=Period.YEAR)
        .select_related("member", "collective__organization", "level")
        .order_by("collective__code", "member__card_number")
    )
    collective_ids = {r.collective_id for r in collective_ratings} | {r.collective_id for r in leader_ratings}
    facts = facts_load(collective_ids=collective_ids, year=year, collective_ratings=collective_ratings)
    # A leader of a collective in the subtree whose collective's rating is outside it cannot happen: same collective.
    return ratings_checks(
        collective_ratings=collective_ratings,
        leader_ratings=leader_ratings,
        facts=facts,
        levels=levels,
        in_force=in_force,
    )


def collective_decision_checks(*, rating: CollectiveRating, levels: Levels, in_force: dict) -> list:
    """The leadership rules on one collective's rating at the level about to be recorded."""
    facts = facts_load(collective_ids={rating.collective_id}, year=rating.year, collective_ratings=[rating])
    return ratings_checks(collective_ratings=[rating], leader_ratings=[], facts=facts, levels=levels, in_force=in_force)


def leader_decision_checks(*, rating: LeaderRating, levels: Levels, in_force: dict) -> list:
    """The leadership rules on one leader's rating at the level about to be recorded: above and before the
    collective, and the cap of the leader's group with this rating in place of the stored one."""
    facts = facts_load(collective_ids={rating.collective_id}, year=rating.year)
    results = ratings_checks(
        collective_ratings=[],
        leader_ratings=[rating],
        facts=facts,
        levels=levels,
        in_force={code: rule for code, rule in in_force.items() if code != Rule.LEADER_CAP_20},
    )
    cap = in_force.get(Rule.LEADER_CAP_20)
    key = _group(rating, facts, (cap["group_by"] or "title") if cap else "title")
    if cap is None or key is None:
        return results
    committee, title = key
    posts = Position.objects.held_during(rating.year).filter(managed_by=committee)
    if title:
        posts = posts.filter(title=title)
    pairs = set(posts.values_list("member_id", "collective_id"))
    others = [
        other
        for other in LeaderRating.objects.filter(
            year=rating.year, period=Period.YEAR, member_id__in={m for m, _c in pairs}
        ).select_related("member", "collective")
        if (other.member_id, other.collective_id) in pairs and other.pk != rating.pk
    ]
    group = [rating, *others]
    group_facts = facts_load(collective_ids={r.collective_id for r in group}, year=rating.year)
    name = _title_group_name(title)
    caps = cap_checks(rule=cap, ratings=group, facts=group_facts, levels=levels)
    return results + [r for r in caps if r.organization.pk == committee.pk and r.numbers["group"] == name]
