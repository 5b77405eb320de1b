from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications`: the user's unread count, queried only if a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from thenchot.notifications.selectors import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
