from django.urls import path

from thenchot.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("records/", views.records, name="records"),
    path("board/", views.board, name="board"),
    path("board/urge/", views.urge, name="urge"),
    path("board/reassign/", views.reassign, name="reassign"),
]
