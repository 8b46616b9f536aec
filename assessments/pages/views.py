"""Pages: fetch within the user's scope, call a selector or a service, render."""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import permissions, selectors
from assessments.leadership import selectors as leadership_selectors
from assessments.models import (
    CYCLE_KINDS,
    MAX_YEAR,
    MEMBER_KINDS,
    MIN_YEAR,
    QUARTERS,
    Member,
    MemberAssessment,
    Period,
    RatingScheme,
    Sector,
    Subject,
    Submission,
    UnitAssessment,
    period_label,
    period_parse,
    rating_of,
)
from assessments.pages import exports
from assessments.pages import selectors as dashboard
from assessments.regulation import members as regulation_members
from assessments.regulation import selectors as regulation_selectors

MEMBERS_PER_PAGE = 50
UNIT_MEMBERS_SHOWN = 30


# The unread notices a secretary sees under his task on the landing page (all of them on the notices page).
UNREAD_NOTICES_SHOWN = 5

# The latest yearly files linked from a unit's page.
UNIT_FILES_SHOWN = 5


def _year(value: str | None, default: int) -> int:
    """A year from the query string; anything else (missing, not a number, out of range) gives the default."""
    try:
        year = int(value or "")
    except ValueError:
        return default
    return year if MIN_YEAR <= year <= MAX_YEAR else default


def _period(value: str | None) -> str:
    """A period from the query string: Q1–Q4 for a quarter; anything else (missing, unknown) gives the year."""
    return period_parse(value) or Period.YEAR


def _last_year() -> int:
    return datetime.date.today().year - 1


@login_required
def home(request):
    """The dashboard: headline figures of an organization in scope for a year, with the lists behind them."""
    user = request.user
    code = request.GET.get("org", "")
    if code:
        organization = permissions.organization_get_for_user(user=user, code=code)
    else:
        organization = dashboard.dashboard_organization_default(user)
    if organization is None:
        return render(request, "assessments/home.html", {"organization": None})
    choices = dashboard.dashboard_picker(user, organization)
    if organization not in choices:
        choices.insert(0, organization)

    years = dashboard.rated_years(organization=organization)
    provisional = dashboard.open_years(organization=organization)
    # The latest year whose results are decided: an open year's first uploads are not the year's figures.
    default = dashboard.decided_year_default(years=years, open_=provisional) or _last_year()
    year = _year(request.GET.get("year"), default=default)
    if year not in years:
        years = sorted({*years, year}, reverse=True)

    # A quarter's counts (issue 15) when asked for; the lists, the trend and the cycle below stay the year's.
    period = _period(request.GET.get("period"))
    headline = dashboard.headline_read(organization=organization, year=year, period=period)
    sectors = (
        dashboard.sector_table(organization=organization, year=year, levels=headline.unit_levels, period=period)
        if headline
        else []
    )
    if headline is not None and headline.computed_at is None:
        # Never computed yet (a year just opened): the unit counts come from the same set-based aggregate as the
        # sector table, so the page shows the right denominator without waiting for the worker.
        dashboard.headline_fill_units(headline=headline, sectors=sectors)
        dashboard.headline_fill_members(headline=headline, organization=organization, period=period)
    context = {
        "organization": organization,
        "choices": choices,
        "year": year,
        "years": years,
        "period": period,
        "period_label": Period(period).label if period else "",
        "quarters": [(q.value, q.label) for q in QUARTERS],
        "headline": headline,
        "not_rated": dashboard.NOT_RATED,
        "good_or_better": dashboard.GOOD_OR_BETTER,
        "sectors": sectors,
        "trend": dashboard.trend(organization=organization),
        "provisional": provisional,
        "open_year": provisional.get(year),
    }

    context["trend_chart"] = _trend_chart(context["trend"], request.LANGUAGE_CODE, provisional)
    context["scheme_changes"] = dashboard.scheme_changes(context["trend"])
    context["pending"] = dashboard.units_not_submitted(organization=organization, year=year)
    # Only a level that opens years has units that owe it a file: a commune opens no cycle for its cells.
    context["pending_shown"] = context["pending"] is not None or organization.kind in CYCLE_KINDS
    context["score_bands"] = selectors.score_bands(
        organization=organization, year=year, scheme=headline.scheme if headline else None, period=period
    )
    finished = dashboard.last_finished_year(organization=organization, before=year, open_=provisional)
    weak = dashboard.weak_units(organization=organization, year=finished) if finished else []
    context["weak_year"] = finished
    context["weak_supported"] = weak is not None
    context["weak_total"] = len(weak or [])
    context["weak_units"] = [a for a in weak or [] if not a.has_plan]
    # A secretary lands on his task for the year; the figures follow below it.
    context["task"] = None if request.GET else _secretary_task(user)
    context["unread_notices"] = _secretary_unread(user) if context["task"] else []
    return render(request, "assessments/home.html", context)


