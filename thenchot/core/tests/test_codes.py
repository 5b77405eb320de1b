"""Codes used in addresses: a code that would open another page is refused where records are
written (service, API, import), and the shortcut taken for most codes agrees with asking the
URL configuration."""

from __future__ import annotations

import json

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from thenchot.core.codes import route_words
from thenchot.core.errors import DomainError
from thenchot.directives.models import DOCUMENT_CODE, TASK_CODE, Task
from thenchot.directives.testing import sample_task
from thenchot.discipline.models import CASE_CODE
from thenchot.exchange.services import import_file
from thenchot.inspections.models import INSPECTION_CODE, PLAN_CODE, Inspection

VALIDATORS = [TASK_CODE, DOCUMENT_CODE, INSPECTION_CODE, PLAN_CODE, CASE_CODE]


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("validator", "code"),
    [
        (TASK_CODE, "NV-1/comment"),  # the page of task "NV-1"'s comment form
        (TASK_CODE, "NV-1/extensions"),  # the API's extensions of task "NV-1"
        (TASK_CODE, "new"),
        (TASK_CODE, "NV-1/progress/3/file"),
        (DOCUMENT_CODE, "KL-1/attach"),
        (INSPECTION_CODE, "statistics"),
        (INSPECTION_CODE, "plans/KH-2026"),
        (INSPECTION_CODE, "KT-1/checklist"),
        (PLAN_CODE, "KH-2026/publish"),
        (CASE_CODE, "VV-1/decide"),
    ],
)
def test_it_refuses_a_code_that_opens_another_page(validator, code):  # type: ignore[no-untyped-def]
    error = validator.error(code)
    assert error is not None and f"'{code}'" in error and "another page" in error


@pytest.mark.parametrize(
    "code", ["NV-1", "12/KL-UBND", "125/KL-UBND/2025", "KT.2026.01", "Tờ-trình/5", "comments-2"]
)
def test_it_accepts_ordinary_codes_with_slashes_and_dots(code):  # type: ignore[no-untyped-def]
    assert all(v.error(code) is None for v in VALIDATORS)


segment = st.one_of(
    st.sampled_from(sorted(route_words())),
    st.from_regex(r"[A-Za-z0-9-]{1,6}", fullmatch=True),
    st.integers(0, 99).map(str),
    st.sampled_from(["KL.1", "a.json", "x.csv"]),
)


@settings(max_examples=300)
@given(parts=st.lists(segment, min_size=1, max_size=5))
def test_its_shortcut_agrees_with_the_url_configuration(parts):  # type: ignore[no-untyped-def]
    code = "/".join(parts)
    for validator in VALIDATORS:
        assert validator.error(code) == validator.resolved_error(code)


def test_the_service_refuses_it_and_writes_nothing(world):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as exc:
        sample_task(world, code="NV-9/comment")
    assert "code" in exc.value.field_errors
    assert not Task.objects.exists()


def test_the_api_refuses_it(api_for, world):  # type: ignore[no-untyped-def]
    response = api_for("hung").post(
        "/api/v1/documents/",
        {
            "code": "KL-1/attachments",
            "kind": "conclusion",
            "issued_on": "2025-01-06",
            "issuer": "HN",
            "title": "Kết luận",
        },
        format="json",
    )
    assert response.status_code == 400  # in the API's default language, Vietnamese
    assert "sẽ mở một trang khác" in response.json()["error"]["fields"]["code"][0]


def test_an_import_names_the_row_and_writes_nothing(world):  # type: ignore[no-untyped-def]
    rows = [
        {"code": "KT-1", "kind": "planned", "unit": "SNV", "started_on": "2026-01-05"},
        {"code": "KT-2/findings", "kind": "planned", "unit": "SNV", "started_on": "2026-01-05"},
    ]
    data = json.dumps({"format": "thenchot/1", "as_of": "2026-03-01", "inspections": rows})
    result = import_file(data=data.encode(), filename="inspections.json")
    problems = [str(p) for p in result.problems]
    assert any("inspections[1].code" in p and "another page" in p for p in problems), problems
    assert not Inspection.objects.exists()
