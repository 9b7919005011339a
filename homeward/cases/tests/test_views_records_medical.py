"""The medical tab: locked until the medical consent (for a minor: the
guardian's), with an audited emergency override for a child in danger."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.choices import ConsentGivenBy, ConsentPurpose, GuardianKind, TeamRole
from homeward.cases.models import Guardian, MedicalExam
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case
from homeward.directory.models import EntryKind
from homeward.directory.tests.factories import make_entry

pytestmark = pytest.mark.django_db

JUSTIFICATION = "Unconscious after an overdose forced by the traffickers; ambulance called."
LOCKED = "Medical examinations are locked until a parent, guardian or the city's social " \
         "support department gives consent"


def _url(name, case):
    return reverse(name, kwargs={"code": case.code})


def _exam_data(**values):
    data = {"kind": "Screening", "planned_on": timezone.localdate().isoformat(),
            "facility": "", "facility_other": "City clinic No. 5", "purpose": "First check"}
    data.update(values)
    return data


def _guardian_consent(case, actor):
    return give_consent(case, actor, ConsentPurpose.MEDICAL,
                        given_by=ConsentGivenBy.GUARDIAN, given_by_name="Мария Петрова",
                        decided_on=timezone.localdate())


# Who may


def test_outsider_gets_404(cast, login):
    case = open_case(cast)
    client = login(cast.user(Role.CASE_WORKER, "away"))
    assert client.get(_url("cases:case-medical", case)).status_code == 404
    assert client.post(_url("cases:medical-create", case), _exam_data()).status_code == 404
    assert client.get(_url("cases:guardian-create", case)).status_code == 404


def test_coordinator_sees_the_case_but_not_the_medical_tab(cast, login):
    case = open_case(cast)
    client = login(cast.user(Role.COORDINATOR))
    assert client.get(_url("cases:case-medical", case)).status_code == 403
    assert client.post(_url("cases:medical-create", case), _exam_data()).status_code == 403


def test_assigned_reintegration_worker_gets_403_and_medical_staff_gets_in(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    for role, team_role in ((Role.REINTEGRATION_WORKER, TeamRole.REINTEGRATION),
                            (Role.MEDICAL, TeamRole.MEDICAL)):
        services.case_assign(actor=worker, case=case, user=cast.user(role), role=team_role)
    assert login(cast.user(Role.REINTEGRATION_WORKER)).get(
        _url("cases:case-medical", case)).status_code == 403
    assert login(cast.user(Role.MEDICAL)).get(
        _url("cases:case-medical", case)).status_code == 200


def test_medical_staff_on_the_team_cannot_record_guardians(cast, login):
    case = open_minor_case(cast)
    services.case_assign(actor=cast.user(Role.CASE_WORKER), case=case,
                         user=cast.user(Role.MEDICAL), role=TeamRole.MEDICAL)
    response = login(cast.user(Role.MEDICAL)).get(_url("cases:guardian-create", case))
    assert response.status_code == 403


def test_medical_pages_answer_405_to_other_methods(cast, login):
    case = open_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.post(_url("cases:case-medical", case)).status_code == 405
    assert client.put(_url("cases:medical-create", case)).status_code == 405
    assert client.patch(_url("cases:guardian-create", case)).status_code == 405


# A minor without the guardian's consent


def test_minor_without_guardian_consent_sees_the_lock_with_the_ways_out(cast, login):
    case = open_minor_case(cast)
    page = login(cast.user(Role.CASE_WORKER)).get(_url("cases:case-medical", case))
    text = page.content.decode()
    assert LOCKED in text.replace("&#x27;", "'")
    assert _url("cases:guardian-create", case) in text
    assert _url("cases:consent-create", case) + "?purpose=Medical" in text
    assert _url("cases:medical-create", case) + "?emergency=1" in text
    assert "coordinator is notified" in text


def test_refuses_medical_exam_for_minor_without_guardian_consent(cast, login):
    case = open_minor_case(cast)
    # The child's own consent does not count.
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.PHONE_CONTACT)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:medical-create", case), _exam_data()
    )
    assert response.status_code == 200
    assert "need the consent of a parent" in response.content.decode()
    assert not MedicalExam.objects.exists()


def test_emergency_override_with_justification_records_the_exam_and_audits_it(
    cast, login, mailoutbox, django_capture_on_commit_callbacks
):
    case = open_minor_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    form = client.get(_url("cases:medical-create", case) + "?emergency=1").content.decode()
    assert 'name="emergency_justification"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("cases:medical-create", case) + "?emergency=1",
            _exam_data(emergency_justification=JUSTIFICATION),
        )
    assert response.status_code == 302
    exam = MedicalExam.objects.get(case=case)
    assert exam.emergency is True
    assert exam.emergency_justification == JUSTIFICATION
    override = AuditEntry.objects.get(action="case.emergency_override")
    assert override.target_id == str(exam.pk)
    assert override.actor_name == "case_worker@home"
    assert [m.to for m in mailoutbox] == [["coordinator@home@example.invalid"]]
    assert JUSTIFICATION not in mailoutbox[0].body
    tab = client.get(_url("cases:case-medical", case)).content.decode()
    assert "Emergency override" in tab


def test_emergency_override_with_too_short_justification_is_refused(cast, login):
    case = open_minor_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:medical-create", case) + "?emergency=1",
        _exam_data(emergency_justification="urgent"),
    )
    assert response.status_code == 200
    assert "at least 20 characters" in response.content.decode()
    assert not MedicalExam.objects.exists()
    assert not AuditEntry.objects.filter(action="case.emergency_override").exists()


def test_recording_a_guardian_leads_to_their_consent(cast, login):
    case = open_minor_case(cast)
    response = login(cast.user(Role.COORDINATOR)).post(
        _url("cases:guardian-create", case),
        {"kind": GuardianKind.SOCIAL_SUPPORT, "name": "Елена Смирнова",
         "department": "Social support department, Tver", "contact": "+7 4822 00-00-00",
         "recorded_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("cases:consent-create", case) + "?purpose=Medical"
    guardian = Guardian.objects.get(case=case)
    assert guardian.name == "Елена Смирнова"


def test_a_guardian_is_refused_for_an_adult(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:guardian-create", case),
        {"kind": GuardianKind.PARENT, "name": "Someone",
         "recorded_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "only for a minor" in response.content.decode()
    assert not Guardian.objects.exists()


def test_with_the_guardian_consent_the_tab_unlocks_and_exams_are_recorded(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_minor_case(cast)
    _guardian_consent(case, worker)
    clinic = make_entry(cast.away, kind=EntryKind.MEDICAL, name_en="Children's clinic No. 2",
                        country="RU", city="Moscow")
    client = login(worker)
    tab = client.get(_url("cases:case-medical", case)).content.decode()
    assert "locked" not in tab
    form = client.get(_url("cases:medical-create", case)).content.decode()
    assert "Children&#x27;s clinic No. 2" in form or "Children's clinic No. 2" in form
    response = client.post(_url("cases:medical-create", case),
                           _exam_data(facility=str(clinic.pk), facility_other=""))
    assert response.status_code == 302
    exam = MedicalExam.objects.get(case=case)
    assert exam.facility == clinic
    assert exam.emergency is False


# Adults


def test_adult_without_medical_consent_sees_the_lock_without_guardian_or_override(
    cast, login
):
    case = open_case(cast)
    text = login(cast.user(Role.CASE_WORKER)).get(_url("cases:case-medical", case))\
        .content.decode()
    assert "Medical examinations are locked" in text
    assert _url("cases:consent-create", case) + "?purpose=Medical" in text
    assert _url("cases:guardian-create", case) not in text
    assert "?emergency=1" not in text


def test_adult_with_consent_gets_an_exam(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    give_consent(case, worker, ConsentPurpose.MEDICAL)
    response = login(worker).post(_url("cases:medical-create", case), _exam_data())
    assert response.status_code == 302
    assert MedicalExam.objects.get(case=case).facility_other == "City clinic No. 5"


def test_looking_at_the_medical_tab_is_audited(cast, login):
    case = open_case(cast)
    login(cast.user(Role.CASE_WORKER)).get(_url("cases:case-medical", case))
    assert [
        e for e in AuditEntry.objects.filter(action=Action.VIEW, target_type="cases.Case",
                                             target_id=str(case.pk))
        if e.detail.get("tab") == "medical"
    ]
