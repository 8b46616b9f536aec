"""URLs of the assessments app."""

from django.urls import path

import assessments.converters  # noqa: F401  registers <year:…>: a year out of range is a 404
from assessments.criteria import urls as criteria_urls
from assessments.cycle import decisions, document_views, leadership_views, notice_views, review_views
from assessments.cycle import views as cycle_views
from assessments.importing import views as import_views
from assessments.pages import views
from assessments.regulation import views as regulation_views

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("members/", views.member_list, name="member_list"),
    # The yearly cycle: opening a year, the portal (cycle_views); documents (document_views); review (review_views).
    path("cycle/", cycle_views.cycle_list, name="cycle_list"),
    path("cycle/<str:code>/<year:year>/", cycle_views.cycle_detail, name="cycle_detail"),
    path("cycle/<str:code>/<year:year>/finalize/", decisions.cycle_finalize_selected, name="cycle_finalize_selected"),
    path("portal/", cycle_views.portal_home, name="portal_home"),
    path("portal/<str:code>/<year:year>/", cycle_views.portal_detail, name="portal_detail"),
    path("portal/<str:code>/<year:year>/document/", cycle_views.portal_document_upload, name="portal_document_upload"),
    path(
        "portal/<str:code>/<year:year>/self-assessment/",
        document_views.portal_self_assessment_upload,
        name="portal_self_assessment_upload",
    ),
    path("portal/<str:code>/<year:year>/self-level/", cycle_views.portal_self_level, name="portal_self_level"),
    path("portal/<str:code>/<year:year>/cells/", cycle_views.portal_cells, name="portal_cells"),
    path("portal/<str:code>/<year:year>/submit/", cycle_views.portal_submit, name="portal_submit"),
    # The leadership tables of the portal and the review (leadership_views): self-assessment; appraisal, decision.
    path(
        "portal/<str:code>/<year:year>/collectives/",
        leadership_views.portal_record,
        {"table": "collectives"},
        name="portal_collectives",
    ),
    path(
        "portal/<str:code>/<year:year>/leaders/",
        leadership_views.portal_record,
        {"table": "leaders"},
        name="portal_leaders",
    ),
    path(
        "review/<str:code>/<year:year>/collectives/",
        leadership_views.review_record,
        {"table": "collectives"},
        name="review_collectives",
    ),
    path(
        "review/<str:code>/<year:year>/leaders/",
        leadership_views.review_record,
        {"table": "leaders"},
        name="review_leaders",
    ),
    path(
        "portal/<str:code>/<year:year>/scoring/<int:pk>/",
        cycle_views.portal_scoring_sheet,
        name="portal_scoring_sheet",
    ),
    path("review/<str:code>/<year:year>/", review_views.review_detail, name="review_detail"),
    path("review/<str:code>/<year:year>/appraise/", review_views.review_appraise, name="review_appraise"),
    path("review/<str:code>/<year:year>/finalize/", review_views.review_finalize, name="review_finalize"),
    path("review/<str:code>/<year:year>/return/", review_views.review_return, name="review_return"),
    path("review/<str:code>/<year:year>/reopen/", review_views.review_reopen, name="review_reopen"),
    path("documents/<int:pk>/", document_views.document_download, name="document_download"),
    path(
        "self-assessments/<int:pk>/",
        document_views.self_assessment_download,
        name="self_assessment_download",
    ),
    # The user's own notices of the cycle (notice_views).
    path("notices/", notice_views.notice_list, name="notice_list"),
    path("notices/read/", notice_views.notice_read_all, name="notices_read"),
    path("notices/<int:pk>/read/", notice_views.notice_read, name="notice_read"),
    path("checks/<str:code>/<year:year>/", regulation_views.regulation_checks, name="regulation_checks"),
    path("checks/<str:code>/rules/<str:period>/", regulation_views.rule_settings, name="regulation_rule_settings"),
    # Bulk import (import_views): upload, preview (dry run), confirm, progress, templates, files with errors.
    path("imports/", import_views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("imports/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/errors/", import_views.import_errors, name="import_errors"),
    path("imports/template/<str:data_type>/", import_views.import_template, name="import_template"),
    # Criteria sets (QĐ 366): list, a set, its groups and items, new versions.
    *criteria_urls.urlpatterns,
]
