"""Admission and discharge; occupancy counted from the stays
(services/stays.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services as case_services
from homeward.cases.choices import ConsentPurpose, Gender
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case
from homeward.shelters.choices import LeaveReason, ReferralStatus, WaitingStatus
from homeward.shelters.errors import NoCapacity, NotEligible, TransitionRefused
from homeward.shelters.models import Shelter, ShelterReferral, ShelterStay, StayChild
from homeward.shelters.selectors import Occupancy, occupancy_of
from homeward.shelters.services.referrals import referral_accept, referral_send
from homeward.shelters.services.stays import ChildIn, stay_admit, stay_discharge
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
    return make_shelter(kzn.organisation, beds=3, cots=1)


def _referred(cast: Any, kzn: ShelterOrganisation, shelter: Shelter, **overrides: Any) -> Case:
    """A HOME case referred (with consent) to the KZN shelter."""
    case = open_case(cast, **overrides)
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    referral_send(actor=cast.user(Role.CASE_WORKER), case=case, shelter=shelter,
                  needed_from=TODAY())
    return case


def _admit(kzn: ShelterOrganisation, shelter: Shelter, case: Case, **kwargs: Any) -> ShelterStay:
    return stay_admit(actor=kwargs.pop("actor", kzn.user(Role.SHELTER_STAFF)), shelter=shelter,
                      case=case, admitted_on=kwargs.pop("admitted_on", TODAY()), **kwargs)


def _counts() -> tuple[int, int, int]:
    return ShelterStay.objects.count(), StayChild.objects.count(), AuditEntry.objects.count()


def _occupancy(shelter: Shelter) -> Occupancy:
    return occupancy_of([shelter])[shelter.pk]


# --- admission ---------------------------------------------------------------


def test_admitting_a_referred_woman_marks_the_referral_admitted_and_the_waiting_entry_placed(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    case = open_case(cast)
    entry = waiting_add(actor=cast.user(Role.CASE_WORKER), case=case)
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    referral = referral_send(actor=cast.user(Role.CASE_WORKER), case=case, shelter=shelter,
                             needed_from=TODAY())
    referral_accept(actor=kzn.user(Role.SHELTER_STAFF), referral=referral)

    stay = _admit(kzn, shelter, case, children=[ChildIn(age_months=18, gender=Gender.MASCULINE)])

    assert (stay.case, stay.shelter, stay.referral, stay.admitted_on) == (
        case, shelter, referral, TODAY())
    assert [(c.age_months, c.in_cot) for c in stay.children.all()] == [(18, True)]
    referral.refresh_from_db()
    entry.refresh_from_db()
    assert referral.status == ReferralStatus.ADMITTED
    assert (entry.status, entry.closed_on) == (WaitingStatus.PLACED, TODAY())
    assert _occupancy(shelter) == Occupancy(beds=3, cots=1, beds_used=1, cots_used=1)
    audit = AuditEntry.objects.get(target_type="shelters.ShelterStay", target_id=str(stay.pk))
    assert (audit.action, audit.organisation_id, audit.actor_id) == (
        Action.CREATE, cast.home.pk, kzn.user(Role.SHELTER_STAFF).pk)


def test_a_pending_referral_is_answered_by_the_admission(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    case = _referred(cast, kzn, shelter)

    stay = _admit(kzn, shelter, case, actor=kzn.user(Role.COORDINATOR))

    referral = ShelterReferral.objects.get(stay=stay)
    assert referral.status == ReferralStatus.ADMITTED
    assert referral.decided_by == kzn.user(Role.COORDINATOR)


def test_children_sleep_in_cots_when_small_and_in_beds_when_older_or_told(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    case = _referred(cast, kzn, shelter)

    _admit(kzn, shelter, case, children=[ChildIn(12), ChildIn(60), ChildIn(20, in_cot=False)])

    assert _occupancy(shelter) == Occupancy(beds=3, cots=1, beds_used=3, cots_used=1)


@pytest.mark.parametrize("who", ["case_worker@home", "coordinator@home", "medical@kzn",
                                 "org_admin@kzn", "shelter_staff@away"])
def test_only_the_shelters_runners_admit(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter, who: str
) -> None:
    case = _referred(cast, kzn, shelter)
    role, org = who.split("@")
    before = _counts()

    with pytest.raises(PermissionDenied):
        _admit(kzn, shelter, case, actor=kzn.user(role) if org == "kzn" else cast.user(role, org))

    assert _counts() == before


def test_a_case_of_another_organisation_is_admitted_only_when_referred(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    case = open_case(cast)
    before = _counts()

    with pytest.raises(PermissionDenied):
        _admit(kzn, shelter, case)

    assert _counts() == before


def test_the_organisations_own_case_is_admitted_by_whoever_sees_it(cast: Any) -> None:
    shelter = make_shelter(cast.home)
    case = open_case(cast)

    with pytest.raises(PermissionDenied):  # shelter staff not on the case's team
        stay_admit(actor=cast.user(Role.SHELTER_STAFF), shelter=shelter, case=case,
                   admitted_on=TODAY())
    stay = stay_admit(actor=cast.user(Role.COORDINATOR), shelter=shelter, case=case,
                      admitted_on=TODAY())

    assert stay.referral is None


def test_refuses_when_the_last_bed_is_taken_and_changes_nothing(
    cast: Any, kzn: ShelterOrganisation
) -> None:
    shelter = make_shelter(kzn.organisation, beds=1, cots=0)
    first, second = _referred(cast, kzn, shelter), _referred(cast, kzn, shelter)
    _admit(kzn, shelter, first)
    before = _counts()

    with pytest.raises(NoCapacity) as excinfo:
        _admit(kzn, shelter, second)

    assert "No free bed" in excinfo.value.messages[0]
    assert _counts() == before
    assert ShelterReferral.objects.get(case=second).status == ReferralStatus.PENDING


def test_refuses_a_baby_when_no_cot_is_free(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    _admit(kzn, shelter, _referred(cast, kzn, shelter), children=[ChildIn(14)])
    case = _referred(cast, kzn, shelter)
    before = _counts()

    with pytest.raises(NoCapacity, match="No free cot"):
        _admit(kzn, shelter, case, children=[ChildIn(13)])

    assert _counts() == before
    assert _admit(kzn, shelter, case, children=[ChildIn(13, in_cot=False)]).children.count() == 1


def test_refuses_a_person_the_shelters_rules_exclude(cast: Any) -> None:
    shelter = make_shelter(cast.home, min_age=18)
    case = open_minor_case(cast)
    before = _counts()

    with pytest.raises(NotEligible, match=r"Adults only \(18\+\)"):
        stay_admit(actor=cast.user(Role.COORDINATOR), shelter=shelter, case=case,
                   admitted_on=TODAY())

    assert _counts() == before


def test_refuses_an_infant_the_shelter_does_not_take(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    case = _referred(cast, kzn, shelter)

    with pytest.raises(NotEligible, match="No infants under 1 year"):
        _admit(kzn, shelter, case, children=[ChildIn(6)])


def test_refuses_a_date_in_the_future_a_closed_case_and_a_second_open_stay(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    case = _referred(cast, kzn, shelter)
    with pytest.raises(ValidationError):
        _admit(kzn, shelter, case, admitted_on=TODAY() + datetime.timedelta(days=1))

    other = make_shelter(kzn.organisation)
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    referral_send(actor=cast.user(Role.CASE_WORKER), case=case, shelter=other,
                  needed_from=TODAY())
    _admit(kzn, shelter, case)
    with pytest.raises(TransitionRefused, match="already stays"):
        _admit(kzn, other, case)

    closed = _referred(cast, kzn, shelter)
    case_services.case_close(actor=cast.user(Role.CASE_WORKER), case=closed, closed_on=TODAY(),
                             reason="Went home")
    with pytest.raises(TransitionRefused, match="closed"):
        _admit(kzn, shelter, closed)


def test_refuses_a_referral_of_another_person(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    case = _referred(cast, kzn, shelter)
    other = _referred(cast, kzn, shelter)

    with pytest.raises(ValidationError):
        _admit(kzn, shelter, case, referral=ShelterReferral.objects.get(case=other))


# --- discharge ---------------------------------------------------------------


@pytest.fixture
def stay(cast: Any, kzn: ShelterOrganisation, shelter: Shelter) -> ShelterStay:
    case = _referred(cast, kzn, shelter)
    return _admit(kzn, shelter, case, admitted_on=TODAY() - datetime.timedelta(days=20),
                  children=[ChildIn(40)])


def test_discharge_frees_the_beds(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter, stay: ShelterStay
) -> None:
    assert _occupancy(shelter).beds_used == 2

    left = stay_discharge(actor=kzn.user(Role.SHELTER_STAFF), stay=stay, discharged_on=TODAY(),
                          reason=LeaveReason.REINTEGRATED, note="Back with her family")

    assert (left.discharged_on, left.leave_reason, left.discharged_by) == (
        TODAY(), LeaveReason.REINTEGRATED, kzn.user(Role.SHELTER_STAFF))
    assert _occupancy(shelter) == Occupancy(beds=3, cots=1)
    audit = AuditEntry.objects.filter(target_type="shelters.ShelterStay",
                                      target_id=str(stay.pk)).latest("id")
    assert audit.action == Action.UPDATE
    assert "family" not in str(audit.detail)
    # The same person may come back later.
    give_consent(stay.case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    referral_send(actor=cast.user(Role.CASE_WORKER), case=stay.case, shelter=shelter,
                  needed_from=TODAY())
    assert _admit(kzn, shelter, stay.case).is_current


def test_the_case_manager_may_record_the_discharge(cast: Any, stay: ShelterStay) -> None:
    left = stay_discharge(actor=cast.user(Role.CASE_WORKER), stay=stay, discharged_on=TODAY(),
                          reason=LeaveReason.LEFT_VOLUNTARILY)

    assert not left.is_current


@pytest.mark.parametrize("who", ["medical@kzn", "shelter_staff@home", "case_worker@away"])
def test_others_may_not_discharge(
    cast: Any, kzn: ShelterOrganisation, stay: ShelterStay, who: str
) -> None:
    role, org = who.split("@")

    with pytest.raises(PermissionDenied):
        stay_discharge(actor=kzn.user(role) if org == "kzn" else cast.user(role, org),
                       stay=stay, discharged_on=TODAY(), reason=LeaveReason.MOVED)

    stay.refresh_from_db()
    assert stay.is_current


def test_discharge_date_lies_between_admission_and_today_and_needs_a_reason(
    kzn: ShelterOrganisation, stay: ShelterStay
) -> None:
    staff = kzn.user(Role.SHELTER_STAFF)
    before = _counts()
    for day, reason in [
        (stay.admitted_on - datetime.timedelta(days=1), LeaveReason.MOVED),
        (TODAY() + datetime.timedelta(days=1), LeaveReason.MOVED),
        (TODAY(), ""),
    ]:
        with pytest.raises(ValidationError):
            stay_discharge(actor=staff, stay=stay, discharged_on=day, reason=reason)

    assert _counts() == before
    stay_discharge(actor=staff, stay=stay, discharged_on=stay.admitted_on, reason=LeaveReason.OTHER)
    with pytest.raises(TransitionRefused):
        stay_discharge(actor=staff, stay=stay, discharged_on=TODAY(), reason=LeaveReason.OTHER)


def test_refuses_a_child_gender_outside_the_list(
    cast: Any, kzn: ShelterOrganisation, shelter: Shelter
) -> None:
    case = _referred(cast, kzn, shelter)
    before = _counts()

    with pytest.raises(ValidationError):
        _admit(kzn, shelter, case, children=[ChildIn(40, gender="Robot")])

    assert _counts() == before
