from django.urls import path

from thenchot.directory import oidc

app_name = "directory"
urlpatterns = [
    path("authenticate/", oidc.sign_in_view, name="oidc_init"),
    path("callback/", oidc.callback_view, name="oidc_callback"),
]
