from thenchot.commendations.api.views import CommendationViewSet
from thenchot.core.api.routers import CodeRouter

# Commendations are looked up by a code that may hold "/" (an official number).
codes = CodeRouter()
codes.register("commendations", CommendationViewSet, basename="commendation")

urlpatterns = codes.urls
