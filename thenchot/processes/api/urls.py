from django.urls import path

from thenchot.processes.api.views import IntakeBatchView, IntakeEventView

urlpatterns = [
    path("processes/intake/events/", IntakeEventView.as_view(), name="processes-intake-event"),
    path("processes/intake/batch/", IntakeBatchView.as_view(), name="processes-intake-batch"),
]
