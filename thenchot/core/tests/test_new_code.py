"""A code already taken is refused the same way by every service (`require_new_code`)."""

from __future__ import annotations

import pytest

from thenchot.core.errors import DomainError
from thenchot.core.services import require_new_code
from thenchot.org.models import Unit

pytestmark = pytest.mark.django_db


def test_a_taken_code_is_refused_on_the_code_field(world):
    with pytest.raises(DomainError) as caught:
        require_new_code(Unit, "SNV", "A unit with code 'SNV' already exists.")
    assert str(caught.value.message) == "A unit with code 'SNV' already exists."
    assert caught.value.field_errors == {"code": ["This code is already used."]}


def test_a_free_code_passes(world):
    require_new_code(Unit, "SNV-NEW", "never raised")
