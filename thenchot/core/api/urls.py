"""The API root: each app's router is included here."""

from django.urls import include, path

urlpatterns = [
    path("", include("thenchot.org.api.urls")),
    path("", include("thenchot.people.api.urls")),
    path("", include("thenchot.notifications.api.urls")),
    path("", include("thenchot.directives.api.urls")),
    path("", include("thenchot.inspections.api.urls")),
    path("", include("thenchot.discipline.api.urls")),
    path("", include("thenchot.rotation.api.urls")),
    path("", include("thenchot.appraisal.api.urls")),
]
