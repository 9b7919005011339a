"""The network's shelters: the list every member reads (no person in it),
a shelter's page, and describing a shelter.

Every active member sees the shelters and their free beds; the address and
the partner contact only show to those who need them
(:func:`~homeward.shelters.selectors.shelter_details_visible`). The shelter
side of the operating organisation also sees who stays there and who is
expected — by case code, age band and children, never by name. Describing
a shelter is for its organisation's coordinators and administrators (403
for others; a shelter is never 404 to a member).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import Organisation, User
from homeward.cases.choices import Gender
from homeward.core.forms import form_saved
from homeward.directory.models import Entry
from homeward.directory.selectors import entry_list_for_user
from homeward.shelters import selectors
from homeward.shelters.choices import OPEN_REFERRAL_STATUSES, Facility
from homeward.shelters.forms_shelters import ShelterFilterForm, ShelterForm, shelter_initial
from homeward.shelters.models import Shelter
from homeward.shelters.selectors import Occupancy
from homeward.shelters.services import shelters as services
from homeward.shelters.views_common import (
    GET_POST,
    age_band,
    refuse_unless,
    request_user,
    resident_rows,
    runs_any_shelter,
    shelter_side,
)


def _managed_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=selectors.organisation_ids(user, selectors.MANAGE_ROLES)
    ).order_by("code")


def _entries(user: User, organisations: list[int]) -> QuerySet[Entry]:
    """Directory entries the shelter may point to: those of its organisation."""
    return entry_list_for_user(user=user).filter(owner_id__in=organisations).order_by("name_en")


@dataclasses.dataclass(frozen=True)
class ShelterRow:
    shelter: Shelter
    occupancy: Occupancy


@login_required
@require_GET
def shelter_list_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ShelterFilterForm(request.GET or None)
    shelters = list(selectors.shelter_list_for_user(user=user, **form.filters()))
    occupancy = selectors.occupancy_of(shelters)
    rows = [ShelterRow(shelter=shelter, occupancy=occupancy[shelter.pk]) for shelter in shelters]
    return render(request, "shelters/shelter_list.html", {
        "form": form, "rows": rows, "searched": bool(request.GET),
        "can_add": _managed_organisations(user).exists(),
        "runs": runs_any_shelter(user),
    })


def _labels(codes: list[str], choices: list[tuple[str, Any]]) -> list[str]:
    names = dict(choices)
    return [str(names[code]) for code in codes if code in names]


@login_required
@require_GET
def shelter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    shelter = selectors.shelter_get_for_user(user=user, pk=pk)
    context: dict[str, Any] = {
        "shelter": shelter,
        "occupancy": selectors.occupancy_of([shelter])[shelter.pk],
        "details_visible": selectors.shelter_details_visible(user, shelter),
        "can_edit": selectors.can_manage_shelter(user, shelter),
        "side": shelter_side(user, shelter),
        "facilities": _labels(shelter.facilities, Facility.choices),
        "genders": _labels(shelter.genders, Gender.choices),
    }
    if context["side"]:
        context["residents"] = resident_rows(
            list(selectors.residents_of(user=user, shelter=shelter))
        )
        context["expected"] = [
            {"referral": referral, "age_band": age_band(referral.case.person),
             "children": len(referral.children_months)}
            for referral in selectors.referral_list_for_user(user=user, shelter=shelter)
            .filter(status__in=OPEN_REFERRAL_STATUSES)
        ]
    return render(request, "shelters/shelter_detail.html", context)


@login_required
@require_http_methods(GET_POST)
def shelter_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    organisations = _managed_organisations(user)
    refuse_unless(organisations.exists())
    form = ShelterForm(
        request.POST or None, organisations=organisations,
        entries=_entries(user, [org.pk for org in organisations]),
    )
    if form_saved(request, form, services.shelter_create, actor=user):
        messages.success(request, _("The shelter was added."))
        return HttpResponseRedirect(reverse("shelters:shelter-list"))
    return render(request, "shelters/shelter_form.html", {"form": form, "shelter": None})


@login_required
@require_http_methods(GET_POST)
def shelter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    shelter = selectors.shelter_get_for_user(user=user, pk=pk)
    refuse_unless(selectors.can_manage_shelter(user, shelter))
    entries = _entries(user, [shelter.organisation_id])
    if shelter.entry_id is not None:
        entries = Entry.objects.filter(Q(pk__in=entries.values("pk")) | Q(pk=shelter.entry_id))
    form = ShelterForm(request.POST or None, initial=shelter_initial(shelter), entries=entries)
    if form_saved(request, form, services.shelter_update, actor=user, shelter=shelter):
        messages.success(request, _("The shelter was saved."))
        return HttpResponseRedirect(reverse("shelters:shelter-detail", kwargs={"pk": shelter.pk}))
    return render(request, "shelters/shelter_form.html", {"form": form, "shelter": shelter})
