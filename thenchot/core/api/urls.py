"""The API root: the routes of every app with an `api/urls.py` (`PluginAppConfig.has_api`)."""

from thenchot.core.plugins import api_urlpatterns

urlpatterns = api_urlpatterns()
