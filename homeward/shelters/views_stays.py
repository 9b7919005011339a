"""A resident's stay: the resident page (the person's name shows here, and
every look is audited), the discharge, the standard package, the service
log and the medical screening.

The stay is seen by whoever sees the case and by the shelter side of the
shelter (404 for everyone else, through the access gate). Recording the
package and the log is for the case's team and the shelter's runners; the
discharge for the shelter's runners and the case's managers; the medical
screening for medical staff only — every other role that sees the stay
gets 403, coordinators included. Every write goes through a service; a
refusal is shown on the form with nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import User
from homeward.cases.selectors import can_manage_case, is_minor
from homeward.cases.services import case_view_record, medical_unlocked
from homeward.core.forms import add_service_errors, form_saved
from homeward.directory.models import EntryKind
from homeward.directory.selectors import entry_list_for_user
from homeward.shelters import selectors
from homeward.shelters.forms_care import PackageForm, SessionForm
from homeward.shelters.forms_common import age_words
from homeward.shelters.forms_stays import DiagnosisFormSet, DischargeForm, ScreeningForm
from homeward.shelters.models import ShelterStay
from homeward.shelters.selectors_care import (
    may_record_care,
    may_see_medical,
    offers_of_case,
    package_in_force,
    package_panel,
    screenings_of_case,
    sessions_of_case,
)
from homeward.shelters.services.medical import DiagnosisIn, screening_record, screening_view_record
from homeward.shelters.services.package import package_record, service_session_record
from homeward.shelters.services.stays import stay_discharge as discharge
from homeward.shelters.views_common import (
    GET_POST,
    age_text,
    refuse_unless,
    sees_case,
    stay_for,
)


def _stay_url(stay: ShelterStay) -> str:
    return reverse("shelters:stay-detail", kwargs={"pk": stay.pk})


def _may_discharge(user: User, stay: ShelterStay) -> bool:
    return selectors.can_run_shelter(user, stay.shelter) or can_manage_case(user, stay.case)


@login_required
@require_GET
def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, stay = stay_for(request, pk)
    case = stay.case
    case_view_record(actor=user, case=case, tab=f"shelter-stay:{stay.pk}")
    return render(request, "shelters/stay_detail.html", {
        "stay": stay, "case": case, "person": case.person, "age": age_text(case.person),
        "children": [
            {"child": child, "age": age_words(child.age_months)}
            for child in stay.children.all()
        ],
        "package": package_panel(user=user, case=case),
        "offers": offers_of_case(user=user, case=case),
        "sessions": sessions_of_case(user=user, case=case),
        "can_record": may_record_care(user, case),
        "can_discharge": stay.is_current and _may_discharge(user, stay),
        "can_medical": may_see_medical(user, case),
        "sees_case": sees_case(user, case),
    })


@login_required
@require_http_methods(GET_POST)
def stay_discharge(request: HttpRequest, pk: int) -> HttpResponse:
    user, stay = stay_for(request, pk)
    refuse_unless(_may_discharge(user, stay))
    form = DischargeForm(request.POST or None)
    if form_saved(request, form, discharge, actor=user, stay=stay):
        messages.success(request, _("The departure was recorded; the place is free again."))
        return HttpResponseRedirect(_stay_url(stay))
    return render(request, "shelters/stay_discharge.html", {"form": form, "stay": stay})


@login_required
@require_http_methods(GET_POST)
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The standard package: one decision per service, recorded together."""
    user, stay = stay_for(request, pk)
    case = stay.case
    refuse_unless(may_record_care(user, case))
    form = PackageForm(request.POST or None, current=package_in_force(user=user, case=case))
    if form_saved(request, form, package_record, actor=user, case=case):
        messages.success(request, _("The standard package was recorded."))
        return HttpResponseRedirect(_stay_url(stay))
    return render(request, "shelters/stay_package.html", {"form": form, "stay": stay})


def _providers(stay: ShelterStay) -> QuerySet[User]:
    """Colleagues who may have provided a service: active members of the
    shelter's and of the case's organisation."""
    return User.objects.filter(
        is_active=True, memberships__is_active=True,
        memberships__organisation_id__in={stay.shelter.organisation_id,
                                          stay.case.organisation_id},
    ).distinct().order_by("last_name", "first_name", "username")


@login_required
@require_http_methods(GET_POST)
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, stay = stay_for(request, pk)
    refuse_unless(may_record_care(user, stay.case))
    providers = _providers(stay)
    form = SessionForm(request.POST or None, providers=providers,
                       initial={"provided_by": user.pk})
    if form_saved(request, form, service_session_record, actor=user, case=stay.case,
                  stay=stay):
        messages.success(request, _("The session was added to the service log."))
        return HttpResponseRedirect(_stay_url(stay))
    return render(request, "shelters/stay_session.html", {"form": form, "stay": stay})


def _medical_stay(request: HttpRequest, pk: int) -> tuple[User, ShelterStay]:
    """The stay (404 for outsiders), then 403 for everyone but medical staff."""
    user, stay = stay_for(request, pk)
    refuse_unless(may_see_medical(user, stay.case))
    return user, stay


def _lock(stay: ShelterStay) -> dict[str, Any]:
    return {"unlocked": medical_unlocked(stay.case), "minor": is_minor(stay.case)}


@login_required
@require_GET
def screening_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, stay = _medical_stay(request, pk)
    screening_view_record(actor=user, case=stay.case)
    return render(request, "shelters/screening_list.html", {
        "stay": stay, "screenings": screenings_of_case(user=user, case=stay.case),
        **_lock(stay),
    })


@login_required
@require_http_methods(GET_POST)
def screening_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, stay = _medical_stay(request, pk)
    clinics = entry_list_for_user(user=user, kind=EntryKind.MEDICAL).order_by("name_en")
    form = ScreeningForm(request.POST or None, clinics=clinics)
    diagnoses = DiagnosisFormSet(request.POST or None, prefix="diagnoses")
    if request.method == "POST" and form.is_valid() and diagnoses.is_valid():
        found = [
            DiagnosisIn(group=row["group"], icd10=row["icd10"], detail=row["detail"])
            for row in diagnoses.cleaned_data if row.get("group")
        ]
        try:
            screening_record(actor=user, case=stay.case, stay=stay, diagnoses=found,
                             **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The screening was recorded."))
            return HttpResponseRedirect(reverse("shelters:screening-list",
                                                kwargs={"pk": stay.pk}))
    return render(request, "shelters/screening_form.html", {
        "form": form, "diagnoses": diagnoses, "stay": stay, **_lock(stay),
    })
