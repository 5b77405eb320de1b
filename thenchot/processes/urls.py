"""Pages of processes. Procedure and case codes may hold "/" (official numbers), so they are
`path`s and the routes under a record come before the record's own route."""

from django.urls import path

from thenchot.processes import views, views_calendar, views_statistics

app_name = "processes"
urlpatterns = [
    path("", views.process_list, name="list"),
    path("new/", views.process_new, name="new"),
    path("cases/", views.case_list, name="cases"),
    path("statistics/", views_statistics.statistics, name="statistics"),
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("cases/<path:code>/advance/", views.case_advance, name="case_advance"),
    path("cases/<path:code>/delay/", views.case_delay, name="case_delay"),
    path("cases/<path:code>/", views.case_detail, name="case"),
    path("p/<path:code>/retire/", views.process_retire, name="retire"),
    path("p/<path:code>/documents/", views.process_attach, name="attach"),
    path("p/<path:code>/start/", views.case_start, name="case_new"),
    path("p/<path:code>/", views.process_detail, name="detail"),
]
