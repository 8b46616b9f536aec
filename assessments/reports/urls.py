"""URLs of the yearly results report, mounted at /reports/ (namespace "reports")."""

from django.urls import path

import assessments.converters  # noqa: F401  registers <year:…>: a year out of range is a 404
from assessments.reports import views as report_views

app_name = "reports"
urlpatterns = [
    path("", report_views.report_index, name="index"),
    # The files kept with an issued version, by the version's id (before the <code>/<year>/ routes).
    path("issued/<int:pk>/pdf/", report_views.issued_pdf, name="issued_pdf"),
    path("issued/<int:pk>/docx/", report_views.issued_docx, name="issued_docx"),
    path("<str:code>/<year:year>/", report_views.report_detail, name="detail"),
    path("<str:code>/<year:year>/xlsx/", report_views.report_xlsx, name="xlsx"),
    path("<str:code>/<year:year>/pdf/", report_views.report_pdf, name="pdf"),
    path("<str:code>/<year:year>/docx/", report_views.report_docx, name="docx"),
    path("<str:code>/<year:year>/decision/docx/", report_views.decision_docx, name="decision_docx"),
    path("<str:code>/<year:year>/issue/", report_views.report_issue, name="issue"),
    path("<str:code>/<year:year>/decision/", report_views.decision_html, name="decision"),
    path("<str:code>/<year:year>/decision/pdf/", report_views.decision_pdf, name="decision_pdf"),
]
