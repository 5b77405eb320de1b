from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("thenchot.core.urls")),
    path("", include("thenchot.accounts.urls")),
    path("org/", include("thenchot.org.urls")),
    path("staff/", include("thenchot.people.urls")),
    path("audit/", include("thenchot.audit.urls")),
    path("inbox/", include("thenchot.notifications.urls")),
    path("directives/", include("thenchot.directives.urls")),
    path("reports/", include("thenchot.reports.urls")),
    path("inspections/", include("thenchot.inspections.urls")),
    path("discipline/", include("thenchot.discipline.urls")),
    path("rotation/", include("thenchot.rotation.urls")),
    path("appraisal/", include("thenchot.appraisal.urls")),
    path("exchange/", include("thenchot.exchange.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("thenchot.core.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
