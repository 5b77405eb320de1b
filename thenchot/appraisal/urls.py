from django.urls import path

from thenchot.appraisal import views

app_name = "appraisal"
urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.self_assessment, name="me"),
    path("me/<str:period>/", views.self_assessment, name="me_period"),
    path("results/", views.my_results, name="results"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("board/", views.board, name="board"),
    path("board/act/", views.board_act, name="board_act"),
    path("close/", views.close_screen, name="close"),
    path("close/act/", views.close_act, name="close_act"),
    path("collective/", views.collective, name="collective"),
    path("agencies/", views.agency_ratings, name="agencies"),
    path("decree90/<str:code>/<int:year>/", views.decree90, name="decree90"),
    path("decree90/<str:code>/<int:year>/form/", views.decree90_form, name="decree90_form"),
]
