from django.http import HttpRequest, JsonResponse
from django.urls import path


def records(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"results": []})


urlpatterns = [path("plugin-records/", records, name="plugin-records")]
