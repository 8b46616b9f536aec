"""The assessments app: organizations, members, rating schemes and ratings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Đánh giá, xếp loại")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        # Connects the receiver that revokes API tokens when a password changes or an account is deactivated.
        from assessments.api import tokens  # noqa: F401
        from assessments.common.collation import on_connection_created

        # Connects the receivers that mark summaries stale and queue their recompute.
        from assessments.summaries import tasks  # noqa: F401

        # SQLite gets the Vietnamese collation that PostgreSQL has through ICU (member lists sort by it).
        connection_created.connect(on_connection_created, dispatch_uid="assessments.vietnamese_collation")
        _interface_without_english()


def _interface_without_english() -> None:
    """Two pieces of Django's own interface that its Vietnamese catalogue leaves in English or as code-like marks:
    the admin's "Show counts" link (its counts also cost a query per choice), and the "---------" of an empty choice,
    which every select of a choice field shows (models.fields.BLANK_CHOICE_DASH, shared by reference) and every
    select of a related object (ModelChoiceField's default empty_label, a keyword default of its constructor)."""
    from django import forms
    from django.contrib import admin
    from django.db.models import fields

    admin.ModelAdmin.show_facets = admin.ShowFacets.NEVER
    fields.BLANK_CHOICE_DASH[:] = [("", "—")]
    forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = "—"
