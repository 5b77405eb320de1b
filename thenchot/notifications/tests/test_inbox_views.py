"""The inbox page and the navbar badge: own notifications only, read state via htmx."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from thenchot.notifications import services
from thenchot.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("base_template")]


@pytest.fixture
def inboxes(world):  # type: ignore[no-untyped-def]
    """Two notifications for An (one already read), one for Minh."""
    an_old, an_new = (
        services.notify(recipients=[world.user("an")], title=t, url="/directives/tasks/7/")[0]
        for t in ("Nhiệm vụ mới", "Gia hạn đã được duyệt")
    )
    services.mark_read(user=world.user("an"), notification=an_old)
    minh = services.notify(recipients=[world.user("minh")], title="Việc của Sở Tài chính")[0]
    return {"an_old": an_old, "an_new": an_new, "minh": minh}


def test_it_redirects_anonymous_users_to_login(inboxes, settings):
    from django.urls import NoReverseMatch

    try:
        login = reverse(settings.LOGIN_URL)
    except NoReverseMatch:  # the accounts pages are not there yet
        login = settings.LOGIN_URL = "/login/"
    client = Client()
    for url in (
        reverse("notifications:inbox"),
        reverse("notifications:badge"),
        reverse("notifications:open", args=[inboxes["an_new"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    response = client.post(reverse("notifications:read", args=[inboxes["an_new"].pk]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=inboxes["an_new"].pk).read_at is None


def test_it_lists_only_the_users_own_notifications_newest_first(client_for, inboxes):
    response = client_for("an").get(reverse("notifications:inbox"))
    assert response.status_code == 200
    listed = [n.pk for n in response.context["page"].object_list]
    assert listed == [inboxes["an_new"].pk, inboxes["an_old"].pk]
    html = response.content.decode()
    assert "Việc của Sở Tài chính" not in html
    assert f'id="notification-{inboxes["an_new"].pk}" data-unread="1"' in html
    assert f'id="notification-{inboxes["an_old"].pk}" data-unread="0"' in html


def test_it_filters_unread(client_for, inboxes):
    response = client_for("an").get(reverse("notifications:inbox"), {"show": "unread"})
    assert [n.pk for n in response.context["page"].object_list] == [inboxes["an_new"].pk]


def test_it_paginates(client_for, world):
    for i in range(30):
        services.notify(recipients=[world.user("an")], title=f"Thông báo {i}")
    first = client_for("an").get(reverse("notifications:inbox"))
    second = client_for("an").get(reverse("notifications:inbox"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5


def test_it_marks_one_read_with_htmx(client_for, inboxes):
    n = inboxes["an_new"]
    response = client_for("an").post(
        reverse("notifications:read", args=[n.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="notification-{n.pk}" data-unread="0"' in response.content.decode()
    assert response["HX-Trigger"] == "notifications-changed"
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_it_refuses_another_users_notification_with_404(client_for, inboxes):
    minh_row = inboxes["minh"]
    client = client_for("an")
    assert client.post(reverse("notifications:read", args=[minh_row.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[minh_row.pk])).status_code == 404
    assert Notification.objects.get(pk=minh_row.pk).read_at is None


def test_it_marks_all_read_for_this_user_only(client_for, world, inboxes):
    services.notify(recipients=[world.user("an")], title="Thêm một việc")
    response = client_for("an").post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=world.user("an"), read_at=None).exists()
    assert Notification.objects.get(pk=inboxes["minh"].pk).read_at is None


def test_it_opens_the_record_and_marks_it_read(client_for, inboxes):
    n = inboxes["an_new"]
    response = client_for("an").get(reverse("notifications:open", args=[n.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/directives/tasks/7/"
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_it_never_redirects_off_site(client_for, world):
    n = services.notify(recipients=[world.user("an")], title="x", url="https://evil.example/")[0]
    response = client_for("an").get(reverse("notifications:open", args=[n.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_it_shows_the_unread_count_in_the_badge(client_for, inboxes):
    an = client_for("an").get(reverse("notifications:badge"))
    assert an.status_code == 200
    assert 'data-count="1"' in an.content.decode()
    quan = client_for("quan").get(reverse("notifications:badge"))
    assert 'data-count="0"' in quan.content.decode()
    assert "badge" not in quan.content.decode().replace('id="notification-badge"', "")


def test_it_offers_the_unread_count_to_every_template(rf, world, inboxes):
    from django.contrib.auth.models import AnonymousUser

    from thenchot.notifications.context_processors import unread

    request = rf.get("/")
    request.user = world.user("an")
    assert unread(request)["unread_notifications"] == 1
    request.user = AnonymousUser()
    assert unread(request) == {}
