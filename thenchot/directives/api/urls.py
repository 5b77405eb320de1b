"""Routes of the directives API. Documents and tasks are looked up by their code, and an
official number such as "12/KL-UBND" is used as a code in imports, so a code may hold "/"."""

from rest_framework.routers import DynamicRoute, Route, SimpleRouter

from thenchot.directives.api.views import DocumentViewSet, ExtensionViewSet, TaskViewSet


class CodeRouter(SimpleRouter):
    """A `SimpleRouter` whose record actions are tried before the record itself.

    A lookup that accepts "/" also matches "<code>/<action>", so with the usual order
    ".../12/KL-UBND/attachments/" would be read as the record "12/KL-UBND/attachments".
    Trying `<code>/<action>/` first keeps the actions reachable; the price is that a code
    ending in "/<action name>" (say "X/comments") reaches that action of "X", not itself.
    """

    routes = [
        *(route for route in SimpleRouter.routes if not route.detail),
        *(r for r in SimpleRouter.routes if r.detail and isinstance(r, DynamicRoute)),
        *(r for r in SimpleRouter.routes if r.detail and isinstance(r, Route)),
    ]


router = CodeRouter()
router.register("documents", DocumentViewSet, basename="document")
router.register("tasks", TaskViewSet, basename="task")
router.register("extensions", ExtensionViewSet, basename="extension")

urlpatterns = router.urls
