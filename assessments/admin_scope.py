"""The admin's pickers of organizations and members limited to the user's scope: one helper for the forms and their
search boxes, so a picker offers only what is in scope and a form refuses anything else typed in by hand."""

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.models import Member, Organization
from assessments.permissions import organizations_visible_to


def picker_choices(model, user) -> QuerySet | None:
    """The organizations or members a picker may offer the user (None for other models): those in scope, a member
    by the organization he or she belongs to."""
    if model is Organization:
        return organizations_visible_to(user)
    if model is Member:
        return Member.objects.filter(organization__in=organizations_visible_to(user))
    return None


class ScopedPickersMixin:
    """A ModelAdmin whose foreign keys named in `scoped_pickers` (to an organization or a member) offer only the
    user's scope: in the form (its choices, so a posted id outside the scope is not a valid choice) and, through
    picker_search_scope, in the autocomplete search box."""

    scoped_pickers: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.scoped_pickers:
            choices = picker_choices(db_field.related_model, request.user)
            if choices is not None:
                kwargs["queryset"] = choices
                # Rather than Django's "not one of the available choices": say why the id is refused.
                what = db_field.verbose_name
                kwargs.setdefault("error_messages", {})["invalid_choice"] = _(
                    "%(what)s đã chọn không thuộc phạm vi của bạn: chỉ chọn %(what_lower)s trong phạm vi."
                ) % {"what": str(what)[:1].upper() + str(what)[1:], "what_lower": what}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def picker_search_scope(request, queryset: QuerySet) -> QuerySet:
    """The autocomplete results for a scoped picker (the source admin names the field in its `scoped_pickers`)
    limited to the user's scope; other searches unchanged. Called by the searched model's admin."""
    from django.apps import apps

    try:
        source = apps.get_model(request.GET.get("app_label", ""), request.GET.get("model_name", ""))
    except (LookupError, ValueError):
        return queryset
    if not admin.site.is_registered(source):
        return queryset
    if request.GET.get("field_name") not in getattr(admin.site.get_model_admin(source), "scoped_pickers", ()):
        return queryset
    choices = picker_choices(queryset.model, request.user)
    return queryset if choices is None else queryset.filter(pk__in=choices.values("pk"))
