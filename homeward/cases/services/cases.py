"""Opening, editing, moving and closing cases."""

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

from homeward.accounts.models import Organisation, User
from homeward.audit.services import Action
from homeward.cases import selectors
from homeward.cases.choices import (
    CLOSED_STATUSES,
    CaseKind,
    CaseStatus,
    ConsentPurpose,
    Step,
    TeamRole,
)
from homeward.cases.errors import ConsentRequired, TransitionRefused
from homeward.cases.models import (
    Case,
    CaseAssignment,
    CaseSequence,
    CaseStep,
    MissingReport,
    Person,
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
from homeward.cases.services.persons import person_create
from homeward.core import access

CASE_FIELDS = (
    "case_owner", "is_urgent", "review_due_on", "referral_source", "referring_entry",
    "referring_organisation_name", "referring_worker", "incoming_referral_date",
    "referral_details", "trafficking_status", "trafficking_status_decided_by",
    "relationship_to_trafficker", "age_when_trafficked", "recruitment_methods",
    "recruitment_channels", "methods_of_control", "exploitation_types",
    "forced_labour_industry", "sex_exploitation_types", "destination_country",
    "destination_city", "current_country", "current_city",
)
MISSING_FIELDS = (
    "reported_on", "reporter_name", "reporter_relationship", "reporter_contact",
    "last_seen_on", "last_seen_country", "last_seen_city", "circumstances",
    "police_report_country", "police_report_authority", "police_report_reference",
    "police_reported_on",
)

# Where a case may go next from each step (closing is case_close, from any
# open step; a closed case comes back through case_reopen). Steps may be
# skipped forward — not every person needs a rescue or a repatriation — but
# never taken backwards.
STEP_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Step.IDENTIFICATION: (Step.RESCUE, Step.REPATRIATION, Step.REHABILITATION),
    Step.RESCUE: (Step.REPATRIATION, Step.REHABILITATION),
    Step.REPATRIATION: (Step.REHABILITATION, Step.REINTEGRATION),
    Step.REHABILITATION: (Step.REINTEGRATION,),
    Step.REINTEGRATION: (Step.MONITORING,),
    Step.MONITORING: (),
    Step.CLOSED: (),
}
# Assistance is offered, never imposed: these steps need the person's consent.
STEPS_NEEDING_ASSISTANCE_CONSENT = frozenset(
    {Step.REPATRIATION, Step.REHABILITATION, Step.REINTEGRATION, Step.MONITORING}
)


def allowed_next_steps(case: Case) -> list[str]:
    """The steps ``case_advance`` would accept now (consent aside)."""
    if case.status in CLOSED_STATUSES:
        return []
    if case.kind == CaseKind.MISSING_PERSON:
        return []
    return list(STEP_TRANSITIONS.get(case.step, ()))


def _prefix(organisation: Organisation) -> str:
    """The last part of the organisation's code (AC-MOW → MOW), unless another
    organisation's code ends the same way; then the whole code."""
    short = organisation.code.rsplit("-", 1)[-1]
    clash = (
        Organisation.objects.exclude(pk=organisation.pk)
        .filter(code__endswith=f"-{short}").exists()
        or Organisation.objects.exclude(pk=organisation.pk).filter(code=short).exists()
    )
    return organisation.code if clash and short != organisation.code else short


def case_code_next(organisation: Organisation, year: int) -> str:
    """The next free case code of ``organisation`` for ``year`` (MOW-2026-0042),
    its sequence row locked until the caller's transaction ends: for the
    services that open cases (``case_open``, the HTCDS import)."""
    prefix = _prefix(organisation)
    CaseSequence.objects.get_or_create(prefix=prefix, year=year)
    sequence = CaseSequence.objects.select_for_update().get(prefix=prefix, year=year)
    while True:
        sequence.last_number += 1
        code = f"{prefix}-{year}-{sequence.last_number:04d}"
        if not Case.objects.filter(code=code).exists():
            break
    sequence.save(update_fields=["last_number"])
    return code


def _check_case(
    case: Case, actor: Any = None, changed: Iterable[str] = ("referring_entry",)
) -> None:
    if actor is not None and "referring_entry" in changed:
        require_visible_entries(actor, [case.referring_entry], "referring_entry")
    not_in_future(case.incoming_referral_date, "incoming_referral_date")
    if case.case_owner is not None and not selectors.can_manage_case(case.case_owner, case):
        raise ValidationError(
            {"case_owner": _("The lead case worker must be a case worker or coordinator of "
                             "the owning organisation.")}
        )
    clean(case, exclude=["person", "organisation", "created_by", "code", "step_since"])


