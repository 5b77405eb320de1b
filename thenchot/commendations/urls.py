"""Pages of commendations. Codes may hold "/" (official numbers), so they are `path`s and the
routes under a record come before the record's own route."""

from django.urls import path

from thenchot.commendations import views

app_name = "commendations"
urlpatterns = [
    path("", views.commendation_list, name="list"),
    path("new/", views.commendation_new, name="new"),
    path("quota-overrides/", views.quota_overrides, name="quota_overrides"),
    path("c/<path:code>/edit/", views.commendation_edit, name="edit"),
    path("c/<path:code>/delete/", views.commendation_delete, name="delete"),
    path("c/<path:code>/quota/", views.commendation_grant_quota, name="grant_quota"),
    path("c/<path:code>/", views.commendation_detail, name="detail"),
]
