"""The rating admins' guidance: filters by scheme (named as cited) and by grassroots organization, a level select of
the row's year and subject without shortcuts to reference data, and the reason asked for a change."""

import copy

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.utils.translation import gettext_lazy as _

from assessments.common.vocabulary import scheme_title
from assessments.models import Kind, Organization, RatingLevel, RatingScheme
from assessments.permissions import organizations_visible_to


class SchemeFilter(admin.SimpleListFilter):
    """Ratings by the scheme of their level, named as cited ("Quy định 132-QĐ/TW"), in the order they came into force,
    with the scheme's code in the address (a bookmark keeps working when ids differ between databases)."""

    title = _("quy định xếp loại")
    parameter_name = "quy_dinh"
    field = "level__scheme__code"

    def lookups(self, request, model_admin):
        return [(scheme.code, scheme_title(scheme)) for scheme in RatingScheme.objects.order_by("first_year")]

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field: self.value()}) if self.value() else queryset


class OwnSchemeFilter(SchemeFilter):
    """The same, for a row with a scheme of its own (a level, a year opened)."""

    field = "scheme__code"


class GrassrootsFilter(admin.SimpleListFilter):
    """Ratings under one grassroots organization (a commune's committee and its cells, or a grassroots cell)."""

    title = _("tổ chức cơ sở đảng")
    parameter_name = "co_so"

    def lookups(self, request, model_admin):
        # Only those in the user's scope, as the rows listed are (admin_scope.ScopedRowsMixin).
        grassroots = organizations_visible_to(request.user).filter(
            kind__in=[Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL]
        )
        return list(grassroots.order_by("name_folded").values_list("code", "name"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = Organization.objects.filter(code=self.value()).only("path").first()
        return queryset.filter(organization__path__startswith=unit.path) if unit else queryset.none()


class LevelChoicesMixin:
    """A rating's level lists only the levels of its year's scheme and subject, each named with its scheme (codes and
    labels repeat across schemes); the reference data it points to (levels, organizations, members) is corrected in
    its own admin, never through add, change or delete shortcuts from a rating's form."""

    subject = ""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return field

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        year = obj.year if obj is not None else _year_or_none(request.GET.get("year"))
        # On a POST every level of the subject stays valid, so that the rules layer words a wrong scheme's level.
        scheme = RatingScheme.for_year(year) if year and request.method != "POST" else None
        for name in ("level", "self_level"):
            if name not in form.base_fields:
                continue
            field = form.base_fields[name] = copy.deepcopy(form.base_fields[name])
            levels = RatingLevel.objects.select_related("scheme").filter(subject=self.subject)
            if scheme is not None:
                levels = levels.filter(scheme=scheme)
            field.queryset = levels.order_by("-scheme__first_year", "rank")
            field.label_from_instance = _level_choice_label
            field.empty_label = "—"
        return form


def _level_choice_label(level: RatingLevel) -> str:
    return f"{level.label_vi} ({scheme_title(level.scheme)})"


def _year_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ChangeReasonMixin:
    """A change to a rating asks why; save_model stores it as the history's change reason (simple-history reads
    `_change_reason` when the service saves) and saves through the admin's `rating_save` service."""

    rating_save = None  # staticmethod(service): called with assessment= and actor=, the one write path

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        self.rating_save(assessment=obj, actor=request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "change_reason" in form.base_fields:
            field = form.base_fields["change_reason"] = copy.deepcopy(form.base_fields["change_reason"])
            field.required = obj is not None  # a new rating needs none: its history says it was added
        return form
