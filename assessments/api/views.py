"""Read API (v1): organizations, unit and member assessments, summaries and schemes, each scoped to the caller."""

import datetime

from django import forms
from django.db.models import Count, Model, Q
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.pagination import PageNumberPagination

from assessments import permissions
from assessments.api import organizations as api
from assessments.api import serializers
from assessments.models import (
    MAX_YEAR,
    MIN_YEAR,
    QUARTERS,
    Kind,
    MemberAssessment,
    NotRatedReason,
    RatingScheme,
    Sector,
    Summary,
    UnitAssessment,
    year_end,
)


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(filters.NumberFilter):
    """A whole year within the model's range; anything else is a 400 naming the parameter."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class SubtreeFilterSet(filters.FilterSet):
    """`organization`: rows of that organization and everything below it, within the caller's scope."""

    organization = filters.CharFilter(
        method="filter_subtree", max_length=40, help_text="Mã tổ chức: lấy tổ chức đó và mọi đơn vị trực thuộc."
    )
    year = YearFilter(field_name="year")

    subtree_field = "organization__path"

    def filter_subtree(self, queryset, name, value):
        root = permissions.organizations_visible_to(self.request.user).filter(code=value).only("path").first()
        if root is None:  # unknown or outside the scope: nothing, the same answer either way
            return queryset.none()
        return queryset.filter(**{f"{self.subtree_field}__startswith": root.path})


class OrganizationFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Kind.choices)
    sector = filters.ChoiceFilter(choices=Sector.choices)
    parent = filters.CharFilter(field_name="parent__code", max_length=40, help_text="Mã tổ chức cấp trên trực tiếp.")
    year = YearFilter(method="filter_year", help_text="Chỉ các tổ chức tồn tại vào ngày 31/12 của năm này.")

    def filter_year(self, queryset, name, value):
        return queryset.for_year(value)


class PeriodFilterSet(SubtreeFilterSet):
    """`period`: the rows of one quarter (Q1–Q4); without it, the yearly rows only, as before quarters existed."""

    period = filters.ChoiceFilter(
        choices=[(q.value, q.label) for q in QUARTERS],
        method="filter_period",
        help_text="Một quý (Q1–Q4); bỏ trống là cả năm.",
    )

    def filter_period(self, queryset, name, value):
        return queryset.filter(period=value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset if self.form.cleaned_data.get("period") else queryset.filter(period="")


class UnitAssessmentFilterSet(PeriodFilterSet):
    level = filters.CharFilter(field_name="level__code", max_length=24)


class MemberAssessmentFilterSet(PeriodFilterSet):
    level = filters.CharFilter(field_name="level__code", max_length=24)
    not_rated_reason = filters.ChoiceFilter(choices=NotRatedReason.choices)


class SummaryFilterSet(PeriodFilterSet):
    pass


def _children_day(request) -> datetime.date:
    """The day on which children are counted: 31 December of the `year` filter, else today."""
    raw = request.query_params.get("year", "")
    if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return year_end(int(raw))
    return datetime.date.today()


PERIOD_QUERY = OpenApiParameter(
    "period",
    {"type": "string", "enum": [q.value for q in QUARTERS]},
    OpenApiParameter.QUERY,
    required=False,
    description="Một quý (Q1–Q4); bỏ trống là cả năm.",
)

YEAR_PATH = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": 1000, "maximum": 9999},  # the URL takes exactly four digits
    OpenApiParameter.PATH,
    description="Năm (4 chữ số).",
)