def _secretary_unread(user) -> list:
    """A secretary's latest unread notices, shown under his task."""
    return list(selectors.notices_of(user).filter(read_at__isnull=True)[:UNREAD_NOTICES_SHOWN])


def _secretary_task(user) -> dict | None:
    """A secretary's file for the latest year opened for his unit: its state, deadline, what is done and missing,
    and the district's comment when it was returned; None for other roles or before any year is opened."""
    if not permissions.is_secretary(user) or user.organization_id is None:
        return None
    submission = (
        Submission.objects.filter(organization_id=user.organization_id)
        .select_related("cycle", "organization")
        .order_by("-cycle__year")
        .first()
    )
    if submission is None:
        return None
    from assessments.cycle import rules as cycle_rules

    year = submission.cycle.year
    checklist = cycle_rules.submission_checklist(submission=submission)
    return {
        "submission": submission,
        "year": year,
        "deadline": submission.cycle.deadline,
        "overdue": submission.is_editable and datetime.date.today() > submission.cycle.deadline,
        "done": [item for item in checklist if item.done],
        "missing": [item for item in checklist if not item.done] if submission.is_editable else [],
        "url": reverse("assessments:portal_detail", args=[submission.organization.code, year]),
    }


def _trend_chart(points: list[dict], language: str, provisional: dict | None = None) -> dict:
    """The chart's data and its translated labels, for the json_script tag that static/js/dashboard.js reads. A
    provisional year is left out: its first uploads would be drawn as the year's result."""
    points = [p for p in points if p["year"] not in (provisional or {})]
    return {
        "locale": "vi-VN" if language == "vi" else "en-GB",
        "labels": [str(p["year"]) for p in points],
        "series": [
            {"key": "units_top", "label": _("Đơn vị đạt mức cao nhất (%)"), "data": [p["units_top"] for p in points]},
            {
                "key": "units_good",
                "label": _("Đơn vị hoàn thành tốt nhiệm vụ trở lên (%)"),
                "data": [p["units_good"] for p in points],
            },
            {
                "key": "members_good",
                "label": _("Đảng viên hoàn thành tốt nhiệm vụ trở lên (%)"),
                "data": [p["members_good"] for p in points],
            },
        ],
    }


@login_required
def unit_list(request):
    """Units of a year with their final level; the dashboard's counts link here with the same filters."""
    user = request.user
    provisional = dashboard.open_years_for_user(user)
    year = (
        _year(request.GET.get("year"), default=0)
        or dashboard.latest_unit_year(user=user, exclude=provisional)
        or _last_year()
    )
    parent = None
    if request.GET.get("parent"):
        parent = permissions.organization_get_for_user(user=user, code=request.GET["parent"])
    level = request.GET.get("level", "")
    sector = request.GET.get("sector", "")
    if sector not in Sector.values:
        sector = ""
    query = request.GET.get("q", "").strip()
    period = _period(request.GET.get("period"))
    units = dashboard.units_under(user=user, year=year, parent=parent, period=period)
    rows = dashboard.unit_rows(units=units, level=level, sector=sector, query=query)
    if request.GET.get("format") in exports.FORMATS:  # the list as shown, to XLSX or CSV (issue 17)
        return exports.units_response(fmt=request.GET["format"], year=year, rows=rows, period=period)
    levels = list(selectors.levels_for(year=year, subject=Subject.UNIT))
    level_label = next((lv.label for lv in levels if lv.code == level), "")
    context = {
        "year": year,
        "period": period,
        "period_label": Period(period).label if period else "",
        "open_year": provisional.get(year),
        "units": rows,
        "parent": parent,
        "level": level,
        "level_label": level_label,
        "levels": levels,
        "not_rated": dashboard.NOT_RATED,
        "good_or_better": dashboard.GOOD_OR_BETTER,
        "sector": sector,
        "sector_label": Sector(sector).label if sector else "",
        "sectors": Sector.choices,
        "query": query,
        "english": request.LANGUAGE_CODE == "en",
    }
    return render(request, "assessments/unit_list.html", context)


def _ratings_by_year(unit) -> list[UnitAssessment]:
    """The unit's yearly ratings, newest first, each with the year's scheme and its quarters' ratings beside it
    (`quarters`); a year with quarters only gets an unsaved yearly row, not rated yet (one query for the ratings)."""
    rows = UnitAssessment.objects.filter(organization=unit).select_related("level", "self_level")
    yearly: dict[int, UnitAssessment] = {}
    quarters: dict[int, list[UnitAssessment]] = {}
    for rating in rows.order_by("-year", "period"):
        if rating.period:
            quarters.setdefault(rating.year, []).append(rating)
        else:
            yearly[rating.year] = rating
    schemes = list(RatingScheme.objects.order_by("first_year"))
    ratings = []
    for year in sorted({*yearly, *quarters}, reverse=True):
        rating = yearly.get(year) or UnitAssessment(organization=unit, year=year)
        rating.quarters = quarters.get(year, [])
        rating.scheme = next((s for s in reversed(schemes) if s.covers(year)), None)
        ratings.append(rating)
    return ratings


