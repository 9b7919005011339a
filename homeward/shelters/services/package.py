"""The standard package of services and the service log of a person.

Recorded by the case's team or by those who run the person's shelter
(:func:`homeward.shelters.selectors_care.may_record_care`). A decision about
a service of the package is never changed: a new decision is a new record,
and the newest one is in force — the history shows that participation was
voluntary. Audit rows name fields, never values.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from homeward.accounts.models import Membership, Organisation, User
from homeward.audit.services import Action
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.cases.services._common import audit, clean, not_in_future
from homeward.shelters import selectors
from homeward.shelters.errors import TransitionRefused
from homeward.shelters.models import ServiceOffer, ServiceSession, ShelterStay
from homeward.shelters.selectors_care import care_organisation

MAX_SESSION_MINUTES = 24 * 60


def _recording_organisation(actor: User, case: Case) -> Organisation:
    """Who records: PermissionDenied unless the actor may record care."""
    organisation = care_organisation(actor, case)
    if organisation is None:
        raise PermissionDenied
    return organisation


def _open(case: Case) -> None:
    if not case.is_open:
        raise TransitionRefused(_("The case is closed. Reopen it to add records."))


def _check_stay(actor: User, case: Case, stay: ShelterStay | None) -> None:
    """A record tied to a stay: a stay of this case, in a shelter the actor
    runs unless they are on the case's team."""
    if stay is None:
        return
    if stay.case_id != case.pk:
        raise ValidationError({"stay": _("This stay is not one of this case.")})
    if not (
        case_selectors.can_work_on_case(actor, case)
        or selectors.can_run_shelter(actor, stay.shelter)
    ):
        raise PermissionDenied


@transaction.atomic
def service_offer_record(
    *, actor: User, case: Case, service: str, status: str, decided_on: datetime.date,
    note: str = "",
) -> ServiceOffer:
    """One decision about one service of the standard package: offered,
    accepted or refused, on a date.

    Recorded on behalf of the shelter's organisation when the actor runs the
    person's shelter, else of the case's organisation. Audited on the case.
    """
    organisation = _recording_organisation(actor, case)
    _open(case)
    not_in_future(decided_on, "decided_on")
    offer = ServiceOffer(
        case=case, organisation=organisation, service=service, status=status,
        decided_on=decided_on, note=note.strip(), recorded_by=actor,
    )
    clean(offer, exclude=["case", "organisation", "recorded_by"])
    offer.save()
    audit(
        action=Action.CREATE, actor=actor, case=case, target=offer,
        fields=["service", "status", "decided_on", *(["note"] if offer.note else [])],
    )
    return offer


def _in_force(case: Case) -> dict[str, ServiceOffer]:
    """The decision in force per service: the newest by date, then by recording."""
    newest: dict[str, ServiceOffer] = {}
    for offer in ServiceOffer.objects.filter(case=case).order_by("-decided_on", "-id"):
        newest.setdefault(offer.service, offer)
    return newest


@transaction.atomic
def package_record(
    *, actor: User, case: Case, decided_on: datetime.date, decisions: Mapping[str, str],
    note: str = "",
) -> list[ServiceOffer]:
    """The standard package at once: ``decisions`` maps services to a
    decision (offered, accepted, refused), all on ``decided_on``.

    Records only the decisions that change what is in force (a decision the
    same as the one in force is not recorded again), each through
    :func:`service_offer_record` (who may, on whose behalf, audited per
    decision). All or nothing: one refusal records none. Refused when
    nothing changes, and for a change dated before the decision in force
    (it would never be in force).
    """
    _recording_organisation(actor, case)
    _open(case)
    Case.objects.select_for_update().only("pk").get(pk=case.pk)  # one package at a time
    in_force = _in_force(case)
    changes = {
        service: status for service, status in decisions.items()
        if service not in in_force or in_force[service].status != status
    }
    if not changes:
        raise ValidationError(_("Nothing changes: choose a new decision for at least one "
                                "service."), code="nothing")
    earlier = [in_force[service].decided_on for service in changes if service in in_force]
    if earlier and decided_on < max(earlier):
        raise ValidationError({"decided_on": _(
            "The decision in force is dated %(date)s: date the new one that day or later."
        ) % {"date": max(earlier).isoformat()}})
    return [
        service_offer_record(actor=actor, case=case, service=service, status=status,
                             decided_on=decided_on, note=note)
        for service, status in changes.items()
    ]


def _provider_organisations(case: Case, recording: Organisation) -> set[int]:
    """Whose members may be named as providers: the recording organisation,
    the case's, and those of the shelters the person stays or stayed in."""
    shelters = ShelterStay.objects.filter(case=case).values_list(
        "shelter__organisation_id", flat=True
    )
    return {recording.pk, case.organisation_id, *shelters}


def _check_provider(
    provided_by: User | None, provider_name: str, organisations: set[int]
) -> None:
    if provided_by is None and not provider_name:
        raise ValidationError(
            {"provider_name": _("Say who provided it: choose a colleague or write the "
                                "provider's name.")}
        )
    if provided_by is not None and not Membership.objects.filter(
        user=provided_by, organisation_id__in=organisations, is_active=True,
        user__is_active=True,
    ).exists():
        raise ValidationError(
            {"provided_by": _("Choose a member of your organisation, of the case's "
                              "organisation or of the person's shelter, or write the "
                              "provider's name.")}
        )


@transaction.atomic
def service_session_record(
    *, actor: User, case: Case, kind: str, held_on: datetime.date,
    duration_minutes: int | None = None, provided_by: User | None = None,
    provider_name: str = "", notes: str = "", stay: ShelterStay | None = None,
) -> ServiceSession:
    """One entry of the service log: a psychological session (individual or
    group), a consultation, a training — and who provided it (a colleague, or
    by name someone who does not use Homeward).

    Who may record: as :func:`service_offer_record`. Audited on the case.
    """
    organisation = _recording_organisation(actor, case)
    _open(case)
    _check_stay(actor, case, stay)
    not_in_future(held_on, "held_on")
    if stay is not None and held_on < stay.admitted_on:
        raise ValidationError({"held_on": _("This date is before the admission (%(date)s).")
                               % {"date": stay.admitted_on.isoformat()}})
    if stay is not None and stay.discharged_on is not None and held_on > stay.discharged_on:
        raise ValidationError({"held_on": _("This date is after the person left (%(date)s).")
                               % {"date": stay.discharged_on.isoformat()}})
    if duration_minutes is not None and not 0 < duration_minutes <= MAX_SESSION_MINUTES:
        raise ValidationError(
            {"duration_minutes": _("Give the length in minutes, from 1 to %(max)d.")
             % {"max": MAX_SESSION_MINUTES}}
        )
    provider_name = provider_name.strip()
    _check_provider(provided_by, provider_name, _provider_organisations(case, organisation))
    session = ServiceSession(
        case=case, organisation=organisation, stay=stay, kind=kind, held_on=held_on,
        duration_minutes=duration_minutes, provided_by=provided_by,
        provider_name=provider_name, notes=notes.strip(), recorded_by=actor,
    )
    clean(session, exclude=["case", "organisation", "recorded_by", "stay", "provided_by"])
    session.save()
    given: dict[str, Any] = {
        "kind": kind, "held_on": held_on, "duration_minutes": duration_minutes,
        "provided_by": provided_by, "provider_name": provider_name, "notes": session.notes,
        "stay": stay,
    }
    audit(
        action=Action.CREATE, actor=actor, case=case, target=session,
        fields=[name for name, value in given.items() if value not in (None, "")],
    )
    return session
