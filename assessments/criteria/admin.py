"""Admin of criteria sets, groups, items and item scores: every change runs the services' checks as form errors
(the lock of a used set included) and saves or deletes through the services; the frame's parts are data here too."""

import functools

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from assessments.admin_forms import checked_form
from assessments.admin_scope import ScopedRowsMixin
from assessments.criteria import services
from assessments.models import CriteriaGroup, CriteriaItem, CriteriaSet, FramePart, ItemScore


class ServiceAdmin(SimpleHistoryAdmin):
    """Checks with `write_check`, saves with `save`, deletes with `delete` (all services)."""

    write_check = save = delete = None

    def get_form(self, request, obj=None, **kwargs):
        return checked_form(
            super().get_form(request, obj, **kwargs),
            functools.partial(type(self).write_check, actor=request.user),
            ready=lambda form: not form.errors,
        )

    def save_model(self, request, obj, form, change):
        type(self).save(obj, request.user)

    def delete_model(self, request, obj):
        try:
            type(self).delete(obj, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))

    def get_actions(self, request):
        # Bulk deletion would skip the services' lock; rows are deleted one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ScopedRowsMixin, ServiceAdmin):
    scope_fields = ("issuer",)
    list_display = ["code", "version", "name", "issuer", "subject_group", "first_year", "last_year"]
    list_filter = ["subject_group", "first_year"]
    list_select_related = ["issuer"]
    search_fields = ["code", "name", "issuer__code"]
    autocomplete_fields = ["issuer"]
    raw_id_fields = ["replaces"]
    write_check = staticmethod(services.criteria_set_write_check)
    save = staticmethod(lambda obj, actor: services.criteria_set_save(criteria_set=obj, actor=actor))
    delete = staticmethod(lambda obj, actor: services.criteria_set_delete(criteria_set=obj, actor=actor))


@admin.register(CriteriaGroup)
class CriteriaGroupAdmin(ScopedRowsMixin, ServiceAdmin):
    scope_fields = ("criteria_set__issuer",)
    list_display = ["criteria_set", "code", "name", "max_points", "part", "order"]
    list_select_related = ["criteria_set", "part"]
    search_fields = ["criteria_set__code", "code", "name"]
    raw_id_fields = ["criteria_set"]
    write_check = staticmethod(services.criteria_group_write_check)
    save = staticmethod(lambda obj, actor: services.criteria_group_save(group=obj, actor=actor))
    delete = staticmethod(lambda obj, actor: services.criteria_group_delete(group=obj, actor=actor))


@admin.register(CriteriaItem)
class CriteriaItemAdmin(ScopedRowsMixin, ServiceAdmin):
    scope_fields = ("criteria_set__issuer",)
    list_display = ["criteria_set", "code", "name", "max_points", "group"]
    list_select_related = ["criteria_set", "group"]
    search_fields = ["criteria_set__code", "code", "name"]
    raw_id_fields = ["group"]
    write_check = staticmethod(services.criteria_item_write_check)
    save = staticmethod(lambda obj, actor: services.criteria_item_save(item=obj, actor=actor))
    delete = staticmethod(lambda obj, actor: services.criteria_item_delete(item=obj, actor=actor))


# The frame's parts belong to a rating scheme, reference data shared by every unit: no organization, so no scope.
@admin.register(FramePart)
class FramePartAdmin(SimpleHistoryAdmin):
    list_display = ["scheme", "code", "name", "points", "tolerance", "order"]
    list_select_related = ["scheme"]


@admin.register(ItemScore)
class ItemScoreAdmin(ScopedRowsMixin, SimpleHistoryAdmin):
    """Read only: item scores are written by the import (and the scoring sheet), which rolls them up."""

    list_display = ["item", "member", "organization", "year", "period", "self_score", "score"]
    list_filter = ["year", "period"]
    list_select_related = ["item", "member", "organization"]
    search_fields = ["item__code", "member__card_number", "organization__code"]
    scope_fields = ("organization", "member__organization")  # a unit's score, or a member's

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
