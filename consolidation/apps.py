"""The consolidation app: plans that bring weak units back up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsolidationConfig(AppConfig):
    name = "consolidation"
    verbose_name = _("Củng cố tổ chức cơ sở đảng yếu kém")

    def ready(self) -> None:
        from assessments.signals import demo_loaded

        from .demo import on_demo_loaded

        # assessments never imports consolidation: it only announces that the demo district is loaded.
        demo_loaded.connect(on_demo_loaded, dispatch_uid="consolidation.demo")
