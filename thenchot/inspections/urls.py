"""Pages of inspections. Inspections, plans and recommendations are found by their codes, which
may be official numbers holding "/" ("12/KL-TTr"; imports use them), so a code is a `path`.

A `path` also matches "<code>/<action>", so under each prefix every route below a record comes
before the record itself; otherwise ".../12/KL-TTr/findings/" would be read as the inspection
"12/KL-TTr/findings". The price, as in the directives API: a code ending in "/<action>" reaches
that action of the shorter code, not its own page. An inspection coded "plans/..." or "new",
"recommendations", "statistics" is shadowed by the fixed pages (as before).
"""

from django.urls import path

from thenchot.inspections import plan_views, views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_create, name="create"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("statistics/", views.statistics_page, name="statistics"),
    # Before "<code>/...": these paths would otherwise read as an inspection's code.
    path("plans/", plan_views.plan_list, name="plans"),
    path("plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/<path:code>/edit/", plan_views.plan_update, name="plan_update"),
    path("plans/<path:code>/publish/", plan_views.plan_publish, name="plan_publish"),
    path("plans/<path:code>/items/", plan_views.plan_item_add, name="plan_item_add"),
    path(
        "plans/<path:code>/items/<int:item_id>/",
        plan_views.plan_item_update,
        name="plan_item_update",
    ),
    path(
        "plans/<path:code>/items/<int:item_id>/remove/",
        plan_views.plan_item_remove,
        name="plan_item_remove",
    ),
    path("plans/<path:code>/", plan_views.plan_page, name="plan"),
    path("<path:code>/checklist/", plan_views.checklist, name="checklist"),
    path("<path:code>/findings/", views.finding_add, name="finding_add"),
    path("<path:code>/recommendations/", views.recommendation_add, name="recommendation_add"),
    path("<path:code>/conclusion/", views.conclusion_record, name="conclusion"),
    path(
        "<path:code>/recommendations/<path:rec_code>/remediation/",
        views.remediation_report,
        name="remediation",
    ),
    path("<path:code>/reports/<int:report_id>/decide/", views.remediation_decide, name="decide"),
    path("<path:code>/", views.inspection_page, name="detail"),
]
