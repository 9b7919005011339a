"""The demo shelters and their history (shelters/demo.py), and their place
in ``seed-demo``."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from homeward.accounts.demo import DemoRefused, seed_demo
from homeward.accounts.models import User
from homeward.cases.choices import ConsentPurpose
from homeward.cases.demo import INVENTED, seed_cases_demo
from homeward.cases.models import Case, Consent
from homeward.directory.demo import seed_directory_demo
from homeward.shelters import selectors
from homeward.shelters.choices import ReferralStatus, ShelterKind, WaitingStatus
from homeward.shelters.demo import SHELTERS, seed_shelters_demo
from homeward.shelters.eligibility import Needs, exclusion_reasons
from homeward.shelters.models import (
    ServiceOffer,
    ServiceSession,
    Shelter,
    ShelterReferral,
    ShelterStay,
    StayChild,
    WaitingListEntry,
)

pytestmark = pytest.mark.django_db

MOTHER_WITH_INFANT = Needs(gender="Feminine", age_range=(25, 25), children_months=(6,))


@pytest.fixture
def demo() -> None:
    seed_demo()
    seed_directory_demo()
    seed_cases_demo()


def _shelter(code: str) -> Shelter:
    return Shelter.objects.get(organisation__code=code)


def test_one_shelter_per_safe_house_organisation_and_the_rehabilitation_center(
    demo: None,
) -> None:
    seed_shelters_demo()

    codes = set(Shelter.objects.values_list("organisation__code", flat=True))
    assert codes == {spec.organisation for spec in SHELTERS}
    assert {"SH-KZN", "SH-SPB-W", "SH-SPB-M", "SH-NNV", "IOM-MOW"} <= codes
    assert Shelter.objects.count() == len(SHELTERS)
    for shelter in Shelter.objects.all():
        assert "demo" in shelter.address
        assert shelter.contact.endswith("(demo)")

    kazan = _shelter("SH-KZN")
    assert (kazan.kind, kazan.beds, kazan.cots, kazan.children_min_age_months) == (
        ShelterKind.WOMEN, 12, 2, 12)
    assert kazan.entry is not None
    assert kazan.entry.name_en == "Safe house, Kazan"
    minors = _shelter("SH-SPB-M")
    assert (minors.kind, minors.min_age, minors.max_age) == (ShelterKind.MINORS, 10, 17)
    assert minors.entry is None  # no directory entry for it
    mothers = _shelter("SH-NNV")
    assert (mothers.kind, mothers.children_min_age_months) == (
        ShelterKind.MOTHERS_WITH_CHILDREN, 0)

    center = _shelter("IOM-MOW")
    assert (center.kind, center.min_age, center.children_allowed) == (
        ShelterKind.REHABILITATION_CENTER, 18, True)
    assert center.entry is not None
    assert center.entry.name_en == "IOM Rehabilitation Center"
    free = selectors.occupancy_of([center])[center.pk]
    assert "No infants under 1 year" in exclusion_reasons(center, MOTHER_WITH_INFANT, free)
    assert exclusion_reasons(mothers, MOTHER_WITH_INFANT,
                             selectors.occupancy_of([mothers])[mothers.pk]) == []


def test_a_year_of_invented_stays_through_the_services(demo: None) -> None:
    created = seed_shelters_demo()

    stays = ShelterStay.objects.select_related("case__person", "shelter")
    assert 25 <= created == stays.count() <= 40
    assert stays.filter(discharged_on__isnull=True).count() >= 10
    reasons = Counter(stays.exclude(discharged_on=None).values_list("leave_reason", flat=True))
    assert len(reasons) == 4  # reintegrated, moved, left voluntarily, other
    assert StayChild.objects.filter(in_cot=True).exists()
    assert StayChild.objects.filter(in_cot=False).exists()
    months = {stay.admitted_on.strftime("%Y-%m") for stay in stays}
    assert len(months) >= 10  # spread over the year
    assert ServiceOffer.objects.filter(status="Refused").exists()
    assert ServiceOffer.objects.filter(status="Accepted").count() > 20
    assert ServiceSession.objects.filter(stay__isnull=False).count() >= 10

    for stay in stays:
        case = stay.case
        assert case.organisation.code == "TVAC"
        assert stay.referral is not None
        assert stay.referral.status == ReferralStatus.ADMITTED
        consent = Consent.objects.get(case=case, purpose=ConsentPurpose.DATA_SHARING,
                                      organisation=stay.shelter.organisation)
        assert consent.decided_on <= stay.referral.requested_at.date() <= stay.admitted_on
        if case.person.last_name_latin != "Vydumkina":  # that one is cases.demo's
            assert INVENTED in case.referral_details

    # Occupancy is counted, and never beyond capacity.
    for shelter, used in selectors.occupancy_of(Shelter.objects.all()).items():
        assert used.beds_used <= used.beds, shelter
        assert used.cots_used <= used.cots, shelter
    petrozavodsk = _shelter("SH-PTZ")
    assert selectors.occupancy_of([petrozavodsk])[petrozavodsk.pk].free_beds == 0


def test_kazan_keeps_a_free_bed_and_a_request_waiting_for_the_demo_journey(demo: None) -> None:
    seed_shelters_demo()
    kazan = _shelter("SH-KZN")
    assert selectors.occupancy_of([kazan])[kazan.pk].free_beds >= 1
    pending = ShelterReferral.objects.get(shelter=kazan, status=ReferralStatus.PENDING)
    staff = User.objects.get(username="shelter")
    assert list(selectors.referral_list_for_user(user=staff, status=ReferralStatus.PENDING)) == [
        pending]
    nurse = User.objects.get(username="nurse")
    assert selectors.can_run_shelter(staff, kazan)
    assert selectors.is_medical_at(nurse, kazan.organisation_id)
    # The cases demo's young woman from Istanbul is in the Rehabilitation Center.
    istanbul = next(case for case in Case.objects.select_related("person")
                    if case.person.last_name_latin == "Vydumkina")
    stay = selectors.current_stay(case=istanbul)
    assert stay is not None
    assert stay.shelter.organisation.code == "IOM-MOW"


def test_the_mother_with_an_infant_waits_because_nothing_fits(demo: None) -> None:
    seed_shelters_demo()
    entry = WaitingListEntry.objects.get()
    assert entry.status == WaitingStatus.WAITING
    assert entry.children_months == [6]
    worker = User.objects.get(username="caseworker")
    needs = Needs(gender="Feminine", age_range=(23, 23), children_months=(6,),
                  needs_accessibility=True, avoid_region=entry.avoid_region)
    fits, excluded = selectors.placement_search(user=worker, case=entry.case, needs=needs)
    assert fits == []
    center = next(c for c in excluded if c.shelter.organisation.code == "IOM-MOW")
    assert "No infants under 1 year" in center.reasons


def test_seeding_twice_changes_nothing(demo: None) -> None:
    seed_shelters_demo()
    counts = (Shelter.objects.count(), ShelterStay.objects.count(),
              ShelterReferral.objects.count(), Case.objects.count(), User.objects.count())
    assert seed_shelters_demo() == 0
    assert counts == (Shelter.objects.count(), ShelterStay.objects.count(),
                      ShelterReferral.objects.count(), Case.objects.count(),
                      User.objects.count())


def test_seeds_nothing_without_the_demo_organisations() -> None:
    assert seed_shelters_demo() == 0
    assert not Shelter.objects.exists()


def test_refuses_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused):
        seed_shelters_demo()


def test_seed_demo_command_reports_the_shelters() -> None:
    out = StringIO()
    call_command("seed-demo", stdout=out)
    residents = ShelterStay.objects.filter(discharged_on__isnull=True).count()
    assert f"Shelters: {len(SHELTERS)} ({residents} residents now)." in out.getvalue()
    assert "nurse" in out.getvalue()
