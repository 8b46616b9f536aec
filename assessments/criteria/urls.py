"""URLs of the criteria pages (included by assessments/urls.py under criteria/)."""

from django.urls import path

from assessments.criteria import views

urlpatterns = [
    path("criteria/", views.criteria_list, name="criteria_list"),
    path("criteria/new/", views.criteria_create, name="criteria_create"),
    path("criteria/<int:pk>/", views.criteria_detail, name="criteria_detail"),
    path("criteria/<int:pk>/edit/", views.criteria_edit, name="criteria_edit"),
    path("criteria/<int:pk>/new-version/", views.criteria_new_version, name="criteria_new_version"),
    path("criteria/<int:pk>/groups/new/", views.criteria_group_form, name="criteria_group_add"),
    path("criteria/<int:pk>/groups/<int:group_pk>/", views.criteria_group_form, name="criteria_group_edit"),
    path("criteria/<int:pk>/groups/<int:group_pk>/delete/", views.criteria_group_delete, name="criteria_group_delete"),
    path("criteria/<int:pk>/items/new/", views.criteria_item_form, name="criteria_item_add"),
    path("criteria/<int:pk>/items/<int:item_pk>/", views.criteria_item_form, name="criteria_item_edit"),
    path("criteria/<int:pk>/items/<int:item_pk>/delete/", views.criteria_item_delete, name="criteria_item_delete"),
]