@transaction.atomic
def case_open(
    *,
    actor: User,
    organisation: Organisation,
    referral_source: str,
    person: Person | None = None,
    person_fields: dict[str, Any] | None = None,
    kind: str = CaseKind.VICTIM,
    opened_on: datetime.date | None = None,
    missing_report: dict[str, Any] | None = None,
    consents: Iterable[dict[str, Any]] = (),
    **case_fields: Any,
) -> Case:
    """Open a case in ``organisation`` for an existing ``person`` (who came
    back for help) or a new one made of ``person_fields``.

    The actor becomes the lead case worker unless ``case_owner`` is given; the
    case starts at identification with its first timeline step. Consents
    recorded at intake and a missing-person report are part of the same
    transaction: if anything is refused, nothing is created.

    Case workers and coordinators open any case. Hotline operators open only
    urgent ones (``is_urgent=True``, a rescue escalated from a contact): they
    do not lead it (the lead is ``case_owner`` when given, else nobody yet)
    and join the team as its hotline member. An urgent case is e-mailed to the
    organisation's case workers and coordinators once committed (code and
    link only).
    """
    from homeward.cases.services.consents import consent_record

    urgent = bool(case_fields.get("is_urgent"))
    openers = selectors.case_opening_organisations(user=actor, urgent=urgent)
    if not openers.filter(pk=organisation.pk).exists():
        if selectors.case_opening_organisations(user=actor, urgent=True).filter(
            pk=organisation.pk
        ).exists():
            raise ValidationError(
                {"is_urgent": _("From the hotline you can open only urgent cases.")}
            )
        raise ValidationError(_("You cannot open cases in this organisation."))
    hotline_opener = selectors.opens_only_urgent_cases(actor, organisation)
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("Choose a kind of case.")})
    if person is None:
        person = person_create(actor=actor, organisation=organisation, **(person_fields or {}))
    elif person_fields:
        raise TypeError("give either person or person_fields")
    elif not access.for_user(actor, Person).filter(pk=person.pk).exists():
        # Opening a case would show the person's data to the actor.
        raise ValidationError({"person": _("You cannot open a case for this person.")})
    today = timezone.localdate()
    opened_on = opened_on or today
    not_in_future(opened_on, "opened_on")
    case = Case(
        organisation=organisation, person=person, kind=kind, opened_on=opened_on,
        step=Step.IDENTIFICATION, step_since=opened_on, status=CaseStatus.ACTIVE,
        referral_source=referral_source, created_by=actor,
        case_owner=None if hotline_opener else actor,
    )
    apply(case, case_fields, CASE_FIELDS)
    _check_case(case, actor)
    case.code = case_code_next(organisation, opened_on.year)
    case.save()
    if hotline_opener:
        CaseAssignment.objects.create(
            case=case, user=actor, role=TeamRole.HOTLINE, assigned_on=opened_on,
            assigned_by=actor,
        )
    if case.case_owner is not None or not hotline_opener:
        CaseAssignment.objects.create(
            case=case, user=case.case_owner or actor, role=TeamRole.CASE_WORKER,
            assigned_on=opened_on, assigned_by=actor,
        )
    CaseStep.objects.create(
        case=case, step=Step.IDENTIFICATION, happened_on=opened_on,
        done_by=(case.case_owner or actor).get_username(), recorded_by=actor,
    )
    audit(action=Action.CREATE, actor=actor, case=case,
          fields=sorted(["referral_source", *case_fields]),
          detail={"kind": kind, **({"urgent": True} if urgent else {})})
    if kind == CaseKind.MISSING_PERSON:
        report = MissingReport(case=case, reported_on=opened_on)
        apply(report, missing_report or {}, MISSING_FIELDS)
        _check_missing(report)
        report.save()
        audit(action=Action.CREATE, actor=actor, case=case, target=report,
              fields=sorted(missing_report or {}))
    elif missing_report:
        raise ValidationError(_("Only a missing-person case has a missing-person report."))
    for consent in consents:
        consent_record(actor=actor, case=case, **consent)
    transaction.on_commit(selectors.case_countries_changed)
    if urgent:
        transaction.on_commit(lambda: _notify_urgent(case, actor))
    return case


def _notify_urgent(case: Case, opener: User) -> None:
    """E-mail the case workers and coordinators of the case's organisation
    (but the opener) that an urgent case was opened: only its code and a
    link, never a name."""
    recipients = list(
        selectors.case_managers_of(organisation=case.organisation)
        .exclude(pk=opener.pk).exclude(email="").values_list("email", "language")
    )
    link = settings.HOMEWARD_SITE_URL + reverse("cases:case-detail", kwargs={"code": case.code})
    for email, language in recipients:
        with override(language or settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Urgent case %(code)s was opened") % {"code": case.code},
                message=_(
                    "An urgent case, %(code)s, was opened in your organisation and needs a "
                    "case worker now: %(link)s"
                ) % {"code": case.code, "link": link},
                from_email=None, recipient_list=[email], fail_silently=True,
            )


