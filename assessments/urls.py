"""URLs of the assessments app."""

from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("members/", views.member_list, name="member_list"),
]
