"""The tabs of a case: the trafficking story, rescue, repatriation and moves,
medical examinations, justice and consents, with the forms that add to them.

Every page fetches the case through the gate (404 for outsiders), checks
what the user may do with it (403), and audits the view
(:func:`~homeward.cases.views_common.case_page_context`). Every write goes
through one service; a refusal (consent, minor, escort, version) is shown on
the form with nothing changed.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_countries.fields import Country

from homeward.accounts.models import User
from homeward.cases import selectors, services
from homeward.cases.choices import ConsentPurpose, EventType
from homeward.cases.errors import EditConflict
from homeward.cases.forms_records import (
    ConsentRecordForm,
    EmergencyExamForm,
    EventForm,
    GuardianForm,
    MedicalExamForm,
    MoveForm,
    ProceedingForm,
    RepatriationForm,
    RescueForm,
    add_service_errors,
    event_initial,
    mark_escort_required,
    proceeding_initial,
    purpose_from_query,
    repatriation_initial,
)
from homeward.cases.models import (
    Case,
    Consent,
    CriminalProceeding,
    Guardian,
    MedicalExam,
    Move,
    Repatriation,
    RescueRecord,
    TraffickingEvent,
)
from homeward.cases.views_common import case_for, case_page_context
from homeward.core import access
from homeward.directory.models import Entry, EntryKind
from homeward.directory.selectors import entry_list_for_user

GET_POST = ["GET", "POST"]

# What the story shows of the case as a whole (vic_*; edited on the case form).
CASE_SUMMARY_FIELDS = (
    "trafficking_status", "trafficking_status_decided_by", "relationship_to_trafficker",
    "age_when_trafficked", "recruitment_methods", "recruitment_channels", "methods_of_control",
    "exploitation_types", "forced_labour_industry", "sex_exploitation_types",
    "destination_country", "destination_city",
)
EVENT_STAGE_FIELDS = (
    "recruitment_methods", "recruitment_channels", "recruiter_relationship",
    "transport_modes", "worked_in_transit", "official_checkpoint_crossed",
    "exploitation_types", "forced_labour_industry", "sex_exploitation_types",
    "methods_of_control",
)
# Who a rescue usually calls, first in the list of directory entries.
RESCUE_KIND_ORDER = (EntryKind.TASK_FORCE, EntryKind.LAW_ENFORCEMENT, EntryKind.EMBASSY,
                     EntryKind.INTERNATIONAL, EntryKind.NGO)


# --- presentation helpers --------------------------------------------------------


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


def _facts(instance: Model, names: tuple[str, ...] | list[str]) -> list[tuple[str, Any]]:
    """(label, value) of the fields that hold something, for a ``dl.facts``."""
    rows = []
    for name in names:
        value = _display(instance, name)
        if value is not None:
            label = instance._meta.get_field(name).verbose_name  # type: ignore[union-attr]
            rows.append((capfirst(str(label)), value))
    return rows


def _visible_entries(user: User, ids: set[int | None]) -> dict[int, Entry]:
    """The directory entries among ``ids`` the user may see (a record may name
    an entry restricted to other roles: it is then not shown)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    return {entry.pk: entry for entry in access.for_user(user, Entry).filter(pk__in=wanted)}


def _tab_url(name: str, case: Case, query: dict[str, str] | None = None) -> str:
    url = reverse(name, kwargs={"code": case.code})
    return f"{url}?{urlencode(query)}" if query else url


