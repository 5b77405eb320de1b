from django.urls import path

from thenchot.discipline import views

app_name = "discipline"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/<str:code>/", views.case_detail, name="case"),
    path("cases/<str:code>/pause/", views.case_pause, name="case_pause"),
    path("cases/<str:code>/extend/", views.case_extend, name="case_extend"),
    path("cases/<str:code>/decide/", views.case_decide, name="case_decide"),
]
