"""Referrals between organisations and transfers of responsibility.

- The queues (``referral-list``): what the user's organisations received
  (``?box=in``) and sent (``?box=out``), with the date an answer is due;
  case codes only, never a name. For those who answer or send referrals
  (403 for other roles).
- Sending (``referral-new``) and transferring (``transfer-new``) are case
  pages for the case's managers (404 for who does not see the case, 403 for
  who sees it without managing it). The receiver is chosen from the
  directory; the minimum is always shared; identifying parts are offered
  only when the person's consent to share data with the chosen organisation
  is on record — the service checks again.
- A referral (``referral-detail``) is seen by both sides through the access
  gate (404 for everyone else). The page shows exactly what the viewer may
  read of the case (``shared_view``) — for the receiver that is all it ever
  sees of the case — and is audited. Each action is for one side (403 for
  the other): the receiver accepts, declines with a reason, names its worker
  in charge; the sender revokes with a reason; either side completes.
- The export is the same shared view as JSON (audited).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.cases.selectors import shareable_organisation_ids
from homeward.cases.views_common import GET_POST, case_for, case_page, refuse_unless, request_user
from homeward.core import access
from homeward.core.forms import add_service_errors, form_saved
from homeward.reintegration import selectors_referrals as selectors
from homeward.reintegration.choices import ReferralPurpose, ReferralStatus
from homeward.reintegration.forms_referrals import (
    AssignForm,
    ReasonForm,
    ReferralForm,
    TransferForm,
)
from homeward.reintegration.models import Referral
from homeward.reintegration.selectors import may_receive
from homeward.reintegration.services import referrals as services

# The case tab the sending pages belong to.
TAB = "reintegration"
SHOWN = 200
BOXES = ("in", "out")


# --- the queues ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class QueueRow:
    referral: Referral
    # The organisation on the other side of the referral.
    other: Any
    overdue: bool


def _is_overdue(referral: Referral, today: datetime.date) -> bool:
    """An answer is overdue: still waiting after the date it was due."""
    return referral.status == ReferralStatus.PENDING and referral.answer_due_on < today


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    refuse_unless(may_receive(user))
    box = request.GET.get("box", "")
    if box not in BOXES:
        box = BOXES[0]
    status = request.GET.get("status", "")
    if status not in ReferralStatus.values:
        status = ""
    queue = selectors.incoming_queue if box == "in" else selectors.outgoing_queue
    today = timezone.localdate()
    rows = [
        QueueRow(referral=referral,
                 other=referral.sender if box == "in" else referral.receiver,
                 overdue=_is_overdue(referral, today))
        for referral in selectors.queue_page(queue(user=user, status=status or None), SHOWN)
    ]
    return render(request, "reintegration/referral_list.html", {
        "rows": rows, "box": box, "status": status,
        "statuses": ReferralStatus.choices,
        "overdue_count": sum(1 for row in rows if row.overdue),
    })


# --- sending ------------------------------------------------------------------------


def _initial_from(data: Any) -> dict[str, Any]:
    """The form's values as posted, to show it again without checking it
    (the "check the consent" button of pages without JavaScript)."""
    values = {
        "receiver": data.get("receiver", ""), "reason": data.get("reason", ""),
        "purposes": data.getlist("purposes"), "needs": data.getlist("needs"),
        "shared_parts": data.getlist("shared_parts"), "message": data.get("message", ""),
        "answer_due_on": data.get("answer_due_on", ""),
    }
    return {name: value for name, value in values.items() if value}


def _send_page(
    request: HttpRequest, code: str, form_class: type[ReferralForm] | type[TransferForm],
    template: str,
) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    receivers = selectors.receivers_for(user=user).select_related("organisation")
    # The receiving organisations the person's consent to share data covers.
    consented = shareable_organisation_ids(case=case)
    arguments: dict[str, Any] = {"receivers": receivers, "consented": consented}
    if request.method == "POST" and "check" not in request.POST:
        form = form_class(request.POST, **arguments)
    elif request.method == "POST":
        form = form_class(initial=_initial_from(request.POST), **arguments)
    else:
        form = form_class(initial=_initial_from(request.GET) if request.GET else None,
                          **arguments)
    if form.is_bound and form.is_valid():
        try:
            referral = services.referral_send(actor=user, case=case, **form.arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if referral.is_transfer:
                text = _("The transfer was proposed to %(organisation)s. The case moves when "
                         "they accept.")
            else:
                text = _("The referral was sent to %(organisation)s.")
            messages.success(request, text % {"organisation": referral.receiver.name})
            return HttpResponseRedirect(_detail_url(referral))
    context = {
        "form": form, "receiver": form.chosen_receiver(),
        "consent": form.consent_on_record(),
        "consented_receivers": [entry for entry in receivers
                                if entry.organisation_id in consented],
    }
    if request.headers.get("HX-Request") and request.method == "GET":
        # Only the parts, when the chosen organisation changes.
        return render(request, "reintegration/_referral_parts.html", {"case": case, **context})
    return case_page(request, user, case, tab=TAB, template=template, context=context)


@login_required
@require_http_methods(GET_POST)
def referral_new(request: HttpRequest, code: str) -> HttpResponse:
    """Refer the case to another organisation (the case stays with us)."""
    return _send_page(request, code, ReferralForm, "reintegration/referral_new.html")


@login_required
@require_http_methods(GET_POST)
def transfer_new(request: HttpRequest, code: str) -> HttpResponse:
    """Propose that another organisation takes the case over (with consent)."""
    return _send_page(request, code, TransferForm, "reintegration/referral_transfer.html")


# --- one referral -------------------------------------------------------------------


def _referral_for(request: HttpRequest, pk: int) -> tuple[User, Referral]:
    user = request_user(request)
    return user, selectors.referral_get_for_user(user=user, pk=pk)


def _detail_url(referral: Referral) -> str:
    return reverse("reintegration:referral-detail", kwargs={"pk": referral.pk})


def _either_side(user: User, referral: Referral) -> bool:
    return selectors.is_sender_side(user, referral) or selectors.is_receiver_side(user, referral)


def _assign_form(referral: Referral, data: Any = None) -> AssignForm:
    return AssignForm(data, workers=selectors.receiver_users(referral),
                      initial={"assignee": referral.assignee_id})


@dataclasses.dataclass(frozen=True)
class Event:
    when: datetime.datetime
    what: str
    who: User | None
    detail: str = ""


def _history(referral: Referral) -> list[Event]:
    """What happened to the referral, oldest first (from its own fields)."""
    events = [Event(referral.sent_at, _("Sent"), referral.sent_by)]
    if referral.answered_at is not None:
        accepted = referral.status != ReferralStatus.DECLINED
        events.append(Event(
            referral.answered_at, _("Accepted") if accepted else _("Declined"),
            referral.answered_by, "" if accepted else referral.decline_reason,
        ))
    if referral.revoked_at is not None:
        events.append(Event(referral.revoked_at, _("Revoked"), referral.revoked_by,
                            referral.revoke_reason))
    if referral.completed_at is not None:
        events.append(Event(referral.completed_at, _("Completed"), None))
    return sorted(events, key=lambda event: event.when)


def _workspace_url(referral: Referral) -> str:
    """The case's reintegration workspace, as the receiver reaches it."""
    return reverse("reintegration:case-reintegration", kwargs={"code": referral.case.code})


