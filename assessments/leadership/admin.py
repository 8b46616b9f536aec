"""Admin of collectives, positions and the ratings of collectives and leaders, with history; saves go through the
services and the forms ask the same rules (rules/collectives.py), so the admin refuses what the importer refuses."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.admin_forms import checked_form
from assessments.admin_scope import ScopedRowsMixin
from assessments.leadership import services
from assessments.models import Collective, CollectiveRating, LeaderRating, Position
from assessments.rules import collectives as rules


def _position_ready(position):
    if position.collective_id and position.start:
        rules.position_check(position)


def _collective_rating_ready(rating):
    if rating.collective_id:
        rules.collective_rating_check(rating)
        services.leadership_decision_check(rating)


def _leader_rating_ready(rating):
    if rating.collective_id and rating.member_id:
        rules.leader_rating_check(rating)
        services.leadership_decision_check(rating)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ["member", "title", "heads", "start", "end", "managed_by"]
    autocomplete_fields = ["member", "managed_by"]


@admin.register(Collective)
class CollectiveAdmin(ScopedRowsMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "organization", "valid_from", "valid_to"]
    list_filter = ["kind"]
    list_select_related = ["organization"]
    search_fields = ["code", "name", "organization__code", "organization__name_folded"]
    autocomplete_fields = ["organization"]

    def get_form(self, request, obj=None, **kwargs):
        return checked_form(super().get_form(request, obj, **kwargs), rules.collective_check)

    def save_model(self, request, obj, form, change):
        services.collective_save(collective=obj, actor=request.user)


@admin.register(Position)
class PositionAdmin(ScopedRowsMixin, SimpleHistoryAdmin):
    scope_fields = ("collective__organization",)
    list_display = ["member", "title", "heads", "collective", "start", "end", "managed_by"]
    list_filter = ["title", "heads", "collective__kind"]
    list_select_related = ["member", "collective", "managed_by"]
    search_fields = ["member__name_folded", "member__card_number", "collective__code", "collective__name"]
    autocomplete_fields = ["member", "collective", "managed_by"]

    def get_form(self, request, obj=None, **kwargs):
        return checked_form(super().get_form(request, obj, **kwargs), _position_ready)

    def save_model(self, request, obj, form, change):
        services.position_save(position=obj, actor=request.user)


RATING_LIST = ["year", "period", "self_level", "appraisal_level", "level", "score", "decided_on"]


@admin.register(CollectiveRating)
class CollectiveRatingAdmin(ScopedRowsMixin, SimpleHistoryAdmin):
    scope_fields = ("collective__organization",)
    list_display = ["collective", *RATING_LIST]
    list_filter = ["year", "period", "level", "collective__kind"]
    list_select_related = ["collective", "self_level", "appraisal_level", "level"]
    search_fields = ["collective__code", "collective__name", "decision_ref"]
    autocomplete_fields = ["collective"]

    def get_form(self, request, obj=None, **kwargs):
        return checked_form(super().get_form(request, obj, **kwargs), _collective_rating_ready)

    def save_model(self, request, obj, form, change):
        services.collective_rating_save(rating=obj, actor=request.user)


@admin.register(LeaderRating)
class LeaderRatingAdmin(ScopedRowsMixin, SimpleHistoryAdmin):
    scope_fields = ("collective__organization",)
    list_display = ["member", "collective", *RATING_LIST]
    list_filter = ["year", "period", "level", "collective__kind"]
    list_select_related = ["member", "collective", "self_level", "appraisal_level", "level"]
    search_fields = ["member__name_folded", "member__card_number", "collective__code", "decision_ref"]
    autocomplete_fields = ["member", "collective"]

    def get_form(self, request, obj=None, **kwargs):
        return checked_form(super().get_form(request, obj, **kwargs), _leader_rating_ready)

    def save_model(self, request, obj, form, change):
        services.leader_rating_save(rating=obj, actor=request.user)
