from rest_framework.routers import SimpleRouter

from thenchot.core.api.routers import CodeRouter
from thenchot.inspections.api.views import (
    InspectionStatisticsViewSet,
    InspectionViewSet,
    RecommendationViewSet,
)

# Inspections are looked up by a code that may hold "/"; recommendations and statistics are not.
codes = CodeRouter()
codes.register("inspections", InspectionViewSet, basename="inspection")
router = SimpleRouter()
router.register(
    "inspection-recommendations", RecommendationViewSet, basename="inspection-recommendation"
)
router.register(
    "inspection-statistics", InspectionStatisticsViewSet, basename="inspection-statistics"
)

urlpatterns = codes.urls + router.urls
