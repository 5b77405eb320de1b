"""Every named route of the site, and how the language test reaches the product's pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tests.i18n.plugins import merge_into
from tests.i18n.world import PageWorld


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    path: str
    params: tuple[str, ...]


def named_routes(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield Route(
                name=namespace + pattern.name,
                path=prefix + str(pattern.pattern),
                params=tuple(pattern.pattern.converters),
            )


# Whole parts of the URL configuration that are not the product's pages.
EXCLUDED_PREFIXES = {
    # Django's admin: Django's own screens and catalogue (the audited admin is tested apart).
    "admin/": "Django admin",
    # JSON for programs, in the language the caller asks for (tests/api/test_api_language.py).
    "api/": "the API and its schema",
    # Django's set_language: a POST that redirects.
    "i18n/": "language switch (POST, redirect)",
    "static/": "static files",
    "media/": "uploaded files",
    # The monitors' probe (JSON or text, in English like its library's check names).
    "health/": "the health probe for monitors",
}

# Single routes that render no page of their own.
EXCLUDED_ROUTES = {
    # Shown only when the installation requires a second factor (off in the tests): their two
    # languages are checked by accounts/tests/test_second_factor.py.
    "accounts:second_factor": "the one-time code page (second factor on)",
    "accounts:second_factor_setup": "the one-time code enrolment (second factor on)",
    "accounts:logout": "POST only, redirects",
    "accounts:set_language": "POST only, redirects",
    "appraisal:index": "a redirect to appraisal:me",
    "notifications:open": "a redirect to the notification's record",
    "exchange:template": "an XLSX file",
    "exchange:export": "an XLSX or JSON file",
    "directives:progress_file": "a file download",
    "directives:attachment": "a file download",
}

# Routes a GET never renders (405): their forms are on the page named, which is rendered.
POST_ONLY = {
    "appraisal:board_act": "appraisal:board",
    "appraisal:close_act": "appraisal:close",
    "directives:document_attach": "directives:document",
    "directives:extension_decide": "directives:task",
    "directives:task_assess": "directives:task",
    "directives:task_comment": "directives:task",
    "directives:task_complete": "directives:task",
    "directives:task_extension": "directives:task",
    "directives:task_progress": "directives:task",
    "directives:task_subtask": "directives:task",
    "discipline:case_decide": "discipline:case",
    "discipline:case_extend": "discipline:case",
    "discipline:case_pause": "discipline:case",
    "inspections:conclusion": "inspections:detail",
    "inspections:decide": "inspections:detail",
    "inspections:finding_add": "inspections:detail",
    "inspections:plan_item_add": "inspections:plan",
    "inspections:plan_item_remove": "inspections:plan",
    "inspections:plan_publish": "inspections:plan",
    "inspections:recommendation_add": "inspections:detail",
    "inspections:remediation": "inspections:detail",
    "notifications:read": "notifications:inbox",
    "notifications:read_all": "notifications:inbox",
    "people:edit": "people:detail",
    "processes:attach": "processes:detail",
    "processes:case_advance": "processes:case",
    "processes:case_delay": "processes:case",
    "processes:case_new": "processes:detail",
    "processes:retire": "processes:detail",
    "people:transfer": "people:detail",
    "rotation:plan_add_item": "rotation:plan",
    "rotation:plan_execute": "rotation:plan",
    "rotation:plan_publish": "rotation:plan",
}

Args = Callable[[PageWorld], dict[str, Any]]
Variants = Callable[[PageWorld], list[dict[str, Any]]]


def _task(pw: PageWorld) -> dict[str, Any]:
    return {"code": pw.task.code}


def _inspection(pw: PageWorld) -> dict[str, Any]:
    return {"code": pw.inspection.code}


def _inspection_plan(pw: PageWorld) -> dict[str, Any]:
    return {"code": pw.inspection_plan.code}


def _rotation_plan(pw: PageWorld) -> dict[str, Any]:
    return {"code": pw.rotation_plan.code}


def _process(pw: PageWorld) -> dict[str, Any]:
    return {"code": pw.process.code}


def _process_case(pw: PageWorld) -> dict[str, Any]:
    return {"code": pw.process_case.code}


def _staff(pw: PageWorld) -> dict[str, Any]:
    return {"code": pw.people.staff["an"].code}


def _reset_link(user: Any) -> dict[str, Any]:
    # A link that works: the page redirects to the form for a new password, which is followed.
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


# Path parameters, filled from the world's records.
ARGS: dict[str, Args] = {
    "accounts:password_reset_confirm": lambda pw: _reset_link(pw.people.user("an")),
    "appraisal:me_period": lambda pw: {"period": pw.period.code},
    "appraisal:evaluation": lambda pw: {"pk": pw.evaluations["an"].pk},
    # A civil servant's 2024, rated under Decree 90.
    "appraisal:decree90": lambda pw: {"code": pw.people.staff["an"].code, "year": 2024},
    "appraisal:decree90_form": lambda pw: {"code": pw.people.staff["an"].code, "year": 2024},
    "audit:history": lambda pw: {"label": "directives.task", "pk": str(pw.task.pk)},
    "org:unit": lambda pw: {"code": pw.people.snv.code},
    "directives:task": _task,
    "directives:task_progress": _task,
    "directives:task_extension": _task,
    "directives:extension_decide": lambda pw: {
        "code": pw.task.code,
        "pk": pw.task.extensions.get().pk,  # type: ignore[attr-defined]
    },
    "directives:task_complete": _task,
    "directives:task_assess": _task,
    "directives:task_comment": _task,
    "directives:task_subtask": _task,
    "directives:document": lambda pw: {"code": pw.document.code},
    "directives:document_attach": lambda pw: {"code": pw.document.code},
    "discipline:case": lambda pw: {"code": pw.case.code},
    "discipline:case_pause": lambda pw: {"code": pw.case.code},
    "discipline:case_extend": lambda pw: {"code": pw.case.code},
    "discipline:case_decide": lambda pw: {"code": pw.case.code},
    "inspections:detail": _inspection,
    "inspections:checklist": _inspection,
    "inspections:finding_add": _inspection,
    "inspections:recommendation_add": _inspection,
    "inspections:conclusion": _inspection,
    "inspections:remediation": lambda pw: {
        "code": pw.inspection.code,
        "rec_code": pw.recommendation.code,
    },
    "inspections:decide": lambda pw: {"code": pw.inspection.code, "report_id": pw.report.pk},
    "inspections:plan": _inspection_plan,
    "inspections:plan_update": _inspection_plan,
    "inspections:plan_publish": _inspection_plan,
    "inspections:plan_item_add": _inspection_plan,
    "inspections:plan_item_update": lambda pw: {
        "code": pw.inspection_plan.code,
        "item_id": pw.inspection_plan_item.pk,
    },
    "inspections:plan_item_remove": lambda pw: {
        "code": pw.inspection_plan.code,
        "item_id": pw.inspection_plan_item.pk,
    },
    "notifications:read": lambda pw: {"pk": pw.notification.pk},
    "notifications:open": lambda pw: {"pk": pw.notification.pk},
    "people:detail": _staff,
    "people:edit": _staff,
    "people:transfer": _staff,
    "people:person": _staff,
    "processes:detail": _process,
    "processes:retire": _process,
    "processes:attach": _process,
    "processes:case_new": _process,
    "processes:case": _process_case,
    "processes:case_advance": _process_case,
    "processes:case_delay": _process_case,
    "rotation:plan": _rotation_plan,
    "rotation:plan_add_item": _rotation_plan,
    "rotation:plan_publish": _rotation_plan,
    "rotation:plan_execute": lambda pw: {
        "code": pw.rotation_plan.code,
        "item_id": pw.rotation_plan_item.pk,
    },
}

# More records for the pages that read differently from one record to the next: the history
# of each kind of record, an evaluation in each state.
MORE_ARGS: dict[str, Variants] = {
    "audit:history": lambda pw: [
        {"label": label, "pk": str(pk)}
        for label, pk in (
            ("appraisal.evaluation", pw.evaluations["an"].pk),
            ("appraisal.evaluation", pw.closed_evaluation.pk),
            ("directives.sourcedocument", pw.document.pk),
            ("discipline.disciplinecase", pw.case.pk),
            ("discipline.disciplinedecision", pw.decision.pk),
            ("people.staff", pw.people.staff["an"].pk),
            ("org.unit", pw.people.snv.pk),
        )
    ],
    "processes:case": lambda pw: [{"code": pw.late_case.code}],
    "appraisal:evaluation": lambda pw: [
        *({"pk": pw.evaluations[name].pk} for name in ("hoa", "lan", "quan")),
        {"pk": pw.closed_evaluation.pk},
    ],
}

# Query strings that make a fragment show something (a picker's matches, a node's children).
QUERY: dict[str, Args] = {
    "org:children": lambda pw: {"parent": pw.people.snv.pk},
    "org:pick_unit": lambda pw: {"q": "Sở"},
    "people:pick_staff": lambda pw: {"q": "Nguyễn"},
    "directives:pick_unit": lambda pw: {"q": "Sở"},
    "directives:pick_assignee": lambda pw: {"q": "Nguyễn"},
    "directives:pick_document": lambda pw: {"q": "Kết luận"},
    "directives:assignee_options": lambda pw: {"lead_unit": pw.people.snv.code},
}

# Who reads a page: the first of these personas it answers 200; city-wide roles first, then
# the person whose own page it is, then the roles a page is made for.
READERS = ("quan", "hung", "an", "hoa", "son", "lan", "minh", "binh")
# Pages whose content depends on who reads them: the persona who sees the most.
PREFERRED = {
    "appraisal:me": "an",
    "appraisal:me_period": "an",
    "appraisal:results": "an",
    "appraisal:board": "hoa",
    "appraisal:close": "son",
    "appraisal:collective": "son",
    "directives:mine": "an",
    "notifications:inbox": "an",
}
# Pages for the anonymous visitor (logging in, a forgotten password).
ANONYMOUS = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}


# Routes whose GET redirects to the page itself (the reset link hides its token that way).
FOLLOW = {"accounts:password_reset_confirm"}

# The pages the apps describe themselves (tests/i18n/plugins.py).
merge_into(
    {
        "ARGS": ARGS,
        "MORE_ARGS": MORE_ARGS,
        "QUERY": QUERY,
        "POST_ONLY": POST_ONLY,
        "EXCLUDED_ROUTES": EXCLUDED_ROUTES,
        "PREFERRED": PREFERRED,
        "ANONYMOUS": ANONYMOUS,
        "FOLLOW": FOLLOW,
    }
)


def excluded_reason(route: Route) -> str | None:
    for prefix, reason in EXCLUDED_PREFIXES.items():
        if route.path.startswith(prefix):
            return reason
    if route.name in EXCLUDED_ROUTES:
        return EXCLUDED_ROUTES[route.name]
    if route.name in POST_ONLY:
        return f"POST only (its form is on {POST_ONLY[route.name]})"
    return None


def page_routes() -> list[Route]:
    """The routes rendered in both languages, by name (one per name: a name's first route)."""
    seen: dict[str, Route] = {}
    for route in named_routes():
        if excluded_reason(route) is None and route.name not in seen:
            seen[route.name] = route
    return sorted(seen.values(), key=lambda route: route.name)
