"""A shelter's referral inbox: requests that it take a person, answered by
its shelter staff and coordinators — accept, decline with a reason, and
admit the person when they arrive.

The inbox is for those who run a shelter (403 for others). A referral is
seen by whoever sees the case and by the shelter side of the shelter
(404 for everyone else, through the access gate); answering it is for the
shelter's runners (403 for the case's side). The inbox lists case codes, age
bands and children, never names. Every write goes through one service; a
refusal is shown with nothing changed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.cases.services import case_view_record
from homeward.core import access
from homeward.core.forms import add_service_errors, form_saved
from homeward.shelters import selectors
from homeward.shelters.choices import OPEN_REFERRAL_STATUSES, ReferralStatus
from homeward.shelters.forms_common import format_ages
from homeward.shelters.forms_stays import AdmitForm, DeclineForm
from homeward.shelters.models import ShelterReferral, ShelterStay
from homeward.shelters.services import referrals as services
from homeward.shelters.services.stays import stay_admit
from homeward.shelters.views_common import (
    GET_POST,
    age_band,
    age_text,
    referral_for,
    refuse_unless,
    request_user,
    runs_any_shelter,
    sees_case,
)

# The inbox's tabs: (key, label, statuses).
TABS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("pending", gettext_lazy("To answer"), (ReferralStatus.PENDING,)),
    ("accepted", gettext_lazy("Accepted, to admit"), (ReferralStatus.ACCEPTED,)),
    ("closed", gettext_lazy("Answered"), (
        ReferralStatus.ADMITTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN,
    )),
)
REFERRALS_SHOWN = 200


@dataclasses.dataclass(frozen=True)
class ReferralRow:
    referral: ShelterReferral
    age_band: str
    children: int


def _detail_url(referral: ShelterReferral) -> str:
    return reverse("shelters:referral-detail", kwargs={"pk": referral.pk})


@login_required
@require_GET
def referral_list_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    refuse_unless(runs_any_shelter(user))
    shelters = list(selectors.shelters_run_by(user=user).order_by("name_en"))
    chosen = next((s for s in shelters if str(s.pk) == request.GET.get("shelter")), None)
    tab = request.GET.get("tab", "")
    statuses = {key: chosen_statuses for key, _label, chosen_statuses in TABS}.get(tab)
    if statuses is None:
        tab, statuses = TABS[0][0], TABS[0][2]
    referrals = (
        selectors.referral_list_for_user(user=user, shelter=chosen)
        .filter(shelter__in=[s.pk for s in shelters], status__in=statuses)
    )
    if tab != "closed":
        referrals = referrals.order_by("needed_from", "requested_at", "id")
    rows = [
        ReferralRow(referral=referral, age_band=age_band(referral.case.person),
                    children=len(referral.children_months))
        for referral in referrals[:REFERRALS_SHOWN]
    ]
    return render(request, "shelters/referral_list.html", {
        "rows": rows, "tab": tab, "tabs": [(key, label) for key, label, _s in TABS],
        "shelters": shelters, "chosen": chosen,
    })


@login_required
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = referral_for(request, pk)
    case = referral.case
    case_view_record(actor=user, case=case, tab=f"shelter-referral:{referral.pk}")
    can_answer = selectors.can_run_shelter(user, referral.shelter)
    stay = access.for_user(user, ShelterStay).filter(referral=referral).first()
    admit_form = None
    if can_answer and referral.status == ReferralStatus.ACCEPTED:
        admit_form = AdmitForm(initial={"children": referral.children_months})
    return render(request, "shelters/referral_detail.html", {
        "referral": referral, "case": case,
        "age": age_text(case.person), "children": format_ages(referral.children_months),
        "can_answer": can_answer, "is_open": referral.status in OPEN_REFERRAL_STATUSES,
        "admit_form": admit_form, "stay": stay,
        "sees_case": sees_case(user, case),
    })


@login_required
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = referral_for(request, pk)
    refuse_unless(selectors.can_run_shelter(user, referral.shelter))
    try:
        services.referral_accept(actor=user, referral=referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request was accepted. Admit the person when they "
                                    "arrive."))
    return HttpResponseRedirect(_detail_url(referral))


@login_required
@require_http_methods(GET_POST)
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = referral_for(request, pk)
    refuse_unless(selectors.can_run_shelter(user, referral.shelter))
    form = DeclineForm(request.POST or None)
    if form_saved(request, form, services.referral_decline, actor=user, referral=referral):
        messages.success(request, _("The request was declined. The case's organisation sees "
                                    "your reason."))
        return HttpResponseRedirect(reverse("shelters:referral-list"))
    return render(request, "shelters/referral_decline.html",
                  {"form": form, "referral": referral})


@login_required
@require_http_methods(GET_POST)
def referral_admit(request: HttpRequest, pk: int) -> HttpResponse:
    """The person arrived: the stay begins (refused with nothing changed when
    beds or cots are short, or the shelter's rules exclude someone)."""
    user, referral = referral_for(request, pk)
    refuse_unless(selectors.can_run_shelter(user, referral.shelter))
    form = AdmitForm(request.POST or None,
                     initial={"children": referral.children_months})
    if request.method == "POST" and form.is_valid():
        try:
            stay = stay_admit(actor=user, shelter=referral.shelter, case=referral.case,
                              referral=referral, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The person was admitted."))
            return HttpResponseRedirect(reverse("shelters:stay-detail", kwargs={"pk": stay.pk}))
    return render(request, "shelters/referral_admit.html", {
        "form": form, "referral": referral,
        "is_open": referral.status in OPEN_REFERRAL_STATUSES,
    })
