"""The case side of the shelters: the case's "Shelter" tab, the placement
search, asking a shelter to take the person, the waiting list, and the
standard package and service log recorded from the case.

Every case page fetches the case through the cases gate (404 for outsiders,
403 for a role that may not do this) and is audited like the other case tabs
(:func:`homeward.cases.views_common.case_page`). Every write goes through one
service; a refusal is shown on the form with nothing changed. Medical
screenings are never read here: they have their own pages, for medical staff.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import User
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.cases.views_common import GET_POST, case_for, case_page, request_user, tab_url
from homeward.core import access
from homeward.core.forms import form_saved
from homeward.shelters import selectors, selectors_care
from homeward.shelters.eligibility import exclusion_reasons, needs_for_case
from homeward.shelters.forms_care import PackageForm, SessionForm
from homeward.shelters.forms_case import (
    ConfirmForm,
    PlacementSearchForm,
    ReferralForm,
    WaitingForm,
    WithdrawForm,
)
from homeward.shelters.forms_common import format_ages
from homeward.shelters.models import Shelter, WaitingListEntry
from homeward.shelters.services import package, referrals, waiting

TAB = "shelter"


def _shelter_tab(case: Case, anchor: str = "") -> HttpResponseRedirect:
    url = tab_url("shelters:case-shelter", case)
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one: a confirmation), else None."""
    return request.POST if request.method == "POST" else None


def _regions(user: User) -> list[str]:
    """The regions with a shelter, for the region choices."""
    return sorted(set(
        selectors.shelter_list_for_user(user=user).values_list("region", flat=True)
    ))


@login_required
@require_GET
def case_shelter(request: HttpRequest, code: str) -> HttpResponse:
    """The "Shelter" tab: referrals, stays, the waiting-list entry, the standard
    package and the service log of the case."""
    user, case = case_for(request, code)
    entry = selectors.waiting_of_case(user=user, case=case)
    return case_page(request, user, case, tab=TAB, template="shelters/case_shelter.html", context={
        "referrals": selectors.referrals_of_case(user=user, case=case),
        "stays": selectors.stays_of_case(user=user, case=case),
        "waiting": entry,
        "waiting_children": format_ages(entry.children_months) if entry else "",
        "package": selectors_care.package_panel(user=user, case=case),
        "sessions": selectors_care.sessions_of_case(user=user, case=case),
        "can_record_care": selectors_care.may_record_care(user, case),
    })


@login_required
@require_GET
def placement_search(request: HttpRequest, code: str) -> HttpResponse:
    """Which shelters can take the person now, and why each other one cannot."""
    user, case = case_for(request, code, need="manage")
    form = PlacementSearchForm(
        request.GET, regions=_regions(user), home_region=case.person.origin_region,
    )
    context: dict[str, Any] = {"form": form, "searched": form.is_valid()}
    if form.is_valid():
        arguments = form.needs_arguments()
        needs = needs_for_case(case, **arguments)
        fits, excluded = selectors.placement_search(user=user, case=case, needs=needs)
        children = format_ages(arguments["children_months"])
        carried = {"children_months": children,
                   "needs_accessibility": "on" if arguments["needs_accessibility"] else ""}
        waiting_query = {key: value for key, value in {
            **carried,
            "prefer_region": arguments["prefer_region"],
            "avoid_region": arguments["avoid_region"],
        }.items() if value}
        context.update({
            "needs": needs, "children": children, "fits": fits, "excluded": excluded,
            "carried": carried, "referral_form": ReferralForm(),
            "waiting": selectors.waiting_of_case(user=user, case=case),
            "waiting_query": urlencode(waiting_query),
        })
    return case_page(request, user, case, tab=TAB, template="shelters/placement_search.html",
                     context=context)


@login_required
@require_http_methods(GET_POST)
def referral_create(request: HttpRequest, code: str, shelter_pk: int) -> HttpResponse:
    """Ask a shelter to take the person (the search's "Ask this shelter")."""
    user, case = case_for(request, code, need="manage")
    shelter = selectors.shelter_get_for_user(user=user, pk=shelter_pk)
    form = ReferralForm(_posted(request), initial={
        "children_months": request.GET.get("children_months", ""),
        "needs_accessibility": request.GET.get("needs_accessibility", "") in ("on", "1", "true"),
    })
    if form_saved(request, form, referrals.referral_send, actor=user, case=case, shelter=shelter):
        messages.success(request, _("The request was sent to %(shelter)s.")
                         % {"shelter": shelter.name})
        return _shelter_tab(case, "referrals")
    occupancy = selectors.occupancy_of([shelter])[shelter.pk]
    return case_page(request, user, case, tab=TAB, template="shelters/placement_refer.html",
                     context={"form": form, "shelter": shelter, "occupancy": occupancy})


