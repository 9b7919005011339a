"""The story tab of a case: what is known of the trafficking as a whole, and
its events (recruitment, transit, exploitation…) in order, with the forms
that add, edit and remove an event.

Every page fetches the case through the gate (404 for outsiders), checks
what the user may do with it (403), and audits the view
(:func:`~homeward.cases.views_common.case_page`). Every write goes through
one service; a refusal is shown on the form with nothing changed.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import User
from homeward.cases import services
from homeward.cases.choices import EventType
from homeward.cases.forms_records import EventForm, event_initial
from homeward.cases.models import Case, TraffickingEvent
from homeward.cases.views_common import (
    GET_POST,
    case_for,
    case_page,
    facts,
    records_of,
    tab_url,
)
from homeward.core import access
from homeward.core.forms import form_saved

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


def _event_order(event: TraffickingEvent) -> tuple[datetime.date, int, int]:
    stages = list(EventType.values)
    day = event.date or event.end_date or datetime.date.max
    return day, stages.index(event.type) if event.type in stages else len(stages), event.pk


@login_required
@require_GET
def case_story(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code)
    events = sorted(records_of(user, TraffickingEvent, case), key=_event_order)
    return case_page(request, user, case, tab="story", template="cases/case_story.html", context={
        "summary": facts(case, CASE_SUMMARY_FIELDS),
        "events": [{"event": event, "facts": facts(event, EVENT_STAGE_FIELDS)}
                   for event in events],
    })


def _event_form_page(
    request: HttpRequest, user: User, case: Case, form: EventForm,
    event: TraffickingEvent | None,
) -> HttpResponse:
    return case_page(request, user, case, tab="story", template="cases/event_form.html",
                     context={"form": form, "event": event})


@login_required
@require_http_methods(GET_POST)
def event_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="work")
    form = EventForm(request.POST or None, initial={"type": request.GET.get("type", "")})
    if form_saved(request, form, services.event_create, actor=user, case=case):
        messages.success(request, _("The event was added to the story."))
        return HttpResponseRedirect(tab_url("cases:case-story", case))
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
    if form_saved(request, form, services.event_update, actor=user, event=event):
        messages.success(request, _("The event was saved."))
        return HttpResponseRedirect(tab_url("cases:case-story", case))
    return _event_form_page(request, user, case, form, event)


@login_required
@require_http_methods(GET_POST)
def event_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user, case, event = _event(request, code, pk)
    if request.method == "POST":
        services.event_delete(actor=user, event=event)
        messages.success(request, _("The event was removed from the story."))
        return HttpResponseRedirect(tab_url("cases:case-story", case))
    return case_page(request, user, case, tab="story", template="cases/event_delete.html",
                     context={"event": event})
