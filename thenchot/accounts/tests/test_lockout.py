"""Wrong passwords lock the account from that address: even the right one is refused."""

from __future__ import annotations

import pytest
from django.test import Client

from thenchot.accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _try(client: Client, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": "lan", "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_from_that_address(world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for _ in range(4):
        assert _try(client, "sai-mat-khau").status_code == 200  # the form again, with its error
    locked = _try(client, "sai-mat-khau")
    assert locked.status_code == 429
    right = _try(client, PASSWORD)
    assert right.status_code == 429
    assert 'id="locked-out"' in right.content.decode()
    assert client.get("/").status_code == 302  # not signed in
    # Another address is not locked out of the same account.
    other = Client()
    assert _try(other, PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_success_before_the_limit_resets_the_count(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    _try(client, "sai-1")
    _try(client, "sai-2")
    assert _try(client, PASSWORD).status_code == 302
    client = Client()
    _try(client, "sai-3")
    _try(client, "sai-4")
    assert _try(client, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(world, settings):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    _try(client, "sai-1")
    assert _try(client, "sai-2").status_code == 429
    assert _try(client, PASSWORD).status_code == 429
    # The cool-off is counted from the last failure: move it back past the cool-off.
    import datetime as dt

    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(hours=1))
    assert _try(client, PASSWORD).status_code == 302
