"""Pages of discipline. A case is found by its code, which may be an official number holding
"/" (imports use them), so the code is a `path`, and the routes under a case come before the
case itself: otherwise ".../cases/12/QĐ-KL/decide/" would be read as the case
"12/QĐ-KL/decide". The price: a code ending in "/pause", "/extend" or "/decide" reaches that
action of the shorter code, not its own page.
"""

from django.urls import path

from thenchot.discipline import views

app_name = "discipline"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/<path:code>/pause/", views.case_pause, name="case_pause"),
    path("cases/<path:code>/extend/", views.case_extend, name="case_extend"),
    path("cases/<path:code>/decide/", views.case_decide, name="case_decide"),
    path("cases/<path:code>/", views.case_detail, name="case"),
]
