"""The password policy refuses names, places and work words dressed up with a number or a date."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from thenchot.accounts.passwords import GuessableWordValidator


@pytest.mark.parametrize(
    "password",
    [
        "hanoi2026",
        "HaNoi@2026",
        "Hà Nội 2026!",
        "matkhau123",
        "ThenChot@2026",
        "canbo.01/2026",
        "qwerty1990",
        "ab01/02/1990",
        "x-19900101",
    ],
)
def test_it_refuses_guessable_words_and_dates(password):
    with pytest.raises(ValidationError):
        GuessableWordValidator().validate(password)


@pytest.mark.parametrize(
    "password", ["Hoa-sen-2026!trang", "x7#9!2kQ-mây", "cay-bang-la-do", "Tr0ub4dor&3"]
)
def test_it_accepts_what_is_not(password):
    GuessableWordValidator().validate(password)


@pytest.mark.django_db
def test_it_refuses_the_persons_own_names(world):
    user = world.user("lan")  # Nguyễn Thị Lan
    for password in ("nguyenthilan1990", "Lan@2026!", "LanThiNguyen-01"):
        with pytest.raises(ValidationError):
            GuessableWordValidator().validate(password, user)
    GuessableWordValidator().validate("Hoa-sen-2026!trang", user)


@pytest.mark.django_db
def test_the_installed_policy_includes_it(world, client_for):
    with pytest.raises(ValidationError) as refused:
        validate_password("hanoi2026", world.user("an"))
    assert any(e.code == "password_guessable_word" for e in refused.value.error_list)
    response = client_for("an").post(
        "/password/change/",
        {
            "old_password": "Matkhau#2026",
            "new_password1": "hanoi20261",
            "new_password2": "hanoi20261",
        },
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
