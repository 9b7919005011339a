"""Opening, moving, closing and editing cases (services/cases.py)."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.choices import (
    CaseKind,
    CaseStatus,
    ConsentPurpose,
    ReferralSource,
    Step,
    TeamRole,
    TraffickingStatus,
)
from homeward.cases.errors import EditConflict, TransitionRefused
from homeward.cases.models import Case, CaseAssignment, CaseStep, MissingReport, Person
from homeward.cases.services import STEP_TRANSITIONS
from homeward.cases.tests.factories import give_consent, open_case, refresh

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
PATH: list[str] = [Step.IDENTIFICATION, Step.RESCUE, Step.REPATRIATION, Step.REHABILITATION,
        Step.REINTEGRATION, Step.MONITORING]
ALLOWED = [(source, target) for source, targets in STEP_TRANSITIONS.items()
           for target in targets]
REFUSED = [
    (source, target)
    for source in PATH
    for target in Step.values
    if target not in STEP_TRANSITIONS[source] and target != Step.CLOSED
]


def _case_at(cast: Any, step: str) -> Case:
    """A case with consent to assistance, moved along the path up to ``step``
    (one day per step from its opening)."""
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker)
    for day, next_step in enumerate(PATH[1:PATH.index(step) + 1], start=1):
        services.case_advance(actor=worker, case=case, step=next_step,
                              happened_on=case.opened_on + datetime.timedelta(days=day))
    return refresh(case)


def _state(case: Case) -> tuple[Any, ...]:
    case = refresh(case)
    return (case.step, case.status, case.version, CaseStep.objects.filter(case=case).count(),
            AuditEntry.objects.count())


# --- transitions -------------------------------------------------------------


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_allowed_transition_moves_the_case_and_records_step_and_audit(
    cast: Any, source: str, target: str
) -> None:
    worker = cast.user("case_worker")
    case = _case_at(cast, source)
    steps_before = CaseStep.objects.filter(case=case).count()
    happened_on = TODAY() - datetime.timedelta(days=1)

    entry = services.case_advance(actor=worker, case=case, step=target, happened_on=happened_on,
                                  done_by="Task force", notes="Moved on")

    case = refresh(case)
    assert case.step == target
    assert case.step_since == happened_on
    assert CaseStep.objects.filter(case=case).count() == steps_before + 1
    assert (entry.step, entry.happened_on, entry.done_by, entry.recorded_by) == (
        target, happened_on, "Task force", worker)
    audit = AuditEntry.objects.filter(action=Action.CASE_STEP).order_by("-id").first()
    assert audit is not None
    assert (audit.target_type, audit.target_id) == ("cases.Case", str(case.pk))
    assert audit.detail["step"] == target
    assert audit.detail["case"] == case.code
    assert target in services.STEPS_NEEDING_ASSISTANCE_CONSENT or target == Step.RESCUE


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_refuses_transition_not_on_the_path_and_changes_nothing(
    cast: Any, source: str, target: str
) -> None:
    case = _case_at(cast, source)
    before = _state(case)

    with pytest.raises(TransitionRefused):
        services.case_advance(actor=cast.user("case_worker"), case=case, step=target,
                              happened_on=TODAY())

    assert _state(case) == before


def test_refuses_skipping_straight_to_monitoring(cast: Any) -> None:
    case = _case_at(cast, Step.IDENTIFICATION)
    before = _state(case)
    with pytest.raises(TransitionRefused, match="Monitoring"):
        services.case_advance(actor=cast.user("case_worker"), case=case, step=Step.MONITORING,
                              happened_on=TODAY())
    assert _state(case) == before


def test_refuses_closing_through_advance(cast: Any) -> None:
    case = _case_at(cast, Step.REINTEGRATION)
    before = _state(case)
    with pytest.raises(TransitionRefused, match="“Close” button"):
        services.case_advance(actor=cast.user("case_worker"), case=case, step=Step.CLOSED,
                              happened_on=TODAY())
    assert _state(case) == before


@pytest.mark.parametrize("target", PATH)
def test_refuses_any_step_from_a_closed_case(cast: Any, target: str) -> None:
    worker = cast.user("case_worker")
    case = _case_at(cast, Step.RESCUE)
    services.case_close(actor=worker, case=case, closed_on=TODAY(), reason="Person declined")
    before = _state(case)

    with pytest.raises(TransitionRefused, match="closed"):
        services.case_advance(actor=worker, case=case, step=target, happened_on=TODAY())

    assert _state(case) == before
    assert services.allowed_next_steps(refresh(case)) == []


def test_allowed_next_steps_follow_the_path(cast: Any) -> None:
    case = _case_at(cast, Step.RESCUE)
    assert services.allowed_next_steps(case) == [Step.REPATRIATION, Step.REHABILITATION]


def test_refuses_a_step_dated_in_the_future_or_before_the_opening(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = _case_at(cast, Step.IDENTIFICATION)
    before = _state(case)
    for day in (TODAY() + datetime.timedelta(days=1),
                case.opened_on - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as excinfo:
            services.case_advance(actor=worker, case=case, step=Step.RESCUE, happened_on=day)
        assert "happened_on" in excinfo.value.message_dict
    assert _state(case) == before


def test_monitoring_turns_the_case_to_follow_up(cast: Any) -> None:
    case = _case_at(cast, Step.MONITORING)
    assert (case.step, case.status) == (Step.MONITORING, CaseStatus.FOLLOW_UP)
    assert services.allowed_next_steps(case) == []


# --- opening -----------------------------------------------------------------


def test_opens_a_case_with_code_lead_worker_team_and_first_step(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker, referral_details="Referred by the IOM mission")

    assert re.fullmatch(rf"HOME-{case.opened_on.year}-\d{{4}}", case.code)
    assert (case.step, case.status, case.kind, case.version) == (
        Step.IDENTIFICATION, CaseStatus.ACTIVE, CaseKind.VICTIM, 1)
    assert case.case_owner == worker
    assert list(case.assignments.values_list("user", "role")) == [
        (worker.pk, TeamRole.CASE_WORKER)]
    assert list(case.steps.values_list("step", "happened_on")) == [
        (Step.IDENTIFICATION, case.opened_on)]
    audit = AuditEntry.objects.get(action=Action.CREATE, target_type="cases.Case")
    assert audit.fields == ["referral_details", "referral_source"]


def test_case_codes_count_up_per_organisation_and_year(cast: Any) -> None:
    first = open_case(cast)
    second = open_case(cast)
    away = open_case(cast.away, cast.user("case_worker", "away"))
    assert int(second.code[-4:]) == int(first.code[-4:]) + 1
    assert away.code.startswith("AWAY-")


@pytest.mark.parametrize("role", ["hotline_operator", "shelter_staff", "researcher",
                                  "org_admin"])
def test_refuses_to_open_a_case_for_a_role_that_does_not_manage_cases(
    cast: Any, role: str
) -> None:
    with pytest.raises(ValidationError):
        open_case(cast, cast.user(role))
    assert not Case.objects.exists()
    assert not Person.objects.exists()


def test_refuses_to_open_a_case_in_another_organisation(cast: Any) -> None:
    with pytest.raises(ValidationError):
        open_case(cast.away, cast.user("case_worker", "home"))
    assert not Case.objects.exists()


def test_opening_with_a_bad_intake_consent_creates_nothing(cast: Any) -> None:
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        open_case(cast, consents=[{
            "purpose": ConsentPurpose.DATA_SHARING, "decision": "Given",
            "decided_on": TODAY(), "form": "Oral",  # no organisation named
        }])
    assert not Case.objects.exists()
    assert not Person.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_opens_a_case_for_a_person_who_comes_back(cast: Any) -> None:
    first = open_case(cast)
    second = services.case_open(actor=cast.user("case_worker"), organisation=cast.home,
                                referral_source=ReferralSource.SELF, person=first.person)
    assert second.person == first.person
    assert Person.objects.count() == 1


def test_refuses_opening_a_case_for_a_person_out_of_scope(cast: Any) -> None:
    """Knowing a person's id (say, from a match elsewhere) must not open
    their file: a new case would show it."""
    theirs = open_case(cast.away, cast.user("case_worker", "away")).person
    with pytest.raises(ValidationError) as excinfo:
        services.case_open(actor=cast.user("case_worker"), organisation=cast.home,
                           referral_source=ReferralSource.SELF, person=theirs)
    assert "person" in excinfo.value.message_dict
    assert Case.objects.count() == 1


def test_refuses_a_lead_case_worker_who_does_not_manage_cases(cast: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        open_case(cast, case_owner=cast.user("shelter_staff"))
    assert "case_owner" in excinfo.value.message_dict


# --- closing and reopening ---------------------------------------------------


def test_closes_a_case_with_a_reason(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = _case_at(cast, Step.REINTEGRATION)

    services.case_close(actor=worker, case=case, closed_on=TODAY(), reason="Back home, safe")

    case = refresh(case)
    assert (case.status, case.step, case.closed_on) == (CaseStatus.CLOSED, Step.CLOSED, TODAY())
    assert case.reason_for_closure == "Back home, safe"
    assert case.referred_to is None
    assert case.steps.order_by("-id").first().step == Step.CLOSED  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action=Action.CASE_CLOSED).count() == 1


def test_closes_a_case_referred_to_another_organisation(cast: Any) -> None:
    case = _case_at(cast, Step.RESCUE)
    services.case_close(actor=cast.user("case_worker"), case=case, closed_on=TODAY(),
                        reason="Shelter in her region", referred_to=cast.away)
    case = refresh(case)
    assert (case.status, case.referred_to) == (CaseStatus.CLOSED_REFERRED, cast.away)


def test_refuses_referring_a_case_to_its_own_organisation(cast: Any) -> None:
    case = _case_at(cast, Step.RESCUE)
    before = _state(case)
    with pytest.raises(ValidationError):
        services.case_close(actor=cast.user("case_worker"), case=case, closed_on=TODAY(),
                            reason="Referred", referred_to=cast.home)
    assert _state(case) == before


def test_refuses_closing_without_a_reason_or_twice(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = _case_at(cast, Step.RESCUE)
    with pytest.raises(ValidationError):
        services.case_close(actor=worker, case=case, closed_on=TODAY(), reason="  ")
    services.case_close(actor=worker, case=case, closed_on=TODAY(), reason="Done")
    before = _state(case)
    with pytest.raises(TransitionRefused):
        services.case_close(actor=worker, case=case, closed_on=TODAY(), reason="Again")
    assert _state(case) == before


@pytest.mark.parametrize("referred", [False, True])
def test_reopens_a_closed_case_at_identification(cast: Any, referred: bool) -> None:
    worker = cast.user("case_worker")
    case = _case_at(cast, Step.REHABILITATION)
    services.case_close(actor=worker, case=case, closed_on=TODAY(), reason="Moved away",
                        referred_to=cast.away if referred else None)

    services.case_reopen(actor=worker, case=case, reopened_on=TODAY(), notes="Came back")

    case = refresh(case)
    assert (case.status, case.step, case.closed_on, case.referred_to) == (
        CaseStatus.ACTIVE, Step.IDENTIFICATION, None, None)
    last = case.steps.order_by("-id").first()
    assert last is not None
    assert (last.step, last.notes) == (Step.IDENTIFICATION, "Came back")
    assert AuditEntry.objects.filter(action=Action.CASE_REOPENED).count() == 1
    assert services.allowed_next_steps(case) == list(STEP_TRANSITIONS[Step.IDENTIFICATION])


def test_refuses_reopening_an_open_case(cast: Any) -> None:
    case = _case_at(cast, Step.RESCUE)
    before = _state(case)
    with pytest.raises(TransitionRefused):
        services.case_reopen(actor=cast.user("case_worker"), case=case, reopened_on=TODAY())
    assert _state(case) == before


# --- missing persons ---------------------------------------------------------


def _missing_case(cast: Any) -> Case:
    return open_case(
        cast, kind=CaseKind.MISSING_PERSON, referral_source=ReferralSource.HOTLINE,
        missing_report={
            "reporter_name": "Mother of the person", "reporter_relationship": "Parent",
            "last_seen_country": "TR", "last_seen_city": "Antalya",
            "police_report_country": "TR",
        },
    )


def test_opens_a_missing_person_case_with_its_report(cast: Any) -> None:
    case = _missing_case(cast)
    report = MissingReport.objects.get(case=case)
    assert case.kind == CaseKind.MISSING_PERSON
    assert (report.reported_on, report.reporter_name) == (case.opened_on, "Mother of the person")


def test_refuses_a_missing_person_report_on_a_victim_case(cast: Any) -> None:
    with pytest.raises(ValidationError):
        open_case(cast, missing_report={"reporter_name": "Someone"})
    assert not Case.objects.exists()


def test_missing_person_case_cannot_advance_until_found(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = _missing_case(cast)
    give_consent(case, worker)
    assert services.allowed_next_steps(case) == []
    before = _state(case)
    with pytest.raises(TransitionRefused, match="missing"):
        services.case_advance(actor=worker, case=case, step=Step.RESCUE, happened_on=TODAY())
    assert _state(case) == before


def test_found_missing_person_becomes_a_victim_case(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = _missing_case(cast)

    services.missing_person_found(actor=worker, case=case, found_on=TODAY(),
                                  found_where="Police station, Antalya")

    case = refresh(case)
    report = MissingReport.objects.get(case=case)
    assert (case.kind, case.step) == (CaseKind.VICTIM, Step.IDENTIFICATION)
    assert (report.found_on, report.found_where) == (TODAY(), "Police station, Antalya")
    assert services.allowed_next_steps(case) == list(STEP_TRANSITIONS[Step.IDENTIFICATION])
    services.case_advance(actor=worker, case=case, step=Step.RESCUE, happened_on=TODAY())
    assert refresh(case).step == Step.RESCUE


def test_refuses_found_on_a_victim_case(cast: Any) -> None:
    case = open_case(cast)
    with pytest.raises(TransitionRefused):
        services.missing_person_found(actor=cast.user("case_worker"), case=case,
                                      found_on=TODAY())


def test_updates_the_missing_report(cast: Any) -> None:
    case = _missing_case(cast)
    report = services.missing_report_update(
        actor=cast.user("case_worker"), report=case.missing_report,
        police_report_authority="Antalya police", police_reported_on=TODAY(),
    )
    assert report.police_report_authority == "Antalya police"
    with pytest.raises(ValidationError):
        services.missing_report_update(actor=cast.user("case_worker"), report=report,
                                       last_seen_on=TODAY() + datetime.timedelta(days=3))


# --- the team ----------------------------------------------------------------


def test_assigns_and_unassigns_a_team_member(cast: Any) -> None:
    worker, shelter = cast.user("case_worker"), cast.user("shelter_staff")
    case = open_case(cast, worker)

    assignment = services.case_assign(actor=worker, case=case, user=shelter,
                                      role=TeamRole.SHELTER)
    assert assignment.is_active
    with pytest.raises(ValidationError):
        services.case_assign(actor=worker, case=case, user=shelter, role=TeamRole.SHELTER)

    services.case_unassign(actor=worker, assignment=assignment)
    assert not CaseAssignment.objects.get(pk=assignment.pk).is_active
    again = services.case_assign(actor=worker, case=case, user=shelter, role=TeamRole.MEDICAL)
    assert (again.pk, again.is_active, again.role) == (assignment.pk, True, TeamRole.MEDICAL)


@pytest.mark.parametrize(("role", "org"), [("researcher", "home"), ("org_admin", "home"),
                                           ("shelter_staff", "away")])
def test_refuses_assigning_someone_who_cannot_work_on_the_case(
    cast: Any, role: str, org: str
) -> None:
    case = open_case(cast)
    with pytest.raises(ValidationError):
        services.case_assign(actor=cast.user("case_worker"), case=case,
                             user=cast.user(role, org), role=TeamRole.SHELTER)
    assert case.assignments.count() == 1


def test_the_lead_case_worker_stays_on_the_team(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    with pytest.raises(ValidationError):
        services.case_unassign(actor=worker, assignment=case.assignments.get(user=worker))


# --- optimistic locking ------------------------------------------------------


def test_refuses_a_stale_case_edit_and_shows_what_changed(cast: Any) -> None:
    worker, coordinator = cast.user("case_worker"), cast.user("coordinator")
    case = open_case(cast, worker)
    opened_version = case.version
    services.case_update(actor=coordinator, case=case, expected_version=opened_version,
                         destination_city="Istanbul",
                         trafficking_status=TraffickingStatus.ACTUAL)
    saved = refresh(case)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(EditConflict) as excinfo:
        services.case_update(actor=worker, case=case, expected_version=opened_version,
                             destination_city="Antalya", referring_worker="Ms Demo")

    conflict = excinfo.value
    assert conflict.version == saved.version == opened_version + 1
    changes = {change.name: change for change in conflict.changes}
    assert set(changes) == {"destination_city", "trafficking_status"}
    assert changes["destination_city"].current == "Istanbul"
    assert changes["trafficking_status"].current == str(TraffickingStatus.ACTUAL.label)
    assert changes["destination_city"].label == str(
        Case._meta.get_field("destination_city").verbose_name)
    after = refresh(case)
    assert (after.destination_city, after.referring_worker, after.version) == (
        "Istanbul", "", saved.version)
    assert AuditEntry.objects.count() == audit_before

    services.case_update(actor=worker, case=case, expected_version=conflict.version,
                         referring_worker="Ms Demo")
    assert refresh(case).referring_worker == "Ms Demo"


def test_a_stale_edit_after_a_step_change_names_the_step(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    services.case_advance(actor=cast.user("coordinator"), case=case, step=Step.RESCUE,
                          happened_on=TODAY())
    with pytest.raises(EditConflict) as excinfo:
        services.case_update(actor=worker, case=case, expected_version=1,
                             destination_city="Antalya")
    assert [(c.name, c.current) for c in excinfo.value.changes] == [
        ("step", str(Step.RESCUE.label)), ("step_since", TODAY().isoformat())]


def test_an_edit_without_changes_keeps_the_version(cast: Any) -> None:
    case = open_case(cast)
    services.case_update(actor=cast.user("case_worker"), case=case, expected_version=1,
                         referral_source=case.referral_source)
    assert refresh(case).version == 1


def test_refuses_unknown_case_fields(cast: Any) -> None:
    case = open_case(cast)
    with pytest.raises(TypeError):
        services.case_update(actor=cast.user("case_worker"), case=case, expected_version=1,
                             step=Step.MONITORING)


# --- views and exports -------------------------------------------------------


def test_records_every_view_of_a_case(cast: Any) -> None:
    case = open_case(cast)
    services.case_view_record(actor=cast.user("coordinator"), case=case, tab="medical")
    entry = AuditEntry.objects.filter(action=Action.VIEW).get()
    assert entry.detail == {"case": case.code, "tab": "medical"}
    assert entry.actor_name == "coordinator@home"


def test_exports_the_case_file_as_json_and_audits_it(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(
        cast, worker, destination_country="TR", exploitation_types=["SexualExploitation"],
        phones=["+7 912 345-67-89"], identity_documents=[{"kind": "Passport",
                                                          "number": "75 1234567"}],
    )
    give_consent(case, worker)
    give_consent(case, worker, ConsentPurpose.DATA_SHARING, organisation=cast.away)
    services.event_create(actor=worker, case=case, type="Exploitation", country="TR",
                          exploitation_types=["SexualExploitation"])
    services.case_advance(actor=worker, case=case, step=Step.RESCUE, happened_on=TODAY())

    exported = services.case_export(actor=worker, case=case)

    text = json.dumps(exported)
    assert exported["case"]["code"] == case.code
    assert exported["case"]["organisation"] == "HOME"
    assert exported["case"]["destination_country"] == "TR"
    assert exported["person"]["phones"] == ["+79123456789"]
    assert [c["organisation"] for c in exported["consents"]] == ["AWAY", None]
    assert len(exported["steps"]) == 2
    assert "version" not in exported["case"]
    assert exported["case"]["case_owner"] == worker.get_username()
    assert json.loads(text)["person"]["last_name"].startswith("Образцова")
    audit = AuditEntry.objects.filter(action=Action.EXPORT).get()
    assert audit.detail["case"] == case.code
    assert (audit.target_type, audit.target_id) == ("cases.Case", str(case.pk))


def test_refuses_a_step_dated_before_the_current_step(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = _case_at(cast, Step.REPATRIATION)  # since opened_on + 2 days
    before = _state(case)
    with pytest.raises(ValidationError) as excinfo:
        services.case_advance(actor=worker, case=case, step=Step.REHABILITATION,
                              happened_on=case.opened_on + datetime.timedelta(days=1))
    assert "happened_on" in excinfo.value.message_dict
    assert _state(case) == before
