"""Referrals between organisations, and transfers of responsibility.

The case's side sends (who may manage the case) and may revoke; the
receiving organisation (its members who do reintegration work or manage
cases) accepts or declines with a reason. Identifying parts of the case
are shared only with the person's consent to share data with the receiver;
a transfer needs that consent whatever is shared, and moves the case on
acceptance. Every step is audited in the case's log and in the receiver's,
with field names, codes and statuses only; the other side is notified (a
case code and a link, never a name).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Role
from homeward.accounts.selectors import holds_role_in
from homeward.audit.services import Action, audit_record
from homeward.cases.choices import TeamRole
from homeward.cases.models import Case, CaseAssignment, Person
from homeward.cases.selectors import MANAGER_ROLES, can_manage_case, may_share_with
from homeward.cases.services._common import audit, require_visible_entries
from homeward.directory.models import Entry
from homeward.reintegration.choices import (
    IDENTIFYING_PARTS,
    MINIMUM_PARTS,
    OPEN_REFERRAL_STATUSES,
    Need,
    ReferralKind,
    ReferralPurpose,
    ReferralReason,
    ReferralStatus,
    ReportStatus,
    SharedPart,
)
from homeward.reintegration.errors import ConsentRequired, ReferralStateError
from homeward.reintegration.models import MonitoringReport, MonitoringSchedule, Referral
from homeward.reintegration.selectors import CASE_MANAGER_ROLES, RECEIVER_ROLES
from homeward.reintegration.selectors_referrals import (
    is_receiver_side,
    is_sender_side,
    receiver_users,
)
from homeward.reintegration.services._work import require

ANSWER_WITHIN_DAYS = 7

# The team role a receiving member takes on a transferred case.
_TEAM_ROLE: dict[str, str] = {
    Role.CASE_WORKER: TeamRole.CASE_WORKER,
    Role.COORDINATOR: TeamRole.COORDINATOR,
    Role.REINTEGRATION_WORKER: TeamRole.REINTEGRATION,
}


def _members(organisation_id: int, roles: frozenset[str]) -> list[User]:
    return list(User.objects.filter(
        memberships__organisation_id=organisation_id, memberships__is_active=True,
        memberships__role__in=roles, is_active=True,
    ).distinct().order_by("pk"))


def _url(referral: Referral) -> str:
    try:
        return reverse("reintegration:referral-detail", args=[referral.pk])
    except NoReverseMatch:  # the pages are not mounted (a service-only test setup)
        return f"/reintegration/referrals/{referral.pk}/"


def _notify(*, users: Iterable[User], kind: str, referral: Referral,
            organisation: Organisation, recipients_organisation: Organisation) -> None:
    """Tell ``users`` about ``referral``: the case code, ``organisation``'s
    name and a link — nothing else."""
    from homeward.notifications.services import notify

    notify(
        users=users, kind=kind,
        params={"code": referral.case.code, "organisation": organisation.name},
        url=_url(referral), key=f"{kind}:{referral.pk}",
        organisation=recipients_organisation,
    )


def _notify_sender(kind: str, referral: Referral) -> None:
    users = ([referral.sent_by] if referral.sent_by is not None and referral.sent_by.is_active
             else _members(referral.sender_id, CASE_MANAGER_ROLES))
    _notify(users=users, kind=kind, referral=referral, organisation=referral.receiver,
            recipients_organisation=referral.sender)


def _notify_receiver(kind: str, referral: Referral) -> None:
    _notify(users=_members(referral.receiver_id, RECEIVER_ROLES), kind=kind,
            referral=referral, organisation=referral.sender,
            recipients_organisation=referral.receiver)


def _audit_both(*, action: str, actor: User, referral: Referral, fields: Iterable[str],
                detail: dict[str, str | int | bool | None] | None = None) -> None:
    """One row in the sending organisation's log (the case's, before a
    transfer), one in the receiver's."""
    values: dict[str, str | int | bool | None] = {
        "case": referral.case.code, "kind": referral.kind, "status": referral.status,
        "sender": referral.sender.code, "receiver": referral.receiver.code, **(detail or {}),
    }
    fields = list(fields)
    for organisation in (referral.sender, referral.receiver):
        audit_record(action=action, actor=actor, organisation=organisation, target=referral,
                     fields=fields, detail=values)


def _choices_checked(values: Iterable[str], allowed: Iterable[str], field: str,
                     message: str) -> list[str]:
    allowed = set(allowed)
    result = list(dict.fromkeys(str(value) for value in values))
    if any(value not in allowed for value in result):
        raise ValidationError({field: message})
    return result


