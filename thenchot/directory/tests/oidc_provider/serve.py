"""`python -m thenchot.directory.tests.oidc_provider.serve DIR CLIENT_ID CLIENT_SECRET
REDIRECT_URI USER PASSWORD`: migrate a fresh SQLite provider in DIR, register the client and
one person, print "READY <port>" and serve on a free loopback port until killed."""

from __future__ import annotations

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def main() -> None:
    data_dir, client_id, client_secret, redirect_uri, username, password = sys.argv[1:7]
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    # Bound before Django starts: the issuer (read by the settings) names the port.
    server = make_server(
        "127.0.0.1", 0, lambda e, s: [], server_class=_Server, handler_class=_Quiet
    )
    port = server.server_port
    os.environ["OIDC_PROVIDER_DIR"] = data_dir
    os.environ["OIDC_PROVIDER_KEY"] = pem
    os.environ["OIDC_PROVIDER_ISSUER"] = f"http://127.0.0.1:{port}/o"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thenchot.directory.tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user(
        username,
        email=f"{username}@hanoi.gov.vn",
        password=password,
        first_name="Thu",
        last_name="Nguyễn",
    )
    Application.objects.create(
        name="Then Chốt",
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        skip_authorization=True,
        algorithm=Application.RS256_ALGORITHM,
    )
    server.set_app(get_wsgi_application())
    print(f"READY {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