def _check_missing(report: MissingReport) -> None:
    not_in_future(report.reported_on, "reported_on")
    not_in_future(report.last_seen_on, "last_seen_on")
    not_in_future(report.police_reported_on, "police_reported_on")
    clean(report, exclude=["case"])


@transaction.atomic
def case_update(*, actor: User, case: Case, expected_version: int, **case_fields: Any) -> Case:
    """Edit the case's facts (not its step or status) if nobody saved it since
    ``expected_version``; else :class:`~homeward.cases.errors.EditConflict`."""
    current = lock_version(case, expected_version)
    changed = apply(current, case_fields, CASE_FIELDS)
    _check_case(current, actor, changed)
    if changed:
        current.version += 1
        current.save()
        audit(action=Action.UPDATE, actor=actor, case=current, fields=changed,
              detail={"version": current.version})
        transaction.on_commit(selectors.case_countries_changed)
    return current


def _bump(case: Case) -> None:
    case.version += 1
    case.save()


@transaction.atomic
def case_advance(
    *, actor: User, case: Case, step: str, happened_on: datetime.date, done_by: str = "",
    notes: str = "",
) -> CaseStep:
    """Move the case to its next ``step``, as the timeline records it.

    Refused (:class:`TransitionRefused`) when the path does not allow it, and
    (:class:`ConsentRequired`) for steps of assistance without the person's
    consent to assistance. Monitoring turns the status to follow-up.
    """
    case = Case.objects.select_for_update().select_related("person", "organisation").get(
        pk=case.pk
    )
    if case.status in CLOSED_STATUSES:
        raise TransitionRefused(_("The case is closed. Reopen it first."))
    if case.kind == CaseKind.MISSING_PERSON:
        raise TransitionRefused(
            _("The person is still missing. Mark them as found before moving the case on.")
        )
    if step == Step.CLOSED:
        raise TransitionRefused(_("Close the case with the “Close” button, giving a reason."))
    if step not in STEP_TRANSITIONS.get(case.step, ()):
        raise TransitionRefused(
            _("A case cannot go from %(from)s to %(to)s.") % {
                "from": Step(case.step).label, "to": Step(step).label
                if step in Step.values else step}
        )
    if step in STEPS_NEEDING_ASSISTANCE_CONSENT and not selectors.consent_given(
        case=case, purpose=ConsentPurpose.ASSISTANCE
    ):
        raise ConsentRequired(
            _("%(step)s needs the person's consent to assistance. Record it on the "
              "Consents tab first.") % {"step": Step(step).label}
        )
    not_in_future(happened_on, "happened_on")
    not_before(happened_on, case.opened_on, "happened_on")
    # The timeline reads in order: a step does not predate the one before.
    not_before(happened_on, case.step_since, "happened_on")
    entry = CaseStep(
        case=case, step=step, happened_on=happened_on, done_by=done_by.strip(),
        notes=notes.strip(), recorded_by=actor,
    )
    clean(entry, exclude=["case", "recorded_by"])
    entry.save()
    status = CaseStatus.FOLLOW_UP if step == Step.MONITORING else CaseStatus.ACTIVE
    changed = ["step", "step_since"] + (["status"] if status != case.status else [])
    case.step = step
    case.step_since = happened_on
    case.status = status
    _bump(case)
    audit(action=Action.CASE_STEP, actor=actor, case=case, target=case,
          fields=changed, detail={"step": step, "version": case.version})
    return entry


