"""The API root: core's own routes (the working-day calendar), then the routes of every app with
an `api/urls.py` (`PluginAppConfig.has_api`)."""

from django.urls import path

from thenchot.core.api.calendar import WorkingDaysView
from thenchot.core.plugins import api_urlpatterns

urlpatterns = [
    path("calendar/working-days/", WorkingDaysView.as_view(), name="calendar-working-days"),
    *api_urlpatterns(),
]
