"""Pages of rotation. A plan is found by its code, which may be an official number holding "/"
(imports use them), so the code is a `path`, and the routes under a plan come before the plan
itself: otherwise ".../plans/05/KH-UBND/publish/" would be read as the plan
"05/KH-UBND/publish". The price: a code ending in "/items" or "/publish" reaches that action of
the shorter code, not its own page.
"""

from django.urls import path

from thenchot.rotation import views

app_name = "rotation"
urlpatterns = [
    path("", views.due, name="due"),
    path("rotations/", views.rotation_list, name="list"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<path:code>/items/", views.plan_add_item, name="plan_add_item"),
    path("plans/<path:code>/publish/", views.plan_publish, name="plan_publish"),
    path(
        "plans/<path:code>/items/<int:item_id>/execute/",
        views.plan_execute,
        name="plan_execute",
    ),
    path("plans/<path:code>/", views.plan_detail, name="plan"),
]
