"""Admin for corrections: filters, folded search and history with revert on every consolidation record."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.admin import ActorFormMixin, FoldedSearchMixin, rule_checked_form
from assessments.admin_scope import ActorCheckedMixin, ScopedPickersMixin, ScopedRowsMixin, refusal_as_error

from . import services
from .models import (
    Indicator,
    Measurement,
    Plan,
    Programme,
    SecondedCadre,
    Task,
    TaskProgress,
    WorkingGroupMember,
)


class _Inline(admin.TabularInline):
    """Rows under their parent, with no blank row: the admin corrects records, it is not where they are entered."""

    extra = 0


class _RecordInline(_Inline):
    """Dated records (progress notes, measurements): the recorder is chosen by id, there are too many users to list."""

    raw_id_fields = ["recorded_by"]


def _plan_manager_check(part, *, actor) -> None:
    services.plan_manager_require(actor=actor, plan=part.plan)


class _PlanPartAdmin(ScopedRowsMixin, ActorCheckedMixin, SimpleHistoryAdmin):
    """A part of a plan (cadre, group member, task, indicator) listed with its plan and unit, the plan chosen by id;
    only the parts of plans in the user's scope, written by whom may write the plan."""

    list_select_related = ["plan__organization"]
    raw_id_fields = ["plan"]
    scope_fields = ("plan__organization",)
    actor_check = staticmethod(_plan_manager_check)


class SecondedCadreInline(_Inline):
    model = SecondedCadre


class WorkingGroupMemberInline(_Inline):
    model = WorkingGroupMember


class TaskInline(_Inline):
    model = Task
    show_change_link = True


class IndicatorInline(_Inline):
    model = Indicator
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(ScopedRowsMixin, SimpleHistoryAdmin):
    list_display = ["name", "organization", "first_year", "last_year", "plan_number", "plan_issued_on"]
    list_select_related = ["organization"]
    search_fields = ["name", "plan_number"]
    list_filter = ["first_year"]

    def save_model(self, request, obj, form, change):
        services.programme_save(programme=obj, actor=request.user)


def _plan_admin_check(plan, *, actor) -> None:
    """What plan_save asks of a plan but its status, which the admin, the correction path, may set: an officer with
    its unit (and programme) in scope, then the plan's rules."""
    refusal_as_error(services.plan_manager_require)(actor=actor, plan=plan)
    services.plan_check(plan)


@admin.register(Plan)
class PlanAdmin(ScopedRowsMixin, ScopedPickersMixin, ActorFormMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["number", "issued_on", "organization", "baseline_year", "baseline_level", "status", "programme"]
    # The programmes of the plans listed only: another district's are not named (admin_scope.ScopedRowsMixin).
    list_filter = [
        "status",
        "issued_on",
        "baseline_year",
        ("programme", admin.RelatedOnlyFieldListFilter),
        "baseline_level__scheme",
    ]
    list_select_related = ["organization", "baseline_level", "programme"]
    search_fields = ["number", "organization__name", "organization__code"]
    folded_search_fields = ("organization__name_folded",)
    exact_search_fields = ("number", "organization__code")
    autocomplete_fields = ["organization"]
    date_hierarchy = "issued_on"
    inlines = [SecondedCadreInline, WorkingGroupMemberInline, TaskInline, IndicatorInline]
    scoped_pickers = ("organization",)
    form = rule_checked_form(Plan, _plan_admin_check, with_actor=True)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "baseline_level":
            from consolidation.selectors import unit_levels

            kwargs["queryset"] = unit_levels()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The admin is the correction path: it may set any status, but the actor's check and the plan's rules apply.
        services.plan_manager_require(actor=request.user, plan=obj)
        services.plan_check(obj)
        obj._history_user = request.user
        obj.save()


class TaskProgressInline(_RecordInline):
    model = TaskProgress


@admin.register(Task)
class TaskAdmin(_PlanPartAdmin):
    list_display = ["description", "plan", "area", "owner", "due_on", "status"]
    list_filter = ["area", "status", "plan__status"]
    search_fields = ["description", "owner", "plan__number"]
    inlines = [TaskProgressInline]


class MeasurementInline(_RecordInline):
    model = Measurement


@admin.register(Indicator)
class IndicatorAdmin(_PlanPartAdmin):
    list_display = ["name", "plan", "unit_of_measure", "baseline_value", "baseline_year", "target_value"]
    list_filter = ["plan__status", "higher_is_better"]
    search_fields = ["name", "plan__number"]
    inlines = [MeasurementInline]


@admin.register(SecondedCadre)
class SecondedCadreAdmin(_PlanPartAdmin):
    list_display = ["full_name", "home_post", "unit_post", "plan", "start", "end"]
    search_fields = ["full_name", "home_post", "unit_post", "plan__number"]
    list_filter = ["start"]


@admin.register(WorkingGroupMember)
class WorkingGroupMemberAdmin(_PlanPartAdmin):
    list_display = ["full_name", "post", "role", "plan"]
    search_fields = ["full_name", "post", "plan__number"]
    list_filter = ["role"]


@admin.register(TaskProgress)
class TaskProgressAdmin(ScopedRowsMixin, ActorCheckedMixin, SimpleHistoryAdmin):
    list_display = ["noted_on", "task", "recorded_by"]
    list_select_related = ["task__plan", "recorded_by"]
    search_fields = ["note", "task__description", "task__plan__number"]
    list_filter = ["noted_on"]
    raw_id_fields = ["task", "recorded_by"]
    scope_fields = ("task__plan__organization",)
    actor_check = staticmethod(
        lambda progress, actor: services.progress_recorder_require(actor=actor, plan=progress.task.plan)
    )


@admin.register(Measurement)
class MeasurementAdmin(ScopedRowsMixin, ActorCheckedMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "measured_on", "value", "recorded_by"]
    list_select_related = ["indicator__plan", "recorded_by"]
    search_fields = ["indicator__name", "indicator__plan__number"]
    list_filter = ["measured_on"]
    raw_id_fields = ["indicator", "recorded_by"]
    scope_fields = ("indicator__plan__organization",)
    actor_check = staticmethod(
        lambda measurement, actor: services.progress_recorder_require(actor=actor, plan=measurement.indicator.plan)
    )