@login_required
def unit_detail(request, code: str):
    """One unit: its ratings over the years with the scheme of each year, members, documents and history."""
    unit = permissions.organization_get_for_user(user=request.user, code=code)
    ratings = _ratings_by_year(unit)
    decided = [rating.year for rating in ratings if rating.pk is not None]
    latest_year = decided[0] if decided else _last_year()
    children = list(
        unit.children.for_year(latest_year)
        .annotate(rating=rating_of("assessments", latest_year))
        .values("code", "name", "kind", "rating__level__label_vi", "rating__level__label_en")
        .order_by("name_folded")
    )

    members = Member.objects.filter(organization__path__startswith=unit.path)
    members_total = members.count()
    member_year = (
        MemberAssessment.objects.yearly()
        .filter(organization__path__startswith=unit.path)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    shown = list(
        members.select_related("organization")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=MemberAssessment.objects.yearly().filter(year=member_year).select_related("level"),
                to_attr="year_ratings",
            )
        )
        .order_by(*dashboard.member_order())[:UNIT_MEMBERS_SHOWN]
    )

    history = (
        UnitAssessment.history.filter(organization_id=unit.pk)
        .select_related("history_user", "level", "self_level")
        .order_by("-history_date", "-history_id")[:50]
    )
    context = {
        "unit": unit,
        "ratings": ratings,
        "children": children,
        "latest_year": latest_year,
        "members": shown,
        "members_total": members_total,
        "member_year": member_year,
        "member_kinds": MEMBER_KINDS,
        "history": history,
        "documents": dashboard.unit_documents(unit=unit),
        "english": request.LANGUAGE_CODE == "en",
        "files": _unit_files(request.user, unit),
        "disciplines": list(regulation_selectors.disciplines_in_subtree(organization=unit)),
        "leadership": leadership_selectors.unit_leadership(organization=unit),
    }
    return render(request, "assessments/unit_detail.html", context)


def _unit_files(user, unit) -> list[tuple[int, str, str]]:
    """(year, status, link) of the unit's yearly files the user may open: the portal for its own secretary, the
    review page for district staff (one query)."""
    files = []
    for submission in Submission.objects.filter(organization=unit).select_related("cycle", "organization")[
        :UNIT_FILES_SHOWN
    ]:
        year = submission.cycle.year
        if permissions.is_secretary_of(user, unit):
            url = reverse("assessments:portal_detail", args=[unit.code, year])
        elif permissions.may_read_review(user):
            url = reverse("assessments:review_detail", args=[unit.code, year])
        else:
            continue
        files.append((year, submission.get_status_display(), url))
    return sorted(files, reverse=True)


@login_required
def member_list(request):
    """Members in scope: search ignoring case and diacritics, filters by cell and by the year's level."""
    user = request.user
    query = request.GET.get("q", "").strip()
    cell = None
    if request.GET.get("unit"):
        cell = permissions.organization_get_for_user(user=user, code=request.GET["unit"])
    years = dashboard.member_years(user=user)
    provisional = dashboard.open_years_for_user(user)
    default = dashboard.decided_year_default(years=years, open_=provisional) or _last_year()
    year = _year(request.GET.get("year"), default=default)
    level = request.GET.get("level", "")
    period = _period(request.GET.get("period"))
    members = dashboard.members_filtered(user=user, query=query, unit=cell, year=year, level=level, period=period)
    if request.GET.get("format") in exports.FORMATS:  # every filtered row, not one page (issue 17)
        return exports.members_response(fmt=request.GET["format"], year=year, members=members, period=period)
    # The suggested not-rated reason and the year's discipline, read in the page's own query (issue 14).
    members = regulation_members.members_with_year_notes(members, year=year)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    for member in page:
        regulation_members.year_notes(member, year=year)
    levels = list(selectors.levels_for(year=year, subject=Subject.MEMBER))
    units = dashboard.member_units(user=user)
    filters = {"q": query, "unit": cell.code if cell else "", "year": year, "period": period, "level": level}
    context = {
        "page": page,
        "query": query,
        "unit": cell,
        "units": units,
        "year": year,
        "years": sorted({*years, year}, reverse=True),
        "period": period,
        "period_label": period_label(year, period),
        "quarters": [(q.value, q.label) for q in QUARTERS],
        "open_year": provisional.get(year),
        "level": level,
        "levels": levels,
        "not_rated": dashboard.NOT_RATED,
        "good_or_better": dashboard.GOOD_OR_BETTER,
        "querystring": urlencode({k: v for k, v in filters.items() if v}),
        "english": request.LANGUAGE_CODE == "en",
    }
    return render(request, "assessments/member_list.html", context)
