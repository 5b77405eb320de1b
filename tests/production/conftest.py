"""Fixtures of the production tests: freshly migrated databases, made quickly (a copy of the
session's empty test database where it can be), and PostgreSQL databases dropped afterwards."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.production._support import (
    manage,
    postgres_admin_url,
    process_env,
    sqlite_url,
    unavailable,
)

# A database created for a test is named after this, and dropped afterwards.
PG_PREFIX = "thenchot_prodtest_"


# -- freshly migrated databases ----------------------------------------------------------------
def _test_db_is_empty() -> bool:
    from django.contrib.auth import get_user_model

    return not get_user_model()._base_manager.exists()


@pytest.fixture(scope="session")
def sqlite_template(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any, django_db_blocker: Any
) -> Path:
    """A freshly migrated SQLite file: a copy of the session's test database when that is an
    empty SQLite one (a second), else made by `migrate`."""
    from django.db import connections

    path = tmp_path_factory.mktemp("template") / "fresh.sqlite3"
    with django_db_blocker.unblock():
        connection = connections["default"]
        if connection.vendor == "sqlite" and _test_db_is_empty():
            connection.ensure_connection()
            target = sqlite3.connect(path)
            with target:
                connection.connection.backup(target)
            target.close()
            return path
    manage(process_env(sqlite_url(path)), "migrate", "-v0")
    return path


def _pg_admin() -> Any:
    import psycopg

    try:
        return psycopg.connect(postgres_admin_url(), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL is not reachable at {postgres_admin_url()}: {exc}")


@pytest.fixture(scope="session")
def postgres_databases(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """`make()` gives the URL of a new, freshly migrated PostgreSQL database, copied from a
    template made once: from the session's test database when that is an empty PostgreSQL one,
    else by `migrate`. All are dropped at the end."""
    from django.db import connections

    admin = _pg_admin()
    base = postgres_admin_url().rsplit("/", 1)[0]
    template = PG_PREFIX + "tpl_" + uuid.uuid4().hex[:8]
    made = [template]

    def make() -> str:
        name = PG_PREFIX + uuid.uuid4().hex[:10]
        made.append(name)
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return f"{base}/{name}"

    try:  # dropped even when making the template fails
        with django_db_blocker.unblock():
            connection = connections["default"]
            source = None
            if connection.vendor == "postgresql" and _test_db_is_empty():
                source = connection.settings_dict["NAME"]
                connections.close_all()  # a template database has no other session
        if source:
            admin.execute(f'CREATE DATABASE "{template}" TEMPLATE "{source}"')
        else:
            admin.execute(f'CREATE DATABASE "{template}"')
            manage(process_env(f"{base}/{template}"), "migrate", "-v0")
        yield make
    finally:
        for name in reversed(made):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
