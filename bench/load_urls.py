"""The project's URLs plus `GET /bench/bare/<pk>/`: one evaluation row read by primary key and
returned as JSON, through the same middleware and database as every other request (the
reference the load benchmark compares the application's requests with)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from thenchot.appraisal.models import Evaluation
from thenchot.urls import urlpatterns as project_urls


def bare(request: HttpRequest, pk: int) -> JsonResponse:
    row = Evaluation.objects.values("pk", "status", "version", "score", "final_level").get(pk=pk)
    return JsonResponse({**row, "score": str(row["score"])})


urlpatterns = [path("bench/bare/<int:pk>/", bare), *project_urls]
