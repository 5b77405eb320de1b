"""Test helpers that belong to no app. Factories live beside their models: `accounts.testing`
(users), `org.testing` (units), `people.testing` (staff and the persona world); those of
records keyed by a code derive from `CodeKeyedFactory`."""

from __future__ import annotations

import re
from typing import Any, TypeVar

import factory
from django.db import models

_M = TypeVar("_M", bound=models.Model)


class CodeKeyedFactory(factory.django.DjangoModelFactory[_M]):
    """A factory of records keyed by their human code, as the imports key them: asking twice
    for the same code gives the row made first (get-or-create). Its post-generation hooks save
    what they change themselves, so the row is not saved a second time after them."""

    class Meta:
        abstract = True
        django_get_or_create = ("code",)
        skip_postgeneration_save = True


_CSRF_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def page_html(response: Any) -> str:
    """A page's HTML with its random CSRF tokens blanked, so that a test asserting that a short
    code ("STC") is absent cannot fail on a token that happens to contain it."""
    return _CSRF_TOKEN.sub(r"\1", response.content.decode())
