"""Admin for data corrections: folded search, filters, and history with revert on every rating."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from assessments import services
from assessments.admin_ratings import (
    ChangeReasonMixin,
    GrassrootsFilter,
    LevelChoicesMixin,
    OwnSchemeFilter,
    SchemeFilter,
)
from assessments.admin_scope import ScopedRowsMixin, picker_search_scope
from assessments.admin_search import FoldedSearchMixin
from assessments.common.text import TextNormalizeFormMixin
from assessments.common.vocabulary import scheme_title
from assessments.models import (
    Member,
    MemberAssessment,
    Membership,
    Organization,
    RatingLevel,
    RatingScheme,
    Subject,
    UnitAssessment,
    User,
)
from assessments.permissions import WRITE_MEMBERS
from assessments.rules import members as rules_members
from assessments.rules.access import write_check


def rule_checked_form(model, check, *, with_actor: bool = False):
    """A ModelForm that runs the rules layer (through the service's check; with_actor passes the acting user, on
    whom scope and the cycle's locks depend), so a broken rule is a form error, not a 500; saving then goes
    through the service."""

    class Form(TextNormalizeFormMixin, forms.ModelForm):
        actor = None  # set per request by ActorFormMixin.get_form

        class Meta:
            fields = "__all__"  # noqa: DJ007 — the admin shows every field of the model

        def _post_clean(self):
            super()._post_clean()
            if self.errors:
                return
            try:
                if with_actor:
                    check(self.instance, actor=self.actor)
                else:
                    check(self.instance)
            except ValidationError as error:
                self._update_errors(error)

    Form.Meta.model = model
    return Form


class ActorFormMixin:
    """Gives the form the acting user, whom the rules (scope, locks) depend on."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form


def _membership_check(membership, *, actor) -> None:
    rules_members.membership_check(membership)
    if membership.organization_id is not None:
        write_check(actor=actor, data_type=WRITE_MEMBERS, organization=membership.organization)


MembershipForm = rule_checked_form(Membership, _membership_check, with_actor=True)


class MembershipFormSet(forms.BaseInlineFormSet):
    """Deleting a row follows the rule of the service: only a past membership entered by mistake."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk:
                try:
                    rules_members.membership_delete_check(form.instance)
                except ValidationError as error:
                    raise ValidationError(error.messages) from error


class MembershipInline(admin.TabularInline):
    """A member's dated memberships, corrected by hand through services.membership_save and membership_delete."""

    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["organization"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.actor = request.user
        return formset


@admin.register(Organization)
class OrganizationAdmin(ScopedRowsMixin, ActorFormMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    scope_fields = ("pk",)
    list_display = ["code", "name", "kind", "sector", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "sector", "depth"]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    folded_search_fields = ("name_folded",)
    exact_search_fields = ("code",)
    autocomplete_fields = ["parent", "successors"]
    readonly_fields = ["path"]
    form = rule_checked_form(Organization, services.organization_write_check, with_actor=True)

    def get_search_results(self, request, queryset, search_term):
        # A picker its admin scopes (admin_scope.ScopedPickersMixin) searches only the user's scope.
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return picker_search_scope(request, queryset), duplicates

    def save_model(self, request, obj, form, change):
        services.organization_save(organization=obj, actor=request.user)


@admin.register(Member)
class MemberAdmin(ScopedRowsMixin, ActorFormMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["card_number", "full_name", "gender", "ethnicity", "status", "organization"]
    list_filter = ["status", "gender", "ethnicity"]
    list_select_related = ["organization"]
    search_fields = ["full_name", "card_number"]
    folded_search_fields = ("name_folded",)
    exact_search_fields = ("card_number",)
    autocomplete_fields = ["organization"]
    inlines = [MembershipInline]
    form = rule_checked_form(
        Member,
        lambda member, actor: services.member_write_check(member, actor=actor, day=timezone.localdate()),
        with_actor=True,
    )

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return picker_search_scope(request, queryset), duplicates

    def get_inline_instances(self, request, obj=None):
        # A new member's first membership is opened by services.member_save; hand corrections come afterwards.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        services.member_save(member=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        # What BaseModelFormSet.save() records, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                services.membership_delete(membership=deleted.instance, actor=request.user)
                formset.deleted_objects.append(deleted.instance)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            is_new = inline_form.instance.pk is None
            inline_form.instance.member = form.instance
            services.membership_save(membership=inline_form.instance, actor=request.user)
            if is_new:
                formset.new_objects.append(inline_form.instance)
            else:
                formset.changed_objects.append((inline_form.instance, inline_form.changed_data))
        return None


@admin.register(Membership)
class MembershipAdmin(ScopedRowsMixin, ActorFormMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["member", "organization", "start", "end"]
    list_filter = ["end"]
    list_select_related = ["member", "organization"]
    search_fields = ["member__full_name", "member__card_number"]
    folded_search_fields = ("member__name_folded",)
    exact_search_fields = ("member__card_number",)
    autocomplete_fields = ["member", "organization"]
    form = MembershipForm

    def has_delete_permission(self, request, obj=None) -> bool:
        # The open membership changes only by a transfer (rules.members.membership_delete_check).
        return super().has_delete_permission(request, obj) and (obj is None or obj.end is not None)

    def save_model(self, request, obj, form, change):
        services.membership_save(membership=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.membership_delete(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_delete(membership=membership, actor=request.user)


class RatingLevelInline(admin.TabularInline):
    model = RatingLevel
    extra = 0


# Rating schemes and their levels are reference data shared by every unit: no organization, so no scope.
@admin.register(RatingScheme)
class RatingSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "first_year", "last_year"]
    inlines = [RatingLevelInline]


@admin.register(RatingLevel)
class RatingLevelAdmin(SimpleHistoryAdmin):
    list_display = ["scheme_column", "subject", "rank", "code", "label_vi", "is_top", "is_good_or_better"]
    list_filter = [OwnSchemeFilter, "subject"]
    list_select_related = ["scheme"]
    search_fields = ["code", "label_vi"]

    # Cited as str(scheme) is, but sorted by the year the scheme came into force rather than by its id.
    @admin.display(description=_("quy định xếp loại"), ordering="scheme__first_year")
    def scheme_column(self, obj) -> str:
        return scheme_title(obj.scheme)


class RatingDeleteMixin:
    """Deleting a rating follows the rule of editing it (services.rating_delete): a finalized rating, or one the
    actor may not change, offers no delete and refuses one."""

    def has_delete_permission(self, request, obj=None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        try:
            services.rating_delete_check(obj, actor=request.user)
        except ValidationError:
            return False
        return True

    def delete_model(self, request, obj):
        services.rating_delete(assessment=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        ratings = list(queryset.select_related("organization"))
        for rating in ratings:  # all checked before any is deleted: a bulk delete is all or nothing
            try:
                services.rating_delete_check(rating, actor=request.user)
            except ValidationError as error:
                raise PermissionDenied(f"{rating}: {' '.join(error.messages)}") from error
        for rating in ratings:
            services.rating_delete(assessment=rating, actor=request.user)


def rating_form(model, check):
    """The rule-checked form of a rating, with the reason for a change."""

    class Form(rule_checked_form(model, check, with_actor=True)):
        change_reason = forms.CharField(
            label=_("Lý do sửa"),
            max_length=100,
            required=False,
            help_text=_("Bắt buộc khi sửa: được lưu vào lịch sử thay đổi."),
        )

    return Form


class RatingAdmin(
    ScopedRowsMixin,
    ChangeReasonMixin,
    RatingDeleteMixin,
    ActorFormMixin,
    LevelChoicesMixin,
    FoldedSearchMixin,
    SimpleHistoryAdmin,
):
    """What both rating admins share: rules and locks on save and on delete, level choices, folded search."""


@admin.register(UnitAssessment)
class UnitAssessmentAdmin(RatingAdmin):
    list_display = ["organization", "year", "period", "self_level", "level", "exemplary", "decision_ref", "decided_on"]
    list_filter = [
        "year",
        "period",
        SchemeFilter,
        "level__rank",
        "exemplary",
        "organization__kind",
        "organization__sector",
        GrassrootsFilter,
    ]
    list_select_related = ["organization", "level", "self_level"]
    search_fields = ["organization__name", "organization__code"]
    # A cell is found by its grassroots organization's name too: "dong y" finds the cells of Đồng Ý.
    folded_search_fields = ("organization__name_folded", "organization__parent__name_folded")
    exact_search_fields = ("organization__code",)
    autocomplete_fields = ["organization"]
    form = rating_form(UnitAssessment, services.unit_assessment_write_check)
    rating_save = staticmethod(services.unit_assessment_save)
    subject = Subject.UNIT


@admin.register(MemberAssessment)
class MemberAssessmentAdmin(RatingAdmin):
    list_display = ["member", "year", "period", "organization", "level", "not_rated_reason"]
    list_filter = ["year", "period", GrassrootsFilter, SchemeFilter, "level__rank", "not_rated_reason"]
    list_select_related = ["member", "organization", "level"]
    search_fields = ["member__full_name", "member__card_number"]
    folded_search_fields = ("member__name_folded", "organization__name_folded", "organization__parent__name_folded")
    exact_search_fields = ("member__card_number",)
    autocomplete_fields = ["member", "organization"]
    form = rating_form(MemberAssessment, services.member_assessment_write_check)
    rating_save = staticmethod(services.member_assessment_save)
    subject = Subject.MEMBER


@admin.register(User)
class AccountAdmin(ScopedRowsMixin, FoldedSearchMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organization", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["organization"]
    folded_search_fields = ("organization__name_folded",)
    exact_search_fields = ("username", "organization__code")
    autocomplete_fields = ["organization"]
    fieldsets = UserAdmin.fieldsets + ((_("Phạm vi"), {"fields": ("role", "organization")}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("Phạm vi"), {"fields": ("role", "organization")}),)


# The regulation's data (periods, rules, discipline, statuses, overrides), the criteria sets (QĐ 366), the leadership
# collectives, the yearly cycle, the import records and the summaries have their admin in their own packages.
from assessments.criteria import admin as _criteria_admin  # noqa: E402, F401
from assessments.cycle import admin as _cycle_admin  # noqa: E402, F401
from assessments.importing import admin as _importing_admin  # noqa: E402, F401
from assessments.leadership import admin as _leadership_admin  # noqa: E402, F401
from assessments.regulation import admin as _regulation_admin  # noqa: E402, F401
from assessments.summaries import admin as _summaries_admin  # noqa: E402, F401
