"""What every case page shares: fetching the case through the gate, the role
check, the audit row for the view, the context of ``case_base.html``, and
the small pieces the tabs reuse: addresses, records the user may see, facts
shown as ``dl.facts``, and a form's POST saved through one service (a
refusal is shown on the form with nothing changed)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries.fields import Country

from homeward.accounts.models import User
from homeward.cases import selectors, services
from homeward.cases.choices import STEP_ORDER, Step
from homeward.cases.models import Case
from homeward.cases.selectors import Need
from homeward.core import access
from homeward.directory.models import Entry

GET_POST = ["GET", "POST"]


def request_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


def case_for(request: HttpRequest, code: str, *, need: Need = "see") -> tuple[User, Case]:
    """The case if the user may see it (else 404) and do ``need`` (else 403)."""
    user = request_user(request)
    return user, selectors.case_get_for_user(user=user, code=code, need=need)


def case_page_context(user: User, case: Case, *, tab: str, audit: bool = True) -> dict[str, Any]:
    """The context of ``cases/case_base.html``; records the view in the audit
    log (every GET of a case page is audited, ``audit=False`` for POST
    re-renders that already wrote their own row)."""
    if audit:
        services.case_view_record(actor=user, case=case, tab=tab)
    current = STEP_ORDER.index(case.step) if case.step in STEP_ORDER else 0
    return {
        "case": case,
        "tab": tab,
        "minor": selectors.is_minor(case),
        "steps": [(value, label) for value, label in Step.choices],
        "steps_done": STEP_ORDER[:current],
        "can_manage": selectors.can_manage_case(user, case),
        "can_work": selectors.can_work_on_case(user, case),
        "can_medical": selectors.can_see_medical(user, case),
    }


def case_page(
    request: HttpRequest, user: User, case: Case, *, tab: str, template: str,
    context: dict[str, Any], audit: bool = True,
) -> HttpResponse:
    """A case page: the context of ``case_base.html`` with ``context`` on top,
    audited unless ``audit`` is False. The record tabs audit every render: a
    GET, or a POST the services refused (nothing was written, and the page
    shows the case again)."""
    page = case_page_context(user, case, tab=tab, audit=audit)
    page.update(context)
    return render(request, template, page)


def refuse_unless(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def tab_url(name: str, case: Case, query: dict[str, str] | None = None) -> str:
    url = reverse(name, kwargs={"code": case.code})
    return f"{url}?{urlencode(query)}" if query else url


def records_of(user: User, model: type[Model], case: Case) -> Any:
    """The case's records of ``model`` that the user may see."""
    return access.for_user(user, model).filter(case=case)


def visible_entries(user: User, ids: set[int | None]) -> dict[int, Entry]:
    """The directory entries among ``ids`` the user may see (a record may name
    an entry restricted to other roles: it is then not shown)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    return {entry.pk: entry for entry in access.for_user(user, Entry).filter(pk__in=wanted)}


def _display(instance: Model, name: str) -> Any:
    """A field's value as a reader sees it, or None when it is empty."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if isinstance(value, Country):
        return value.name if value.code else None
    if value is None or value == "" or value == []:
        return None
    item_choices = getattr(field, "item_choices", None)
    if item_choices is not None:
        labels = dict(item_choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if getattr(field, "choices", None):
        return getattr(instance, f"get_{name}_display")()
    return value


def facts(instance: Model, names: tuple[str, ...] | list[str]) -> list[tuple[str, Any]]:
    """(label, value) of the fields that hold something, for a ``dl.facts``."""
    rows = []
    for name in names:
        value = _display(instance, name)
        if value is not None:
            label = instance._meta.get_field(name).verbose_name  # type: ignore[union-attr]
            rows.append((capfirst(str(label)), value))
    return rows

