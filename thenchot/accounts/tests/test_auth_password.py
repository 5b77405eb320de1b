"""Password change (logged in) and reset by e-mail, including a first password for imported
accounts, which have none."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from thenchot.accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "Hoa-sen-2026!trang"


@pytest.fixture(autouse=True)
def _outbox(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_it_sends_anonymous_visitors_of_password_change_to_login(world):
    response = Client().get("/password/change/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/password/change/"


def test_it_changes_the_password(client_for, world):
    client = client_for("lan")
    response = client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == "/password/change/done/"
    assert client.get("/password/change/done/").status_code == 200
    world.user("lan").refresh_from_db()
    assert world.user("lan").check_password(NEW)


def test_it_refuses_a_change_with_the_wrong_old_password(client_for, world):
    response = client_for("lan").post(
        "/password/change/", {"old_password": "sai", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    world.user("lan").refresh_from_db()
    assert world.user("lan").check_password(PASSWORD)


def _reset_link(email: str) -> str:
    response = Client().post("/password/reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [email]
    match = re.search(r"https?://[^/]+(/password/reset/[^\s]+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_it_lets_an_imported_account_without_password_set_one(world):
    user = world.user("an")
    user.set_unusable_password()
    user.save()
    link = _reset_link(user.email)
    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    confirm_url = form_page.redirect_chain[-1][0]
    response = client.post(confirm_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == "/password/reset/complete/"
    complete = client.get("/password/reset/complete/")
    assert complete.context["login_url"] == "/login/"
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_it_sends_nothing_for_an_unknown_address(world):
    response = Client().post("/password/reset/", {"email": "khong-co@hanoi.gov.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_it_sends_nothing_to_a_deactivated_account(world):
    user = world.user("binh")
    user.is_active = False
    user.save()
    Client().post("/password/reset/", {"email": user.email})
    assert mail.outbox == []
