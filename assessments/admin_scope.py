"""The admin limited to the user's scope: the rows each admin lists and opens, the pickers of organizations and members
(in the forms and their search boxes, so a picker offers only what is in scope and a form refuses anything else
typed in by hand), and the actor's refusals shown on the form."""

import functools

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.admin_forms import checked_form
from assessments.models import Member, Organization
from assessments.permissions import organizations_visible_to, sees_everything


def rows_in_scope(queryset: QuerySet, user, paths: tuple[str, ...]) -> QuerySet:
    """The rows of `queryset` in the user's scope: those whose organization, reached by one of `paths` ("pk" for an
    organization itself, "plan__organization" for a part of a plan...), is visible to the user; every row for those
    who see everything. One filter with a subquery per path, no check per row."""
    if sees_everything(user):
        return queryset
    visible = organizations_visible_to(user).values("pk")
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in": visible})
    return queryset.filter(condition) if paths else queryset.none()


class ScopedRowsMixin:
    """A ModelAdmin that lists and opens only the rows in the user's scope (rows_in_scope by `scope_fields`, the
    paths from a row to its organization; a row is in scope when one of them leads into it). A change, delete or
    history URL of a row outside it answers as for a row that does not exist: the change and delete pages redirect
    to the admin's index saying so (the admin's 404), the history pages answer 404, also for a row since deleted.

    Models with no organization (rating schemes and levels, the frame's parts, guidance periods and their rules)
    are reference data shared by every unit and have no scope: their admins do not take this mixin."""

    scope_fields: tuple[str, ...] = ("organization",)

    def get_queryset(self, request):
        return rows_in_scope(super().get_queryset(request), request.user, self.scope_fields)

    def _in_scope_require(self, request, object_id) -> None:
        # simple-history reads a row missing from get_queryset from its history, and its revert page reads the
        # history alone: outside the scope neither says anything of the row.
        if sees_everything(request.user):
            return
        try:
            found = self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):  # not an id at all
            found = False
        if not found:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_require(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_require(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


def refusal_as_error(check):
    """`check` with the actor's refusal (out of scope, 404; a role not allowed, 403) raised as a ValidationError, so
    that the admin shows it on the form, as it shows a broken rule, rather than as an error page."""

    @functools.wraps(check)
    def checked(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        except (PermissionDenied, Http404) as refusal:
            raise ValidationError(str(refusal)) from refusal

    return checked


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


class ActorCheckedMixin:
    """A ModelAdmin whose form, once valid, asks `actor_check(row, actor=user)` (the check of the services that write
    such rows: who may write there), its refusal shown as a form error."""

    actor_check = None  # staticmethod(check): called with the row and actor=, raises PermissionDenied or Http404

    def get_form(self, request, obj=None, **kwargs):
        return checked_form(
            super().get_form(request, obj, **kwargs),
            refusal_as_error(functools.partial(type(self).actor_check, actor=request.user)),
            ready=lambda form: not form.errors,
        )
