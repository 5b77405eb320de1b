"""Routes for records looked up by a code that may hold "/".

Official numbers such as "12/KL-UBND" serve as codes, so a detail URL takes any characters
(`CODE_IN_PATH`); "?" and "#" arrive percent-encoded and decoded, so they are allowed too.
"""

from rest_framework.routers import DynamicRoute, Route, SimpleRouter

CODE_IN_PATH = r".+"


class CodeRouter(SimpleRouter):
    """A `SimpleRouter` whose record actions are tried before the record itself.

    A lookup that accepts "/" also matches "<code>/<action>", so with the usual order
    ".../12/KL-UBND/attachments/" would be read as the record "12/KL-UBND/attachments".
    Trying `<code>/<action>/` first keeps the actions reachable; a code that would itself read
    as "<code>/<action>" (say "X/comments") is refused when the record is written
    (`core.codes.AddressableCode`).
    """

    routes = [
        *(route for route in SimpleRouter.routes if not route.detail),
        *(r for r in SimpleRouter.routes if r.detail and isinstance(r, DynamicRoute)),
        *(r for r in SimpleRouter.routes if r.detail and isinstance(r, Route)),
    ]