@login_required
@require_http_methods(GET_POST)
def referral_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a request before the person is admitted (the case's managers)."""
    user = request_user(request)
    referral = selectors.referral_get_for_user(user=user, pk=pk)
    case = referral.case
    case_selectors.require_manage(user, case)
    form = WithdrawForm(_posted(request))
    if form_saved(request, form, referrals.referral_withdraw, actor=user, referral=referral):
        messages.success(request, _("The request was withdrawn."))
        return _shelter_tab(case, "referrals")
    return case_page(request, user, case, tab=TAB, template="shelters/placement_withdraw.html",
                     context={"form": form, "referral": referral})


@login_required
@require_http_methods(GET_POST)
def waiting_add(request: HttpRequest, code: str) -> HttpResponse:
    """Put the person on the waiting list when no shelter fits now."""
    user, case = case_for(request, code, need="manage")
    form = WaitingForm(_posted(request), regions=_regions(user), initial={
        "children_months": request.GET.get("children_months", ""),
        "needs_accessibility": request.GET.get("needs_accessibility", "") in ("on", "1", "true"),
        "prefer_region": request.GET.get("prefer_region", ""),
        "avoid_region": request.GET.get("avoid_region", ""),
    })
    if form_saved(request, form, waiting.waiting_add, actor=user, case=case):
        messages.success(request, _("The person is on the waiting list."))
        return _shelter_tab(case, "waiting")
    return case_page(request, user, case, tab=TAB, template="shelters/waiting_form.html",
                     context={"form": form,
                              "waiting": selectors.waiting_of_case(user=user, case=case)})


@login_required
@require_http_methods(GET_POST)
def waiting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the person off the waiting list (the case's managers)."""
    user = request_user(request)
    entry = access.get_for_user(
        user, WaitingListEntry.objects.select_related("case", "case__person",
                                                      "case__organisation"), pk=pk,
    )
    case_selectors.require_manage(user, entry.case)
    form = ConfirmForm(_posted(request))
    if form_saved(request, form, waiting.waiting_cancel, actor=user, entry=entry):
        messages.success(request, _("The person was taken off the waiting list."))
        return _shelter_tab(entry.case, "waiting")
    return case_page(request, user, entry.case, tab=TAB, template="shelters/waiting_cancel.html",
                     context={"form": form, "entry": entry,
                              "children": format_ages(entry.children_months)})


def _places_now(user: User, entries: list[WaitingListEntry]) -> dict[int, int]:
    """For each entry, how many shelters could take the person now."""
    shelters: list[Shelter] = list(selectors.shelter_list_for_user(user=user, open_only=True))
    occupancy = selectors.occupancy_of(shelters)
    places = {}
    for entry in entries:
        needs = needs_for_case(
            entry.case, children_months=entry.children_months,
            needs_accessibility=entry.needs_accessibility,
            prefer_region=entry.prefer_region, avoid_region=entry.avoid_region,
        )
        places[entry.pk] = sum(
            1 for shelter in shelters
            if not exclusion_reasons(shelter, needs, occupancy[shelter.pk])
        )
    return places


def _search_query(entry: WaitingListEntry) -> str:
    """The placement search for what the waiting person needs."""
    query = {
        "children_months": format_ages(entry.children_months),
        "needs_accessibility": "on" if entry.needs_accessibility else "",
        "prefer_region": entry.prefer_region,
        "avoid_home_region": "on" if entry.avoid_region else "",
    }
    return urlencode({key: value for key, value in query.items() if value})


@login_required
@require_GET
def waiting_list(request: HttpRequest) -> HttpResponse:
    """The people of the user's organisations waiting for a place: case code,
    since when, what they need, and how many shelters could take them now.
    No names. For those who manage cases (others: 403)."""
    user = request_user(request)
    if not selectors.organisation_ids(user, case_selectors.MANAGER_ROLES).exists():
        raise PermissionDenied
    entries = list(selectors.waiting_list_for_user(user=user))
    places = _places_now(user, entries)
    rows = [{"entry": entry, "children": format_ages(entry.children_months),
             "places": places[entry.pk], "search": _search_query(entry)} for entry in entries]
    return render(request, "shelters/waiting_list.html", {"rows": rows})


@login_required
@require_http_methods(GET_POST)
def case_offer_create(request: HttpRequest, code: str) -> HttpResponse:
    """The standard package: one decision per service, recorded together (the
    same form as on the resident's page)."""
    user, case = case_for(request, code)
    if not selectors_care.may_record_care(user, case):
        raise PermissionDenied
    form = PackageForm(_posted(request),
                       current=selectors_care.package_in_force(user=user, case=case))
    if form_saved(request, form, package.package_record, actor=user, case=case):
        messages.success(request, _("The standard package was recorded."))
        return _shelter_tab(case, "package")
    return case_page(request, user, case, tab=TAB, template="shelters/case_offer_form.html",
                     context={"form": form})


@login_required
@require_http_methods(GET_POST)
def case_session_create(request: HttpRequest, code: str) -> HttpResponse:
    """Add an entry to the service log (a session, a consultation, a training)."""
    user, case = case_for(request, code)
    if not selectors_care.may_record_care(user, case):
        raise PermissionDenied
    providers = case_selectors.assignable_users(case=case)
    initial = {"provided_by": user.pk} if providers.filter(pk=user.pk).exists() else {}
    form = SessionForm(_posted(request), providers=providers, initial=initial)
    if form_saved(request, form, package.service_session_record, actor=user, case=case):
        messages.success(request, _("The session was recorded."))
        return _shelter_tab(case, "sessions")
    return case_page(request, user, case, tab=TAB, template="shelters/case_session_form.html",
                     context={"form": form})
