"""The officers' pages of the regulation: a year's checks over a subtree, what fails or was overridden, with a link
to each unit (the page form of check_ratings); and a period's rules at a committee, switched on or off for the units
under it, with the history of its settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from assessments import permissions
from assessments.models import GuidancePeriod, PeriodRule
from assessments.regulation import run, selectors, services
from assessments.regulation.forms import RuleSettingForm
from assessments.regulation.periods import period_for_year

# Both pages are the district staff's: what a secretary meets on either.
STAFF_PAGE = gettext_lazy("Chỉ cán bộ Ban Tổ chức và lãnh đạo xem được trang này.")


@login_required
@require_GET
def regulation_checks(request, code: str, year: int):
    organization = permissions.organization_get_for_user(user=request.user, code=code)
    permissions.role_require(permissions.may_read_review(request.user), STAFF_PAGE)
    results = run.reported(run.subtree_checks(organization=organization, year=year))
    parents = selectors.parent_names(organizations=[result.organization for result in results], root=organization)
    return render(
        request,
        "assessments/regulation_checks.html",
        {
            "organization": organization,
            "year": year,
            "period": period_for_year(year),
            "rows": [(result, parents.get(result.organization.pk, "")) for result in results],
            "failed": sum(1 for result in results if result.failed),
            "overridden": sum(1 for result in results if result.overridden),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_settings(request, code: str, period: str):
    """A period's rules at a committee: what binds and why; an officer switches one for the units under it."""
    organization = permissions.organization_get_for_user(user=request.user, code=code)
    permissions.role_require(permissions.may_read_rule_settings(request.user), STAFF_PAGE)
    guidance = get_object_or_404(GuidancePeriod, code=period)
    form = None
    if request.method == "POST":
        services.rule_setter_role_require(request.user, organization)
        form = RuleSettingForm(request.POST)
        if form.is_valid():
            row = PeriodRule.objects.filter(period=guidance, rule=form.cleaned_data["rule"]).first()
            if row is None:
                form.add_error("rule", _("Giai đoạn này không có quy tắc đó."))
            else:
                try:
                    services.rule_setting_save(
                        organization=organization,
                        period_rule=row,
                        enabled=form.enabled,
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    messages.success(
                        request,
                        _("Đã lưu: %(rule)s tại %(unit)s.")
                        % {"rule": row.get_rule_display(), "unit": organization.name},
                    )
                    return redirect("assessments:regulation_rule_settings", code=organization.code, period=period)
    return render(
        request,
        "assessments/regulation_rule_settings.html",
        {
            "organization": organization,
            "period": guidance,
            "periods": GuidancePeriod.objects.order_by("first_year"),
            "rules": selectors.rules_at_unit(organization=organization, period=guidance),
            "history": selectors.setting_history(organization=organization, period=guidance),
            "may_set": permissions.may_set_rules(request.user, organization),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )
