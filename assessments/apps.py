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
