"""Reads compiled once per process (`core.prepared`) give what the queryset gives, and the
token authentication built on one refuses what DRF's refuses, at once (issue 18)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from thenchot.accounts.models import User
from thenchot.core.prepared import PreparedRead

pytestmark = pytest.mark.django_db

_BY_KEY = PreparedRead(lambda key: Token.objects.select_related("user").filter(key=key), "key")
_LOCKED = PreparedRead(lambda pk: User.objects.filter(pk=pk).select_for_update(), "pk")


def _token(name: str) -> Token:
    user = User.objects.create_user(username=name, password="x-Unused-7431")
    return Token.objects.create(user=user)


def test_it_gives_the_same_instances_as_the_queryset_each_time():  # type: ignore[no-untyped-def]
    first, second = _token("binh"), _token("chi")
    for token in (first, second, first):  # the second run reuses the SQL with a new value
        [got] = _BY_KEY.run(key=token.key)
        expected = Token.objects.select_related("user").get(key=token.key)
        assert got.key == expected.key and got.created == expected.created
        assert got.user.username == expected.user.username
        assert got.user.date_joined == expected.user.date_joined
        assert got.user.pk == expected.user_id == got.user_id
    assert _BY_KEY.run(key="no-such-key") == []


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_it_refuses_a_locking_read_outside_a_transaction():  # type: ignore[no-untyped-def]
    user = _token("dung").user
    with transaction.atomic():
        assert [u.pk for u in _LOCKED.run(pk=user.pk)] == [user.pk]
    with pytest.raises(TransactionManagementError):
        _LOCKED.run(pk=user.pk)


def test_it_wants_each_value_as_one_parameter():  # type: ignore[no-untyped-def]
    twice = PreparedRead(lambda pk: User.objects.filter(pk=pk, id__gte=pk), "pk")
    with pytest.raises(ValueError):
        twice.run(pk=1)


def test_it_authenticates_a_token_and_refuses_a_deleted_one_at_once(world):  # type: ignore[no-untyped-def]
    token, _created = Token.objects.get_or_create(user=world.user("an"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/evaluations/").status_code == 200
    token.delete()
    refused = client.get("/api/v1/evaluations/")
    assert refused.status_code == 401


def test_it_refuses_an_inactive_user_and_an_unknown_key(world):  # type: ignore[no-untyped-def]
    token, _created = Token.objects.get_or_create(user=world.user("an"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/evaluations/").status_code == 200
    User.objects.filter(pk=token.user_id).update(is_active=False)
    assert client.get("/api/v1/evaluations/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert client.get("/api/v1/evaluations/").status_code == 401
