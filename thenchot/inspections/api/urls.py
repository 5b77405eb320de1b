from rest_framework.routers import SimpleRouter

from thenchot.inspections.api.views import (
    InspectionStatisticsViewSet,
    InspectionViewSet,
    RecommendationViewSet,
)

router = SimpleRouter()
router.register("inspections", InspectionViewSet, basename="inspection")
router.register(
    "inspection-recommendations", RecommendationViewSet, basename="inspection-recommendation"
)
router.register(
    "inspection-statistics", InspectionStatisticsViewSet, basename="inspection-statistics"
)

urlpatterns = router.urls
