from rest_framework.routers import SimpleRouter

from thenchot.rotation.api.views import DueViewSet, RotationViewSet

router = SimpleRouter()
router.register("rotation/rotations", RotationViewSet, basename="rotation")
router.register("rotation/due", DueViewSet, basename="rotation-due")

urlpatterns = router.urls
