"""The hotline's contacts and follow-up queues.

Only the hotline operators and coordinators of an organisation
(``HOTLINE_LOG``) see its contacts: everyone else gets 403 on the lists and
the form; a contact of another organisation is not found (404), and a
colleague in a role that logs no contacts is refused (403). Every look at a
contact's page and every repeat-caller lookup is audited.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import Organisation, User
from homeward.core.forms import add_service_errors
from homeward.directory.phones import display
from homeward.directory.selectors import entry_list_for_user
from homeward.hotline import services
from homeward.hotline.choices import INDICATOR_CHOICES, Topic
from homeward.hotline.forms_contacts import (
    ContactFilterForm,
    ContactForm,
    FollowUpDoneForm,
    FollowUpFilterForm,
    contact_initial,
    country_names,
    new_contact_initial,
)
from homeward.hotline.models import CallEvent, Contact, Line
from homeward.hotline.selectors import (
    call_event_get_for_user,
    call_event_prefill,
    call_events_missed_for_user,
    call_events_pending_for_user,
    contact_get_for_user,
    contact_loggers,
    contact_search_for_user,
    earlier_contacts_from_phone,
    follow_up_queue_for_user,
    line_list,
    loggable_lines,
    logging_organisations,
)
from homeward.hotline.views_common import case_link, choice_labels, contact_for_view, request_user

CONTACTS_PER_PAGE = 50
FOLLOW_UPS_PER_PAGE = 100
LAST_LINE_SESSION_KEY = "hotline_last_line"
EARLIER_CONTACTS_SHOWN = 20
PENDING_CALLS_SHOWN = 20
MISSED_CALLS_WINDOW = datetime.timedelta(hours=24)


def _logging_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations the user logs contacts in; 403 when none."""
    organisations = logging_organisations(user).order_by("code")
    if not organisations.exists():
        raise PermissionDenied
    return organisations


# --- the contact list ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ContactRow:
    contact: Contact
    topics: list[str]


def _rows(contacts: Any) -> list[ContactRow]:
    return [
        ContactRow(contact=contact, topics=choice_labels(contact.topics, list(Topic.choices)))
        for contact in contacts
    ]


@login_required
@require_GET
def contact_list_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    organisations = _logging_organisations(user)
    lines = line_list(user=user, active_only=False).filter(organisation__in=organisations)
    form = ContactFilterForm(request.GET or None, lines=lines)
    filters = form.cleaned_data if form.is_valid() else {}
    contacts = contact_search_for_user(user=user, **filters)
    page = Paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(
        [(key, value) for key, value in request.GET.items() if key != "page" and value]
    )
    return render(request, "hotline/contact_list.html", {
        "form": form, "page": page, "rows": _rows(page.object_list), "query": query,
        "searched": bool(query), "calls": _calls_panel(user),
    })


# --- calls not yet logged (the panel above the list) -----------------------------


