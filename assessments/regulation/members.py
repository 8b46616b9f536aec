"""The period rules that bound a member's level: discipline in the year (member_disciplined), sick leave
(sick_leave), the civil-servant rating (civil_servant_level) and admission too recent (admitted_recently); and the
not-rated reason suggested from the member's dates (exempt, suspended, admitted recently). Checks answer only the
members a rule refuses: one CheckResult per member, at the unit where the member is rated."""

import datetime

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from assessments.common.vocabulary import MEMBER, Levels, year_end
from assessments.models import (
    CivilServantLevel,
    Discipline,
    DisciplineForm,
    Member,
    MemberAssessment,
    MemberStatusSpan,
    NotRatedReason,
    Organization,
    PeriodRule,
    Rule,
    held,
)
from assessments.regulation.periods import RuleInForce, not_rated_reason_label, rule_in_force
from assessments.regulation.units import _result, bound_allows, day_text, months_before_year_end

MEMBER_RULES = (Rule.MEMBER_DISCIPLINED, Rule.SICK_LEAVE, Rule.CIVIL_SERVANT_LEVEL, Rule.ADMITTED_RECENTLY)


def _who(row: MemberAssessment) -> str:
    return f"{row.member.full_name} ({row.member.card_number})"


def member_checks(
    *, organizations: list[Organization], year: int, levels: Levels, rules: dict[str, RuleInForce]
) -> list:
    """Every member rule in force over the members rated in these units' subtrees that year (two queries)."""
    active = {code: rules[code] for code in MEMBER_RULES if code in rules}
    if not active or not organizations:
        return []
    subtree = Q()
    for org in organizations:
        subtree |= Q(organization__path__startswith=org.path)
    first, last = datetime.date(year, 1, 1), year_end(year)
    # Only the rows a rule in force could refuse are read: the rest of the unit's members cost nothing.
    candidates = Q(pk__in=[])
    if Rule.MEMBER_DISCIPLINED in active:
        candidates |= Q(
            Exists(Discipline.objects.filter(member=OuterRef("member"), decided_on__gte=first, decided_on__lte=last))
        )
    if Rule.SICK_LEAVE in active:
        candidates |= Q(sick_leave_months__gte=active[Rule.SICK_LEAVE]["months"])
    if Rule.CIVIL_SERVANT_LEVEL in active:
        candidates |= ~Q(civil_servant_level="")
    if Rule.ADMITTED_RECENTLY in active:
        candidates |= Q(member__admitted_on__gt=months_before_year_end(year, active[Rule.ADMITTED_RECENTLY]["months"]))
    rows = list(
        MemberAssessment.objects.yearly()
        .filter(subtree, candidates, year=year, level__isnull=False)
        .select_related("member", "organization", "level")
        .order_by("organization__path", "member__name_folded")
    )
    disciplines: dict[int, list[Discipline]] = {}
    if Rule.MEMBER_DISCIPLINED in active and rows:
        disciplines = disciplines_of_year(members=[row.member_id for row in rows], year=year)
    results = []
    for row in rows:
        for code, rule in active.items():
            result = _CHECKS[code](rule=rule, row=row, year=year, levels=levels, disciplines=disciplines)
            if result is not None:
                results.append(result)
    return results


def _bounded(rule, row, levels, best_level, reason, numbers):
    allowed, bound = bound_allows(levels, MEMBER, best_level, row.level)
    if allowed:
        return None
    numbers.update(member=row.member.card_number, level=row.level.label, bound=bound)
    message = _("%(who)s: %(reason)s, chỉ được xếp từ “%(bound)s” trở xuống, đang xếp “%(level)s”.") % {
        "who": _who(row),
        "reason": reason,
        "bound": bound,
        "level": row.level.label,
    }
    return _result(rule, row.organization, False, message, numbers)


def _disciplined(*, rule, row, year, levels, disciplines):
    records = disciplines.get(row.member_id)
    if not records:
        return None
    record = records[-1]
    reason = _("kỷ luật %(form)s ngày %(day)s (%(ref)s, %(body)s)") % {
        "form": record.get_form_display().lower(),
        "day": day_text(record.decided_on),
        "ref": record.decision_ref,
        "body": record.deciding_body,
    }
    return _bounded(rule, row, levels, rule["best_level"], reason, {"disciplines": len(records)})


def _sick_leave(*, rule, row, year, levels, disciplines):
    months = row.sick_leave_months or 0
    if months < rule["months"]:
        return None
    reason = _("nghỉ ốm %(n)s tháng trong năm (từ %(min)s tháng trở lên)") % {"n": months, "min": rule["months"]}
    return _bounded(rule, row, levels, rule["best_level"], reason, {"months": months, "min": rule["months"]})


def _civil_servant(*, rule, row, year, levels, disciplines):
    if not row.civil_servant_level:
        return None
    reason = _("xếp loại công chức, viên chức “%(level)s”") % {
        "level": CivilServantLevel(row.civil_servant_level).label
    }
    return _bounded(rule, row, levels, row.civil_servant_level, reason, {"civil_servant": row.civil_servant_level})


def _admitted(*, rule, row, year, levels, disciplines):
    admitted = row.member.admitted_on
    cutoff = months_before_year_end(year, rule["months"])
    if admitted is None or admitted <= cutoff:
        return None
    numbers = {"admitted": day_text(admitted), "months": rule["months"], "level": row.level.label}
    message = _(
        "%(who)s: vào Đảng ngày %(admitted)s, chưa đủ %(months)s tháng đến 31/12: chưa xếp loại, đang xếp “%(level)s”."
    ) % {**numbers, "who": _who(row)}
    return _result(rule, row.organization, False, message, numbers)


