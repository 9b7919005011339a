"""The directory's read pages: list and search, one entry, the map, and
"who can help in <country> now?".

The list, entry and map pages are public: anonymous visitors see public
entries and public contact points only (the access gate decides, through
the selectors). They are in Russian for a visitor who has not chosen a
language. "Who can help" is for signed-in members and every search is
audited, because which restricted lines were shown is sensitive.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from homeward.audit.services import Action, audit_record
from homeward.directory.forms_browse import EntryFilterForm, WhoCanHelpForm
from homeward.directory.models import ContactPoint, Entry, Visibility
from homeward.directory.phones import display
from homeward.directory.selectors import (
    Helper,
    can_edit_entry,
    entry_get_for_user,
    entry_list_for_user,
    who_can_help,
)

PAGE_SIZE = 25
# The element the "who can help" page swaps its results into.
RESULTS_ID = "who-can-help-results"

View = Callable[..., HttpResponse]


def russian_by_default(view: View) -> View:
    """Render in Russian for an anonymous visitor who has chosen no language.

    The coalition's public works mostly in Russian; a visitor who pressed
    "English" has the language cookie and gets English from then on.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        with translation.override("ru"):
            request.LANGUAGE_CODE = "ru"
            response = view(request, *args, **kwargs)
            response.headers["Content-Language"] = "ru"
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapped


@dataclasses.dataclass(frozen=True)
class ContactRow:
    """A contact point with its phone number written for reading."""

    contact: ContactPoint
    phone_display: str


@dataclasses.dataclass(frozen=True)
class HelperRow:
    helper: Helper
    phone_display: str


@require_safe
@russian_by_default
def entry_list(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None, entries=entry_list_for_user(user=request.user))
    filters = form.filters() if form.is_bound else {}
    entries = entry_list_for_user(user=request.user, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = {("q" if k == "query" else k): v for k, v in filters.items() if v}
    return render(
        request, "directory/entry_list.html",
        {"form": form, "page": page, "query": urlencode(shown), "searched": bool(shown)},
    )


@require_safe
@russian_by_default
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_get_for_user(user=request.user, pk=pk)
    if request.user.is_authenticated and entry.visibility != Visibility.PUBLIC:
        # Who looked at coalition and restricted records is worth knowing.
        audit_record(action=Action.VIEW, actor=request.user, target=entry)
    contacts = [ContactRow(c, display(c.phone)) for c in entry.contact_points.all()]
    return render(
        request, "directory/entry_detail.html",
        {
            "entry": entry,
            "contacts": contacts,
            "can_edit": can_edit_entry(request.user, entry),
            "edit_url": f"/directory/{entry.pk}/edit/",
        },
    )


def _located(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.latitude is not None and e.longitude is not None]


@require_safe
@russian_by_default
def entry_map(request: HttpRequest) -> HttpResponse:
    entries = list(entry_list_for_user(user=request.user))
    return render(
        request, "directory/map.html",
        {"entries": entries, "located": len(_located(entries))},
    )


@require_safe
@russian_by_default
def entry_map_data(request: HttpRequest) -> JsonResponse:
    entries = _located(list(entry_list_for_user(user=request.user)))
    return JsonResponse(
        {
            "entries": [
                {
                    "id": entry.pk,
                    "name": entry.name,
                    "city": entry.city,
                    "kind": str(entry.get_kind_display()),
                    "lat": float(entry.latitude),  # type: ignore[arg-type]
                    "lon": float(entry.longitude),  # type: ignore[arg-type]
                    "url": reverse("directory:entry-detail", kwargs={"pk": entry.pk}),
                }
                for entry in entries
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _who_can_help(request: HttpRequest) -> dict[str, Any]:
    """Parse the search, run it and audit it; the context both templates need."""
    form = WhoCanHelpForm(request.GET or None, entries=entry_list_for_user(user=request.user))
    rows: list[HelperRow] | None = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        helpers = who_can_help(
            user=request.user, country=data["country"], city=data["city"].strip(),
            service=data["service"],
        )
        audit_record(
            action=Action.VIEW, actor=request.user, target_type="directory.ContactPoint",
            detail={"query": "who_can_help", "country": data["country"],
                    "results": len(helpers)},
        )
        rows = [HelperRow(h, display(h.contact.phone)) for h in helpers]
    return {"form": form, "rows": rows}


@login_required
@require_safe
def who_can_help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/who_can_help.html", _who_can_help(request))


@login_required
@require_safe
def who_can_help_fragment(request: HttpRequest) -> HttpResponse:
    """Only the results, for htmx (this page's form, and later other pages)."""
    context = {**_who_can_help(request), "fragment": True}
    response = render(request, "directory/_who_can_help_results.html", context)
    if request.headers.get("HX-Target") == RESULTS_ID and request.GET:
        # Our own page's form: keep its address bar (and Back) in step.
        page = reverse("directory:who-can-help")
        response["HX-Push-Url"] = f"{page}?{request.GET.urlencode()}"
    return response
