"""The installation's secret key when the operator has not configured one.

Every process of an installation (web workers, the scheduler, Celery, the command line) must sign
with the same key: a session, CSRF token or password-reset link signed by one process is refused
by any process holding another key. Without THENCHOT_SECRET_KEY the first process to need a key
generates it into the data directory and every later process, and every restart, reads it back.

Read by `thenchot.settings` before Django is set up: nothing here may touch `django.conf`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

KEY_FILE_NAME = "secret_key"
# Django's deploy check (security.W009) wants at least 50 characters; a shorter file was not
# written by us, and signing with it would be silently weak.
MIN_KEY_LENGTH = 50


def key_file(data_dir: Path) -> Path:
    return data_dir / KEY_FILE_NAME


def load_or_create_secret_key(data_dir: Path) -> str:
    """The key kept in `data_dir`, generated there (mode 0600) on first use.

    Safe when several processes start together: exactly one file is published and every process
    returns its content, whichever process wrote it.
    """
    path = key_file(data_dir)
    with contextlib.suppress(FileNotFoundError):
        return _read(path)
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        _publish(path, get_random_secret_key())
    except FileExistsError:
        pass  # another process published first: its key is the installation's key
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Cannot create the secret key file {path}: {exc}. Make THENCHOT_DATA_DIR writable "
            "by the user that runs Then Chốt, or set THENCHOT_SECRET_KEY."
        ) from exc
    return _read(path)


def _read(path: Path) -> str:
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise
    except OSError as exc:
        # Typically the file was created by another user (a command run as root before the
        # service account started): say so rather than fail later with a bare traceback.
        raise ImproperlyConfigured(
            f"Cannot read the secret key file {path}: {exc}. Give it to the user that runs "
            "Then Chốt (mode 0600), or set THENCHOT_SECRET_KEY."
        ) from exc
    if len(key) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"The secret key file {path} holds fewer than {MIN_KEY_LENGTH} characters. Delete it "
            "to generate a new key (everyone signed in must sign in again), or set "
            "THENCHOT_SECRET_KEY."
        )
    return key


def _publish(path: Path, key: str) -> None:
    """Write `key` to `path` unless a file is already there (then FileExistsError).

    The key is written completely to a private temporary file first (mkstemp: O_EXCL, mode 0600)
    and then hard-linked to its final name. link() fails if the name exists, so of two racing
    processes exactly one publishes; and a reader never sees a half-written key, which creating
    the final name directly with O_EXCL and then writing into it would allow.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{KEY_FILE_NAME}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp_name, path)
    finally:
        os.unlink(tmp_name)
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # The new name must survive a power cut too, or the next boot would generate another key
    # and sign everyone out. Not every platform can open a directory; there we do without.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
