"""The leadership tables of the portal and of the review page (issue 16): the unit's collectives and leaders for
the year or a quarter, and for who may act the forms of their part (the actions: leadership_views)."""

from assessments.common import postback
from assessments.cycle import leadership
from assessments.leadership.forms import LeadershipRatingsForm
from assessments.models import QUARTERS, Period, Submission, period_parse

TABLES = ("collectives", "leaders")


def page_key(part: str, submission: Submission, period: str) -> list:
    return [f"leadership-{part}", submission.organization.code, submission.cycle.year, period]


def form_build(
    table: str, found: leadership.Leadership, *, part: str, scored: bool, data=None
) -> LeadershipRatingsForm:
    rows, levels = (
        (found.collectives, found.unit_levels) if table == "collectives" else (found.leaders, found.member_levels)
    )
    # Two forms on a page: their ids apart (the period field is in both).
    return LeadershipRatingsForm(data, rows=rows, levels=levels, part=part, scored=scored, auto_id=f"id_{table}-%s")


def leadership_context(request, submission: Submission, *, part: str, can_act: bool, closed: bool = False) -> dict:
    """The two tables of the period chosen (?period=Q1…; the year otherwise) and, for who may act, their forms; a
    refused one comes back with what was sent and its errors (once), which show even when the forms are gone.
    `closed`: who could act may not any more (the file is finalized), which the page says."""
    period = period_parse(request.GET.get("period")) or Period.YEAR
    found = leadership.leadership_of(submission=submission, period=period)
    kept = postback.postback_take(request, page=page_key(part, submission, period))
    scored = submission.cycle.scheme.is_scored
    tables, errors = {}, []
    for table in TABLES:
        form = None
        if table in kept and getattr(found, table):
            form = kept[table].bind(
                lambda data, table=table: form_build(table, found, part=part, scored=scored, data=data)
            )
            errors += [] if can_act else form.named_errors()
        elif can_act and getattr(found, table):
            form = form_build(table, found, part=part, scored=scored)
            form.initial["period"] = period
        tables[table] = form if can_act else None
    return {
        "leadership": {
            "part": part,
            "period": period,
            "periods": [(Period.YEAR.value, Period.YEAR.label)] + [(q.value, q.label) for q in QUARTERS],
            "collectives": found.collectives,
            "leaders": found.leaders,
            "forms": tables,
            "scored": scored,
            "errors": errors,
            "closed": closed,
        }
    }
