"""Admin of the import records: read only, scoped by the unit an import was made for."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessments.admin_scope import ScopedRowsMixin
from assessments.importing import DATA_TYPE_LABELS
from assessments.models import ImportRecord


class DataTypeFilter(admin.SimpleListFilter):
    """Imports by their kind of data, named as the import page names it (the field stores the code)."""

    title = _("loại dữ liệu")
    parameter_name = "data_type"

    def lookups(self, request, model_admin):
        return list(DATA_TYPE_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(data_type=self.value()) if self.value() else queryset


@admin.register(ImportRecord)
class ImportRecordAdmin(ScopedRowsMixin, admin.ModelAdmin):
    """Read only: the record of an import is evidence of who loaded what; corrections go through new imports. Scoped
    by the unit it was made for, as its pages are (permissions.import_record_visible), not by its maker."""

    list_display = ["created_at", "user", "organization", "data_type_label", "file_name", "status", "dry_run", "source"]
    list_filter = ["status", DataTypeFilter, "source", "dry_run"]
    list_select_related = ["user", "organization"]
    search_fields = ["file_name", "checksum", "user__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # The column showed the stored code ("member_ratings"): the kind's name, as on the import page.
    @admin.display(description=_("loại dữ liệu"), ordering="data_type")
    def data_type_label(self, obj) -> str:
        return DATA_TYPE_LABELS.get(obj.data_type, obj.data_type)
