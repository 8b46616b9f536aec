"""Filters for the results report: numbers, percentages and point differences in the active language's format."""

from django import template

from assessments.reports.renderers import number_text, percent_text, points_text

register = template.Library()


@register.filter
def num(value) -> str:
    """An integer with thousands grouping ("2.824")."""
    return number_text(value)


@register.filter
def pct(share) -> str:
    """A Share (or a percentage) as "60,0%", a dash when the denominator is zero."""
    return percent_text(share)


@register.filter
def points(value) -> str:
    """A difference in percentage points with its sign."""
    return points_text(value)