@login_required
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral_for(request, pk)
    shared = selectors.shared_view(referral=referral, user=user)
    services.referral_view_record(actor=user, referral=referral, what="page")
    sender_side = selectors.is_sender_side(user, referral)
    receiver_side = selectors.is_receiver_side(user, referral)
    accepted = referral.status == ReferralStatus.ACCEPTED
    labels = dict(ReferralPurpose.choices)
    can_answer = selectors.may_answer(user, referral)
    can_assign = (accepted and not referral.is_transfer
                  and selectors.may_assign(user, referral))
    sees_case = access.for_user(user, Case).filter(pk=referral.case_id).exists()
    return render(request, "reintegration/referral_detail.html", {
        "referral": referral, "shared": shared,
        "purposes": [labels.get(value, value) for value in referral.purposes],
        "sender_side": sender_side, "receiver_side": receiver_side,
        "can_answer": can_answer, "can_revoke": selectors.may_revoke(user, referral),
        "can_complete": not referral.is_transfer and selectors.may_complete(user, referral),
        "can_assign": can_assign,
        "can_export": sender_side or receiver_side,
        "assign_form": _assign_form(referral) if can_assign or can_answer else None,
        "overdue": _is_overdue(referral, timezone.localdate()),
        "history": _history(referral),
        "sees_case": sees_case,
        "workspace_url": _workspace_url(referral) if receiver_side and accepted else "",
    })


