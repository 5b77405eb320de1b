"""The API root: the routes of every app that says it has an API (`PluginAppConfig.has_api`)."""

from thenchot.core.plugins import api_urlpatterns

urlpatterns = api_urlpatterns()
