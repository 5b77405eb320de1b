from thenchot.core.api.routers import CodeRouter
from thenchot.surveys.api.views import ResponseViewSet, SurveyViewSet

router = CodeRouter()
router.register("surveys", SurveyViewSet, basename="survey")
router.register("survey-responses", ResponseViewSet, basename="survey-response")

urlpatterns = router.urls
