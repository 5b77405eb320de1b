from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "plugin_app"


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("plugin page")


urlpatterns = [path("", index, name="index")]
