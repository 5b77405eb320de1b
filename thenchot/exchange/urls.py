from django.urls import path

from thenchot.exchange import views

app_name = "exchange"
urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("template.xlsx", views.template_view, name="template"),
    path("export/", views.export_view, name="export"),
]
