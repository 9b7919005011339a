"""The main case pages: the list, the overview, editing with optimistic
locking, the actions on a case, the team and the export."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services, views_cases
from homeward.cases.choices import (
    CaseKind,
    CaseStatus,
    ConsentDecision,
    ConsentPurpose,
    ReporterRelationship,
    Step,
    TeamRole,
)
from homeward.cases.models import Case, CaseAssignment, CaseStep
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case, refresh
from homeward.directory.tests.factories import make_entry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"code": case.code, **kwargs})


def _assign(cast, case, role=Role.SHELTER_STAFF, team_role=TeamRole.SHELTER):
    user = cast.user(role)
    services.case_assign(actor=cast.user(Role.CASE_WORKER), case=case, user=user, role=team_role)
    return user


def _view_audited(case, user):
    return AuditEntry.objects.filter(
        action=Action.VIEW, actor_id=user.pk, target_type="cases.Case", target_id=str(case.pk)
    ).exists()


def _missing_case(cast):
    return open_case(
        cast, kind=CaseKind.MISSING_PERSON,
        missing_report={"reporter_name": "Ольга Петрова",
                        "reporter_relationship": ReporterRelationship.PARENT,
                        "last_seen_city": "Antalya"},
    )


# --- the list ----------------------------------------------------------------------


def test_list_shows_case_codes_and_never_names(cast, login):
    case = open_case(cast, first_name="Снежана", last_name="Калинкина",
                     first_name_latin="Snezhana", last_name_latin="Kalinkina")
    page = login(cast.user(Role.CASE_WORKER)).get(reverse("cases:case-list")).content.decode()
    assert case.code in page
    for word in ("Снежана", "Калинкина", "Snezhana", "Kalinkina"):
        assert word not in page


def test_list_finds_a_case_by_one_name_word_without_showing_the_name(cast, login):
    wanted = open_case(cast, first_name="Снежана", last_name="Калинкина",
                       first_name_latin="Snezhana", last_name_latin="Kalinkina")
    other = open_case(cast)
    page = login(cast.user(Role.CASE_WORKER)).get(
        reverse("cases:case-list"), {"q": "Kalinkina", "status": ""}
    ).content.decode()
    assert wanted.code in page
    assert other.code not in page
    assert "Снежана" not in page
    assert "Калинкина" not in page


def test_list_finds_a_case_by_its_code(cast, login):
    wanted, other = open_case(cast), open_case(cast)
    page = login(cast.user(Role.COORDINATOR)).get(
        reverse("cases:case-list"), {"q": wanted.code}
    ).content.decode()
    assert wanted.code in page
    assert other.code not in page


def test_list_shows_open_cases_unless_asked_for_every_status(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    open_one, closed = open_case(cast), open_case(cast)
    services.case_close(actor=worker, case=closed, closed_on=TODAY(), reason="Returned home")
    client = login(worker)
    default = client.get(reverse("cases:case-list")).content.decode()
    assert open_one.code in default
    assert closed.code not in default
    assert '<option value="open" selected>' in default
    every = client.get(reverse("cases:case-list"), {"status": ""}).content.decode()
    assert closed.code in every
    only_closed = client.get(reverse("cases:case-list"), {"status": "Closed"}).content.decode()
    assert closed.code in only_closed
    assert open_one.code not in only_closed


def test_list_filters_by_minor_nationality_destination_and_overdue(cast, login):
    minor = open_minor_case(cast, citizenships=["KZ"])
    adult = open_case(cast, destination_country="TR",
                      review_due_on=TODAY() - datetime.timedelta(days=3))
    client = login(cast.user(Role.CASE_WORKER))

    def codes(**query):
        page = client.get(reverse("cases:case-list"), {"status": "", **query}).content.decode()
        return {code for code in (minor.code, adult.code) if code in page}

    assert codes(minor="yes") == {minor.code}
    assert codes(minor="no") == {adult.code}
    assert codes(nationality="KZ") == {minor.code}
    assert codes(destination="TR") == {adult.code}
    assert codes(overdue="on") == {adult.code}
    assert codes(step=Step.IDENTIFICATION) == {minor.code, adult.code}
    assert codes(kind=CaseKind.MISSING_PERSON) == set()


def test_list_marks_overdue_reviews_and_minors(cast, login):
    open_minor_case(cast, review_due_on=TODAY() - datetime.timedelta(days=1))
    page = login(cast.user(Role.CASE_WORKER)).get(reverse("cases:case-list")).content.decode()
    assert 'class="overdue"' in page
    assert "badge-minor" in page


def test_list_a_value_that_is_not_a_choice_finds_nothing(cast, login):
    case = open_case(cast)
    page = login(cast.user(Role.CASE_WORKER)).get(
        reverse("cases:case-list"), {"status": "Whatever"}
    ).content.decode()
    assert case.code not in page


def test_list_is_paginated(cast, login, monkeypatch):
    monkeypatch.setattr(views_cases, "PAGE_SIZE", 2)
    cases = [open_case(cast) for _ in range(3)]
    client = login(cast.user(Role.CASE_WORKER))
    first = client.get(reverse("cases:case-list")).content.decode()
    assert "status=open&amp;page=2" in first
    second = client.get(reverse("cases:case-list"), {"status": "open", "page": 2})
    shown = [case.code for case in cases if case.code in second.content.decode()]
    assert len(shown) == 1


def test_team_member_lists_only_the_cases_they_are_on(cast, login):
    mine, other = open_case(cast), open_case(cast)
    shelter = _assign(cast, mine)
    page = login(shelter).get(reverse("cases:case-list")).content.decode()
    assert mine.code in page
    assert other.code not in page
    assert reverse("cases:case-create") not in page


def test_managers_get_the_new_case_button(cast, login):
    page = login(cast.user(Role.COORDINATOR)).get(reverse("cases:case-list")).content.decode()
    assert reverse("cases:case-create") in page


def test_away_case_worker_does_not_see_home_cases(cast, login):
    case = open_case(cast)
    page = login(cast.user(Role.CASE_WORKER, "away")).get(
        reverse("cases:case-list"), {"status": ""}
    ).content.decode()
    assert case.code not in page


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.ORG_ADMIN])
def test_roles_without_case_work_get_403_on_the_list(cast, login, role):
    assert login(cast.user(role)).get(reverse("cases:case-list")).status_code == 403


def test_list_answers_405_to_post(cast, login):
    assert login(cast.user(Role.CASE_WORKER)).post(reverse("cases:case-list")).status_code == 405


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("cases:case-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- the overview --------------------------------------------------------------------


def test_outsider_gets_404_on_the_overview(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER, "away")).get(_url("cases:case-detail", case))
    assert response.status_code == 404


def test_unassigned_team_role_gets_404(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.SHELTER_STAFF)).get(_url("cases:case-detail", case))
    assert response.status_code == 404


def test_overview_shows_the_person_to_the_case_worker_and_is_audited(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, first_name="Снежана", last_name="Калинкина", phones=["+79123456789"],
                     destination_country="TR", destination_city="Istanbul")
    page = login(worker).get(_url("cases:case-detail", case)).content.decode()
    assert "Калинкина Снежана" in page
    assert "+79123456789" in page
    assert "do not call" in page  # no phone-contact consent yet
    assert "Istanbul" in page
    assert _view_audited(case, worker)
    for name in ("case-edit", "person-edit", "case-advance", "case-close", "team",
                 "case-export"):
        assert _url(f"cases:{name}", case) in page


def test_overview_drops_the_phone_warning_once_consent_is_given(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, phones=["+79123456789"])
    give_consent(case, worker, ConsentPurpose.PHONE_CONTACT)
    page = login(worker).get(_url("cases:case-detail", case)).content.decode()
    assert "do not call" not in page


def test_overview_shows_minor_guardian_warning_timeline_and_consents(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_minor_case(cast)
    give_consent(case, worker, ConsentPurpose.ASSISTANCE)
    services.case_advance(actor=worker, case=case, step=Step.RESCUE, happened_on=TODAY(),
                          done_by="Turkish task force", notes="Found in a flat")
    page = login(worker).get(_url("cases:case-detail", case)).content.decode()
    assert "badge-minor" in page
    assert "No guardian is recorded" in page
    assert "Turkish task force" in page
    assert "Found in a flat" in page
    assert "Consent: Assistance — Given" in page
    assert reverse("cases:consent-create", kwargs={"code": case.code}) in page


def test_assigned_team_member_sees_the_overview_without_manager_actions(cast, login):
    case = open_case(cast)
    shelter = _assign(cast, case)
    response = login(shelter).get(_url("cases:case-detail", case))
    assert response.status_code == 200
    page = response.content.decode()
    assert _url("cases:case-edit", case) not in page
    assert _url("cases:case-export", case) not in page
    assert _view_audited(case, shelter)


def test_overview_of_a_missing_person_offers_mark_as_found(cast, login):
    case = _missing_case(cast)
    page = login(cast.user(Role.CASE_WORKER)).get(_url("cases:case-detail", case)).content.decode()
    assert "Missing-person report" in page
    assert "Ольга Петрова" in page
    assert _url("cases:case-found", case) in page
    assert _url("cases:case-advance", case) not in page


def test_overview_answers_405_to_post(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(_url("cases:case-detail", case))
    assert response.status_code == 405


# --- editing the case, with optimistic locking ------------------------------------------


def _case_data(case, **values):
    data = {
        "case_owner": str(case.case_owner_id), "review_due_on": "",
        "referral_source": case.referral_source, "referring_entry": "",
        "referring_organisation_name": "", "referring_worker": "",
        "incoming_referral_date": "", "referral_details": "",
        "trafficking_status": case.trafficking_status, "trafficking_status_decided_by": "",
        "relationship_to_trafficker": "", "age_when_trafficked": "",
        "forced_labour_industry": "", "destination_country": "TR",
        "destination_city": "Istanbul", "current_country": "", "current_city": "",
        "version": str(case.version),
    }
    data.update(values)
    return data


def test_case_worker_edits_the_case(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:case-edit", case),
        _case_data(case, exploitation_types=["SexualExploitation"], destination_city="Antalya"),
    )
    assert response.status_code == 302
    case = refresh(case)
    assert case.destination_country.code == "TR"
    assert case.destination_city == "Antalya"
    assert case.exploitation_types == ["SexualExploitation"]
    assert case.version == 2


def test_edit_shows_the_other_persons_change_and_keeps_the_users_input(cast, login):
    worker, coordinator = cast.user(Role.CASE_WORKER), cast.user(Role.COORDINATOR)
    case = open_case(cast)
    stale_version = case.version
    # The coordinator saves first.
    services.case_update(actor=coordinator, case=case, expected_version=stale_version,
                         destination_city="Izmir", destination_country="TR")
    response = login(worker).post(
        _url("cases:case-edit", case),
        _case_data(case, destination_city="Antalya", version=str(stale_version)),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this case while you were editing" in page
    assert "City of exploitation" in page
    assert "Izmir" in page  # their value, now stored
    assert 'value="Antalya"' in page  # the user's input, kept
    assert refresh(case).destination_city == "Izmir"
    new_version = refresh(case).version
    assert f'name="version" value="{new_version}"' in page
    # Saving again, deliberately, keeps the user's value.
    again = login(worker).post(
        _url("cases:case-edit", case),
        _case_data(case, destination_city="Antalya", version=str(new_version)),
    )
    assert again.status_code == 302
    assert refresh(case).destination_city == "Antalya"


def test_edit_keeps_a_referring_entry_the_editor_may_not_see(cast, login):
    hidden = make_entry(cast.home, name_en="Restricted task force", visibility="restricted",
                        restricted_roles=[Role.COORDINATOR])
    case = open_case(cast, cast.user(Role.COORDINATOR), referring_entry=hidden)
    client = login(cast.user(Role.CASE_WORKER))
    page = client.get(_url("cases:case-edit", case)).content.decode()
    assert "Restricted task force" not in page
    assert 'name="referring_entry"' not in page
    detail = client.get(_url("cases:case-detail", case)).content.decode()
    assert "Restricted task force" not in detail
    data = _case_data(case, destination_city="Bodrum")
    data.pop("referring_entry")
    assert client.post(_url("cases:case-edit", case), data).status_code == 302
    assert refresh(case).referring_entry == hidden


def test_edit_shows_service_refusals_on_the_form(cast, login):
    case = open_case(cast)
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:case-edit", case), _case_data(case, incoming_referral_date=tomorrow)
    )
    assert response.status_code == 200
    assert "This date is in the future." in response.content.decode()
    assert refresh(case).version == case.version


def test_assigned_shelter_staff_may_not_edit(cast, login):
    case = open_case(cast)
    shelter = _assign(cast, case)
    client = login(shelter)
    assert client.get(_url("cases:case-edit", case)).status_code == 403
    response = client.post(_url("cases:case-edit", case), _case_data(case, destination_city="X"))
    assert response.status_code == 403
    assert refresh(case).destination_city == ""


def test_outsider_gets_404_on_edit(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.COORDINATOR, "away")).get(_url("cases:case-edit", case))
    assert response.status_code == 404


def test_edit_answers_405_to_put(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).put(_url("cases:case-edit", case))
    assert response.status_code == 405


# --- editing the person -------------------------------------------------------------


def _person_data(person, **values):
    data = {
        "first_name": person.first_name, "middle_name": "", "last_name": person.last_name,
        "first_name_latin": person.first_name_latin, "last_name_latin": person.last_name_latin,
        "other_names": "", "birth_date": "", "birth_year": str(person.birth_year or ""),
        "gender": person.gender, "citizenships": person.citizenship_list, "phones": "",
        "email": "", "address": "", "primary_language": "", "secondary_language": "",
        "education": "", "marital_status": "", "number_of_children": "",
        "children_accompanying": "0", "origin_country": "", "origin_region": "",
        "origin_city": "", "document_kind_0": "", "document_number_0": "",
        "document_kind_1": "", "document_number_1": "", "version": str(person.version),
    }
    data.update(values)
    return data


def test_case_worker_edits_the_person(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:person-edit", case),
        _person_data(case.person, phones="+7 912 345-67-89\n", primary_language="ru",
                     document_kind_0="Passport", document_number_0="75 1234567",
                     citizenships=["RU", "KZ"]),
    )
    assert response.status_code == 302
    person = refresh(case).person
    assert person.phones == ["+79123456789"]
    assert person.identity_documents == [{"kind": "Passport", "number": "75 1234567"}]
    assert person.citizenship_list == ["RU", "KZ"]
    assert person.primary_language == "ru"


def test_person_edit_conflict_shows_their_change(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    person = case.person
    services.person_update(actor=cast.user(Role.COORDINATOR), person=person,
                           expected_version=person.version, origin_city="Тверь")
    response = login(worker).post(
        _url("cases:person-edit", case), _person_data(person, origin_city="Псков")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this person&#x27;s details while you were editing" in page
    assert "City or town of origin" in page
    assert "Тверь" in page
    assert refresh(case).person.origin_city == "Тверь"


def test_person_edit_refuses_a_person_without_a_name(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:person-edit", case),
        _person_data(case.person, first_name="", last_name="", first_name_latin="",
                     last_name_latin=""),
    )
    assert response.status_code == 200
    assert "Give at least a first name or a surname" in response.content.decode()
    assert refresh(case).person.last_name == case.person.last_name


def test_assigned_team_member_may_not_edit_the_person(cast, login):
    case = open_case(cast)
    hotline = _assign(cast, case, Role.HOTLINE_OPERATOR, TeamRole.HOTLINE)
    assert login(hotline).get(_url("cases:person-edit", case)).status_code == 403


# --- advancing, closing, reopening ---------------------------------------------------


def test_advance_refuses_repatriation_without_assistance_consent(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:case-advance", case),
        {"step": Step.REPATRIATION, "happened_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert "needs the person&#x27;s consent to assistance" in response.content.decode()
    assert refresh(case).step == Step.IDENTIFICATION
    assert not CaseStep.objects.filter(case=case, step=Step.REPATRIATION).exists()


def test_advance_refuses_a_step_the_path_does_not_allow(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:case-advance", case),
        {"step": Step.MONITORING, "happened_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert "A case cannot go from Identification to Monitoring." in response.content.decode()
    assert refresh(case).step == Step.IDENTIFICATION


def test_advance_offers_only_the_allowed_steps_and_moves_on(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    give_consent(case, worker)
    client = login(worker)
    page = client.get(_url("cases:case-advance", case)).content.decode()
    assert 'value="Rescue"' in page
    assert 'value="Monitoring"' not in page
    response = client.post(_url("cases:case-advance", case), {
        "step": Step.REPATRIATION, "happened_on": TODAY().isoformat(),
        "done_by": "IOM Ankara", "notes": "Flight booked",
    })
    assert response.status_code == 302
    assert refresh(case).step == Step.REPATRIATION
    assert CaseStep.objects.get(case=case, step=Step.REPATRIATION).done_by == "IOM Ankara"


def test_advance_explains_why_a_closed_case_cannot_move(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    services.case_close(actor=worker, case=case, closed_on=TODAY(), reason="Done")
    page = login(worker).get(_url("cases:case-advance", case)).content.decode()
    assert "The case is closed. Reopen it first." in page


def test_assigned_team_member_may_not_advance(cast, login):
    case = open_case(cast)
    shelter = _assign(cast, case)
    response = login(shelter).post(
        _url("cases:case-advance", case), {"step": Step.RESCUE, "happened_on": TODAY()}
    )
    assert response.status_code == 403
    assert refresh(case).step == Step.IDENTIFICATION


def test_close_and_reopen(cast, login):
    case = open_case(cast)
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(_url("cases:case-close", case), {
        "closed_on": TODAY().isoformat(), "reason": "Referred to the home region NGO",
        "referred_to": str(cast.away.pk),
    })
    assert response.status_code == 302
    closed = refresh(case)
    assert closed.status == CaseStatus.CLOSED_REFERRED
    assert closed.referred_to == cast.away
    response = client.post(_url("cases:case-reopen", case), {
        "reopened_on": TODAY().isoformat(), "notes": "She called again",
    })
    assert response.status_code == 302
    reopened = refresh(case)
    assert reopened.status == CaseStatus.ACTIVE
    assert reopened.step == Step.IDENTIFICATION


def test_close_needs_a_reason(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:case-close", case), {"closed_on": TODAY().isoformat(), "reason": ""}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert refresh(case).status == CaseStatus.ACTIVE


def test_reopen_refuses_an_open_case(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:case-reopen", case), {"reopened_on": TODAY().isoformat()}
    )
    assert response.status_code == 200
    assert "Only a closed case can be reopened." in response.content.decode()


def test_assigned_team_member_may_not_close(cast, login):
    case = open_case(cast)
    medical = _assign(cast, case, Role.MEDICAL, TeamRole.MEDICAL)
    response = login(medical).post(
        _url("cases:case-close", case), {"closed_on": TODAY().isoformat(), "reason": "x"}
    )
    assert response.status_code == 403
    assert refresh(case).status == CaseStatus.ACTIVE


def test_close_answers_405_to_delete(cast, login):
    case = open_case(cast)
    assert login(cast.user(Role.CASE_WORKER)).delete(
        _url("cases:case-close", case)
    ).status_code == 405


# --- missing persons --------------------------------------------------------------------


def test_marking_a_missing_person_found_makes_it_a_victim_case(cast, login):
    case = _missing_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(_url("cases:case-found", case), {
        "found_on": TODAY().isoformat(), "found_where": "Police station, Antalya",
    })
    assert response.status_code == 302
    found = refresh(case)
    assert found.kind == CaseKind.VICTIM
    assert found.missing_report.found_where == "Police station, Antalya"


def test_found_is_refused_for_a_victim_case(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:case-found", case), {"found_on": TODAY().isoformat()}
    )
    assert response.status_code == 200
    assert "This is not a missing-person case." in response.content.decode()


def test_missing_report_is_edited(cast, login):
    case = _missing_case(cast)
    report = case.missing_report
    response = login(cast.user(Role.CASE_WORKER)).post(_url("cases:missing-edit", case), {
        "reported_on": report.reported_on.isoformat(), "reporter_name": "Ольга Петрова",
        "reporter_relationship": ReporterRelationship.PARENT, "reporter_contact": "",
        "last_seen_on": "", "last_seen_country": "TR", "last_seen_city": "Alanya",
        "circumstances": "", "police_report_country": "TR",
        "police_report_authority": "Alanya police", "police_report_reference": "",
        "police_reported_on": "",
    })
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.last_seen_city == "Alanya"
    assert report.police_report_authority == "Alanya police"


def test_missing_report_page_is_404_for_a_victim_case(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).get(_url("cases:missing-edit", case))
    assert response.status_code == 404


def test_assigned_hotline_operator_may_not_mark_found(cast, login):
    case = _missing_case(cast)
    hotline = _assign(cast, case, Role.HOTLINE_OPERATOR, TeamRole.HOTLINE)
    response = login(hotline).post(_url("cases:case-found", case),
                                   {"found_on": TODAY().isoformat()})
    assert response.status_code == 403
    assert refresh(case).kind == CaseKind.MISSING_PERSON


# --- the team ------------------------------------------------------------------------


def test_team_assign_and_remove(cast, login):
    case = open_case(cast)
    shelter = cast.user(Role.SHELTER_STAFF)
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("cases:team", case),
                           {"user": str(shelter.pk), "role": TeamRole.SHELTER})
    assert response.status_code == 302
    assignment = CaseAssignment.objects.get(case=case, user=shelter)
    assert assignment.is_active
    response = client.post(_url("cases:team-remove", case, pk=assignment.pk))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.is_active


def test_team_offers_only_members_who_work_on_cases(cast, login):
    case = open_case(cast)
    page = login(cast.user(Role.CASE_WORKER)).get(_url("cases:team", case)).content.decode()
    assert "shelter_staff@home" in page
    assert "researcher@home" not in page
    assert "case_worker@away" not in page


def test_team_refuses_to_remove_the_lead(cast, login):
    case = open_case(cast)
    lead = case.assignments.get()
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:team-remove", case, pk=lead.pk), follow=True
    )
    assert "The lead case worker stays on the team" in response.content.decode()
    lead.refresh_from_db()
    assert lead.is_active


def test_team_remove_answers_405_to_get(cast, login):
    case = open_case(cast)
    lead = case.assignments.get()
    response = login(cast.user(Role.CASE_WORKER)).get(_url("cases:team-remove", case, pk=lead.pk))
    assert response.status_code == 405


def test_assigned_team_member_may_not_change_the_team(cast, login):
    case = open_case(cast)
    shelter = _assign(cast, case)
    client = login(shelter)
    assert client.get(_url("cases:team", case)).status_code == 403
    response = client.post(_url("cases:team", case),
                           {"user": str(cast.user(Role.MEDICAL).pk), "role": TeamRole.MEDICAL})
    assert response.status_code == 403
    assert not CaseAssignment.objects.filter(case=case, user=cast.user(Role.MEDICAL)).exists()


def test_outsider_gets_404_on_team_remove(cast, login):
    case = open_case(cast)
    lead = case.assignments.get()
    response = login(cast.user(Role.CASE_WORKER, "away")).post(
        _url("cases:team-remove", case, pk=lead.pk)
    )
    assert response.status_code == 404


# --- export ----------------------------------------------------------------------------


def test_export_is_a_json_attachment_never_cached_and_audited(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    give_consent(case, worker, ConsentPurpose.STATISTICS, decision=ConsentDecision.REFUSED)
    response = login(worker).get(_url("cases:case-export", case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert f'filename="{case.code}.json"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["case"]["code"] == case.code
    assert data["consents"][0]["decision"] == ConsentDecision.REFUSED
    assert AuditEntry.objects.filter(action=Action.EXPORT, target_id=str(case.pk)).exists()


def test_assigned_team_member_may_not_export(cast, login):
    case = open_case(cast)
    shelter = _assign(cast, case)
    assert login(shelter).get(_url("cases:case-export", case)).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_outsider_gets_404_on_export(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER, "away")).get(_url("cases:case-export", case))
    assert response.status_code == 404


def test_export_answers_405_to_post(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(_url("cases:case-export", case))
    assert response.status_code == 405


def test_no_case_is_created_by_viewing_pages(cast, login):
    case = open_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    for name in ("case-detail", "case-edit", "person-edit", "case-advance", "case-close",
                 "case-reopen", "team"):
        assert client.get(_url(f"cases:{name}", case)).status_code == 200
    assert Case.objects.count() == 1


# --- every page of a case: outsiders and team members ------------------------------------

MANAGER_PAGES = ["case-edit", "person-edit", "case-advance", "case-close", "case-reopen",
                 "case-found", "missing-edit", "team", "case-export"]


@pytest.mark.parametrize("name", ["case-detail", *MANAGER_PAGES])
@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.COORDINATOR, Role.SHELTER_STAFF])
def test_outsiders_get_404_on_every_case_page(cast, login, name, role):
    case = _missing_case(cast)
    response = login(cast.user(role, "away")).get(_url(f"cases:{name}", case))
    assert response.status_code == 404


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_assigned_team_members_get_403_on_every_manager_page(cast, login, name):
    case = _missing_case(cast)
    shelter = _assign(cast, case)
    client = login(shelter)
    assert client.get(_url("cases:case-detail", case)).status_code == 200
    assert client.get(_url(f"cases:{name}", case)).status_code == 403
    if name != "case-export":
        assert client.post(_url(f"cases:{name}", case), {}).status_code == 403
    assert refresh(case).version == case.version


def test_the_lead_assignment_cannot_be_removed_by_a_team_member(cast, login):
    case = open_case(cast)
    shelter = _assign(cast, case)
    lead = case.assignments.get(user=case.case_owner)
    response = login(shelter).post(_url("cases:team-remove", case, pk=lead.pk))
    assert response.status_code == 403
