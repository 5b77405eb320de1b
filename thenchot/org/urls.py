from django.urls import path

from thenchot.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree_view, name="tree"),
    path("children/", views.children_view, name="children"),
    path("pick/", views.unit_pick, name="pick_unit"),
    path("<str:code>/", views.unit_view, name="unit"),
]
