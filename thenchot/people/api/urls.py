from rest_framework.routers import SimpleRouter

from thenchot.people.api.views import StaffViewSet

router = SimpleRouter()
router.register("staff", StaffViewSet, basename="staff")

urlpatterns = router.urls
