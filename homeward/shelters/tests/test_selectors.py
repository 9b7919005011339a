"""The shelters' access gate and reads (selectors.py): shelter staff see the
people referred to or staying in their shelters only, the case's
organisation sees its case's stays and waiting list, outsiders see nothing,
and medical screenings show to medical staff alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import UserFactory
from homeward.cases import services as case_services
from homeward.cases.choices import ConsentPurpose, TeamRole
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core import access
from homeward.shelters import selectors
from homeward.shelters.models import (
    Diagnosis,
    MedicalScreening,
    ServiceOffer,
    Shelter,
    ShelterReferral,
    ShelterStay,
    StayChild,
    WaitingListEntry,
)
from homeward.shelters.services.referrals import referral_send
from homeward.shelters.services.stays import ChildIn, stay_admit
from homeward.shelters.services.waiting import waiting_add
from homeward.shelters.tests.factories import (
    ShelterOrganisation,
    make_shelter,
    shelter_organisation,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def kzn(cast: Any) -> ShelterOrganisation:
    return shelter_organisation("KZN")


@pytest.fixture
def shelter(kzn: ShelterOrganisation) -> Shelter:
    return make_shelter(kzn.organisation)


def _refer(cast: Any, kzn: ShelterOrganisation, shelter: Shelter) -> ShelterReferral:
    case = open_case(cast)
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    return referral_send(actor=cast.user(Role.CASE_WORKER), case=case, shelter=shelter,
                         needed_from=TODAY())


@pytest.fixture
def world(cast: Any, kzn: ShelterOrganisation, shelter: Shelter) -> dict[str, Any]:
    """Three HOME cases: one referred to the KZN shelter, one staying there
    (with a child), one the shelter never heard of (waiting)."""
    referred = _refer(cast, kzn, shelter)
    resident_referral = _refer(cast, kzn, shelter)
    stay = stay_admit(actor=kzn.user(Role.SHELTER_STAFF), shelter=shelter,
                      case=resident_referral.case, admitted_on=TODAY(), children=[ChildIn(20)])
    unrelated = open_case(cast)
    waiting = waiting_add(actor=cast.user(Role.CASE_WORKER), case=unrelated)
    return {"referred": referred, "stay": stay, "unrelated": unrelated, "waiting": waiting}


def _visible(user: Any, model: Any) -> set[int]:
    return set(access.for_user(user, model).values_list("pk", flat=True))


# --- the shelter side --------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SHELTER_STAFF, Role.COORDINATOR, Role.MEDICAL])
def test_shelter_side_sees_referred_and_resident_people_only(
    kzn: ShelterOrganisation, world: dict[str, Any], role: str
) -> None:
    user = kzn.user(role)
    stay = world["stay"]

    assert {r.pk for r in selectors.referral_list_for_user(user=user)} == {
        world["referred"].pk, stay.referral_id}
    assert _visible(user, ShelterStay) == {stay.pk}
    assert _visible(user, StayChild) == set(stay.children.values_list("pk", flat=True))
    assert _visible(user, WaitingListEntry) == set()
    assert _visible(user, Case) == set()  # the case itself stays with its organisation
    assert list(selectors.referrals_of_case(user=user, case=world["unrelated"])) == []


def test_shelter_staff_see_current_residents_of_their_shelter(
    kzn: ShelterOrganisation, shelter: Shelter, world: dict[str, Any]
) -> None:
    staff = kzn.user(Role.SHELTER_STAFF)

    assert list(selectors.residents_of(user=staff, shelter=shelter)) == [world["stay"]]
    assert selectors.stay_get_for_user(user=staff, pk=world["stay"].pk) == world["stay"]
    assert list(selectors.shelters_run_by(user=staff)) == [shelter]


def test_another_shelter_organisation_sees_none_of_it(
    cast: Any, shelter: Shelter, world: dict[str, Any]
) -> None:
    other = shelter_organisation("SPB")
    staff = other.user(Role.SHELTER_STAFF)

    assert list(selectors.referral_list_for_user(user=staff)) == []
    assert list(selectors.residents_of(user=staff, shelter=shelter)) == []
    assert list(selectors.shelters_run_by(user=staff)) == []
    with pytest.raises(Http404):
        selectors.stay_get_for_user(user=staff, pk=world["stay"].pk)
    with pytest.raises(Http404):
        selectors.referral_get_for_user(user=staff, pk=world["referred"].pk)


def test_a_referral_withdrawn_before_any_answer_disappears_from_the_shelter_side(
    cast: Any, kzn: ShelterOrganisation, world: dict[str, Any]
) -> None:
    ShelterReferral.objects.filter(pk=world["referred"].pk).update(status="Withdrawn")

    assert world["referred"].pk not in _visible(kzn.user(Role.SHELTER_STAFF), ShelterReferral)
    assert world["referred"].pk in _visible(cast.user(Role.CASE_WORKER), ShelterReferral)


# --- the case side -----------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.COORDINATOR])
def test_case_managers_see_their_cases_referrals_stays_and_waiting_list(
    cast: Any, world: dict[str, Any], role: str
) -> None:
    user = cast.user(role)
    stay = world["stay"]

    assert list(selectors.stays_of_case(user=user, case=stay.case)) == [stay]
    assert selectors.current_stay(case=stay.case) == stay
    assert list(selectors.referrals_of_case(user=user, case=world["referred"].case)) == [
        world["referred"]]
    assert list(selectors.waiting_list_for_user(user=user)) == [world["waiting"]]
    assert selectors.waiting_of_case(user=user, case=world["unrelated"]) == world["waiting"]
    assert selectors.waiting_of_case(user=user, case=stay.case) is None


@pytest.mark.parametrize("who", ["case_worker@away", "coordinator@away", "shelter_staff@away",
                                 "medical@away", "shelter_staff@home", "researcher@home"])
def test_outsiders_and_unassigned_staff_see_nothing_of_the_cases(
    cast: Any, world: dict[str, Any], who: str
) -> None:
    role, org = who.split("@")
    user = cast.user(role, org)

    for model in (ShelterReferral, ShelterStay, StayChild, WaitingListEntry):
        assert _visible(user, model) == set(), model
    assert list(selectors.waiting_list_for_user(user=user)) == []
    with pytest.raises(Http404):
        selectors.stay_get_for_user(user=user, pk=world["stay"].pk)


def test_shelters_are_seen_by_every_member_and_nobody_else(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    closed = make_shelter(cast.away, is_open=False, region="Moscow", kind="Minors")

    assert selectors.shelter_get_for_user(user=cast.user(Role.RESEARCHER, "away"),
                                          pk=shelter.pk) == shelter
    assert list(selectors.shelter_list_for_user(user=cast.user(Role.CASE_WORKER))) == [
        closed, shelter]
    assert list(selectors.shelter_list_for_user(user=cast.user(Role.CASE_WORKER),
                                                open_only=True)) == [shelter]
    assert list(selectors.shelter_list_for_user(user=cast.user(Role.CASE_WORKER),
                                                region="moscow", kind="Minors")) == [closed]
    with pytest.raises(Http404):
        selectors.shelter_get_for_user(user=UserFactory(), pk=shelter.pk)


# --- medical screenings ------------------------------------------------------


def test_medical_screenings_show_to_medical_staff_only(
    cast: Any, kzn: ShelterOrganisation, world: dict[str, Any]
) -> None:
    case = world["stay"].case
    screening = MedicalScreening.objects.create(
        case=case, stay=world["stay"], organisation=kzn.organisation,
        recorded_by=kzn.user(Role.MEDICAL), examined_on=TODAY(),
    )
    diagnosis = Diagnosis.objects.create(screening=screening, group="Eye")
    ServiceOffer.objects.create(case=case, organisation=kzn.organisation, service="Housing",
                                status="Accepted", decided_on=TODAY())

    assert _visible(kzn.user(Role.MEDICAL), MedicalScreening) == {screening.pk}
    assert _visible(kzn.user(Role.MEDICAL), Diagnosis) == {diagnosis.pk}
    for user in (kzn.user(Role.SHELTER_STAFF), kzn.user(Role.COORDINATOR),
                 kzn.user(Role.ORG_ADMIN), cast.user(Role.CASE_WORKER),
                 cast.user(Role.COORDINATOR), cast.user(Role.MEDICAL),
                 cast.user(Role.MEDICAL, "away"), cast.site_admin):
        assert _visible(user, MedicalScreening) == set(), user
        assert _visible(user, Diagnosis) == set(), user
    # The shelter staff see the package, not the medicine.
    assert _visible(kzn.user(Role.SHELTER_STAFF), ServiceOffer) != set()


def test_medical_staff_of_the_case_team_see_its_screenings(
    cast: Any, world: dict[str, Any]
) -> None:
    case = world["unrelated"]
    screening = MedicalScreening.objects.create(case=case, organisation=cast.home,
                                                examined_on=TODAY())
    medical = cast.user(Role.MEDICAL)
    assert _visible(medical, MedicalScreening) == set()

    case_services.case_assign(actor=cast.user(Role.COORDINATOR), case=case, user=medical,
                              role=TeamRole.MEDICAL)

    assert _visible(medical, MedicalScreening) == {screening.pk}
    assert selectors.medical_case_ids(medical).filter(pk=case.pk).exists()


# --- occupancy ---------------------------------------------------------------


def test_occupancy_counts_open_stays_and_children_in_one_or_two_queries(
    cast: Any, shelter: Shelter, world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    empty = make_shelter(cast.home, beds=5, cots=0)
    left = ShelterStay.objects.create(case=open_case(cast), shelter=shelter,
                                      admitted_on=TODAY(), discharged_on=TODAY())
    StayChild.objects.create(stay=left, age_months=5, in_cot=True)
    StayChild.objects.create(stay=world["stay"], age_months=50, in_cot=False)

    with django_assert_max_num_queries(2):
        occupancy = selectors.occupancy_of([shelter, empty])

    assert occupancy[shelter.pk] == selectors.Occupancy(beds=10, cots=2, beds_used=2,
                                                        cots_used=1)
    assert occupancy[empty.pk] == selectors.Occupancy(beds=5, cots=0)
    assert (occupancy[shelter.pk].free_beds, occupancy[shelter.pk].free_cots) == (8, 1)


def test_a_request_to_the_shelter_does_not_show_the_medicine_to_its_medical_staff(
    cast: Any, kzn: ShelterOrganisation, world: dict[str, Any]
) -> None:
    case = world["referred"].case  # referred to the KZN shelter, never admitted
    screening = MedicalScreening.objects.create(case=case, organisation=cast.home,
                                                examined_on=TODAY())
    medical = kzn.user(Role.MEDICAL)

    assert screening.pk not in _visible(medical, MedicalScreening)
    assert not selectors.medical_case_ids(medical).filter(pk=case.pk).exists()
    assert selectors.medical_case_ids(medical).filter(pk=world["stay"].case_id).exists()
