"""URLs of the consolidation app."""

from django.urls import path

from . import views

app_name = "consolidation"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/status/", views.plan_transition, name="plan_transition"),
    path("plans/<int:pk>/progress/", views.task_progress_add, name="task_progress_add"),
    path("plans/<int:pk>/measurements/", views.measurement_add, name="measurement_add"),
    path("plans/<int:pk>/print/", views.plan_print, name="plan_print"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/docx/", views.plan_docx_download, name="plan_docx"),
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/print/", views.programme_print, name="programme_print"),
    path("programmes/<int:pk>/pdf/", views.programme_pdf, name="programme_pdf"),
]