def duration_text(start: datetime.datetime, end: datetime.datetime | None) -> str:
    """"m:ss" (or "h:mm:ss") from ``start`` to ``end``; "" when the end is unknown."""
    if end is None:
        return ""
    seconds = max(0, int((end - start).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@dataclasses.dataclass(frozen=True)
class PendingCall:
    """An answered call of the operator's without its contact — never the number."""

    pk: int
    started_at: datetime.datetime
    line: Line
    duration: str


def _calls_panel(user: User) -> dict[str, Any]:
    """The operator's answered calls not logged yet, and how many calls on
    their organisations' lines nobody answered in the last 24 hours."""
    pending = call_events_pending_for_user(user=user, operator=user)
    shown = [
        PendingCall(pk=event.pk, started_at=event.started_at, line=event.line,
                    duration=duration_text(event.started_at, event.ended_at))
        for event in pending[:PENDING_CALLS_SHOWN]
    ]
    missed = call_events_missed_for_user(
        user=user, since=timezone.now() - MISSED_CALLS_WINDOW
    ).count()
    more = pending.count() - len(shown) if len(shown) == PENDING_CALLS_SHOWN else 0
    return {"pending": shown, "more": more, "missed": missed}


# --- the contact form ----------------------------------------------------------


def _default_line(request: HttpRequest, lines: QuerySet[Line]) -> Line | None:
    """``?line=``, else the line the operator used last, else the only one."""
    for wanted in (request.GET.get("line"), request.session.get(LAST_LINE_SESSION_KEY)):
        if wanted and str(wanted).isdigit():
            line = lines.filter(pk=int(wanted)).first()
            if line is not None:
                return line
    only = list(lines[:2])
    return only[0] if len(only) == 1 else None


def _form_context(
    request: HttpRequest, form: ContactForm, contact: Contact | None,
    call_event: CallEvent | None = None,
) -> dict[str, Any]:
    # A call's number is known before anything is typed: its earlier contacts.
    prefilled_phone = (
        str(form.initial.get("caller_phone") or "")
        if call_event is not None and not form.is_bound else ""
    )
    return {
        "form": form,
        "contact": contact,
        "call_event": call_event,
        "country_names": country_names(),
        "time_zone": settings.TIME_ZONE,
        "who_can_help_url": reverse("hotline:who-can-help"),
        "error_summary": form.error_summary() if form.is_bound else [],
        "earlier": _earlier_panel(request, phone=form["caller_phone"].value() or "",
                                  exclude=contact, audit=False)
        if form.is_bound else _earlier_panel(request, phone=prefilled_phone, exclude=None),
    }


def _after_save(request: HttpRequest, contact: Contact) -> HttpResponseRedirect:
    if request.POST.get("then") == "escalate":
        return HttpResponseRedirect(
            reverse("hotline:contact-escalate", kwargs={"pk": contact.pk})
        )
    return HttpResponseRedirect(reverse("hotline:contact-detail", kwargs={"pk": contact.pk}))


def _form_kwargs(user: User, organisations: QuerySet[Organisation]) -> dict[str, Any]:
    return {
        "entries": entry_list_for_user(user=user).prefetch_related(None),
        "assignees": contact_loggers(organisations=organisations),
    }


def _call_event(request: HttpRequest, user: User) -> CallEvent | None:
    """The call being logged: the hidden ``call`` field of the form, else
    ``?call=``; 404 when the user may not see it."""
    wanted = request.POST.get("call", "") or request.GET.get("call", "")
    if not wanted:
        return None
    if not wanted.isdigit():
        raise Http404
    return call_event_get_for_user(user=user, pk=int(wanted))


def _call_initial(user: User, call_event: CallEvent) -> dict[str, Any]:
    """The form's starting values from what the telephony system knew."""
    initial = call_event_prefill(user=user, pk=call_event.pk)
    if "line" in initial:
        initial["line"] = initial["line"].pk
    for name in ("started_at", "ended_at"):
        if name in initial:
            initial[name] = timezone.localtime(initial[name]).replace(microsecond=0)
    if "caller_phone" in initial:
        initial["caller_phone"] = display(initial["caller_phone"])
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest) -> HttpResponse:
    """Log a contact; with ``?call=`` for a call the telephony system
    reported, the form starts from it and the contact is linked to it."""
    user = request_user(request)
    organisations = _logging_organisations(user)
    call_event = _call_event(request, user)
    lines = loggable_lines(user=user)
    kwargs = _form_kwargs(user, organisations)
    if request.method != "POST":
        initial = new_contact_initial(line=_default_line(request, lines))
        if call_event is not None:
            if call_event.contact_id is not None:
                messages.info(request, _("This call is already logged."))
                return HttpResponseRedirect(
                    reverse("hotline:contact-detail", kwargs={"pk": call_event.contact_id})
                )
            services.call_event_view_record(actor=user, call_event=call_event)
            initial.update(_call_initial(user, call_event))
        form = ContactForm(initial=initial, lines=lines, **kwargs)
        return render(request, "hotline/contact_form.html",
                      _form_context(request, form, None, call_event))
    form = ContactForm(request.POST, lines=lines, **kwargs)
    if form.is_valid():
        values, referrals = form.service_values()
        membership = getattr(request, "membership", None)
        organisation = (
            membership.organisation if membership is not None
            and membership.organisation in organisations else organisations[0]
        )
        try:
            if call_event is None:
                contact = services.contact_log(
                    actor=user, organisation=organisation, referrals=referrals, **values
                )
            else:
                contact = services.contact_log_for_call(
                    actor=user, call_event=call_event, organisation=call_event.organisation,
                    referrals=referrals, **values,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if contact.line_id is not None:
                request.session[LAST_LINE_SESSION_KEY] = contact.line_id
            messages.success(request, _("The contact was saved."))
            return _after_save(request, contact)
    return render(request, "hotline/contact_form.html",
                  _form_context(request, form, None, call_event))


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    contact = contact_for_view(user, pk)
    organisations = Organisation.objects.filter(pk=contact.organisation_id)
    lines = Line.objects.filter(organisation=contact.organisation).filter(
        pk__in=loggable_lines(user=user, organisation=contact.organisation).values("pk")
    ) | Line.objects.filter(contacts=contact)
    kwargs = _form_kwargs(user, organisations)
    if request.method != "POST":
        form = ContactForm(initial=contact_initial(contact), lines=lines, **kwargs)
        return render(request, "hotline/contact_form.html", _form_context(request, form, contact))
    form = ContactForm(request.POST, lines=lines, **kwargs)
    if form.is_valid():
        values, referrals = form.service_values()
        try:
            contact = services.contact_update(
                actor=user, contact=contact, referrals=referrals, **values
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact was saved."))
            return _after_save(request, contact)
    return render(request, "hotline/contact_form.html", _form_context(request, form, contact))


# --- the contact page ------------------------------------------------------------


@login_required
@require_GET
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    contact = contact_for_view(user, pk)
    services.contact_view_record(actor=user, contact=contact)
    case_code, case_url = case_link(user, contact.case)
    return render(request, "hotline/contact_detail.html", {
        "contact": contact,
        "topics": choice_labels(contact.topics, list(Topic.choices)),
        "indicators": choice_labels(contact.indicators, INDICATOR_CHOICES),
        "referrals": list(contact.referrals.all()),
        "escalation_calls": list(contact.escalation_calls.select_related("entry")),
        "phone": display(contact.caller_phone),
        "case_code": case_code,
        "case_url": case_url,
        "escalate_url": reverse("hotline:contact-escalate", kwargs={"pk": contact.pk}),
        "done_form": FollowUpDoneForm(),
        "earlier": _earlier_panel(request, phone=contact.caller_phone, exclude=contact),
    })


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    contact = contact_for_view(user, pk)
    form = FollowUpDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.follow_up_done(actor=user, contact=contact, note=note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The follow-up was recorded as done."))
    return HttpResponseRedirect(reverse("hotline:contact-detail", kwargs={"pk": contact.pk}))


# --- repeat callers --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class EarlierContact:
    contact: Contact
    topics: list[str]
    case_code: str


def _earlier_panel(
    request: HttpRequest, *, phone: str, exclude: Contact | None, audit: bool = True
) -> dict[str, Any] | None:
    """The earlier contacts from ``phone`` the user may see (None when no number)."""
    if not str(phone).strip():
        return None
    user = request_user(request)
    contacts = earlier_contacts_from_phone(user=user, phone=str(phone), exclude=exclude)
    found = [
        EarlierContact(
            contact=contact, topics=choice_labels(contact.topics, list(Topic.choices)),
            case_code=contact.case.code if contact.case is not None else "",
        )
        for contact in contacts.select_related("case")[:EARLIER_CONTACTS_SHOWN]
    ]
    if audit:
        membership = getattr(request, "membership", None)
        services.contact_phone_lookup_record(
            actor=user, organisation=membership.organisation if membership else None,
            found=len(found),
        )
    return {"contacts": found}


@login_required
@require_POST
def phone_check(request: HttpRequest) -> HttpResponse:
    """The repeat-caller panel for the number being typed (an htmx fragment)."""
    user = request_user(request)
    _logging_organisations(user)
    exclude = None
    contact_id = request.POST.get("contact", "")
    if contact_id.isdigit():
        exclude = contact_get_for_user(user=user, pk=int(contact_id))
    earlier = _earlier_panel(request, phone=request.POST.get("caller_phone", ""), exclude=exclude)
    return render(request, "hotline/_contact_earlier.html", {"earlier": earlier})


# --- follow-ups ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FollowUpRow:
    contact: Contact
    topics: list[str]
    overdue: bool


@login_required
@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    organisations = _logging_organisations(user)
    everyone = request.GET.get("who") == "all"
    lines = line_list(user=user, active_only=False).filter(organisation__in=organisations)
    assignees = contact_loggers(organisations=organisations)
    form = FollowUpFilterForm(request.GET or None, lines=lines, assignees=assignees)
    filters = form.cleaned_data if form.is_valid() else {}
    assignee = filters.get("assignee") or (None if everyone else user)
    contacts = follow_up_queue_for_user(user=user, assignee=assignee, line=filters.get("line"))
    page = Paginator(contacts, FOLLOW_UPS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        FollowUpRow(
            contact=contact, topics=choice_labels(contact.topics, list(Topic.choices)),
            overdue=bool(getattr(contact, "overdue", False)),
        )
        for contact in page.object_list
    ]
    query = urlencode(
        [(key, value) for key, value in request.GET.items() if key != "page" and value]
    )
    return render(request, "hotline/follow_up_list.html", {
        "form": form, "page": page, "rows": rows, "query": query, "everyone": everyone,
        "mine": assignee == user,
    })
