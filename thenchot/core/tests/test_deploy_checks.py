"""`thenchot check --deploy` reminds operators of a secret key only one machine knows."""

from __future__ import annotations

from pathlib import Path

from django.core import checks

from thenchot.core.checks import check_secret_key_source
from thenchot.core.secret import load_or_create_secret_key


def _ids(messages: list[checks.CheckMessage]) -> list[str | None]:
    return [message.id for message in messages]


def test_it_warns_when_the_key_came_from_the_generated_file(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    load_or_create_secret_key(tmp_path)
    settings.THENCHOT_SECRET_KEY_SOURCE = "file"
    settings.THENCHOT_DATA_DIR = tmp_path

    messages = check_secret_key_source()

    assert _ids(messages) == ["core.W001"]
    assert str(tmp_path / "secret_key") in messages[0].msg
    assert "THENCHOT_SECRET_KEY" in messages[0].hint
    assert "more than one machine" in messages[0].hint


def test_it_is_silent_when_the_key_is_configured(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_SECRET_KEY_SOURCE = "environment"
    settings.THENCHOT_DATA_DIR = tmp_path

    assert check_secret_key_source() == []


def test_it_warns_about_a_key_file_other_users_can_read(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    load_or_create_secret_key(tmp_path)
    (tmp_path / "secret_key").chmod(0o644)
    settings.THENCHOT_SECRET_KEY_SOURCE = "file"
    settings.THENCHOT_DATA_DIR = tmp_path

    messages = check_secret_key_source()

    assert _ids(messages) == ["core.W001", "core.W002"]
    assert "chmod 600" in messages[1].hint


def test_it_runs_with_the_deploy_checks_only(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    load_or_create_secret_key(tmp_path)
    settings.THENCHOT_SECRET_KEY_SOURCE = "file"
    settings.THENCHOT_DATA_DIR = tmp_path

    deploy = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    everyday = checks.run_checks(tags=[checks.Tags.security])

    assert "core.W001" in _ids(deploy)
    assert "core.W001" not in _ids(everyday)
