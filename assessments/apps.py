"""The assessments app: organizations, members, rating schemes and ratings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Đánh giá, xếp loại")

    def ready(self) -> None:
        # Connects the receivers that mark summaries stale and queue their recompute.
        from . import tasks  # noqa: F401
