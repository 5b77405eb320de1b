"""The root URL configuration: every app that plugs in (`core.plugins.PluginAppConfig`) brings
its pages and its API routes; only what belongs to no app is named here."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from thenchot.core.health import ThenChotHealthView
from thenchot.core.plugins import page_urlpatterns

urlpatterns = [
    *page_urlpatterns(),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("thenchot.core.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # The database, the cache, the broker and the scheduler (core.health); no login.
    path("health/", ThenChotHealthView.as_view(), name="health"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
