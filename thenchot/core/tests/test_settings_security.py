"""HTTPS protections and the secret key's origin, as the settings module reads the environment.

Each test executes a private copy of `thenchot/settings.py` under the environment it describes,
so the settings of the running test session are never touched.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings as live_settings
from django.core.exceptions import ImproperlyConfigured

from thenchot.settings import env_bool, env_path

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "settings.py"
ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture
def load_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """load_settings(THENCHOT_DEBUG="true", ...) -> the settings a process started with exactly
    these THENCHOT_* variables gets, outside any test run."""

    def load(**environment: str) -> ModuleType:
        for name in list(os.environ):
            if name.startswith("THENCHOT_") or name == "PYTEST_VERSION":
                monkeypatch.delenv(name)
        monkeypatch.setenv("THENCHOT_DATA_DIR", str(tmp_path / "var"))
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("thenchot_settings_probe", SETTINGS_FILE)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


def test_it_turns_the_https_protections_on_outside_debug(load_settings) -> None:  # type: ignore[no-untyped-def]
    production = load_settings()

    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SECURE_HSTS_SECONDS == ONE_YEAR
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert production.SECURE_HSTS_PRELOAD is False
    assert not hasattr(production, "SECURE_PROXY_SSL_HEADER")


def test_it_lets_a_plain_http_intranet_turn_them_off(load_settings) -> None:  # type: ignore[no-untyped-def]
    intranet = load_settings(
        THENCHOT_SECURE_COOKIES="false", THENCHOT_SSL_REDIRECT="false", THENCHOT_HSTS_SECONDS="0"
    )

    assert intranet.SESSION_COOKIE_SECURE is False
    assert intranet.CSRF_COOKIE_SECURE is False
    assert intranet.SECURE_SSL_REDIRECT is False
    assert intranet.SECURE_HSTS_SECONDS == 0


def test_it_lets_the_operator_tune_hsts(load_settings) -> None:  # type: ignore[no-untyped-def]
    tuned = load_settings(
        THENCHOT_HSTS_SECONDS="3600",
        THENCHOT_HSTS_INCLUDE_SUBDOMAINS="false",
        THENCHOT_HSTS_PRELOAD="true",
    )

    assert tuned.SECURE_HSTS_SECONDS == 3600
    assert tuned.SECURE_HSTS_INCLUDE_SUBDOMAINS is False
    assert tuned.SECURE_HSTS_PRELOAD is True


def test_it_trusts_the_proxy_header_only_when_told(load_settings) -> None:  # type: ignore[no-untyped-def]
    behind_nginx = load_settings(THENCHOT_TRUST_X_FORWARDED_PROTO="true")

    assert behind_nginx.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_it_serves_the_demo_over_plain_http(load_settings) -> None:  # type: ignore[no-untyped-def]
    demo = load_settings(THENCHOT_DEBUG="true")

    assert demo.SESSION_COOKIE_SECURE is False
    assert demo.SECURE_SSL_REDIRECT is False
    assert demo.SECURE_HSTS_SECONDS == 0
    assert demo.THENCHOT_SECRET_KEY_SOURCE == "development"


def test_it_keeps_the_test_session_on_plain_http() -> None:
    # The test client and the live server of the browser tests speak HTTP on 127.0.0.1.
    assert live_settings.SESSION_COOKIE_SECURE is False
    assert live_settings.CSRF_COOKIE_SECURE is False
    assert live_settings.SECURE_SSL_REDIRECT is False
    assert live_settings.SECURE_HSTS_SECONDS == 0
    assert live_settings.THENCHOT_SECRET_KEY_SOURCE in {"development", "environment"}


def test_it_treats_thenchot_testing_as_a_test_run(load_settings) -> None:  # type: ignore[no-untyped-def]
    bench = load_settings(THENCHOT_TESTING="1")

    assert bench.SECURE_SSL_REDIRECT is False
    assert bench.THENCHOT_SECRET_KEY_SOURCE == "development"


def test_it_uses_the_configured_secret_key(load_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    configured = load_settings(THENCHOT_SECRET_KEY="k" * 60)

    assert configured.SECRET_KEY == "k" * 60
    assert configured.THENCHOT_SECRET_KEY_SOURCE == "environment"
    assert not (tmp_path / "var").exists()


def test_it_generates_the_key_into_the_data_directory(load_settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = load_settings()
    second = load_settings()

    assert first.THENCHOT_SECRET_KEY_SOURCE == "file"
    assert first.SECRET_KEY == second.SECRET_KEY
    assert (tmp_path / "var" / "secret_key").read_text(encoding="utf-8").strip() == first.SECRET_KEY


def test_it_refuses_a_negative_hsts_duration(load_settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImproperlyConfigured, match="THENCHOT_HSTS_SECONDS"):
        load_settings(THENCHOT_HSTS_SECONDS="-1")


def test_it_refuses_a_boolean_it_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THENCHOT_SSL_REDIRECT", "sometimes")

    with pytest.raises(ImproperlyConfigured, match="THENCHOT_SSL_REDIRECT"):
        env_bool("THENCHOT_SSL_REDIRECT", True)


def test_it_refuses_a_relative_data_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THENCHOT_DATA_DIR", "var")

    with pytest.raises(ImproperlyConfigured, match="absolute"):
        env_path("THENCHOT_DATA_DIR", Path("/srv/thenchot"))


def test_it_reads_an_empty_data_directory_as_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THENCHOT_DATA_DIR", "")

    assert env_path("THENCHOT_DATA_DIR", Path("/srv/thenchot")) == Path("/srv/thenchot")
