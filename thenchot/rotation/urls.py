from django.urls import path

from thenchot.rotation import views

app_name = "rotation"
urlpatterns = [
    path("", views.due, name="due"),
    path("rotations/", views.rotation_list, name="list"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<str:code>/", views.plan_detail, name="plan"),
    path("plans/<str:code>/items/", views.plan_add_item, name="plan_add_item"),
    path("plans/<str:code>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<str:code>/items/<int:item_id>/execute/", views.plan_execute, name="plan_execute"),
]
