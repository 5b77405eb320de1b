from django.urls import path

from thenchot.exchange import views

app_name = "exchange"
urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("import/<str:token>/", views.import_status_view, name="import_status"),
    path("template.xlsx", views.template_view, name="template"),
    path("export/", views.export_view, name="export"),
]
