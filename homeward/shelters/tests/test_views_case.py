"""The case's "Shelter" tab and what it links to: withdrawing a request, the
waiting list, the standard package and the service log recorded from the case."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services as case_services
from homeward.cases.choices import ConsentPurpose, TeamRole
from homeward.cases.tests.factories import give_consent, open_case
from homeward.shelters.choices import (
    OfferStatus,
    ReferralStatus,
    SessionKind,
    StandardService,
    WaitingStatus,
)
from homeward.shelters.models import ServiceOffer, ServiceSession, WaitingListEntry
from homeward.shelters.services import medical, package, referrals, stays, waiting
from homeward.shelters.tests.factories import make_shelter

pytestmark = pytest.mark.django_db


def _url(name, case):
    return reverse(f"shelters:{name}", kwargs={"code": case.code})


def _today():
    return timezone.localdate()


def _assign(cast, case, role, team_role):
    user = cast.user(role)
    case_services.case_assign(actor=cast.user(Role.CASE_WORKER), case=case, user=user,
                              role=team_role)
    return user


@pytest.fixture
def referral(cast):
    case = open_case(cast)
    return referrals.referral_send(actor=cast.user(Role.CASE_WORKER), case=case,
                                   shelter=make_shelter(cast.home, name_en="Kazan house"),
                                   needed_from=_today())


# --- access -------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(cast, client):
    case = open_case(cast)
    for url in (_url("case-shelter", case), reverse("shelters:waiting-list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_404(cast, login, referral):
    case = referral.case
    entry = waiting.waiting_add(actor=cast.user(Role.CASE_WORKER), case=open_case(cast))
    client = login(cast.user(Role.COORDINATOR, "away"))
    assert client.get(_url("case-shelter", case)).status_code == 404
    assert client.post(_url("waiting-add", case)).status_code == 404
    assert client.post(_url("case-offer-create", case)).status_code == 404
    assert client.post(_url("case-session-create", case)).status_code == 404
    withdraw = reverse("shelters:referral-withdraw", kwargs={"pk": referral.pk})
    assert client.post(withdraw).status_code == 404
    cancel = reverse("shelters:waiting-cancel", kwargs={"pk": entry.pk})
    assert client.post(cancel).status_code == 404
    referral.refresh_from_db()
    entry.refresh_from_db()
    assert (referral.status, entry.status) == (ReferralStatus.PENDING, WaitingStatus.WAITING)


def test_colleague_who_is_not_on_the_team_gets_404(cast, login):
    case = open_case(cast)
    client = login(cast.user(Role.REINTEGRATION_WORKER))
    assert client.get(_url("case-shelter", case)).status_code == 404


def test_team_member_sees_the_tab_but_may_not_manage_placement(cast, login, referral):
    case = referral.case
    worker = _assign(cast, case, Role.REINTEGRATION_WORKER, TeamRole.REINTEGRATION)
    client = login(worker)
    tab = client.get(_url("case-shelter", case))
    assert tab.status_code == 200
    html = tab.content.decode()
    assert _url("placement-search", case) not in html
    assert client.post(_url("waiting-add", case)).status_code == 403
    withdraw = reverse("shelters:referral-withdraw", kwargs={"pk": referral.pk})
    assert client.post(withdraw).status_code == 403
    assert client.get(reverse("shelters:waiting-list")).status_code == 403
    assert not WaitingListEntry.objects.exists()


def test_shelter_staff_who_see_the_request_may_not_withdraw_it(cast, login, referral):
    withdraw = reverse("shelters:referral-withdraw", kwargs={"pk": referral.pk})
    assert login(cast.user(Role.SHELTER_STAFF)).post(withdraw).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_pages_answer_405_to_other_methods(cast, login, referral):
    case = referral.case
    client = login(cast.user(Role.CASE_WORKER))
    assert client.post(_url("case-shelter", case)).status_code == 405
    assert client.put(_url("waiting-add", case)).status_code == 405
    assert client.patch(_url("case-offer-create", case)).status_code == 405
    assert client.delete(_url("case-session-create", case)).status_code == 405
    assert client.post(reverse("shelters:waiting-list")).status_code == 405
    withdraw = reverse("shelters:referral-withdraw", kwargs={"pk": referral.pk})
    assert client.put(withdraw).status_code == 405


# --- the tab ------------------------------------------------------------------------


def test_the_case_pages_show_the_shelter_tab(cast, login):
    case = open_case(cast)
    html = login(cast.user(Role.CASE_WORKER)).get(
        reverse("cases:case-detail", kwargs={"code": case.code})).content.decode()
    assert _url("case-shelter", case) in html


def test_the_tab_shows_requests_stays_waiting_package_and_log(cast, login, referral):
    case = referral.case
    worker = cast.user(Role.CASE_WORKER)
    coordinator = cast.user(Role.COORDINATOR)
    stay = stays.stay_admit(actor=coordinator, shelter=referral.shelter, case=case,
                            admitted_on=_today() - datetime.timedelta(days=2))
    package.service_offer_record(actor=worker, case=case, service=StandardService.HOUSING,
                                 status=OfferStatus.ACCEPTED, decided_on=_today())
    package.service_offer_record(actor=worker, case=case, service=StandardService.REPATRIATION,
                                 status=OfferStatus.REFUSED, decided_on=_today())
    package.service_session_record(actor=worker, case=case,
                                   kind=SessionKind.PSYCHOLOGICAL_GROUP, held_on=_today(),
                                   provider_name="Dr. Partner", duration_minutes=90)
    response = login(worker).get(_url("case-shelter", case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kazan house" in html
    assert "Admitted" in html  # the request's status
    assert reverse("shelters:stay-detail", kwargs={"pk": stay.pk}) in html
    assert "Temporary housing" in html
    assert "Refused" in html
    assert "Psychological session, group" in html
    assert "Dr. Partner" in html
    assert f'href="{_url("case-offer-create", case)}"' in html
    assert AuditEntry.objects.filter(action=Action.VIEW, target_id=str(case.pk),
                                     detail__tab="shelter").exists()


def test_the_tab_never_shows_the_medical_screening(cast, login):
    case = open_case(cast)
    worker = cast.user(Role.CASE_WORKER)
    doctor = _assign(cast, case, Role.MEDICAL, TeamRole.MEDICAL)
    give_consent(case, worker, ConsentPurpose.MEDICAL)
    medical.screening_record(
        actor=doctor, case=case, examined_on=_today(), clinic_other="Clinic No. 7 Kazan",
        treatment="Benzathine benzylpenicillin", examinations="RW test",
        diagnoses=[medical.DiagnosisIn(group="Syphilis", icd10="A51.0",
                                       detail="Primary syphilis")],
    )
    for user in (worker, cast.user(Role.COORDINATOR), doctor):
        html = login(user).get(_url("case-shelter", case)).content.decode()
        for secret in ("Clinic No. 7", "Benzathine", "RW test", "A51.0", "syphilis",
                       "Syphilis"):
            assert secret not in html, f"{secret} shown to {user}"


# --- withdrawing a request ----------------------------------------------------------


def test_a_manager_withdraws_an_open_request(cast, login, referral):
    url = reverse("shelters:referral-withdraw", kwargs={"pk": referral.pk})
    client = login(cast.user(Role.CASE_WORKER))
    assert "Kazan house" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Found a place with relatives."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    again = client.post(url, {"reason": ""})
    assert again.status_code == 200
    assert "no longer open" in again.content.decode()


# --- the waiting list ---------------------------------------------------------------


def test_a_manager_puts_the_person_on_the_waiting_list(cast, login):
    case = open_case(cast, last_name="Ожидающая")
    client = login(cast.user(Role.CASE_WORKER))
    form = client.get(_url("waiting-add", case), {"children_months": "6 months",
                                                  "avoid_region": "Moscow"})
    assert 'value="6 months"' in form.content.decode()
    response = client.post(_url("waiting-add", case), {
        "children_months": "6 months, 3 years", "needs_accessibility": "on",
        "avoid_region": "Moscow", "note": "",
    })
    assert response.status_code == 302
    entry = WaitingListEntry.objects.get(case=case)
    assert entry.children_months == [6, 36]
    assert entry.needs_accessibility
    assert entry.avoid_region == "Moscow"
    again = client.post(_url("waiting-add", case), {"children_months": ""})
    assert again.status_code == 200
    assert "already on the waiting list" in again.content.decode()
    assert WaitingListEntry.objects.count() == 1


def test_the_waiting_list_shows_codes_and_needs_never_names(cast, login):
    make_shelter(cast.home, name_en="Kazan house")
    case = open_case(cast, last_name="Ожидающая")
    waiting.waiting_add(actor=cast.user(Role.CASE_WORKER), case=case, children_months=[18])
    response = login(cast.user(Role.COORDINATOR)).get(reverse("shelters:waiting-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert case.code in html
    assert "18 months" in html
    assert "Ожидающая" not in html
    # The Kazan house could take her now: one shelter, linked to the search.
    assert f"{_url('placement-search', case)}?children_months=18+months\">1</a>" in html


def test_the_waiting_list_of_another_organisation_is_not_shown(cast, login):
    case = open_case(cast)
    waiting.waiting_add(actor=cast.user(Role.CASE_WORKER), case=case)
    html = login(cast.user(Role.CASE_WORKER, "away")).get(
        reverse("shelters:waiting-list")).content.decode()
    assert case.code not in html


def test_a_manager_takes_the_person_off_the_waiting_list(cast, login):
    case = open_case(cast)
    entry = waiting.waiting_add(actor=cast.user(Role.CASE_WORKER), case=case)
    url = reverse("shelters:waiting-cancel", kwargs={"pk": entry.pk})
    client = login(cast.user(Role.COORDINATOR))
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.CANCELLED
    again = client.post(url)
    assert again.status_code == 200
    assert "no longer waiting" in again.content.decode()


# --- the package and the service log from the case ---------------------------------


def test_a_team_member_records_the_package_with_a_refused_service(cast, login):
    case = open_case(cast)
    worker = _assign(cast, case, Role.REINTEGRATION_WORKER, TeamRole.REINTEGRATION)
    client = login(worker)
    form = client.get(_url("case-offer-create", case))
    assert 'name="service_MedicalHelp"' in form.content.decode()
    response = client.post(_url("case-offer-create", case), {
        "service_MedicalHelp": OfferStatus.REFUSED, "service_Housing": OfferStatus.ACCEPTED,
        "decided_on": _today().isoformat(), "note": "",
    })
    assert response.status_code == 302
    assert response["Location"] == _url("case-shelter", case) + "#package"
    offers = {offer.service: offer for offer in ServiceOffer.objects.filter(case=case)}
    assert {service: offer.status for service, offer in offers.items()} == {
        StandardService.MEDICAL_HELP: OfferStatus.REFUSED,
        StandardService.HOUSING: OfferStatus.ACCEPTED,
    }
    assert {offer.organisation for offer in offers.values()} == {cast.home}


def test_the_package_form_presets_the_decisions_in_force_and_records_only_changes(cast, login):
    case = open_case(cast)
    worker = cast.user(Role.CASE_WORKER)
    package.service_offer_record(actor=worker, case=case, service=StandardService.HOUSING,
                                 status=OfferStatus.ACCEPTED, decided_on=_today())
    client = login(worker)
    form = client.get(_url("case-offer-create", case)).content.decode()
    assert '<option value="Accepted" selected>' in form
    unchanged = client.post(_url("case-offer-create", case), {
        "service_Housing": OfferStatus.ACCEPTED, "decided_on": _today().isoformat(),
    })
    assert unchanged.status_code == 200
    assert "at least one service" in unchanged.content.decode()
    assert ServiceOffer.objects.count() == 1


def test_a_decision_in_the_future_is_refused_on_the_form(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(_url("case-offer-create", case), {
        "service_Housing": OfferStatus.OFFERED,
        "decided_on": (_today() + datetime.timedelta(days=3)).isoformat(),
    })
    assert response.status_code == 200
    assert 'class="field field-invalid"' in response.content.decode()
    assert not ServiceOffer.objects.exists()


def test_a_manager_adds_a_session_to_the_service_log(cast, login):
    case = open_case(cast)
    worker = cast.user(Role.CASE_WORKER)
    client = login(worker)
    response = client.post(_url("case-session-create", case), {
        "kind": SessionKind.LEGAL_CONSULTATION, "held_on": _today().isoformat(),
        "duration_minutes": "45", "provided_by": str(worker.pk), "provider_name": "",
        "notes": "Explained the rights of a victim.",
    })
    assert response.status_code == 302
    session = ServiceSession.objects.get(case=case)
    assert (session.kind, session.provided_by, session.duration_minutes) == (
        SessionKind.LEGAL_CONSULTATION, worker, 45)


def test_a_session_without_a_provider_is_refused_on_the_form(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(_url("case-session-create", case), {
        "kind": SessionKind.VOCATIONAL_TRAINING, "held_on": _today().isoformat(),
    })
    assert response.status_code == 200
    assert "Say who provided it" in response.content.decode()
    assert not ServiceSession.objects.exists()
