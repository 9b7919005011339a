"""Records in a case: minors' protection (medical consent, emergency
override, escorts), rescue, repatriation, the story and the justice track
(services/records.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import selectors, services
from homeward.cases.choices import (
    ConsentDecision,
    ConsentGivenBy,
    ConsentPurpose,
    GuardianKind,
    MedicalExamKind,
    MoveKind,
    ProceedingStage,
    RescueOutcome,
    Step,
    TravelDocumentStatus,
)
from homeward.cases.errors import (
    ConsentRequired,
    EditConflict,
    EscortRequired,
    TransitionRefused,
)
from homeward.cases.models import (
    Case,
    CaseStep,
    CriminalProceeding,
    Guardian,
    MedicalExam,
    Move,
    Person,
    Repatriation,
    RescueRecord,
    TraffickingEvent,
)
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case, refresh
from homeward.directory.tests.factories import make_entry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
JUSTIFICATION = "Unconscious on arrival, suspected overdose; the guardian cannot be reached."


def _today_minus(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


# --- who is a minor ----------------------------------------------------------


def test_is_minor_on_by_birth_date() -> None:
    person = Person(birth_date=datetime.date(2008, 6, 15))
    assert person.is_minor_on(datetime.date(2026, 6, 14))
    assert not person.is_minor_on(datetime.date(2026, 6, 15))


def test_is_minor_on_with_only_the_year_counts_the_borderline_as_minor() -> None:
    person = Person(birth_year=2008, birth_year_estimated=True)
    assert person.is_minor_on(datetime.date(2026, 12, 31))  # may still be 17
    assert person.age_range_on(datetime.date(2026, 3, 1)) == (17, 18)
    assert not person.is_minor_on(datetime.date(2027, 1, 1))


def test_nobody_is_a_minor_when_nothing_is_known_of_the_age() -> None:
    assert not Person().is_minor_on(datetime.date(2026, 1, 1))


def test_the_case_is_minor_when_the_person_is(cast: Any) -> None:
    assert selectors.is_minor(open_minor_case(cast))
    assert not selectors.is_minor(open_case(cast))


# --- medical examinations ----------------------------------------------------


def _exam(cast: Any, case: Case, **values: Any) -> MedicalExam:
    return services.medical_exam_record(
        actor=cast.user("case_worker"), case=case, kind=MedicalExamKind.SCREENING,
        planned_on=TODAY(), purpose="Initial screening", **values,
    )


def test_refuses_medical_exam_for_minor_without_guardian_consent(cast: Any) -> None:
    case = open_minor_case(cast)
    audit_before = AuditEntry.objects.count()
    assert not services.medical_unlocked(case)
    with pytest.raises(ConsentRequired, match="minor"):
        _exam(cast, case)
    assert not MedicalExam.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_minor_s_own_medical_consent_does_not_unlock(cast: Any) -> None:
    """Consent taken while the age was unknown stays the child's own: the
    tab stays locked once the birth date shows a minor."""
    worker = cast.user("case_worker")
    case = open_case(cast, worker, birth_year=None)
    give_consent(case, worker, ConsentPurpose.MEDICAL, given_by=ConsentGivenBy.PERSON)
    services.person_update(actor=worker, person=case.person, expected_version=1,
                           birth_date=_today_minus(16 * 365))
    case = refresh(case)

    assert not services.medical_unlocked(case)
    with pytest.raises(ConsentRequired):
        _exam(cast, case)
    assert not MedicalExam.objects.exists()


@pytest.mark.parametrize("given_by", [ConsentGivenBy.GUARDIAN, ConsentGivenBy.PARENT,
                                      ConsentGivenBy.SOCIAL_SUPPORT])
def test_guardian_consent_unlocks_medical_exams_for_a_minor(cast: Any, given_by: str) -> None:
    worker = cast.user("case_worker")
    case = open_minor_case(cast, worker)
    give_consent(case, worker, ConsentPurpose.MEDICAL, given_by=given_by,
                 given_by_name="Legal representative (demo)")

    assert services.medical_unlocked(case)
    exam = _exam(cast, case)

    assert (exam.emergency, exam.emergency_justification) == (False, "")
    assert not AuditEntry.objects.filter(action=Action.EMERGENCY_OVERRIDE).exists()


def test_a_withdrawn_guardian_consent_locks_again(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_minor_case(cast, worker)
    give_consent(case, worker, ConsentPurpose.MEDICAL, given_by=ConsentGivenBy.GUARDIAN,
                 given_by_name="Guardian (demo)", decided_on=_today_minus(5))
    give_consent(case, worker, ConsentPurpose.MEDICAL, given_by=ConsentGivenBy.GUARDIAN,
                 given_by_name="Guardian (demo)", decision=ConsentDecision.WITHDRAWN,
                 decided_on=_today_minus(1))
    assert not services.medical_unlocked(case)


def test_refuses_medical_exam_for_adult_without_consent(cast: Any) -> None:
    case = open_case(cast)
    with pytest.raises(ConsentRequired, match="consent to medical care"):
        _exam(cast, case)


def test_an_adult_s_own_consent_unlocks(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker, ConsentPurpose.MEDICAL)
    assert _exam(cast, case).pk is not None


def test_emergency_override_for_a_minor_is_recorded_audited_and_coordinator_emailed(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    worker = cast.user("case_worker")
    case = open_minor_case(cast, worker, first_name="Зарина", last_name="Вымышленная")

    with django_capture_on_commit_callbacks(execute=True):
        exam = _exam(cast, case, emergency=True, emergency_justification=JUSTIFICATION)

    exam.refresh_from_db()
    assert (exam.emergency, exam.emergency_justification) == (True, JUSTIFICATION)
    override = AuditEntry.objects.get(action=Action.EMERGENCY_OVERRIDE)
    assert (override.target_type, override.target_id) == ("cases.MedicalExam", str(exam.pk))
    assert override.actor_name == "case_worker@home"
    assert override.detail == {"case": case.code}
    assert "overdose" not in str(override.fields) + str(override.detail)

    assert [message.to for message in mail.outbox] == [[cast.user("coordinator").email]]
    message = mail.outbox[0]
    text = f"{message.subject}\n{message.body}"
    assert case.code in message.subject
    assert case.code in message.body
    for secret in ("Зарина", "Вымышленная", "Zarina", "overdose"):
        assert secret not in text


def test_no_email_when_the_override_rolls_back(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = open_minor_case(cast)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _exam(cast, case, emergency=True, emergency_justification="Too short")
    assert mail.outbox == []
    assert not MedicalExam.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.EMERGENCY_OVERRIDE).exists()


def test_refuses_an_emergency_override_with_a_short_justification(cast: Any) -> None:
    case = open_minor_case(cast)
    with pytest.raises(ValidationError) as excinfo:
        _exam(cast, case, emergency=True, emergency_justification="  life in danger    ")
    assert "emergency_justification" in excinfo.value.message_dict
    assert not MedicalExam.objects.exists()


def test_refuses_an_emergency_override_for_an_adult(cast: Any) -> None:
    case = open_case(cast)
    with pytest.raises(ConsentRequired, match="minors only"):
        _exam(cast, case, emergency=True, emergency_justification=JUSTIFICATION)
    assert not MedicalExam.objects.exists()


def test_an_emergency_with_consent_is_no_override(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    worker = cast.user("case_worker")
    case = open_minor_case(cast, worker)
    give_consent(case, worker, ConsentPurpose.MEDICAL, given_by=ConsentGivenBy.PARENT,
                 given_by_name="Mother (demo)")
    with django_capture_on_commit_callbacks(execute=True):
        exam = _exam(cast, case, emergency=True, emergency_justification=JUSTIFICATION)
    assert exam.emergency
    assert not AuditEntry.objects.filter(action=Action.EMERGENCY_OVERRIDE).exists()
    assert mail.outbox == []


def test_refuses_medical_exams_in_a_closed_case(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker, ConsentPurpose.MEDICAL)
    services.case_close(actor=worker, case=case, closed_on=TODAY(), reason="Went home")
    with pytest.raises(TransitionRefused):
        _exam(cast, refresh(case))


# --- guardians ---------------------------------------------------------------


def test_records_a_guardian_for_a_minor_only(cast: Any) -> None:
    worker = cast.user("case_worker")
    minor = open_minor_case(cast, worker)
    guardian = services.guardian_record(
        actor=worker, case=minor, kind=GuardianKind.SOCIAL_SUPPORT, name="Duty officer (demo)",
        department="Social support department, Moscow", recorded_on=TODAY(),
    )
    assert Guardian.objects.get(case=minor) == guardian
    with pytest.raises(ValidationError):
        services.guardian_record(actor=worker, case=open_case(cast, worker),
                                 kind=GuardianKind.PARENT, name="Parent", recorded_on=TODAY())
    assert Guardian.objects.count() == 1


# --- moves and repatriation of minors ----------------------------------------


def _move(cast: Any, case: Case, **values: Any) -> Move:
    return services.move_record(
        actor=cast.user("case_worker"), case=case, kind=MoveKind.TRANSFER_TO_SHELTER,
        moved_on=TODAY(), from_place="Airport", to_place="Shelter", **values,
    )


def test_refuses_moving_a_minor_without_an_escort(cast: Any) -> None:
    case = open_minor_case(cast)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(EscortRequired, match="escort"):
        _move(cast, case)
    assert not Move.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("escort", [{"escort_name": "Social worker (demo)"},
                                    {"escort_organisation": "Altufievo shelter"}])
def test_moves_a_minor_with_an_escort(cast: Any, escort: dict[str, str]) -> None:
    case = open_minor_case(cast)
    assert _move(cast, case, **escort).pk is not None


def test_moves_an_adult_without_an_escort(cast: Any) -> None:
    assert _move(cast, open_case(cast)).pk is not None


def _repatriate(cast: Any, case: Case, **values: Any) -> Repatriation:
    return services.repatriation_record(
        actor=cast.user("case_worker"), case=case, document_status=TravelDocumentStatus.ISSUED,
        **values,
    )


def test_refuses_repatriating_a_minor_without_an_escort(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_minor_case(cast, worker)
    give_consent(case, worker)
    before = (refresh(case).step, CaseStep.objects.count(), AuditEntry.objects.count())

    with pytest.raises(EscortRequired):
        _repatriate(cast, case, departure_on=_today_minus(2), arrival_on=_today_minus(2))

    assert not Repatriation.objects.exists()
    assert (refresh(case).step, CaseStep.objects.count(), AuditEntry.objects.count()) == before


def test_repatriates_a_minor_with_an_escort(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_minor_case(cast, worker)
    give_consent(case, worker)
    repatriation = _repatriate(cast, case, arrival_on=_today_minus(1),
                               escort_organisation="IOM Moscow")
    assert repatriation.pk is not None
    assert refresh(case).step == Step.REPATRIATION


def test_refuses_repatriation_without_assistance_consent(cast: Any) -> None:
    case = open_case(cast)
    with pytest.raises(ConsentRequired, match="consent to assistance"):
        _repatriate(cast, case, arrival_on=_today_minus(1))
    assert not Repatriation.objects.exists()
    assert refresh(case).step == Step.IDENTIFICATION


def test_an_arrival_in_the_past_moves_the_case_to_repatriation(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker)
    arrival = _today_minus(3)
    consulate = make_entry(cast.home, kind="embassy", name_en="Consulate (test)")

    repatriation = _repatriate(
        cast, case, document_authority=consulate, document_applied_on=_today_minus(20),
        document_issued_on=_today_minus(10), departure_on=arrival, arrival_on=arrival,
        arrival_place="Sheremetyevo airport, terminal F", met_by="Case worker (demo)",
        escort_organisation="IOM Moscow", itinerary="IST → SVO", cost=Decimal("240.50"),
    )

    case = refresh(case)
    assert (case.step, case.step_since) == (Step.REPATRIATION, arrival)
    last = case.steps.order_by("-id").first()
    assert last is not None
    assert (last.step, last.done_by) == (Step.REPATRIATION, "IOM Moscow")
    assert repatriation.document_authority == consulate


def test_an_arrival_still_to_come_leaves_the_step(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker)
    repatriation = _repatriate(cast, case, departure_on=TODAY() + datetime.timedelta(days=5),
                               arrival_on=TODAY() + datetime.timedelta(days=5))
    assert refresh(case).step == Step.IDENTIFICATION

    services.repatriation_update(actor=worker, repatriation=repatriation,
                                 departure_on=_today_minus(1), arrival_on=_today_minus(1))
    assert refresh(case).step == Step.REPATRIATION


def test_refuses_a_document_issued_before_it_was_applied_for(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker)
    with pytest.raises(ValidationError) as excinfo:
        _repatriate(cast, case, document_applied_on=_today_minus(2),
                    document_issued_on=_today_minus(5))
    assert "document_issued_on" in excinfo.value.message_dict


# --- rescue ------------------------------------------------------------------


def _rescue(cast: Any, case: Case, outcome: str, **values: Any) -> RescueRecord:
    return services.rescue_record(
        actor=cast.user("case_worker"), case=case, country="TR", city="Istanbul",
        contacted_at=timezone.now() - datetime.timedelta(days=2), outcome=outcome, **values,
    )


def test_a_rescue_moves_the_case_from_identification_to_rescue(cast: Any) -> None:
    case = open_case(cast)
    police = make_entry(cast.home, kind="task_force", name_en="Task force, Istanbul (test)")

    record = _rescue(cast, case, RescueOutcome.RESCUED, contacted=[police],
                     contacted_other="Hotel manager", location="Flat above a bar")

    case = refresh(case)
    assert case.step == Step.RESCUE
    assert case.step_since == record.rescued_on == timezone.localtime(record.contacted_at).date()
    assert list(record.contacted.all()) == [police]
    last = case.steps.order_by("-id").first()
    assert last is not None
    assert last.done_by == "Task force, Istanbul (test), Hotel manager"


def test_a_rescue_in_progress_leaves_the_step(cast: Any) -> None:
    case = open_case(cast)
    _rescue(cast, case, RescueOutcome.IN_PROGRESS)
    assert refresh(case).step == Step.IDENTIFICATION


def test_refuses_a_rescue_date_without_the_outcome_rescued(cast: Any) -> None:
    case = open_case(cast)
    with pytest.raises(ValidationError):
        _rescue(cast, case, RescueOutcome.NOT_FOUND, rescued_on=_today_minus(1))
    assert not RescueRecord.objects.exists()


def test_refuses_a_rescue_contacted_in_the_future(cast: Any) -> None:
    case = open_case(cast)
    with pytest.raises(ValidationError):
        services.rescue_record(actor=cast.user("case_worker"), case=case, country="TR",
                               contacted_at=timezone.now() + datetime.timedelta(hours=2),
                               outcome=RescueOutcome.IN_PROGRESS)


def test_a_rescue_later_in_the_path_leaves_the_step(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker)
    services.case_advance(actor=worker, case=case, step=Step.REHABILITATION,
                          happened_on=_today_minus(5))
    _rescue(cast, case, RescueOutcome.RESCUED)  # ``case`` still says Identification
    assert refresh(case).step == Step.REHABILITATION


# --- the trafficking story ---------------------------------------------------


def test_records_edits_and_deletes_story_events(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    event = services.event_create(
        actor=worker, case=case, type="Transit", country="GE", transport_modes=["Bus", "Plane"],
        worked_in_transit=False, official_checkpoint_crossed=True, date=_today_minus(100),
    )
    assert event.transport_modes == ["Plane", "Bus"]  # in the order of the choices

    services.event_update(actor=worker, event=event, city="Tbilisi")
    assert TraffickingEvent.objects.get(pk=event.pk).city == "Tbilisi"
    with pytest.raises(ValidationError):
        services.event_update(actor=worker, event=event, end_date=_today_minus(200))
    with pytest.raises(ValidationError):
        services.event_create(actor=worker, case=case, type="Exploitation",
                              exploitation_types=["NotAType"])

    services.event_delete(actor=worker, event=event)
    assert not TraffickingEvent.objects.exists()
    assert AuditEntry.objects.filter(action=Action.DELETE,
                                     target_type="cases.TraffickingEvent").count() == 1


# --- criminal proceedings ----------------------------------------------------


def _proceeding(cast: Any, case: Case) -> CriminalProceeding:
    return services.proceeding_create(
        actor=cast.user("case_worker"), case=case, jurisdiction="RU", article="127.1",
        stage=ProceedingStage.REPORT, person_role="Victim", reported_on=_today_minus(30),
        allegation="Sold to a club owner",
    )


def test_refuses_article_other_without_its_name(cast: Any) -> None:
    case = open_case(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.proceeding_create(actor=cast.user("case_worker"), case=case,
                                   jurisdiction="RU", article="Other", stage="Report",
                                   person_role="Witness")
    assert "article_other" in excinfo.value.message_dict


def test_refuses_a_stale_proceeding_edit_and_shows_what_changed(cast: Any) -> None:
    worker, coordinator = cast.user("case_worker"), cast.user("coordinator")
    proceeding = _proceeding(cast, open_case(cast, worker))
    services.proceeding_update(actor=coordinator, proceeding=proceeding, expected_version=1,
                               stage=ProceedingStage.COURT, stage_since=_today_minus(2))

    with pytest.raises(EditConflict) as excinfo:
        services.proceeding_update(actor=worker, proceeding=proceeding, expected_version=1,
                                   authority="Investigative Committee")

    conflict = excinfo.value
    assert conflict.version == 2
    assert {(c.name, c.current) for c in conflict.changes} == {
        ("stage", str(ProceedingStage.COURT.label)),
        ("stage_since", _today_minus(2).isoformat()),
    }
    stored = CriminalProceeding.objects.get(pk=proceeding.pk)
    assert (stored.authority, stored.stage, stored.version) == ("", "Court", 2)

    services.proceeding_update(actor=worker, proceeding=proceeding, expected_version=2,
                               authority="Investigative Committee")
    assert CriminalProceeding.objects.get(pk=proceeding.pk).version == 3


# --- dates of automatic steps ------------------------------------------------


def test_a_rescue_before_the_case_was_opened_moves_it_on_from_the_opening(cast: Any) -> None:
    """The referral usually follows the rescue: the case was opened after it."""
    case = open_case(cast, opened_on=_today_minus(3))
    record = services.rescue_record(
        actor=cast.user("case_worker"), case=case, country="TR", outcome=RescueOutcome.RESCUED,
        contacted_at=timezone.now() - datetime.timedelta(days=10),
    )
    case = refresh(case)
    assert record.rescued_on == timezone.localtime(record.contacted_at).date()
    assert (case.step, case.step_since) == (Step.RESCUE, _today_minus(3))


def test_an_arrival_before_the_case_was_opened_moves_it_on_from_the_opening(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker, opened_on=_today_minus(3))
    give_consent(case, worker)
    _repatriate(cast, case, arrival_on=_today_minus(20))
    case = refresh(case)
    assert (case.step, case.step_since) == (Step.REPATRIATION, _today_minus(3))
