"""Test helpers of accounts: user accounts with the shared test password."""

from __future__ import annotations

import factory

from thenchot.accounts.models import User
from thenchot.core.testing import CodeKeyedFactory

PASSWORD = "Matkhau#2026"


class UserFactory(CodeKeyedFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)  # a user's code is the user name

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@hanoi.gov.vn")
    password = factory.django.Password(PASSWORD)
