"""The static files storage of production (`THENCHOT_STATIC_MANIFEST`): Django's manifest
storage, hashed names that nginx caches for a year. It tolerates what vendored libraries name
but do not ship — Chart.js's source map, the `.woff` fallback of Bootstrap Icons (the `.woff2`
is there) — by leaving such a reference as it is (the rare browser that asks gets a 404, as it
would without the manifest). Any other missing reference, ours, still stops `collectstatic`."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

log = logging.getLogger(__name__)


def _tolerated(name: str) -> bool:
    path = name.split("?", 1)[0].split("#", 1)[0]
    return path.endswith(".map") or path.startswith("vendor/")


class ManifestStorage(ManifestStaticFilesStorage):
    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        try:
            return str(super().hashed_name(name, content, filename))
        except ValueError:
            if not _tolerated(name):
                raise
            log.warning("static file %s is referenced but not shipped: left unhashed", name)
            return name