@login_required
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral_for(request, pk)
    refuse_unless(selectors.is_receiver_side(user, referral))
    form = _assign_form(referral, request.POST)
    assignee = form.cleaned_data.get("assignee") if form.is_valid() else None
    try:
        referral = services.referral_accept(actor=user, referral=referral, assignee=assignee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_detail_url(referral))
    if referral.is_transfer:
        messages.success(request, _("You accepted the transfer: the case %(code)s is now your "
                                    "organisation's.") % {"code": referral.case.code})
        return HttpResponseRedirect(
            reverse("cases:case-detail", kwargs={"code": referral.case.code}))
    messages.success(request, _("You accepted the referral. The parts of the case that were "
                                "shared are below."))
    return HttpResponseRedirect(_detail_url(referral))


@login_required
@require_http_methods(GET_POST)
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral_for(request, pk)
    refuse_unless(selectors.is_receiver_side(user, referral))
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form_saved(request, form, services.referral_decline, actor=user, referral=referral):
        messages.success(request, _("The referral was declined. The sender sees your reason."))
        return HttpResponseRedirect(reverse("reintegration:referral-list") + "?box=in")
    return render(request, "reintegration/referral_decline.html",
                  {"form": form, "referral": referral})


@login_required
@require_http_methods(GET_POST)
def referral_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral_for(request, pk)
    refuse_unless(selectors.is_sender_side(user, referral))
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form_saved(request, form, services.referral_revoke, actor=user, referral=referral):
        messages.success(request, _("The referral was revoked. The receiving organisation no "
                                    "longer sees the case."))
        return HttpResponseRedirect(_detail_url(referral))
    return render(request, "reintegration/referral_revoke.html",
                  {"form": form, "referral": referral})


@login_required
@require_POST
def referral_complete(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral_for(request, pk)
    refuse_unless(_either_side(user, referral))
    try:
        services.referral_complete(actor=user, referral=referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The referral was marked completed."))
    return HttpResponseRedirect(_detail_url(referral))


@login_required
@require_POST
def referral_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user, referral = _referral_for(request, pk)
    refuse_unless(selectors.is_receiver_side(user, referral))
    form = _assign_form(referral, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("assignee", [])))
        return HttpResponseRedirect(_detail_url(referral))
    try:
        services.referral_assign(actor=user, referral=referral,
                                 assignee=form.cleaned_data["assignee"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The worker in charge was saved."))
    return HttpResponseRedirect(_detail_url(referral))


@login_required
@require_GET
def referral_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The shared view as a JSON file (what the viewer may read, nothing more)."""
    user, referral = _referral_for(request, pk)
    refuse_unless(_either_side(user, referral))
    data = selectors.shared_view_export(referral=referral, user=user)
    services.referral_export_record(actor=user, referral=referral)
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response