def _consent_refused(receiver: Organisation) -> ConsentRequired:
    return ConsentRequired(_(
        "The person has not consented to sharing their data with %(organisation)s. "
        "Record the consent first, or share only the parts that do not identify them."
    ) % {"organisation": receiver.name})


@transaction.atomic
def referral_send(
    *, actor: User, case: Case, receiver: Organisation, receiver_entry: Entry | None = None,
    kind: str = ReferralKind.REFERRAL, reason: str = ReferralReason.ADDITIONAL_SERVICES,
    purposes: list[str], needs: list[str], shared_parts: list[str], message: str = "",
    answer_due_on: datetime.date | None = None,
) -> Referral:
    """Refer the case to ``receiver`` (a referral) or hand it over (a transfer).

    Who: those who may manage the case (else 403). The minimum parts are
    always shared; identifying parts — and every transfer, which shares
    everything — need the person's consent to share data with the receiver
    (:class:`ConsentRequired`). One open referral per case, receiver and
    kind. The receiver answers by ``answer_due_on`` (a week by default).
    Audited in both organisations' logs; the receiver's members are notified.
    """
    require(can_manage_case(actor, case))
    case = Case.objects.select_for_update(of=("self",)).select_related(
        "organisation", "person").get(pk=case.pk)
    require(can_manage_case(actor, case))
    if not case.is_open:
        raise ReferralStateError(_("The case is closed."))
    if not receiver.is_active or receiver.pk == case.organisation_id:
        raise ValidationError({"receiver": _(
            "Choose another active organisation of the directory.")})
    if receiver_entry is not None and receiver_entry.organisation_id != receiver.pk:
        raise ValidationError({"receiver": _(
            "This directory entry does not describe the organisation chosen.")})
    require_visible_entries(actor, [receiver_entry], "receiver")
    if kind not in ReferralKind.values:
        raise ValidationError({"kind": _("Choose a referral or a transfer.")})
    if reason not in ReferralReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    purposes = _choices_checked(purposes, ReferralPurpose.values, "purposes",
                                _("Choose purposes from the list."))
    if not purposes:
        raise ValidationError({"purposes": _("Say what the referral is for.")})
    needs = _choices_checked(needs, Need.values, "needs", _("Choose needs from the list."))
    parts = _choices_checked(shared_parts, SharedPart.values, "shared_parts",
                             _("Choose parts of the case from the list."))
    if kind == ReferralKind.TRANSFER:
        parts = list(SharedPart.values)
    else:
        parts = [*MINIMUM_PARTS, *(part for part in parts if part not in MINIMUM_PARTS)]
    identifying = kind == ReferralKind.TRANSFER or any(p in IDENTIFYING_PARTS for p in parts)
    if identifying and not may_share_with(case=case, organisation=receiver):
        raise _consent_refused(receiver)
    today = timezone.localdate()
    if answer_due_on is None:
        answer_due_on = today + datetime.timedelta(days=ANSWER_WITHIN_DAYS)
    elif answer_due_on < today:
        raise ValidationError({"answer_due_on": _("This date is in the past.")})
    if Referral.objects.filter(case=case, receiver=receiver, kind=kind,
                               status__in=OPEN_REFERRAL_STATUSES).exists():
        raise ReferralStateError(
            _("A transfer of this case to this organisation is already open.")
            if kind == ReferralKind.TRANSFER
            else _("A referral of this case to this organisation is already open.")
        )
    referral = Referral.objects.create(
        case=case, kind=kind, sender=case.organisation, receiver=receiver,
        receiver_entry=receiver_entry, reason=reason, purposes=purposes, needs=needs,
        shared_parts=parts, message=message.strip(), answer_due_on=answer_due_on,
        sent_by=actor,
    )
    fields = ["receiver", "kind", "reason", "purposes", "needs", "shared_parts",
              "answer_due_on", *(["message"] if referral.message else [])]
    audit(action=Action.CREATE, actor=actor, case=case, target=referral, fields=fields,
          detail={"receiver": receiver.code, "kind": kind})
    audit_record(action=Action.CREATE, actor=actor, organisation=receiver, target=referral,
                 fields=fields,
                 detail={"case": case.code, "sender": case.organisation.code, "kind": kind})
    _notify_receiver("referral.received", referral)
    return referral


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update(of=("self",)).select_related(
        "case", "case__organisation", "case__person", "sender", "receiver", "sent_by",
    ).get(pk=referral.pk)


