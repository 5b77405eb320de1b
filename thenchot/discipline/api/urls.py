from rest_framework.routers import SimpleRouter

from thenchot.discipline.api.views import CaseViewSet, DecisionViewSet

router = SimpleRouter()
router.register("discipline/decisions", DecisionViewSet, basename="discipline-decision")
router.register("discipline/cases", CaseViewSet, basename="discipline-case")

urlpatterns = router.urls