_CHECKS = {
    Rule.MEMBER_DISCIPLINED: _disciplined,
    Rule.SICK_LEAVE: _sick_leave,
    Rule.CIVIL_SERVANT_LEVEL: _civil_servant,
    Rule.ADMITTED_RECENTLY: _admitted,
}


def disciplines_of_year(*, members, year: int) -> dict[int, list[Discipline]]:
    """The discipline records decided in the year, by member id, oldest first (one query). `members`: member ids,
    or a queryset of members (read as a subquery: a district's members are too many for a list of ids)."""
    found: dict[int, list[Discipline]] = {}
    records = Discipline.objects.filter(
        member__in=members, decided_on__gte=datetime.date(year, 1, 1), decided_on__lte=year_end(year)
    )
    for record in records.order_by("decided_on", "pk"):
        found.setdefault(record.member_id, []).append(record)
    return found


def admitted_recently_months(year: int) -> int | None:
    """The months the period's admitted_recently rule asks between admission and 31 December (None: the rule is off
    in that year, no member is suggested as admitted recently)."""
    rule = rule_in_force(Rule.ADMITTED_RECENTLY, year)
    return rule["months"] if rule is not None else None


def _admitted_after(member: Member, year: int, months: int | None) -> bool:
    return (
        months is not None
        and member.admitted_on is not None
        and member.admitted_on > months_before_year_end(year, months)
    )


def not_rated_reasons_suggested(*, members, year: int) -> dict[int, str]:
    """The suggested not-rated reason (a NotRatedReason code) by member id, for the members that have one: exempt
    or suspended on 31 December (the latest span starting on or before it), else admitted less than the period's
    admitted_recently months before it. `members` is a list of members (two queries: the rule, the statuses) or a
    queryset (three: the rule, the statuses with the members as a subquery, and the recently admitted among them)."""
    day = year_end(year)
    months = admitted_recently_months(year)
    ids = members.values("pk") if isinstance(members, QuerySet) else [member.pk for member in members]
    found: dict[int, str] = {}
    spans = MemberStatusSpan.objects.filter(held(day), member__in=ids).order_by("member", "-start", "-pk")
    for member_id, kind in spans.values_list("member_id", "kind"):
        found.setdefault(member_id, NotRatedReason(kind).value)
    if months is None:
        admitted = []
    elif isinstance(members, QuerySet):  # only the recently admitted rows are read
        cutoff = months_before_year_end(year, months)
        admitted = members.filter(admitted_on__gt=cutoff).values_list("pk", flat=True)
    else:
        admitted = [member.pk for member in members if _admitted_after(member, year, months)]
    for member_id in admitted:
        found.setdefault(member_id, NotRatedReason.ADMITTED_RECENTLY.value)
    return found


def not_rated_reason_suggested(*, member: Member, year: int) -> str:
    """The reason one member is not rated for a year (not_rated_reasons_suggested); "" when the member is to be
    rated."""
    return not_rated_reasons_suggested(members=[member], year=year).get(member.pk, "")


def _months_of_year(year: int) -> Subquery:
    """The admitted_recently months of the period covering the year, as a subquery (NULL when the row is off)."""
    rows = (
        PeriodRule.objects.filter(rule=Rule.ADMITTED_RECENTLY, period__first_year__lte=year)
        .filter(Q(period__last_year__isnull=True) | Q(period__last_year__gte=year))
        .order_by("-period__first_year")
        .annotate(months=Case(When(enabled=True, then=KT("parameters__months")), default=None))
    )
    return Subquery(rows.values("months")[:1])


def members_with_year_notes(members: QuerySet, *, year: int) -> QuerySet:
    """The members annotated, inside their own query (no query more for a page of them), with the year's facts
    a list shows: `status_of_year` (the kind of the status span covering 31 December, the latest started),
    `discipline_form` and `discipline_on` (the latest discipline record decided that year), and
    `admitted_recently_months` (the period's months, None when its rule is off). Read them with year_notes."""
    first, day = datetime.date(year, 1, 1), year_end(year)
    spans = MemberStatusSpan.objects.filter(held(day), member=OuterRef("pk")).order_by("-start", "-pk")
    records = Discipline.objects.filter(member=OuterRef("pk"), decided_on__gte=first, decided_on__lte=day).order_by(
        "-decided_on", "-pk"
    )
    return members.annotate(
        status_of_year=Subquery(spans.values("kind")[:1]),
        discipline_form=Subquery(records.values("form")[:1]),
        discipline_on=Subquery(records.values("decided_on")[:1]),
        admitted_recently_months=_months_of_year(year),
    )


def year_notes(member: Member, *, year: int) -> None:
    """Sets on a member read through members_with_year_notes `reason_suggested_code` and `reason_suggested` (the
    suggested not-rated reason and its label, or ""), `reason_label` (the label of the reason stored with the year's
    rating, with the period's months, or "") and `discipline_label` (the form of the year's latest discipline, or
    ""); no query."""
    months = int(member.admitted_recently_months) if member.admitted_recently_months is not None else None
    code = member.status_of_year or ""
    if not code and _admitted_after(member, year, months):
        code = NotRatedReason.ADMITTED_RECENTLY.value
    member.reason_suggested_code = code
    member.reason_suggested = not_rated_reason_label(code, months)
    rating = getattr(member, "rating", None)
    stored = rating.not_rated_reason if rating is not None and rating.level_id is None else ""
    member.reason_label = not_rated_reason_label(stored, months)
    member.discipline_label = DisciplineForm(member.discipline_form).label if member.discipline_form else ""
