"""`/api/v1/notifications/`: own notifications only, unread filter, mark read."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from thenchot.notifications import services
from thenchot.notifications.models import Notification

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


@pytest.fixture
def rows(world):  # type: ignore[no-untyped-def]
    an_read = services.notify(recipients=[world.user("an")], title="Đã đọc")[0]
    services.mark_read(user=world.user("an"), notification=an_read)
    an_unread = services.notify(recipients=[world.user("an")], title="Chưa đọc")[0]
    minh = services.notify(recipients=[world.user("minh")], title="Của Minh")[0]
    return {"an_read": an_read, "an_unread": an_unread, "minh": minh}


def test_it_refuses_anonymous_callers(rows):
    assert APIClient().get(URL).status_code == 401


def test_it_lists_only_the_callers_notifications(api_for, rows):
    data = api_for("an").get(URL).json()
    assert {r["id"] for r in data["results"]} == {rows["an_read"].pk, rows["an_unread"].pk}
    assert data["results"][0]["id"] == rows["an_unread"].pk  # newest first


def test_it_filters_unread(api_for, rows):
    unread = api_for("an").get(URL, {"unread": "true"}).json()["results"]
    read = api_for("an").get(URL, {"unread": "false"}).json()["results"]
    assert [r["id"] for r in unread] == [rows["an_unread"].pk]
    assert [r["id"] for r in read] == [rows["an_read"].pk]
    assert api_for("an").get(f"{URL}unread-count/").json() == {"unread": 1}


def test_it_marks_one_read(api_for, rows):
    response = api_for("an").post(f"{URL}{rows['an_unread'].pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert Notification.objects.get(pk=rows["an_unread"].pk).read_at is not None


def test_it_answers_404_for_another_users_notification(api_for, rows):
    client = api_for("an")
    assert client.get(f"{URL}{rows['minh'].pk}/").status_code == 404
    response = client.post(f"{URL}{rows['minh'].pk}/read/")
    assert response.status_code == 404
    assert "error" in response.json()
    assert Notification.objects.get(pk=rows["minh"].pk).read_at is None


def test_it_marks_all_read_for_the_caller_only(api_for, rows):
    assert api_for("an").post(f"{URL}read-all/").json() == {"marked": 1}
    assert Notification.objects.get(pk=rows["minh"].pk).read_at is None
    assert api_for("an").post(f"{URL}read-all/").json() == {"marked": 0}
