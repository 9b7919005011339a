"""The rescue and repatriation tabs of a case: rescues (who was contacted,
with the directory entries of the country offered first), the journey home
(travel documents, escort, arrival), and the person's moves between places.

A minor's journey and moves need an escort: the forms say so, and the
services refuse without one. Every page fetches the case through the gate
(404 for outsiders), checks what the user may do with it (403), and audits
the view (:func:`~homeward.cases.views_common.case_page`). Every write goes
through one service; a refusal is shown on the form with nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import User
from homeward.cases import selectors, services
from homeward.cases.forms_records import (
    MoveForm,
    RepatriationForm,
    RescueForm,
    mark_escort_required,
    repatriation_initial,
)
from homeward.cases.models import Case, Move, Repatriation, RescueRecord
from homeward.cases.views_common import (
    GET_POST,
    case_for,
    case_page,
    records_of,
    tab_url,
    visible_entries,
)
from homeward.core import access
from homeward.core.forms import add_service_errors, form_saved
from homeward.directory.models import Entry, EntryKind
from homeward.directory.selectors import entry_list_for_user

# Who a rescue usually calls, first in the list of directory entries.
RESCUE_KIND_ORDER = (EntryKind.TASK_FORCE, EntryKind.LAW_ENFORCEMENT, EntryKind.EMBASSY,
                     EntryKind.INTERNATIONAL, EntryKind.NGO)


# --- rescue ------------------------------------------------------------------------


@login_required
@require_GET
def case_rescue(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code)
    rescues = records_of(user, RescueRecord, case).prefetch_related(
        Prefetch("contacted", queryset=access.for_user(user, Entry).order_by("name_en"))
    ).order_by("-contacted_at", "-id")
    return case_page(request, user, case, tab="rescue", template="cases/case_rescue.html",
                     context={"rescues": rescues})


def _rescue_entries(user: User, country: str) -> Any:
    """Directory entries the user may see in ``country``: task forces, police
    and embassies first."""
    ranks = [models.When(kind=kind, then=models.Value(rank))
             for rank, kind in enumerate(RESCUE_KIND_ORDER)]
    return entry_list_for_user(user=user, country=country).annotate(
        rank=models.Case(*ranks, default=models.Value(len(RESCUE_KIND_ORDER)),
                         output_field=models.IntegerField())
    ).order_by("rank", "name_en")


@login_required
@require_http_methods(GET_POST)
def rescue_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="work")
    # The list of entries follows ?country= (the form posts back to the same
    # address), else where the person was exploited.
    country = (request.GET.get("country") or case.destination_country.code or "").upper()
    form = RescueForm(
        request.POST or None, entries=_rescue_entries(user, country),
        initial={"country": country, "city": case.destination_city},
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["contacted"] = list(values["contacted"])
        try:
            services.rescue_record(actor=user, case=case, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rescue was recorded."))
            return HttpResponseRedirect(tab_url("cases:case-rescue", case))
    return case_page(request, user, case, tab="rescue", template="cases/rescue_form.html",
                     context={"form": form, "entries_country": country,
                              "country_choices": getattr(form.fields["country"], "choices", [])})


# --- repatriation and moves ----------------------------------------------------------


@login_required
@require_GET
def case_repatriation(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code)
    repatriations = list(records_of(user, Repatriation, case).order_by("recorded_at", "id"))
    entries = visible_entries(user, {r.document_authority_id for r in repatriations})
    rows = [{
        "record": repatriation,
        "authority": entries.get(repatriation.document_authority_id or 0),
    } for repatriation in repatriations]
    moves = records_of(user, Move, case).order_by("-moved_on", "-id")
    return case_page(request, user, case, tab="repatriation",
                     template="cases/case_repatriation.html",
                     context={"repatriations": rows, "moves": moves})


def _embassies(user: User) -> Any:
    return entry_list_for_user(user=user, kind=EntryKind.EMBASSY)


def _repatriation_page(
    request: HttpRequest, user: User, case: Case, form: RepatriationForm,
    repatriation: Repatriation | None,
) -> HttpResponse:
    return case_page(request, user, case, tab="repatriation",
                     template="cases/repatriation_form.html",
                     context={"form": form, "repatriation": repatriation})


@login_required
@require_http_methods(GET_POST)
def repatriation_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="work")
    form = RepatriationForm(request.POST or None, embassies=_embassies(user))
    if selectors.is_minor(case):
        mark_escort_required(form)
    if form_saved(request, form, services.repatriation_record, actor=user, case=case):
        messages.success(request, _("The repatriation was recorded."))
        return HttpResponseRedirect(tab_url("cases:case-repatriation", case))
    return _repatriation_page(request, user, case, form, None)


@login_required
@require_http_methods(GET_POST)
def repatriation_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, case = case_for(request, code, need="work")
    repatriation = access.get_for_user(user, Repatriation, pk=pk, case=case)
    form = RepatriationForm(
        request.POST or None, embassies=_embassies(user),
        initial=repatriation_initial(repatriation),
    )
    if selectors.is_minor(case):
        mark_escort_required(form)
    if form_saved(
        request, form, services.repatriation_update, actor=user, repatriation=repatriation
    ):
        messages.success(request, _("The repatriation was saved."))
        return HttpResponseRedirect(tab_url("cases:case-repatriation", case))
    return _repatriation_page(request, user, case, form, repatriation)


@login_required
@require_http_methods(GET_POST)
def move_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="work")
    form = MoveForm(request.POST or None)
    if selectors.is_minor(case):
        mark_escort_required(form)
    if form_saved(request, form, services.move_record, actor=user, case=case):
        messages.success(request, _("The move was recorded."))
        return HttpResponseRedirect(tab_url("cases:case-repatriation", case))
    return case_page(request, user, case, tab="repatriation", template="cases/move_form.html",
                     context={"form": form})
