"""Reads for consolidation: who may see and do what, candidates, outcomes across schemes, flags, results."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from assessments import permissions
from assessments.models import Organization, RatingLevel, Subject, UnitAssessment
from assessments.permissions import organizations_visible_to

from .models import Indicator, Measurement, Plan, PlanStatus, Programme, Task, TaskProgress, TaskStatus

# Candidates for consolidation, from the level rows (the counting vocabulary), never from ranks or codes: a unit at
# the lowest level of its scheme (weak 2014–2017, not completed from 2018) must be consolidated; one below "good or
# better" but above the lowest ("completed") may be.
MUST = Q(level__is_lowest=True)
MAY = Q(level__is_lowest=False, level__is_good_or_better=False)


# --- who may do what: the predicates of assessments.permissions, named as the pages ask them -----------------------


def user_can_manage_plans(user) -> bool:
    """District officers and administrators create and change plans and programmes; leaders and secretaries do not."""
    return permissions.may_manage_plans(user)


def user_is_district_staff(user) -> bool:
    """Officers, leaders and administrators see candidates and programmes; unit secretaries see only their plan."""
    return permissions.may_read_programmes(user)


def user_can_record(user, plan: Plan) -> bool:
    """Progress and measurements go on active plans: by officers, or by the secretary of the target unit."""
    return plan.status == PlanStatus.ACTIVE and permissions.may_record_progress(user, plan)


# --- plans in scope --------------------------------------------------------------------------------------------


def plans_visible_to(user) -> QuerySet[Plan]:
    """Plans of units in the user's scope; a secretary sees only the issued plans of their own unit."""
    plans = Plan.objects.filter(organization__in=organizations_visible_to(user))
    if not user_is_district_staff(user):
        plans = plans.filter(organization_id=user.organization_id).exclude(status=PlanStatus.DRAFT)
    return plans.select_related("organization", "baseline_level", "programme")


def plan_get_for_user(*, user, pk: int) -> Plan:
    """One plan within the user's scope; 404 outside it, whether it exists or not."""
    return get_object_or_404(plans_visible_to(user), pk=pk)


def plan_get_full(*, user, pk: int) -> Plan:
    """A plan with everything its page shows, in a fixed number of queries."""
    plans = plans_visible_to(user).prefetch_related(
        "cadres",
        "group_members",
        Prefetch(
            "tasks",
            queryset=Task.objects.prefetch_related(
                Prefetch("progress_notes", queryset=TaskProgress.objects.select_related("recorded_by"))
            ),
        ),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.prefetch_related(
                Prefetch("measurements", queryset=Measurement.objects.select_related("recorded_by"))
            ),
        ),
    )
    return get_object_or_404(plans, pk=pk)


def plans_filtered(*, user, year: int | None = None, status: str = "", unit_code: str = "") -> QuerySet[Plan]:
    """The plan list: plans in scope, filtered by year of issue, status and target unit."""
    plans = plans_visible_to(user)
    if year:
        plans = plans.filter(issued_on__year=year)
    if status:
        plans = plans.filter(status=status)
    if unit_code:
        plans = plans.filter(organization__code=unit_code)
    return plans.order_by("-issued_on", "number")


def units_with_plans(*, user) -> QuerySet[Organization]:
    """Units that have a plan the user can see, for the list's filter."""
    return Organization.objects.filter(pk__in=plans_visible_to(user).values("organization_id")).order_by("name_folded")


def programmes_visible_to(user) -> QuerySet[Programme]:
    """Programmes issued by an organization in the user's scope, for district staff; secretaries see none."""
    if not permissions.may_read_programmes(user):
        return Programme.objects.none()
    return Programme.objects.filter(organization__in=organizations_visible_to(user)).select_related("organization")


def programme_get_for_user(*, user, pk: int) -> Programme:
    """One programme issued within the user's scope; 404 outside it (another district's), whether it exists or not."""
    return get_object_or_404(programmes_visible_to(user), pk=pk)


# --- candidates ------------------------------------------------------------------------------------------------


