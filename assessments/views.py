"""Pages: fetch within the user's scope, call a selector or a service, render."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .models import UnitAssessment


def _year_from(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return datetime.date.today().year - 1


@login_required
def home(request):
    year = _year_from(request)
    root = (
        request.user.organization
        or selectors.organizations_visible_to(request.user).filter(parent__isnull=True).first()
    )
    context = {"year": year, "root": root, "counts": None}
    if root is not None:
        context["counts"] = selectors.unit_level_counts(organization=root, year=year)
    return render(request, "assessments/home.html", context)


@login_required
def unit_list(request):
    year = _year_from(request)
    units = selectors.units_with_ratings(user=request.user, year=year)
    return render(request, "assessments/unit_list.html", {"year": year, "units": units})


@login_required
def unit_detail(request, code: str):
    unit = selectors.organization_get_for_user(user=request.user, code=code)
    ratings = (
        UnitAssessment.objects.filter(organization=unit).select_related("level__scheme", "self_level").order_by("-year")
    )
    children = unit.children.order_by("name_folded")
    return render(request, "assessments/unit_detail.html", {"unit": unit, "ratings": ratings, "children": children})


@login_required
def member_list(request):
    query = request.GET.get("q", "")
    members = selectors.members_search(user=request.user, query=query)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "assessments/member_list.html", {"page": page, "query": query})
