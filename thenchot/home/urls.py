from django.urls import path

from thenchot.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="index"),
]
