from django.urls import path

from thenchot.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_create, name="create"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("plans/", views.plan_list, name="plans"),
    path("<str:code>/", views.inspection_page, name="detail"),
    path("<str:code>/findings/", views.finding_add, name="finding_add"),
    path("<str:code>/recommendations/", views.recommendation_add, name="recommendation_add"),
    path("<str:code>/conclusion/", views.conclusion_record, name="conclusion"),
    path(
        "<str:code>/recommendations/<str:rec_code>/remediation/",
        views.remediation_report,
        name="remediation",
    ),
    path("<str:code>/reports/<int:report_id>/decide/", views.remediation_decide, name="decide"),
]
