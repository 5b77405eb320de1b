from rest_framework.routers import SimpleRouter

from thenchot.appraisal.api.views import EvaluationViewSet, PeriodViewSet

router = SimpleRouter()
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("evaluation-periods", PeriodViewSet, basename="evaluation-period")

urlpatterns = router.urls
