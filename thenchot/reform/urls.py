"""Pages of the reform index. Unit codes may hold "/", so they come last, as `path`s."""

from django.urls import path

from thenchot.reform import views

app_name = "reform"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/framework/", views.framework, name="framework"),
    path("<int:year>/framework/import/", views.framework_import, name="framework_import"),
    path("<int:year>/framework/copy/", views.framework_copy, name="framework_copy"),
    path("<int:year>/round/", views.round_page, name="round"),
    path("<int:year>/round/save/", views.round_save, name="round_save"),
    path("<int:year>/round/advance/", views.round_advance, name="round_advance"),
    path("<int:year>/round/propose/", views.round_propose, name="round_propose"),
    path("<int:year>/round/assign/", views.round_assign, name="round_assign"),
    path("<int:year>/council/", views.council, name="council"),
    path("<int:year>/council/decide/", views.council_decide, name="council_decide"),
    path("<int:year>/council/publish/", views.publish, name="publish"),
    path("<int:year>/ranking/", views.ranking, name="ranking"),
    path("<int:year>/compare/", views.compare, name="compare"),
    path("<int:year>/self/<path:unit>/", views.self_score, name="self"),
    path("<int:year>/appraise/<path:unit>/", views.appraise, name="appraise"),
    path("<int:year>/records/<str:source>/<path:unit>/", views.records, name="records"),
]
