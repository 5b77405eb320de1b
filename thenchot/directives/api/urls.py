"""Routes of the directives API. Documents and tasks are looked up by their code, and an
official number such as "12/KL-UBND" is used as a code in imports, so a code may hold "/"."""

from thenchot.core.api.routers import CodeRouter
from thenchot.directives.api.views import DocumentViewSet, ExtensionViewSet, TaskViewSet

router = CodeRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("tasks", TaskViewSet, basename="task")
router.register("extensions", ExtensionViewSet, basename="extension")

urlpatterns = router.urls
