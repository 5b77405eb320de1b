from rest_framework.routers import SimpleRouter

from thenchot.directives.api.views import DocumentViewSet, ExtensionViewSet, TaskViewSet

router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("tasks", TaskViewSet, basename="task")
router.register("extensions", ExtensionViewSet, basename="extension")

urlpatterns = router.urls
