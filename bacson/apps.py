"""Vietnamese names for the third-party apps the admin lists: their own configs name them by their Python labels
("AXES", "KNOX"). The labels, and so the tables and migrations, stay theirs."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Đăng nhập sai và khóa tài khoản")


class KnoxConfig(AppConfig):
    name = "knox"
    verbose_name = _("Mã truy cập API")
