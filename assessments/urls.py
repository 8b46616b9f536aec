"""URLs of the assessments app."""

from django.urls import path

from . import import_views, views

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("members/", views.member_list, name="member_list"),
    # Bulk import (import_views): upload, preview (dry run), confirm, progress, templates, files with errors.
    path("imports/", import_views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("imports/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/errors/", import_views.import_errors, name="import_errors"),
    path("imports/template/<str:data_type>/", import_views.import_template, name="import_template"),
]
