"""The language test's tables for this app's routes (tests/i18n/plugins.py)."""

EXCLUDED_ROUTES = {
    "directory:oidc_init": "a redirect to the agency's OpenID Connect provider (404 when off)",
    "directory:oidc_callback": "the provider's answer: a redirect (404 when off)",
}
