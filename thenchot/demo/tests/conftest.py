"""One small demo database shared by the demo tests (generating it per test would be slow)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

DEMO_STAFF = 300
DEMO_SEED = 7


@dataclass
class LoadedDemo:
    output: str
    staff: int
    seed: int


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> Iterator[LoadedDemo]:  # type: ignore[no-untyped-def]
    """`load_demo --staff 300` run once; every test sees it and rolls back its own changes."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("load_demo", staff=DEMO_STAFF, seed=DEMO_SEED, lang="en", stdout=out)
        yield LoadedDemo(output=out.getvalue(), staff=DEMO_STAFF, seed=DEMO_SEED)
        transaction.set_rollback(True)