def _page(
    request: HttpRequest, user: User, case: Case, *, tab: str, template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A case page, audited: a GET, or a POST the services refused (nothing
    was written, and the page shows the case again)."""
    page = case_page_context(user, case, tab=tab)
    page.update(context)
    return render(request, template, page)


def _records(user: User, model: type[Model], case: Case) -> Any:
    return access.for_user(user, model).filter(case=case)


# --- the trafficking story ---------------------------------------------------------


def _event_order(event: TraffickingEvent) -> tuple[datetime.date, int, int]:
    stages = list(EventType.values)
    day = event.date or event.end_date or datetime.date.max
    return day, stages.index(event.type) if event.type in stages else len(stages), event.pk


@login_required
@require_GET
def case_story(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code)
    events = sorted(_records(user, TraffickingEvent, case), key=_event_order)
    return _page(request, user, case, tab="story", template="cases/case_story.html", context={
        "summary": _facts(case, CASE_SUMMARY_FIELDS),
        "events": [{"event": event, "facts": _facts(event, EVENT_STAGE_FIELDS)}
                   for event in events],
    })


def _event_form_page(
    request: HttpRequest, user: User, case: Case, form: EventForm,
    event: TraffickingEvent | None,
) -> HttpResponse:
    return _page(request, user, case, tab="story", template="cases/event_form.html",
                 context={"form": form, "event": event})


@login_required
@require_http_methods(GET_POST)
def event_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="work")
    form = EventForm(request.POST or None, initial={"type": request.GET.get("type", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_create(actor=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event was added to the story."))
            return HttpResponseRedirect(_tab_url("cases:case-story", case))
    return _event_form_page(request, user, case, form, None)


def _event(request: HttpRequest, code: str, pk: int) -> tuple[User, Case, TraffickingEvent]:
    user, case = case_for(request, code, need="work")
    event = access.get_for_user(user, TraffickingEvent, pk=pk, case=case)
    return user, case, event


@login_required
@require_http_methods(GET_POST)
def event_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, case, event = _event(request, code, pk)
    form = EventForm(request.POST or None, initial=event_initial(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event was saved."))
            return HttpResponseRedirect(_tab_url("cases:case-story", case))
    return _event_form_page(request, user, case, form, event)


@login_required
@require_http_methods(GET_POST)
def event_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, case, event = _event(request, code, pk)
    if request.method == "POST":
        services.event_delete(actor=user, event=event)
        messages.success(request, _("The event was removed from the story."))
        return HttpResponseRedirect(_tab_url("cases:case-story", case))
    return _page(request, user, case, tab="story", template="cases/event_delete.html",
                 context={"event": event})


# --- rescue ------------------------------------------------------------------------


@login_required
@require_GET
def case_rescue(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code)
    rescues = _records(user, RescueRecord, case).prefetch_related(
        Prefetch("contacted", queryset=access.for_user(user, Entry).order_by("name_en"))
    ).order_by("-contacted_at", "-id")
    return _page(request, user, case, tab="rescue", template="cases/case_rescue.html",
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
            return HttpResponseRedirect(_tab_url("cases:case-rescue", case))
    return _page(request, user, case, tab="rescue", template="cases/rescue_form.html",
                 context={"form": form, "entries_country": country,
                          "country_choices": getattr(form.fields["country"], "choices", [])})


# --- repatriation and moves ----------------------------------------------------------


@login_required
@require_GET
def case_repatriation(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code)
    repatriations = list(_records(user, Repatriation, case).order_by("recorded_at", "id"))
    entries = _visible_entries(user, {r.document_authority_id for r in repatriations})
    rows = [{
        "record": repatriation,
        "authority": entries.get(repatriation.document_authority_id or 0),
    } for repatriation in repatriations]
    moves = _records(user, Move, case).order_by("-moved_on", "-id")
    return _page(request, user, case, tab="repatriation",
                 template="cases/case_repatriation.html",
                 context={"repatriations": rows, "moves": moves})


def _embassies(user: User) -> Any:
    return entry_list_for_user(user=user, kind=EntryKind.EMBASSY)


def _repatriation_page(
    request: HttpRequest, user: User, case: Case, form: RepatriationForm,
    repatriation: Repatriation | None,
) -> HttpResponse:
    return _page(request, user, case, tab="repatriation",
                 template="cases/repatriation_form.html",
                 context={"form": form, "repatriation": repatriation})


@login_required
@require_http_methods(GET_POST)
def repatriation_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="work")
    form = RepatriationForm(request.POST or None, embassies=_embassies(user))
    if selectors.is_minor(case):
        mark_escort_required(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.repatriation_record(actor=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The repatriation was recorded."))
            return HttpResponseRedirect(_tab_url("cases:case-repatriation", case))
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
    if request.method == "POST" and form.is_valid():
        try:
            services.repatriation_update(
                actor=user, repatriation=repatriation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The repatriation was saved."))
            return HttpResponseRedirect(_tab_url("cases:case-repatriation", case))
    return _repatriation_page(request, user, case, form, repatriation)


@login_required
@require_http_methods(GET_POST)
def move_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="work")
    form = MoveForm(request.POST or None)
    if selectors.is_minor(case):
        mark_escort_required(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_record(actor=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The move was recorded."))
            return HttpResponseRedirect(_tab_url("cases:case-repatriation", case))
    return _page(request, user, case, tab="repatriation", template="cases/move_form.html",
                 context={"form": form})


# --- medical -------------------------------------------------------------------------


def _medical_state(user: User, case: Case) -> dict[str, Any]:
    """What the medical pages say about the lock: consent in force, guardians."""
    return {
        "unlocked": services.medical_unlocked(case),
        "medical_consent": selectors.consent_in_force(
            case=case, purpose=ConsentPurpose.MEDICAL
        ),
        "guardians": _records(user, Guardian, case).order_by("-recorded_on", "-id"),
        "consent_url": _tab_url("cases:consent-create", case,
                                {"purpose": ConsentPurpose.MEDICAL}),
    }


@login_required
@require_GET
def case_medical(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="medical")
    exams = list(_records(user, MedicalExam, case).order_by("-planned_on", "-id"))
    clinics = _visible_entries(user, {exam.facility_id for exam in exams})
    rows = [{"exam": exam, "clinic": clinics.get(exam.facility_id or 0)} for exam in exams]
    return _page(request, user, case, tab="medical", template="cases/case_medical.html",
                 context={"exams": rows, **_medical_state(user, case)})


@login_required
@require_http_methods(GET_POST)
def medical_create(request: HttpRequest, code: str) -> HttpResponse:
    """An examination; while the medical consent is missing only through the
    emergency path (``?emergency=1``), which needs a written justification."""
    user, case = case_for(request, code, need="medical")
    emergency = request.GET.get("emergency") == "1"
    form_class = EmergencyExamForm if emergency else MedicalExamForm
    clinics = entry_list_for_user(user=user, kind=EntryKind.MEDICAL)
    form = form_class(request.POST or None, clinics=clinics)
    if request.method == "POST" and form.is_valid():
        try:
            services.medical_exam_record(
                actor=user, case=case, emergency=emergency, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if emergency:
                messages.warning(request, _(
                    "The examination was recorded as an emergency. The coordinator is "
                    "notified and the override is recorded in the audit log."
                ))
            else:
                messages.success(request, _("The examination was recorded."))
            return HttpResponseRedirect(_tab_url("cases:case-medical", case))
    return _page(request, user, case, tab="medical", template="cases/medical_form.html",
                 context={"form": form, "emergency": emergency, **_medical_state(user, case)})


@login_required
@require_http_methods(GET_POST)
def guardian_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_record(actor=user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The guardian was recorded."))
            if selectors.is_minor(case) and not services.medical_unlocked(case):
                # The usual next step: the guardian's consent to medical care.
                return HttpResponseRedirect(_tab_url(
                    "cases:consent-create", case, {"purpose": ConsentPurpose.MEDICAL}
                ))
            return HttpResponseRedirect(_tab_url("cases:case-consents", case))
    return _page(request, user, case, tab="consents", template="cases/guardian_form.html",
                 context={"form": form})


# --- justice -------------------------------------------------------------------------


@login_required
@require_GET
def case_justice(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code)
    proceedings = _records(user, CriminalProceeding, case).order_by("reported_on", "id")
    rows = [{
        "proceeding": proceeding,
        "facts": _facts(proceeding, (
            "jurisdiction", "authority", "reference", "person_role", "reported_on",
            "stage_since", "verdict_on", "verdict", "protection_measures",
        )),
    } for proceeding in proceedings]
    return _page(request, user, case, tab="justice", template="cases/case_justice.html",
                 context={"proceedings": rows})


def _proceeding_page(
    request: HttpRequest, user: User, case: Case, form: ProceedingForm,
    proceeding: CriminalProceeding | None, conflict: EditConflict | None = None,
) -> HttpResponse:
    return _page(request, user, case, tab="justice", template="cases/proceeding_form.html",
                 context={"form": form, "proceeding": proceeding, "conflict": conflict})


@login_required
@require_http_methods(GET_POST)
def proceeding_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    form = ProceedingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_create(actor=user, case=case, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The criminal proceeding was recorded."))
            return HttpResponseRedirect(_tab_url("cases:case-justice", case))
    return _proceeding_page(request, user, case, form, None)


@login_required
@require_http_methods(GET_POST)
def proceeding_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Optimistic locking: the form carries the version it was opened at; if
    someone saved since, their changes are shown and the user's input kept."""
    user, case = case_for(request, code, need="manage")
    proceeding = access.get_for_user(user, CriminalProceeding, pk=pk, case=case)
    form = ProceedingForm(request.POST or None, initial=proceeding_initial(proceeding))
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["version"] or proceeding.version
        try:
            services.proceeding_update(
                actor=user, proceeding=proceeding, expected_version=expected, **form.values()
            )
        except EditConflict as conflict:
            data = QueryDict(mutable=True)
            data.update(request.POST)
            data[form.add_prefix("version")] = str(conflict.version)
            form = ProceedingForm(data, initial=proceeding_initial(proceeding))
            form.is_valid()
            return _proceeding_page(request, user, case, form, proceeding, conflict)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The criminal proceeding was saved."))
            return HttpResponseRedirect(_tab_url("cases:case-justice", case))
    return _proceeding_page(request, user, case, form, proceeding)


# --- consents ------------------------------------------------------------------------


@login_required
@require_GET
def case_consents(request: HttpRequest, code: str) -> HttpResponse:
    """Every decision, newest first, grouped by purpose; the newest for a
    purpose (and organisation) is the one in force."""
    user, case = case_for(request, code)
    panel = selectors.consent_panel(case=case)
    in_force = {consent.pk for _purpose, _label, consent in panel if consent is not None}
    consents = list(_records(user, Consent, case).select_related("organisation")
                    .order_by("-decided_on", "-id"))
    history = [
        {"purpose": purpose, "label": label,
         "consents": [c for c in consents if c.purpose == purpose]}
        for purpose, label in ConsentPurpose.choices
    ]
    return _page(request, user, case, tab="consents", template="cases/case_consents.html",
                 context={
                     "panel": panel, "history": history, "in_force": in_force,
                     "guardians": _records(user, Guardian, case)
                     .order_by("-recorded_on", "-id"),
                 })


@login_required
@require_http_methods(GET_POST)
def consent_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    purpose = purpose_from_query(request.GET.get("purpose"))
    form = ConsentRecordForm(
        request.POST or None, request.FILES or None, minor=selectors.is_minor(case),
        initial={"purpose": purpose} if purpose else {},
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        scan = values.pop("scan") or None
        try:
            consent = services.consent_record(actor=user, case=case, scan=scan, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent decision was recorded."))
            if (consent.purpose == ConsentPurpose.MEDICAL
                    and selectors.can_see_medical(user, case)):
                return HttpResponseRedirect(_tab_url("cases:case-medical", case))
            return HttpResponseRedirect(_tab_url("cases:case-consents", case))
    return _page(request, user, case, tab="consents", template="cases/consent_form.html",
                 context={"form": form})


@login_required
@require_GET
def consent_scan(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The decrypted scan of a signed consent, as a download (audited by the
    service). Only for those who manage the case: it shows signatures."""
    user, case = case_for(request, code, need="manage")
    consent = access.get_for_user(user, Consent, pk=pk, case=case)
    if not consent.scan_content_type:
        raise Http404
    try:
        data, content_type, filename = services.consent_scan_read(actor=user, consent=consent)
    except ValidationError as exc:  # no scan stored
        raise Http404 from exc
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(True, filename) or "attachment"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

