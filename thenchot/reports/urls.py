from django.urls import path

from thenchot.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.download, name="download"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/file/", views.run_file, name="run_file"),
]
