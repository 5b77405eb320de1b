"""System checks run by `thenchot check --deploy` (registered in CoreConfig.ready)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from thenchot.core.secret import key_file


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key_source(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A key generated into the data directory is shared by the processes of one machine only:
    a second machine would generate its own, and a user's session would break at every switch."""
    if getattr(settings, "THENCHOT_SECRET_KEY_SOURCE", "") != "file":
        return []
    path = key_file(Path(settings.THENCHOT_DATA_DIR))
    messages: list[checks.CheckMessage] = [
        checks.Warning(
            _("The secret key was generated into %(path)s on this machine.") % {"path": path},
            hint=_(
                "Set THENCHOT_SECRET_KEY to the same value on every machine when more than one "
                "machine serves this installation."
            ),
            id="core.W001",
        )
    ]
    try:
        mode = path.stat().st_mode
    except OSError:
        return messages
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        messages.append(
            checks.Warning(
                _("Other users of this machine can read the secret key file %(path)s.")
                % {"path": path},
                hint=_("Make it readable by its owner only: chmod 600 %(path)s") % {"path": path},
                id="core.W002",
            )
        )
    return messages
