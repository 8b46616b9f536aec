"""The officers' page of a year's regulation checks over a subtree: what fails or was overridden, with a link to
each unit (the page form of check_ratings)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments import permissions
from assessments.models import Rule
from assessments.regulation import run
from assessments.regulation.periods import period_for_year


@login_required
@require_GET
def regulation_checks(request, code: str, year: int):
    organization = permissions.organization_get_for_user(user=request.user, code=code)
    permissions.role_require(
        permissions.may_read_review(request.user), _("Chỉ cán bộ Ban Tổ chức và lãnh đạo xem được trang này.")
    )
    results = run.reported(run.subtree_checks(organization=organization, year=year))
    return render(
        request,
        "assessments/regulation_checks.html",
        {
            "organization": organization,
            "year": year,
            "period": period_for_year(year),
            "results": results,
            "failed": sum(1 for result in results if result.failed),
            "overridden": sum(1 for result in results if result.overridden),
            "rule_labels": dict(Rule.choices),
        },
    )