@extend_schema_view(
    list=extend_schema(summary="Tổ chức đảng trong phạm vi của người gọi"),
    retrieve=extend_schema(summary="Một tổ chức đảng theo mã"),
    summary=extend_schema(
        summary="Số liệu tổng hợp của một tổ chức trong một năm hoặc một quý",
        parameters=[YEAR_PATH, PERIOD_QUERY],
        responses=serializers.SummarySerializer,
        filters=False,
    ),
)
class OrganizationReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, api.OrganizationViewSet):
    """The organization tree in the caller's scope: parent code and children count on each row."""

    serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationFilterSet
    filter_backends = [filters.DjangoFilterBackend]
    pagination_class = Pagination

    def filter_queryset(self, queryset):
        # The list's filters do not apply to one organization's summary (building the filter form costs ~1 ms).
        return queryset if self.action == "summary" else super().filter_queryset(queryset)

    def get_queryset(self):
        if self.action == "summary":
            # The summary reads one stored row: the scope alone, without the children count's join and GROUP BY.
            return super().get_queryset()
        day = _children_day(self.request)
        existing = (Q(children__valid_from__isnull=True) | Q(children__valid_from__lte=day)) & (
            Q(children__valid_to__isnull=True) | Q(children__valid_to__gte=day)
        )
        return (
            super()
            .get_queryset()
            .select_related("parent")
            .annotate(children_count=Count("children", filter=existing))
            .order_by("path")
        )


class _ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Rows of a model with an `organization`, limited to the organizations in the caller's scope.

    A subclass names the model, what to join and the order (the order pages are cut in)."""

    filter_backends = [filters.DjangoFilterBackend]
    pagination_class = Pagination
    model: type[Model]
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()

    def get_queryset(self):
        visible = permissions.organizations_visible_to(self.request.user)
        rows = self.model.objects.filter(organization__in=visible)
        return rows.select_related(*self.related).order_by(*self.ordering)


@extend_schema_view(
    list=extend_schema(summary="Kết quả xếp loại tổ chức đảng"),
    retrieve=extend_schema(summary="Một kết quả xếp loại tổ chức đảng"),
)
class UnitAssessmentViewSet(_ScopedReadViewSet):
    """Unit ratings of organizations in the caller's scope; filter by an organization's subtree and a year."""

    serializer_class = serializers.UnitAssessmentSerializer
    filterset_class = UnitAssessmentFilterSet
    model = UnitAssessment
    related = ("organization", "level__scheme", "self_level")
    ordering = ("-year", "organization__path", "pk")


@extend_schema_view(
    list=extend_schema(summary="Kết quả xếp loại đảng viên"),
    retrieve=extend_schema(summary="Một kết quả xếp loại đảng viên"),
)
class MemberAssessmentViewSet(_ScopedReadViewSet):
    """Member ratings recorded by cells in the caller's scope; filter by an organization's subtree and a year."""

    serializer_class = serializers.MemberAssessmentSerializer
    filterset_class = MemberAssessmentFilterSet
    model = MemberAssessment
    related = ("member", "organization", "level__scheme")
    ordering = ("-year", "organization__path", "member__name_folded", "pk")


@extend_schema_view(
    list=extend_schema(summary="Số liệu tổng hợp đã lưu"),
    retrieve=extend_schema(summary="Một bản số liệu tổng hợp"),
)
class SummaryViewSet(_ScopedReadViewSet):
    """Stored yearly summaries of organizations in the caller's scope (the summary JSON contract)."""

    serializer_class = serializers.SummarySerializer
    filterset_class = SummaryFilterSet
    model = Summary
    related = ("organization",)
    ordering = ("-year", "organization__path", "pk")


@extend_schema_view(
    list=extend_schema(summary="Quy định xếp loại và các mức"),
    retrieve=extend_schema(summary="Một quy định xếp loại"),
)
class RatingSchemeViewSet(viewsets.ReadOnlyModelViewSet):
    """Rating schemes with their levels; shown to callers who have some organization in scope."""

    serializer_class = serializers.RatingSchemeSerializer
    pagination_class = Pagination
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def get_queryset(self):
        if not permissions.organizations_visible_to(self.request.user).exists():
            return RatingScheme.objects.none()
        return RatingScheme.objects.prefetch_related("levels").order_by("first_year")
