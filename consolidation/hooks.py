"""Answers to the assessments app's extension points (settings.ASSESSMENTS_HOOKS); assessments never imports us."""

from django.db.models import QuerySet

from .models import Plan, PlanStatus


def units_with_plan(*, year: int) -> QuerySet:
    """Ids of units that have a consolidation plan based on that year's rating (draft, active or completed)."""
    return Plan.objects.filter(baseline_year=year).exclude(status=PlanStatus.CANCELLED).values("organization_id")
