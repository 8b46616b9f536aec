"""Answers to the assessments app's extension points (settings.ASSESSMENTS_HOOKS); assessments never imports this."""

from django.db.models import Q, QuerySet

from .models import Plan, PlanStatus


def units_with_plan(*, year: int) -> QuerySet:
    """Ids of units that have a plan answering their rating of the year: one in force, or a draft or finished
    plan based on that year's rating or a later one (cancelled plans do not count)."""
    based_on_year = Q(baseline_year__gte=year) & ~Q(status=PlanStatus.CANCELLED)
    return Plan.objects.filter(Q(status=PlanStatus.ACTIVE) | based_on_year).values("organization_id")
