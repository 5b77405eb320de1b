"""The local-account backend used once a directory is configured (conf.directory_settings)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from thenchot.directory.services import is_directory_account


class LocalAccountBackend(ModelBackend):
    """Django's username and password check, for the accounts the directory does not own: an
    account linked to a directory signs in only through it (a password set on it some other
    way, by a reset link say, is never accepted here)."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and not is_directory_account(user.pk)
