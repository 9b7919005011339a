"""The shelter's referral inbox: accept, decline with a reason, admit.

The inbox is for those who run a shelter and lists no names; answering is
for the shelter's runners (the case's side sees the referral but gets 403);
outsiders get 404; an admission that does not fit is refused with nothing
changed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.shelters.choices import ReferralStatus
from homeward.shelters.models import ShelterReferral, ShelterStay
from homeward.shelters.tests.views_helpers import kazan, referral_to, referred_case, stay_in

pytestmark = pytest.mark.django_db


def _url(name, referral):
    return reverse(f"shelters:{name}", kwargs={"pk": referral.pk})


def _status(referral):
    return ShelterReferral.objects.get(pk=referral.pk).status


@pytest.fixture
def place():
    return kazan()


# Who may


def test_anonymous_is_sent_to_sign_in(cast, client, place):
    referral = referral_to(cast, place)
    for url in (reverse("shelters:referral-list"), _url("referral-detail", referral),
                _url("referral-admit", referral)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_404(cast, login, place):
    referral = referral_to(cast, place)
    client = login(cast.user(Role.SHELTER_STAFF, "away"))
    assert client.get(_url("referral-detail", referral)).status_code == 404
    assert client.post(_url("referral-accept", referral)).status_code == 404
    assert client.get(_url("referral-admit", referral)).status_code == 404
    assert _status(referral) == ReferralStatus.PENDING


def test_shelter_staff_of_another_organisation_see_nothing_in_their_inbox(cast, login, place):
    referral = referral_to(cast, place)
    page = login(cast.user(Role.SHELTER_STAFF, "away")).get(reverse("shelters:referral-list"))
    assert page.status_code == 200
    assert referral.case.code not in page.content.decode()


def test_case_worker_sees_the_referral_but_may_not_answer_it(cast, login, place):
    referral = referral_to(cast, place)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.get(_url("referral-detail", referral)).status_code == 200
    assert client.post(_url("referral-accept", referral)).status_code == 403
    assert client.post(_url("referral-decline", referral), {"reason": "x"}).status_code == 403
    assert client.get(reverse("shelters:referral-list")).status_code == 403
    assert _status(referral) == ReferralStatus.PENDING


def test_medical_staff_of_the_shelter_may_not_answer(cast, login, place):
    referral = referral_to(cast, place)
    client = login(place.user(Role.MEDICAL))
    assert client.get(_url("referral-detail", referral)).status_code == 200
    assert client.post(_url("referral-accept", referral)).status_code == 403
    assert client.get(reverse("shelters:referral-list")).status_code == 403


def test_referral_pages_answer_405_to_other_methods(cast, login, place):
    referral = referral_to(cast, place)
    client = login(place.user(Role.SHELTER_STAFF))
    assert client.get(_url("referral-accept", referral)).status_code == 405
    assert client.post(_url("referral-detail", referral)).status_code == 405
    assert client.put(_url("referral-admit", referral)).status_code == 405
    assert client.post(reverse("shelters:referral-list")).status_code == 405


# The inbox


def test_inbox_lists_the_case_code_age_band_and_children_never_the_name(cast, login, place):
    case = referred_case(cast, place, birth_year=1995)
    referral_to(cast, place, case, children_months=(48,))
    page = login(place.user(Role.SHELTER_STAFF)).get(reverse("shelters:referral-list"))
    text = page.content.decode()
    assert case.code in text
    assert "25–34" in text
    assert case.person.last_name not in text
    assert case.person.last_name_latin not in text


def test_inbox_reads_the_same_number_of_queries_for_one_referral_or_five(cast, login, place):
    referral_to(cast, place)
    client = login(place.user(Role.SHELTER_STAFF))
    client.get(reverse("shelters:referral-list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("shelters:referral-list"))
    for _ in range(4):
        referral_to(cast, place)
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("shelters:referral-list"))
    assert len(five) == len(one)


def test_inbox_tabs_separate_requests_to_answer_from_accepted_ones(cast, login, place):
    pending = referral_to(cast, place)
    accepted = referral_to(cast, place, accepted=True)
    client = login(place.user(Role.SHELTER_STAFF))
    to_answer = client.get(reverse("shelters:referral-list")).content.decode()
    to_admit = client.get(reverse("shelters:referral-list") + "?tab=accepted").content.decode()
    assert pending.case.code in to_answer
    assert accepted.case.code not in to_answer
    assert accepted.case.code in to_admit
    assert pending.case.code not in to_admit


# Answering


def test_detail_shows_no_name_and_is_audited(cast, login, place):
    referral = referral_to(cast, place)
    page = login(place.user(Role.SHELTER_STAFF)).get(_url("referral-detail", referral))
    text = page.content.decode()
    assert referral.case.code in text
    assert "Arrives by train from Moscow." in text
    assert referral.case.person.last_name not in text
    assert AuditEntry.objects.filter(action=Action.VIEW, target_id=str(referral.case.pk),
                                     detail__tab=f"shelter-referral:{referral.pk}").exists()


def test_accepting_shows_the_admission_form(cast, login, place):
    referral = referral_to(cast, place)
    client = login(place.user(Role.SHELTER_STAFF))
    response = client.post(_url("referral-accept", referral), follow=True)
    assert _status(referral) == ReferralStatus.ACCEPTED
    text = response.content.decode()
    assert _url("referral-admit", referral) in text
    assert ">Admit</button>" in text


def test_accepting_twice_shows_the_refusal(cast, login, place):
    referral = referral_to(cast, place, accepted=True)
    response = login(place.user(Role.SHELTER_STAFF)).post(
        _url("referral-accept", referral), follow=True)
    assert "already answered" in response.content.decode()
    assert _status(referral) == ReferralStatus.ACCEPTED


def test_declining_needs_a_reason(cast, login, place):
    referral = referral_to(cast, place)
    client = login(place.user(Role.SHELTER_STAFF))
    response = client.post(_url("referral-decline", referral), {"reason": ""})
    assert response.status_code == 200
    assert _status(referral) == ReferralStatus.PENDING
    response = client.post(_url("referral-decline", referral), {"reason": "No room for a boy."})
    assert response.status_code == 302
    stored = ShelterReferral.objects.get(pk=referral.pk)
    assert stored.status == ReferralStatus.DECLINED
    assert stored.decline_reason == "No room for a boy."


def test_admitting_opens_the_stay_and_lands_on_the_resident_page(cast, login, place):
    referral = referral_to(cast, place, accepted=True)
    response = login(place.user(Role.SHELTER_STAFF)).post(
        _url("referral-admit", referral),
        {"admitted_on": timezone.localdate().isoformat(), "children": ""},
    )
    stay = ShelterStay.objects.get(case=referral.case)
    assert response.status_code == 302
    assert response["Location"] == reverse("shelters:stay-detail", kwargs={"pk": stay.pk})
    assert stay.shelter == place.shelter
    assert stay.discharged_on is None
    assert _status(referral) == ReferralStatus.ADMITTED


def test_admitting_with_children_gives_the_infant_a_cot(cast, login, place):
    referral = referral_to(cast, place, accepted=True, children_months=(14, 48))
    page = login(place.user(Role.SHELTER_STAFF)).get(_url("referral-admit", referral))
    assert 'value="14 months, 4 years"' in page.content.decode()
    login(place.user(Role.SHELTER_STAFF)).post(
        _url("referral-admit", referral),
        {"admitted_on": timezone.localdate().isoformat(), "children": "14 months, 4 years"},
    )
    stay = ShelterStay.objects.get(case=referral.case)
    assert sorted((c.age_months, c.in_cot) for c in stay.children.all()) == [
        (14, True), (48, False)]


def test_admission_refused_when_the_shelter_is_full_changes_nothing(cast, login, place):
    place.shelter.beds = 1
    place.shelter.save()
    referral = referral_to(cast, place, accepted=True)
    stay_in(cast, place)  # someone else takes the last bed first
    response = login(place.user(Role.SHELTER_STAFF)).post(
        _url("referral-admit", referral),
        {"admitted_on": timezone.localdate().isoformat(), "children": ""},
    )
    assert response.status_code == 200
    assert "Not enough room" in response.content.decode()
    assert not ShelterStay.objects.filter(case=referral.case).exists()
    assert _status(referral) == ReferralStatus.ACCEPTED


def test_children_ages_are_typed_as_on_the_placement_search(cast, login, place):
    referral = referral_to(cast, place, accepted=True)
    response = login(place.user(Role.SHELTER_STAFF)).post(
        _url("referral-admit", referral),
        {"admitted_on": timezone.localdate().isoformat(), "children": "6 months, a baby"},
    )
    assert response.status_code == 200
    assert "is not an age" in response.content.decode()
    assert not ShelterStay.objects.exists()
