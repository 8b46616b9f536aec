"""Root URLs: the admin on a configurable path, login, the apps."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from assessments.api import tokens as api_tokens


def favicon(request):
    """Browsers ask for /favicon.ico on every page (and on the PDFs and print pages): the static icon."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


urlpatterns = [
    # Unnamed on purpose: not a page of the app (the URL matrix walks named routes).
    path("favicon.ico", favicon),
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Everyone changes their own password here (accounts are created with a generated one: create_accounts).
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("consolidation/", include("consolidation.urls")),
    path("api/v1/", include("assessments.api.urls")),
    # OpenAPI schema and its docs page: logged-in users only (SERVE_PERMISSIONS); Swagger UI served locally.
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="assessments/api_docs.html")
        ),
        name="api_docs",
    ),
    path("accounts/api-token/", api_tokens.token_page, name="api_token"),
    path("reports/", include("assessments.reports.urls")),
    path("", include("assessments.urls")),
]

# The board beside it follows from the user (templates/admin/base_site.html): a province's since July 2025.
admin.site.site_header = admin.site.site_title = _("Quản trị dữ liệu")
