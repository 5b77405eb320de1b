from rest_framework.routers import SimpleRouter

from thenchot.reform.api.views import CriterionViewSet, IndexViewSet, ScoreViewSet

router = SimpleRouter()
router.register("reform-criteria", CriterionViewSet, basename="reform-criterion")
router.register("reform-scores", ScoreViewSet, basename="reform-score")
router.register("reform-index", IndexViewSet, basename="reform-index")

urlpatterns = router.urls
