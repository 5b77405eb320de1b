"""A tiny OpenID Connect provider for the tests (django-oauth-toolkit), run in a subprocess
on a loopback port with its own SQLite file: `serve.py` sets the variables read here."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR = Path(os.environ.get("OIDC_PROVIDER_DIR", "/tmp"))
SECRET_KEY = "test-provider-key-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "thenchot.directory.tests.oidc_provider.provider"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "provider.sqlite3")}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": os.environ.get("OIDC_PROVIDER_KEY", ""),
    "OIDC_ISS_ENDPOINT": os.environ.get("OIDC_PROVIDER_ISSUER", ""),
    "OAUTH2_VALIDATOR_CLASS": "thenchot.directory.tests.oidc_provider.provider.Validator",
    "SCOPES": {"openid": "OpenID Connect", "email": "e-mail", "profile": "profile"},
    "PKCE_REQUIRED": True,
}
