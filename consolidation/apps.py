"""The consolidation app: plans that bring weak units back up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsolidationConfig(AppConfig):
    name = "consolidation"
    verbose_name = _("Củng cố tổ chức cơ sở đảng yếu kém")
