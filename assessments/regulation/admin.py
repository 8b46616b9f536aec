"""Admin of the regulation's data: guidance periods and their rules (a district switches a rule or changes its
numbers here), the committees' switches of a rule for their subtree, discipline decisions and members' exempt or
suspended times, overrides (read only); all with history. Their pickers of organizations and members offer only
the user's scope (admin_scope)."""

import functools

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.admin_forms import checked_form
from assessments.admin_scope import ScopedPickersMixin, ScopedRowsMixin
from assessments.models import Discipline, GuidancePeriod, MemberStatusSpan, PeriodRule, RuleOverride, RuleSetting
from assessments.regulation import services


class PeriodRuleInline(admin.TabularInline):
    model = PeriodRule
    extra = 0
    fields = ["rule", "enabled", "source", "parameters", "note"]


# Guidance periods and their rules are the regulation's texts, shared by every unit: no organization, so no scope
# (a committee's switch of a rule is a RuleSetting, scoped below).
@admin.register(GuidancePeriod)
class GuidancePeriodAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "first_year", "last_year", "rating_word"]
    inlines = [PeriodRuleInline]


@admin.register(PeriodRule)
class PeriodRuleAdmin(SimpleHistoryAdmin):
    list_display = ["period", "rule", "enabled", "source"]
    list_filter = ["period", "enabled", "rule"]
    list_select_related = ["period"]
    list_editable = ["enabled"]


@admin.register(Discipline)
class DisciplineAdmin(ScopedRowsMixin, ScopedPickersMixin, SimpleHistoryAdmin):
    list_display = ["decided_on", "form", "member", "organization", "decision_ref", "deciding_body", "corruption"]
    list_filter = ["form", "corruption", "decided_on"]
    list_select_related = ["member", "organization"]
    search_fields = ["member__name_folded", "member__card_number", "organization__code", "decision_ref"]
    autocomplete_fields = ["member", "organization"]
    scoped_pickers = ("member", "organization")  # a committee records the discipline of its own subtree only
    scope_fields = ("organization", "member__organization")  # a collective's discipline, or a member's
    date_hierarchy = "decided_on"

    def save_model(self, request, obj, form, change):
        services.discipline_save(discipline=obj, actor=request.user)

    def get_form(self, request, obj=None, **kwargs):
        return checked_form(
            super().get_form(request, obj, **kwargs),
            functools.partial(services.discipline_check, actor=request.user),
            # a refused pick is the error to show, not "one of the two" that follows from it
            ready=lambda form: "member" not in form._errors and "organization" not in form._errors,
        )


@admin.register(MemberStatusSpan)
class MemberStatusSpanAdmin(ScopedRowsMixin, ScopedPickersMixin, SimpleHistoryAdmin):
    list_display = ["member", "kind", "start", "end"]
    list_filter = ["kind"]
    list_select_related = ["member"]
    search_fields = ["member__name_folded", "member__card_number"]
    autocomplete_fields = ["member"]
    scoped_pickers = ("member",)
    scope_fields = ("member__organization",)

    def save_model(self, request, obj, form, change):
        services.member_status_save(span=obj, actor=request.user)


@admin.register(RuleOverride)
class RuleOverrideAdmin(ScopedRowsMixin, ScopedPickersMixin, SimpleHistoryAdmin):
    list_display = ["year", "organization", "rule", "member", "collective", "group", "decided_by", "decided_at"]
    list_filter = ["year", "rule"]
    list_select_related = ["organization", "member", "collective", "decided_by"]
    search_fields = ["organization__code", "member__card_number", "reason"]
    readonly_fields = [
        "organization",
        "member",
        "collective",
        "group",
        "year",
        "rule",
        "reason",
        "message",
        "decided_by",
        "decided_at",
    ]
    scoped_pickers = ("organization", "member")  # read only today; scoped should a field ever become editable

    def has_add_permission(self, request):
        return False  # recorded by the services that decide a level, with the check's message


@admin.register(RuleSetting)
class RuleSettingAdmin(ScopedRowsMixin, ScopedPickersMixin, SimpleHistoryAdmin):
    list_display = ["organization", "period_rule", "enabled", "set_by", "set_at"]
    list_filter = ["enabled", "period_rule__period", "period_rule__rule"]
    list_select_related = ["organization", "period_rule__period", "set_by"]
    search_fields = ["organization__code", "organization__name_folded", "reason"]
    autocomplete_fields = ["organization"]
    fields = ["organization", "period_rule", "enabled", "reason", "set_by", "set_at"]
    readonly_fields = ["set_by", "set_at"]
    scoped_pickers = ("organization",)  # a committee switches rules for its own subtree only

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period_rule":  # each choice is named with its period's name: read with it, not per row
            kwargs["queryset"] = PeriodRule.objects.select_related("period")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.rule_setting_save(
            organization=obj.organization,
            period_rule=obj.period_rule,
            enabled=obj.enabled,
            reason=obj.reason,
            actor=request.user,
        )

    def delete_model(self, request, obj):
        services.rule_setting_save(
            organization=obj.organization,
            period_rule=obj.period_rule,
            enabled=None,
            reason=obj.reason,
            actor=request.user,
        )

    def get_form(self, request, obj=None, **kwargs):
        actor = request.user
        return checked_form(
            super().get_form(request, obj, **kwargs),
            lambda setting: services.rule_setting_check(
                organization=setting.organization, actor=actor, reason=setting.reason
            ),
            ready=lambda form: form.instance.organization_id is not None,
        )
