"""Admin of the yearly cycle's rows (a year opened under an organization, a unit's file and its documents): scoped,
and corrected only by an officer the cycle's services would let open the year and review the file."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.admin_ratings import OwnSchemeFilter
from assessments.admin_scope import ActorCheckedMixin, ScopedPickersMixin, ScopedRowsMixin
from assessments.admin_search import FoldedSearchMixin
from assessments.cycle import services as cycle_services
from assessments.models import ReviewDocument, SelfAssessmentDocument, Submission, YearCycle


def _cycle_officer_check(row, *, actor) -> None:
    """A year opened under an organization, or a unit's file in it, is corrected by whom the cycle's services let
    open the year and review the file: an officer with the organization in scope."""
    cycle_services.officer_require(actor=actor, organization=row.organization)


@admin.register(YearCycle)
class YearCycleAdmin(ScopedRowsMixin, ScopedPickersMixin, ActorCheckedMixin, SimpleHistoryAdmin):
    list_display = ["organization", "year", "scheme", "deadline", "opened_by", "opened_at"]
    list_filter = ["year", OwnSchemeFilter]
    list_select_related = ["organization", "scheme", "opened_by"]
    search_fields = ["organization__code", "organization__name"]
    autocomplete_fields = ["organization"]
    scoped_pickers = ("organization",)
    actor_check = staticmethod(_cycle_officer_check)


class ReviewDocumentInline(admin.TabularInline):
    model = ReviewDocument
    extra = 0
    can_delete = False
    fields = ["version", "original_name", "kind", "size", "checksum", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class SelfAssessmentDocumentInline(admin.TabularInline):
    """Members' self-assessments, read only: they are uploaded through the portal, which checks their content."""

    model = SelfAssessmentDocument
    extra = 0
    can_delete = False
    fields = ["member", "form", "version", "original_name", "kind", "size", "checksum", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ScopedRowsMixin, ScopedPickersMixin, ActorCheckedMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["organization", "cycle", "status", "submitted_at", "finalized_at"]
    list_filter = ["status", "cycle__year"]
    list_select_related = ["organization", "cycle__organization"]
    search_fields = ["organization__name", "organization__code"]
    folded_search_fields = ("organization__name_folded",)
    exact_search_fields = ("organization__code",)
    autocomplete_fields = ["organization"]
    scoped_pickers = ("organization",)
    actor_check = staticmethod(_cycle_officer_check)
    # Status moves only through the cycle's services (submit, return, finalize, reopen), which keep the locks right.
    readonly_fields = [
        "status",
        "submitted_at",
        "submitted_by",
        "returned_at",
        "returned_by",
        "finalized_at",
        "finalized_by",
    ]
    inlines = [ReviewDocumentInline, SelfAssessmentDocumentInline]
