"""Admin of the stored summaries: read only, with an action that recomputes the chosen ones at once."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessments.admin_scope import ScopedRowsMixin
from assessments.models import Summary


@admin.register(Summary)
class SummaryAdmin(ScopedRowsMixin, admin.ModelAdmin):
    """Read only: summaries are derived data; the action queues nothing, it recomputes at once."""

    list_display = [
        "organization",
        "year",
        "period",
        "scheme_code",
        "units_total",
        "units_rated",
        "members_total",
        "members_good_or_better",
        "computed_at",
        "is_stale",
    ]
    list_filter = ["year", "period", "organization__kind"]
    list_select_related = ["organization"]
    search_fields = ["organization__code", "organization__name"]
    actions = ["recompute"]

    @admin.display(boolean=True, description=_("cần tính lại"))
    def is_stale(self, obj) -> bool:
        return obj.stale

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Tính lại các bản tổng hợp đã chọn"), permissions=["view"])
    def recompute(self, request, queryset):
        from assessments.summaries.recompute import summaries_recompute

        rows = sorted(set(queryset.values_list("year", "period", "organization_id")))
        for year, period in sorted({(y, p) for y, p, _o in rows}):
            ids = [o for y2, p2, o in rows if (y2, p2) == (year, period)]
            summaries_recompute(organization_ids=ids, year=year, period=period)
        self.message_user(request, _("Đã tính lại %(n)s bản tổng hợp.") % {"n": len(rows)})