@transaction.atomic
def case_close(
    *, actor: User, case: Case, closed_on: datetime.date, reason: str,
    referred_to: Organisation | None = None,
) -> Case:
    """Close the case (cas_ReasonForCaseClosure); "closed — referred" when it
    was referred to another organisation."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status in CLOSED_STATUSES:
        raise TransitionRefused(_("The case is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is closed.")})
    if referred_to is not None and referred_to.pk == case.organisation_id:
        raise ValidationError({"referred_to": _("Refer the case to another organisation.")})
    not_in_future(closed_on, "closed_on")
    not_before(closed_on, case.opened_on, "closed_on")
    case.status = CaseStatus.CLOSED_REFERRED if referred_to else CaseStatus.CLOSED
    case.step = Step.CLOSED
    case.step_since = closed_on
    case.closed_on = closed_on
    case.reason_for_closure = reason.strip()
    case.referred_to = referred_to
    _bump(case)
    CaseStep.objects.create(
        case=case, step=Step.CLOSED, happened_on=closed_on, notes=reason.strip(),
        done_by=actor.get_username(), recorded_by=actor,
    )
    audit(action=Action.CASE_CLOSED, actor=actor, case=case,
          fields=["status", "step", "closed_on", "reason_for_closure", "referred_to"],
          detail={"status": case.status, "version": case.version})
    return case


@transaction.atomic
def case_reopen(
    *, actor: User, case: Case, reopened_on: datetime.date, notes: str = ""
) -> Case:
    """A person keeps the right to come back for help: the case starts again
    at identification."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in CLOSED_STATUSES:
        raise TransitionRefused(_("Only a closed case can be reopened."))
    not_in_future(reopened_on, "reopened_on")
    not_before(reopened_on, case.closed_on, "reopened_on")
    case.status = CaseStatus.ACTIVE
    case.step = Step.IDENTIFICATION
    case.step_since = reopened_on
    case.closed_on = None
    case.referred_to = None
    _bump(case)
    CaseStep.objects.create(
        case=case, step=Step.IDENTIFICATION, happened_on=reopened_on, notes=notes.strip(),
        done_by=actor.get_username(), recorded_by=actor,
    )
    audit(action=Action.CASE_REOPENED, actor=actor, case=case,
          fields=["status", "step", "closed_on", "referred_to"],
          detail={"version": case.version})
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, user: User, role: str) -> CaseAssignment:
    """Put ``user`` on the case's team (they then see the case)."""
    if not selectors.assignable_users(case=case).filter(pk=user.pk).exists():
        raise ValidationError(
            {"user": _("Only members of the owning organisation who work on cases can "
                       "join the team.")}
        )
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose a role in the case.")})
    assignment, created = CaseAssignment.objects.get_or_create(
        case=case, user=user,
        defaults={"role": role, "assigned_on": timezone.localdate(), "assigned_by": actor},
    )
    if not created:
        if assignment.is_active and assignment.role == role:
            raise ValidationError({"user": _("This person is already on the team.")})
        assignment.role = role
        assignment.is_active = True
        assignment.assigned_on = timezone.localdate()
        assignment.assigned_by = actor
        assignment.save()
    audit(action=Action.CREATE if created else Action.UPDATE, actor=actor, case=case,
          target=assignment, fields=["user", "role"])
    return assignment


@transaction.atomic
def case_unassign(*, actor: User, assignment: CaseAssignment) -> None:
    """Take a worker off the team (they no longer see the case, unless they
    manage the organisation's cases anyway). The lead stays."""
    case = assignment.case
    if assignment.user_id == case.case_owner_id:
        raise ValidationError(
            _("The lead case worker stays on the team. Choose another lead first.")
        )
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    audit(action=Action.UPDATE, actor=actor, case=case, target=assignment,
          fields=["is_active"])


@transaction.atomic
def missing_person_found(
    *, actor: User, case: Case, found_on: datetime.date, found_where: str = "",
    notes: str = "",
) -> Case:
    """The missing person was found: the case becomes a victim case (still at
    identification), the report keeps when and where."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.kind != CaseKind.MISSING_PERSON:
        raise TransitionRefused(_("This is not a missing-person case."))
    report = MissingReport.objects.select_for_update().get(case=case)
    not_in_future(found_on, "found_on")
    not_before(found_on, report.reported_on, "found_on")
    report.found_on = found_on
    report.found_where = found_where.strip()
    report.save()
    case.kind = CaseKind.VICTIM
    _bump(case)
    CaseStep.objects.create(
        case=case, step=case.step, happened_on=found_on,
        notes=notes.strip() or _("The missing person was found."),
        done_by=actor.get_username(), recorded_by=actor,
    )
    audit(action=Action.UPDATE, actor=actor, case=case, fields=["kind"],
          detail={"found": True, "version": case.version})
    return case


@transaction.atomic
def missing_report_update(*, actor: User, report: MissingReport, **fields: Any) -> MissingReport:
    report = MissingReport.objects.select_for_update().get(pk=report.pk)
    save_changes(report, fields, MISSING_FIELDS, actor=actor, case=report.case,
                 check=lambda: _check_missing(report))
    return report


@transaction.atomic
def case_view_record(*, actor: User, case: Case, tab: str) -> None:
    """Every look at a case page (or its API record) leaves an audit row."""
    audit(action=Action.VIEW, actor=actor, case=case, detail={"tab": tab[:40]})
