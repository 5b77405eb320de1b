"""Inbox texts and e-mails in the recipient's language, not the actor's nor always Vietnamese
(issue 11): the choice made with the language switch is kept on the account for the jobs."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.utils.translation import gettext as _

from thenchot.notifications import services
from thenchot.notifications.delivery import send_pending_emails

pytestmark = pytest.mark.django_db


def test_it_keeps_the_language_chosen_on_the_account(client_for, world):
    client_for("an").post("/i18n/setlang/", {"language": "en", "next": "/"})
    world.user("an").refresh_from_db()
    assert world.user("an").language == "en"


def test_it_keeps_nothing_for_an_anonymous_visitor(world):
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302


def test_it_writes_the_inbox_text_in_each_recipients_language(world):
    an, minh = world.user("an"), world.user("minh")
    an.language = "en"
    an.save(update_fields=["language"])
    rows = services.notify(recipients=[an, minh], title=lambda: _("Log in"), email=False)
    titles = {row.recipient_id: row.title for row in rows}
    assert titles[an.pk] == "Log in"
    assert titles[minh.pk] == "Đăng nhập"


def test_it_emails_in_the_recipients_language(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    an = world.user("an")
    an.language, an.email = "en", "an@example.org"
    an.save(update_fields=["language", "email"])
    services.notify(recipients=[an], title="T-1", url="/inbox/")
    send_pending_emails()
    assert "This message is also in your inbox" in mail.outbox[-1].body
