"""Root URLs: the admin on a configurable path, login, the apps."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("consolidation/", include("consolidation.urls")),
    path("api/v1/", include("assessments.api_urls")),
    path("", include("assessments.urls")),
]

admin.site.site_header = "Ban Tổ chức Huyện ủy Bắc Sơn"
admin.site.site_title = "Quản trị dữ liệu"
