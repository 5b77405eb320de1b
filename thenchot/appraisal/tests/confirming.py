"""Posting a close or a reopening through its confirmation step, as a person does: the first POST
answers with the confirmation page and its token, the second POST (with the token) acts."""

from __future__ import annotations

import re
from typing import Any

TOKEN = re.compile(r'name="confirm" value="([^"]+)"')


def confirmed_post(client: Any, url: str, data: dict[str, Any]) -> Any:
    """POST `data`; when the answer asks for a confirmation, confirm it and return that answer."""
    response = client.post(url, data)
    if response.status_code != 200:
        return response
    found = TOKEN.search(response.content.decode())
    if found is None:
        return response
    return client.post(url, {**data, "confirm": found.group(1)})
