"""Records of what happens in a case: the trafficking story, guardians,
rescue, repatriation, moves, medical examinations, criminal proceedings."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.audit.services import Action
from homeward.cases.choices import (
    Article,
    CaseKind,
    ConsentPurpose,
    RescueOutcome,
    Step,
)
from homeward.cases.errors import ConsentRequired, EscortRequired, TransitionRefused
from homeward.cases.models import (
    Case,
    CriminalProceeding,
    Guardian,
    MedicalExam,
    Move,
    Repatriation,
    RescueRecord,
    TraffickingEvent,
)
from homeward.cases.services._common import (
    apply,
    audit,
    clean,
    lock_version,
    not_before,
    not_in_future,
    require_visible_entries,
    save_changes,
)
from homeward.cases.services.cases import case_advance
from homeward.cases.services.consents import medical_unlocked, require_consent
from homeward.directory.models import Entry

EVENT_FIELDS = (
    "type", "date", "end_date", "duration_days", "country", "state", "city", "description",
    "recruitment_methods", "recruitment_channels", "recruiter_relationship",
    "transport_modes", "worked_in_transit", "official_checkpoint_crossed",
    "exploitation_types", "forced_labour_industry", "sex_exploitation_types",
    "methods_of_control",
)
REPATRIATION_FIELDS = (
    "document_status", "document_authority", "document_applied_on", "document_issued_on",
    "itinerary", "departure_on", "arrival_on", "arrival_place", "met_by", "escort_name",
    "escort_organisation", "destination_kind", "destination_region", "destination_city",
    "cost", "cost_currency", "notes",
)
PROCEEDING_FIELDS = (
    "jurisdiction", "authority", "article", "article_other", "stage", "person_role",
    "reference", "protection_measures", "allegation", "reported_on", "stage_since",
    "verdict_on", "verdict",
)
MIN_JUSTIFICATION = 20


def _open(case: Case) -> None:
    if not case.is_open:
        raise TransitionRefused(_("The case is closed. Reopen it to add records."))


# --- the trafficking story ---------------------------------------------------


def _check_event(event: TraffickingEvent) -> None:
    not_in_future(event.date, "date")
    not_before(event.end_date, event.date, "end_date")
    clean(event, exclude=["case", "recorded_by"])


@transaction.atomic
def event_create(*, actor: User, case: Case, **fields: Any) -> TraffickingEvent:
    """One stage of the story (recruitment, transit or exploitation)."""
    event = TraffickingEvent(case=case, recorded_by=actor)
    apply(event, fields, EVENT_FIELDS)
    _check_event(event)
    event.save()
    audit(action=Action.CREATE, actor=actor, case=case, target=event, fields=sorted(fields))
    return event


@transaction.atomic
def event_update(*, actor: User, event: TraffickingEvent, **fields: Any) -> TraffickingEvent:
    event = TraffickingEvent.objects.select_for_update().get(pk=event.pk)
    save_changes(event, fields, EVENT_FIELDS, actor=actor, case=event.case,
                 check=lambda: _check_event(event))
    return event


@transaction.atomic
def event_delete(*, actor: User, event: TraffickingEvent) -> None:
    case = event.case
    audit(action=Action.DELETE, actor=actor, case=case, target=event,
          detail={"type": event.type})
    event.delete()


# --- guardians ---------------------------------------------------------------


@transaction.atomic
def guardian_record(
    *, actor: User, case: Case, kind: str, name: str, recorded_on: datetime.date,
    department: str = "", contact: str = "",
) -> Guardian:
    """Who acts for a minor: a parent, a guardian, or the social support
    department of the city where consent cannot otherwise be had."""
    if not case.person.is_minor_on(timezone.localdate()):
        raise ValidationError(_("A guardian is recorded only for a minor."))
    guardian = Guardian(
        case=case, kind=kind, name=name.strip(), department=department.strip(),
        contact=contact.strip(), recorded_on=recorded_on, recorded_by=actor,
    )
    not_in_future(recorded_on, "recorded_on")
    clean(guardian, exclude=["case", "recorded_by"])
    guardian.save()
    audit(action=Action.CREATE, actor=actor, case=case, target=guardian,
          fields=["kind", "name", "department", "contact"])
    return guardian


# --- rescue ------------------------------------------------------------------


@transaction.atomic
def rescue_record(
    *, actor: User, case: Case, country: str, contacted_at: datetime.datetime, outcome: str,
    city: str = "", location: str = "", contacted: Iterable[Entry] = (),
    contacted_other: str = "", rescued_on: datetime.date | None = None, notes: str = "",
) -> RescueRecord:
    """Who was called to get the person out, and what came of it.

    A rescue while the case is at identification moves it to the rescue step
    (on the rescue date), with the contacted partners as who did it.
    """
    # The step decides whether the case moves on: read it as stored now, not
    # as the caller's copy remembers it.
    case = Case.objects.select_for_update().select_related("person", "organisation").get(
        pk=case.pk
    )
    _open(case)
    contacted = list(contacted)
    require_visible_entries(actor, contacted, "contacted")
    if contacted_at > timezone.now():
        raise ValidationError({"contacted_at": _("This time is in the future.")})
    if outcome == RescueOutcome.RESCUED and rescued_on is None:
        rescued_on = timezone.localtime(contacted_at).date()
    if outcome != RescueOutcome.RESCUED and rescued_on is not None:
        raise ValidationError({"rescued_on": _("A rescue date goes with the outcome "
                                               "“Rescued”.")})
    record = RescueRecord(
        case=case, country=country, city=city.strip(), location=location.strip(),
        contacted_other=contacted_other.strip(), contacted_at=contacted_at,
        rescued_on=rescued_on, outcome=outcome, notes=notes.strip(), recorded_by=actor,
    )
    not_in_future(rescued_on, "rescued_on")
    clean(record, exclude=["case", "recorded_by"])
    record.save()
    record.contacted.set(contacted)
    audit(action=Action.CREATE, actor=actor, case=case, target=record,
          fields=["country", "city", "location", "contacted", "outcome"],
          detail={"outcome": outcome})
    if (
        outcome == RescueOutcome.RESCUED and case.step == Step.IDENTIFICATION
        and case.kind == CaseKind.VICTIM and rescued_on is not None
    ):
        names = [entry.name for entry in contacted] + (
            [record.contacted_other] if record.contacted_other else []
        )
        # A rescue before the referral (the usual order) dates the step from
        # the case's opening: the timeline does not go back before it.
        case_advance(actor=actor, case=case, step=Step.RESCUE,
                     happened_on=max(rescued_on, case.step_since),
                     done_by=", ".join(names)[:200])
    return record


# --- repatriation and moves --------------------------------------------------


def _needs_escort(case: Case, day: datetime.date | None, escort_name: str,
                  escort_organisation: str) -> None:
    day = day or timezone.localdate()
    if case.person.is_minor_on(day) and not (escort_name.strip() or escort_organisation.strip()):
        raise EscortRequired(
            _("The person is a minor: a move needs an escort. Give the escort's name or "
              "organisation.")
        )


def _check_repatriation(case: Case, repatriation: Repatriation) -> None:
    not_before(repatriation.arrival_on, repatriation.departure_on, "arrival_on")
    not_before(repatriation.document_issued_on, repatriation.document_applied_on,
               "document_issued_on")
    not_in_future(repatriation.document_applied_on, "document_applied_on")
    not_in_future(repatriation.document_issued_on, "document_issued_on")
    _needs_escort(case, repatriation.departure_on or repatriation.arrival_on,
                  repatriation.escort_name, repatriation.escort_organisation)
    clean(repatriation, exclude=["case", "recorded_by"])


def _arrived(actor: User, case: Case, repatriation: Repatriation) -> None:
    """An arrival that has happened moves a case still before repatriation on."""
    arrival = repatriation.arrival_on
    if arrival is None or arrival > timezone.localdate():
        return
    case.refresh_from_db()
    if case.step in (Step.IDENTIFICATION, Step.RESCUE) and case.kind == CaseKind.VICTIM:
        case_advance(actor=actor, case=case, step=Step.REPATRIATION,
                     happened_on=max(arrival, case.step_since),
                     done_by=repatriation.escort_organisation or actor.get_username())


@transaction.atomic
def repatriation_record(
    *, actor: User, case: Case, document_status: str, **fields: Any
) -> Repatriation:
    """The way home: travel document, itinerary, welcome, escort, destination.

    Needs the person's consent to assistance; a minor travels with an escort.
    """
    _open(case)
    require_consent(case=case, purpose=ConsentPurpose.ASSISTANCE)
    repatriation = Repatriation(case=case, document_status=document_status, recorded_by=actor)
    apply(repatriation, fields, REPATRIATION_FIELDS)
    _check_repatriation(case, repatriation)
    require_visible_entries(actor, [repatriation.document_authority], "document_authority")
    repatriation.save()
    audit(action=Action.CREATE, actor=actor, case=case, target=repatriation,
          fields=sorted(["document_status", *fields]))
    _arrived(actor, case, repatriation)
    return repatriation


@transaction.atomic
def repatriation_update(
    *, actor: User, repatriation: Repatriation, **fields: Any
) -> Repatriation:
    repatriation = Repatriation.objects.select_for_update().get(pk=repatriation.pk)
    case = repatriation.case
    _open(case)
    authority_before = repatriation.document_authority_id

    def check() -> None:
        _check_repatriation(case, repatriation)
        if repatriation.document_authority_id != authority_before:
            require_visible_entries(
                actor, [repatriation.document_authority], "document_authority"
            )

    if save_changes(repatriation, fields, REPATRIATION_FIELDS, actor=actor, case=case,
                    check=check):
        _arrived(actor, case, repatriation)
    return repatriation


@transaction.atomic
def move_record(
    *, actor: User, case: Case, kind: str, moved_on: datetime.date, from_place: str,
    to_place: str, escort_name: str = "", escort_organisation: str = "", notes: str = "",
) -> Move:
    """A journey of the person (to a shelter, a region, a clinic, a court).
    Minors are escorted whenever they are moved."""
    _open(case)
    _needs_escort(case, moved_on, escort_name, escort_organisation)
    move = Move(
        case=case, kind=kind, moved_on=moved_on, from_place=from_place.strip(),
        to_place=to_place.strip(), escort_name=escort_name.strip(),
        escort_organisation=escort_organisation.strip(), notes=notes.strip(),
        recorded_by=actor,
    )
    clean(move, exclude=["case", "recorded_by"])
    move.save()
    audit(action=Action.CREATE, actor=actor, case=case, target=move,
          fields=["kind", "moved_on", "from_place", "to_place", "escort_name"])
    return move


# --- medical examinations ----------------------------------------------------


def _notify_coordinators(case: Case, exam: MedicalExam) -> None:
    """E-mail the coordinators of the case's organisation: only the case code
    and a link, never a name or a reason."""
    recipients = list(
        User.objects.filter(
            memberships__organisation=case.organisation, memberships__is_active=True,
            memberships__role=Role.COORDINATOR, is_active=True,
        ).exclude(email="").values_list("email", "language")
    )
    link = settings.HOMEWARD_SITE_URL + reverse("cases:case-medical", kwargs={"code": case.code})
    for email, language in recipients:
        with override(language or settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Emergency medical override in case %(code)s") % {"code": case.code},
                message=_(
                    "A medical examination of a minor was recorded in case %(code)s without "
                    "the guardian's consent, as an emergency (life in danger). Please review "
                    "the justification: %(link)s"
                ) % {"code": case.code, "link": link},
                from_email=None, recipient_list=[email], fail_silently=True,
            )


@transaction.atomic
def medical_exam_record(
    *, actor: User, case: Case, kind: str, planned_on: datetime.date,
    facility: Entry | None = None, facility_other: str = "", purpose: str = "",
    emergency: bool = False, emergency_justification: str = "",
) -> MedicalExam:
    """A medical examination, screening, treatment or procedure.

    Needs consent to medical care — for a minor, from a parent, guardian or
    the social support department. Only for a minor whose life is in danger
    may an emergency override stand in for it: it needs a written
    justification, is audited as such, and the organisation's coordinators
    are e-mailed when the transaction commits.
    """
    _open(case)
    minor = case.person.is_minor_on(timezone.localdate())
    justification = emergency_justification.strip()
    unlocked = medical_unlocked(case)
    if not unlocked and not emergency:
        if minor:
            raise ConsentRequired(
                _("The person is a minor: medical examinations need the consent of a parent, "
                  "a guardian or the city's social support department. Record it first, or "
                  "use the emergency override if the child's life is in danger.")
            )
        raise ConsentRequired(
            _("Medical examinations need the person's consent to medical care. Record it "
              "on the Consents tab first.")
        )
    require_visible_entries(actor, [facility], "facility")
    override_used = False
    if not unlocked:
        if not minor:
            raise ConsentRequired(
                _("The emergency override is for minors only; an adult gives their own "
                  "consent.")
            )
        if len(justification) < MIN_JUSTIFICATION:
            raise ValidationError(
                {"emergency_justification": _(
                    "Explain in writing why the child's life is in danger (at least "
                    "%(count)d characters).") % {"count": MIN_JUSTIFICATION}}
            )
        override_used = True
    elif emergency and not justification:
        emergency = False
    exam = MedicalExam(
        case=case, kind=kind, planned_on=planned_on, facility=facility,
        facility_other=facility_other.strip(), purpose=purpose.strip(),
        emergency=emergency, emergency_justification=justification if emergency else "",
        recorded_by=actor,
    )
    clean(exam, exclude=["case", "recorded_by", "facility"])
    exam.save()
    audit(action=Action.CREATE, actor=actor, case=case, target=exam,
          fields=["kind", "planned_on", "facility", "purpose"])
    if override_used:
        audit(action=Action.EMERGENCY_OVERRIDE, actor=actor, case=case, target=exam,
              fields=["emergency_justification"])
        transaction.on_commit(lambda: _notify_coordinators(case, exam))
    return exam


# --- criminal proceedings ----------------------------------------------------


def _check_proceeding(proceeding: CriminalProceeding) -> None:
    if proceeding.article == Article.OTHER and not proceeding.article_other.strip():
        raise ValidationError({"article_other": _("Name the article.")})
    for name in ("reported_on", "stage_since", "verdict_on"):
        not_in_future(getattr(proceeding, name), name)
    clean(proceeding, exclude=["case", "recorded_by"])


@transaction.atomic
def proceeding_create(*, actor: User, case: Case, **fields: Any) -> CriminalProceeding:
    """A criminal case in which the person is a victim or a witness."""
    proceeding = CriminalProceeding(case=case, recorded_by=actor)
    apply(proceeding, fields, PROCEEDING_FIELDS)
    _check_proceeding(proceeding)
    proceeding.save()
    audit(action=Action.CREATE, actor=actor, case=case, target=proceeding,
          fields=sorted(fields), detail={"stage": proceeding.stage})
    return proceeding


@transaction.atomic
def proceeding_update(
    *, actor: User, proceeding: CriminalProceeding, expected_version: int, **fields: Any
) -> CriminalProceeding:
    """Edit if nobody saved it since ``expected_version`` (else EditConflict)."""
    current = lock_version(proceeding, expected_version)
    changed = apply(current, fields, PROCEEDING_FIELDS)
    _check_proceeding(current)
    if changed:
        current.version += 1
        current.save()
        audit(action=Action.UPDATE, actor=actor, case=current.case, target=current,
              fields=changed, detail={"version": current.version, "stage": current.stage})
    return current
