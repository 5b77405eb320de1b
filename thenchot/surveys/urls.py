"""Pages of surveys. Staff pages live under /surveys/; the public form has the short address
/s/<short code>/ printed as a QR code at the counter. Survey codes may hold "/", so they are
`path`s and the routes under a survey come before the survey's own route."""

from django.urls import path

from thenchot.surveys import public, views

app_name = "surveys"
urlpatterns = [
    path("s/<str:short_code>/", public.public_form, name="public"),
    path("s/<str:short_code>/thanks/", public.public_thanks, name="public_thanks"),
    path("surveys/", views.survey_list, name="list"),
    path("surveys/new/", views.survey_new, name="new"),
    path("surveys/index/", views.unit_index, name="unit_index"),
    path("surveys/s/<path:code>/edit/", views.survey_edit, name="edit"),
    path("surveys/s/<path:code>/sheet.pdf", views.survey_sheet, name="sheet"),
    path("surveys/s/<path:code>/answers.xlsx", views.survey_export, name="export"),
    path("surveys/s/<path:code>/", views.survey_detail, name="detail"),
]