def _assignee_checked(referral: Referral, assignee: User | None) -> None:
    if assignee is not None and not receiver_users(referral).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": _(
            "Choose a member of %(organisation)s who works on referrals."
        ) % {"organisation": referral.receiver.name}})


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, assignee: User | None = None) -> Referral:
    """The receiver takes the referral on (its members who answer referrals;
    a pending referral only). ``assignee`` (default: the actor) is in charge.

    A transfer re-checks the person's consent and moves the case: it then
    belongs to the receiver, the sender's team leaves it (and with it the
    sender's sight of it), and the one in charge leads it. Audited in both
    logs; the sender is notified.
    """
    require(is_receiver_side(actor, referral))
    referral = _locked(referral)
    if referral.status != ReferralStatus.PENDING:
        raise ReferralStateError(_("This referral was already answered or revoked."))
    _assignee_checked(referral, assignee)
    in_charge = assignee or actor
    if referral.is_transfer:
        if not may_share_with(case=referral.case, organisation=referral.receiver):
            raise _consent_refused(referral.receiver)
        _transfer_case(actor=actor, referral=referral, lead=in_charge)
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_by = actor
    referral.answered_at = timezone.now()
    referral.assignee = in_charge
    referral.version += 1
    fields = ["status", "answered_by", "answered_at", "assignee"]
    referral.save(update_fields=[*fields, "version"])
    _audit_both(action=Action.UPDATE, actor=actor, referral=referral, fields=fields)
    _notify_sender("referral.accepted", referral)
    return referral


def _transfer_case(*, actor: User, referral: Referral, lead: User) -> None:
    case = Case.objects.select_for_update(of=("self",)).select_related(
        "organisation", "person").get(pk=referral.case_id)
    if not case.is_open:
        raise ReferralStateError(_("The case is closed."))
    if case.organisation_id != referral.sender_id:
        raise ReferralStateError(_("The case no longer belongs to the sending organisation."))
    sender = case.organisation
    receiver = referral.receiver
    CaseAssignment.objects.filter(case=case, is_active=True).update(is_active=False)
    role = lead.memberships.filter(
        organisation=receiver, is_active=True
    ).values_list("role", flat=True).first()
    case.organisation = receiver
    # The lead must manage cases; a reintegration worker joins the team instead.
    case.case_owner = lead if role in MANAGER_ROLES else None
    case.version += 1
    case.save(update_fields=["organisation", "case_owner", "version", "updated_at"])
    CaseAssignment.objects.update_or_create(
        case=case, user=lead,
        defaults={"role": _TEAM_ROLE.get(role or "", TeamRole.CASE_WORKER), "is_active": True,
                  "assigned_on": timezone.localdate(), "assigned_by": actor},
    )
    fields = ["organisation", "case_owner", "assignments"]
    detail: dict[str, str | int | bool | None] = {
        "case": case.code, "from": sender.code, "to": receiver.code, "referral": referral.pk,
        "version": case.version,
    }
    for organisation in (sender, receiver):
        audit_record(action=Action.UPDATE, actor=actor, organisation=organisation, target=case,
                     fields=fields, detail=detail)
    # The person goes with the case unless the sender still has another case of theirs.
    person = case.person
    if person.organisation_id == sender.pk and not Case.objects.filter(
        person=person, organisation=sender
    ).exists():
        Person.objects.filter(pk=person.pk).update(organisation=receiver)
        for organisation in (sender, receiver):
            audit_record(action=Action.UPDATE, actor=actor, organisation=organisation,
                         target=person, fields=["organisation"], detail=detail)
    referral.case = case


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The receiver cannot take the referral on, and says why (its members
    who answer referrals; a pending referral only). The receiver then sees
    nothing of the case. Audited in both logs; the sender is notified."""
    require(is_receiver_side(actor, referral))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you cannot take the referral on.")})
    referral = _locked(referral)
    if referral.status != ReferralStatus.PENDING:
        raise ReferralStateError(_("This referral was already answered or revoked."))
    referral.status = ReferralStatus.DECLINED
    referral.answered_by = actor
    referral.answered_at = timezone.now()
    referral.decline_reason = reason.strip()
    referral.version += 1
    fields = ["status", "answered_by", "answered_at", "decline_reason"]
    referral.save(update_fields=[*fields, "version"])
    _audit_both(action=Action.UPDATE, actor=actor, referral=referral, fields=fields)
    _notify_sender("referral.declined", referral)
    return referral


@transaction.atomic
def referral_revoke(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The sender takes the referral back (who may manage the case, or the
    sending organisation's case managers; pending or accepted referrals — an
    accepted transfer cannot be undone). The receiver then sees nothing of
    the case; its monitoring schedules under this referral end and their due
    reports are cancelled. Audited in both logs; the receiver is notified."""
    require(holds_role_in(actor, referral.sender_id, CASE_MANAGER_ROLES)
            or can_manage_case(actor, referral.case))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you revoke the referral.")})
    referral = _locked(referral)
    if referral.is_transfer and referral.status == ReferralStatus.ACCEPTED:
        raise ReferralStateError(_(
            "An accepted transfer cannot be revoked: the case now belongs to %(organisation)s."
        ) % {"organisation": referral.receiver.name})
    if referral.status not in OPEN_REFERRAL_STATUSES:
        raise ReferralStateError(_("This referral is no longer open."))
    referral.status = ReferralStatus.REVOKED
    referral.revoked_by = actor
    referral.revoked_at = timezone.now()
    referral.revoke_reason = reason.strip()
    referral.version += 1
    fields = ["status", "revoked_by", "revoked_at", "revoke_reason"]
    referral.save(update_fields=[*fields, "version"])
    schedules = MonitoringSchedule.objects.filter(
        referral=referral, organisation_id=referral.receiver_id, is_active=True
    )
    schedule_ids = list(schedules.values_list("pk", flat=True))
    cancelled = 0
    if schedule_ids:
        MonitoringSchedule.objects.filter(pk__in=schedule_ids).update(is_active=False)
        cancelled = MonitoringReport.objects.filter(
            schedule_id__in=schedule_ids, status=ReportStatus.DUE
        ).update(status=ReportStatus.CANCELLED)
    _audit_both(action=Action.UPDATE, actor=actor, referral=referral, fields=fields,
                detail={"schedules_ended": len(schedule_ids), "reports_cancelled": cancelled})
    _notify_receiver("referral.revoked", referral)
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral) -> Referral:
    """The work asked for is done (either side; an accepted referral only).
    The receiver keeps seeing the minimum. Audited in both logs."""
    require(is_receiver_side(actor, referral) or is_sender_side(actor, referral)
             or can_manage_case(actor, referral.case))
    referral = _locked(referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ReferralStateError(_("Only an accepted referral can be completed."))
    referral.status = ReferralStatus.COMPLETED
    referral.completed_at = timezone.now()
    referral.version += 1
    fields = ["status", "completed_at"]
    referral.save(update_fields=[*fields, "version"])
    _audit_both(action=Action.UPDATE, actor=actor, referral=referral, fields=fields)
    return referral


@transaction.atomic
def referral_assign(*, actor: User, referral: Referral, assignee: User | None) -> Referral:
    """Put a member of the receiving organisation in charge (or nobody): the
    receiver's members who answer referrals; open referrals only. Audited in
    both logs."""
    require(is_receiver_side(actor, referral))
    referral = _locked(referral)
    if referral.status not in OPEN_REFERRAL_STATUSES:
        raise ReferralStateError(_("This referral is no longer open."))
    _assignee_checked(referral, assignee)
    if referral.assignee_id != (assignee.pk if assignee is not None else None):
        referral.assignee = assignee
        referral.version += 1
        referral.save(update_fields=["assignee", "version"])
        _audit_both(action=Action.UPDATE, actor=actor, referral=referral, fields=["assignee"])
    return referral


def _record_read(*, action: str, actor: User, referral: Referral, what: str) -> None:
    detail: dict[str, str | int | bool | None] = {
        "case": referral.case.code, "what": what, "status": referral.status,
    }
    if is_receiver_side(actor, referral) and not is_sender_side(actor, referral):
        audit_record(action=action, actor=actor, organisation=referral.receiver,
                     target=referral, fields=list(referral.shared_parts), detail=detail)
    else:
        audit_record(action=action, actor=actor, organisation=referral.sender,
                     target=referral, fields=list(referral.shared_parts), detail=detail)


@transaction.atomic
def referral_view_record(*, actor: User, referral: Referral, what: str) -> None:
    """A VIEW row for reading a referral and its shared view (``what``:
    "page", "api", "workspace"), in the log of the viewer's side."""
    _record_read(action=Action.VIEW, actor=actor, referral=referral, what=what)


@transaction.atomic
def referral_export_record(*, actor: User, referral: Referral) -> None:
    """An EXPORT row for downloading the shared view, in the log of the
    viewer's side."""
    _record_read(action=Action.EXPORT, actor=actor, referral=referral, what="export")
