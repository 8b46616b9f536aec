"""REST API (v1): read endpoints scoped by organizations_visible_to; register new viewsets in api_urls.py."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from assessments import permissions, selectors
from assessments.models import MAX_YEAR, MIN_YEAR, period_parse
from assessments.rules.ratings import no_scheme_message


class OrganizationViewSet(viewsets.GenericViewSet):
    """Organizations in the user's scope, looked up by code; anything outside the scope is a 404."""

    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def get_queryset(self):
        return permissions.organizations_visible_to(self.request.user)

    @action(detail=True, methods=["get"], url_path=r"summary/(?P<year>[0-9]{4})", url_name="summary")
    def summary(self, request: Request, code: str, year: str) -> Response:
        """The stored counts of an organization for a year, or a quarter with `?period=Q1` (the summary JSON)."""
        organization = self.get_object()  # scope first: outside it, a 404 whatever the parameters
        raw = request.query_params.get("period", "")
        period = period_parse(raw)
        if period is None:
            raise ValidationError(
                {
                    "period": [
                        _("Kỳ “%(period)s” không hợp lệ: ghi Q1, Q2, Q3 hoặc Q4 (bỏ trống là cả năm).")
                        % {"period": raw}
                    ]
                }
            )
        if not MIN_YEAR <= int(year) <= MAX_YEAR:  # the same range as every other URL with a year (converters.py)
            raise Http404(
                _("Năm %(year)s nằm ngoài khoảng %(min)s–%(max)s.") % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
            )
        data = selectors.summary_read(organization=organization, year=int(year), period=period)
        if data is None:
            raise Http404(no_scheme_message(year))
        return Response(data)