def candidates_for_year(*, user, year: int) -> QuerySet[UnitAssessment]:
    """Grassroots units in scope rated at the lowest level (must) or below good (may) for a year, without an active
    plan."""
    active_plan = Plan.objects.active().filter(organization=OuterRef("organization"))
    draft_plan = Plan.objects.filter(status=PlanStatus.DRAFT, organization=OuterRef("organization"))
    units = organizations_visible_to(user).grassroots().for_year(year)
    return (
        UnitAssessment.objects.yearly()
        .filter(MUST | MAY, year=year, level__subject=Subject.UNIT, organization__in=units)
        .exclude(Exists(active_plan))
        .annotate(has_draft=Exists(draft_plan))
        .select_related("organization__parent", "level__scheme")
        .order_by("-level__rank", "organization__name_folded")
    )


def candidate_get(*, user, code: str, year: int) -> UnitAssessment | None:
    """The candidate row of one unit and year, or None when that unit is not a candidate."""
    return candidates_for_year(user=user, year=year).filter(organization__code=code).first()


def plan_initial_from_candidate(*, candidate: UnitAssessment, today: datetime.date | None = None) -> dict:
    """Fields of a new plan prefilled from a candidate: unit, baseline year and level, title, goals."""
    today = today or datetime.date.today()
    unit = candidate.organization
    # A programme of the unit's own district (or province) for this year: the nearest issuer first.
    programme = (
        Programme.objects.filter(
            organization__code__in=unit.path.strip("/").split("/"),
            first_year__lte=today.year,
            last_year__gte=today.year,
        )
        .order_by("-organization__depth", "-first_year")
        .first()
    )
    return {
        "programme": programme.pk if programme else None,
        "organization": unit.pk,
        "baseline_year": candidate.year,
        "baseline_level": candidate.level_id,
        "issued_on": today,
        "title": gettext("Củng cố, kiện toàn %(unit)s") % {"unit": unit.name},
        "goals": gettext(
            "Khắc phục những hạn chế đã khiến %(unit)s xếp loại “%(level)s” năm %(year)s; "
            "phấn đấu năm %(next)s đạt mức xếp loại cao hơn."
        )
        % {"unit": unit.name, "level": candidate.level.label, "year": candidate.year, "next": candidate.year + 1},
    }


# --- outcomes across schemes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeStep:
    year: int
    label: str
    rank: int


@dataclass
class Outcome:
    """The target unit's final ratings from the baseline year on, comparable by rank across schemes."""

    baseline: OutcomeStep | None
    later: list[OutcomeStep] = field(default_factory=list)

    @property
    def steps(self) -> list[OutcomeStep]:
        return ([self.baseline] if self.baseline else []) + self.later

    @property
    def text(self) -> str:
        """ "Yếu kém (2016) → Trong sạch, vững mạnh (2017)"."""
        return " → ".join(f"{step.label} ({step.year})" for step in self.steps)

    def step_for(self, year: int) -> OutcomeStep | None:
        return next((step for step in self.later if step.year == year), None)

    def change_in(self, year: int) -> str:
        """'improved', 'same', 'worse' or 'unknown' for a year's rating against the baseline (lower rank is better)."""
        step = self.step_for(year)
        if step is None or self.baseline is None:
            return "unknown"
        if step.rank < self.baseline.rank:
            return "improved"
        return "same" if step.rank == self.baseline.rank else "worse"


def outcome_year(plan: Plan) -> int:
    """The year whose rating shows whether the plan worked: the year of the plan's work, after the baseline."""
    return max(plan.issued_on.year, plan.baseline_year + 1)


def plan_outcomes(plans: Iterable[Plan]) -> dict[int, Outcome]:
    """Outcomes of many plans in one query: the baseline level, then each later final rating of the unit."""
    plans = list(plans)
    if not plans:
        return {}
    ratings = (
        UnitAssessment.objects.yearly()
        .filter(
            organization_id__in={p.organization_id for p in plans},
            year__gte=min(p.baseline_year for p in plans),
            level__isnull=False,
        )
        .select_related("level")
        .order_by("year")
    )
    by_unit: dict[int, list[UnitAssessment]] = defaultdict(list)
    for rating in ratings:
        by_unit[rating.organization_id].append(rating)
    outcomes = {}
    for plan in plans:
        unit_ratings = by_unit.get(plan.organization_id, [])
        level = plan.baseline_level or next((r.level for r in unit_ratings if r.year == plan.baseline_year), None)
        baseline = OutcomeStep(plan.baseline_year, level.label, level.rank) if level else None
        later = [OutcomeStep(r.year, r.level.label, r.level.rank) for r in unit_ratings if r.year > plan.baseline_year]
        outcomes[plan.pk] = Outcome(baseline=baseline, later=later)
    return outcomes


def plan_outcome(plan: Plan) -> Outcome:
    """The outcome of one plan."""
    return plan_outcomes([plan])[plan.pk]


# --- flags -----------------------------------------------------------------------------------------------------


def stale_indicator_days() -> int:
    return int(getattr(settings, "CONSOLIDATION_STALE_INDICATOR_DAYS", 90))


def overdue_tasks(*, plans: QuerySet[Plan], today: datetime.date | None = None) -> QuerySet[Task]:
    """Tasks of active plans past their due date and not done."""
    today = today or datetime.date.today()
    return (
        Task.objects.filter(plan__in=plans, plan__status=PlanStatus.ACTIVE, due_on__lt=today)
        .exclude(status=TaskStatus.DONE)
        .order_by("due_on", "id")
    )


def stale_indicators(
    *, plans: QuerySet[Plan], today: datetime.date | None = None, days: int | None = None
) -> QuerySet[Indicator]:
    """Indicators of active plans with no measurement in the last `days` days (none at all counts from issue)."""
    today = today or datetime.date.today()
    cutoff = today - datetime.timedelta(days=stale_indicator_days() if days is None else days)
    return (
        Indicator.objects.filter(plan__in=plans, plan__status=PlanStatus.ACTIVE)
        .annotate(last_measured_on=Max("measurements__measured_on"))
        .filter(Q(last_measured_on__lt=cutoff) | Q(last_measured_on__isnull=True, plan__issued_on__lt=cutoff))
        .order_by("plan_id", "id")
    )


def plan_flag_counts(*, plans: Iterable[Plan], today: datetime.date | None = None) -> dict[int, dict]:
    """Overdue tasks and stale indicators counted per plan, in two queries whatever the number of plans."""
    ids = [p.pk for p in plans]
    scope = Plan.objects.filter(pk__in=ids)
    overdue = Counter(overdue_tasks(plans=scope, today=today).values_list("plan_id", flat=True))
    stale = Counter(stale_indicators(plans=scope, today=today).values_list("plan_id", flat=True))
    return {pk: {"overdue": overdue.get(pk, 0), "stale": stale.get(pk, 0)} for pk in ids}


# --- programme results -----------------------------------------------------------------------------------------


@dataclass
class YearResult:
    year: int
    plans: list[Plan] = field(default_factory=list)
    improved: int = 0
    same: int = 0
    worse: int = 0
    unknown: int = 0

    @property
    def consolidated(self) -> int:
        return len(self.plans)


def programme_results(*, programme: Programme, user) -> list[YearResult]:
    """Per year of the programme: units consolidated, and how many were rated better (lower rank) that year."""
    plans = list(plans_visible_to(user).filter(programme=programme).carried_out().order_by("issued_on", "number"))
    outcomes = plan_outcomes(plans)
    years: dict[int, YearResult] = {}
    for plan in plans:
        year = outcome_year(plan)
        result = years.setdefault(year, YearResult(year=year))
        result.plans.append(plan)
        plan.outcome = outcomes[plan.pk]
        change = plan.outcome.change_in(year)
        setattr(result, change, getattr(result, change) + 1)
    return [years[y] for y in sorted(years)]


def unit_levels() -> QuerySet[RatingLevel]:
    """Unit levels of every scheme, for the baseline level choice."""
    return (
        RatingLevel.objects.filter(subject=Subject.UNIT).select_related("scheme").order_by("scheme__first_year", "rank")
    )


def tasks_by_area(plan: Plan) -> list[tuple[str, list[Task]]]:
    """A plan's tasks grouped by content area in the order of the areas (uses prefetched tasks when present)."""
    from .models import ContentArea

    groups: dict[str, list[Task]] = defaultdict(list)
    for task in plan.tasks.all():
        groups[task.area].append(task)
    return [(area.label, groups[area.value]) for area in ContentArea if groups.get(area.value)]
