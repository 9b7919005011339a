"""Asking a shelter to take a person, and the shelter's answer
(services/referrals.py)."""

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
from homeward.cases.choices import ConsentDecision, ConsentPurpose
from homeward.cases.errors import ConsentRequired
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case
from homeward.shelters.choices import ReferralStatus
from homeward.shelters.errors import NotEligible, TransitionRefused
from homeward.shelters.models import ShelterReferral, ShelterStay
from homeward.shelters.selectors import referral_list_for_user
from homeward.shelters.services.referrals import (
    referral_accept,
    referral_decline,
    referral_send,
    referral_withdraw,
)
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


def _consented_case(cast: Any, kzn: ShelterOrganisation, **overrides: Any) -> Case:
    case = open_case(cast, **overrides)
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation)
    return case


def _send(cast: Any, case: Case, shelter: Any, **kwargs: Any) -> ShelterReferral:
    return referral_send(actor=kwargs.pop("actor", cast.user(Role.CASE_WORKER)), case=case,
                         shelter=shelter, needed_from=TODAY(), **kwargs)


def _counts() -> tuple[int, int]:
    return ShelterReferral.objects.count(), AuditEntry.objects.count()


# --- sending -----------------------------------------------------------------


def test_sends_a_referral_to_another_organisations_shelter_with_consent(
    cast: Any, kzn: ShelterOrganisation
) -> None:
    shelter = make_shelter(kzn.organisation)
    case = _consented_case(cast, kzn)

    referral = _send(cast, case, shelter, children_months=[18], note="Arrives by train")

    assert referral.status == ReferralStatus.PENDING
    assert (referral.children_months, referral.note) == ([18], "Arrives by train")
    assert referral.requested_by == cast.user(Role.CASE_WORKER)
    entry = AuditEntry.objects.filter(target_type="shelters.ShelterReferral",
                                      target_id=str(referral.pk)).get()
    assert entry.action == Action.CREATE
    assert entry.organisation_id == cast.home.pk
    assert "Arrives" not in str(entry.detail)


def test_refuses_another_organisations_shelter_without_data_sharing_consent(
    cast: Any, kzn: ShelterOrganisation
) -> None:
    shelter = make_shelter(kzn.organisation)
    case = open_case(cast)
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=cast.away)  # consent for somebody else does not count
    before = _counts()

    with pytest.raises(ConsentRequired) as excinfo:
        _send(cast, case, shelter)

    assert "consented" in excinfo.value.messages[0]
    assert _counts() == before


def test_refuses_when_the_person_refused_data_sharing(cast: Any, kzn: ShelterOrganisation) -> None:
    shelter = make_shelter(kzn.organisation)
    case = _consented_case(cast, kzn)
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=kzn.organisation, decision=ConsentDecision.REFUSED,
                 decided_on=TODAY())

    with pytest.raises(ConsentRequired):
        _send(cast, case, shelter)


def test_own_organisations_shelter_needs_no_data_sharing_consent(cast: Any) -> None:
    shelter = make_shelter(cast.home)

    referral = _send(cast, open_case(cast), shelter)

    assert referral.status == ReferralStatus.PENDING


@pytest.mark.parametrize(("org", "role"), [
    ("home", Role.SHELTER_STAFF), ("home", Role.MEDICAL), ("home", Role.RESEARCHER),
    ("away", Role.CASE_WORKER), ("away", Role.COORDINATOR),
])
def test_only_case_managers_of_the_case_send(cast: Any, org: str, role: str) -> None:
    shelter = make_shelter(cast.home)
    case = open_case(cast)
    before = _counts()

    with pytest.raises(PermissionDenied):
        _send(cast, case, shelter, actor=cast.user(role, org))

    assert _counts() == before


def test_refuses_a_shelter_whose_rules_exclude_the_person_and_lists_the_reasons(
    cast: Any,
) -> None:
    shelter = make_shelter(cast.home, min_age=18, children_min_age_months=12)
    case = open_minor_case(cast)
    before = _counts()

    with pytest.raises(NotEligible) as excinfo:
        _send(cast, case, shelter, children_months=[6])

    assert "Adults only (18+)" in excinfo.value.messages[0]
    assert "No infants under 1 year" in excinfo.value.messages[0]
    assert _counts() == before


def test_refuses_a_full_or_closed_shelter(cast: Any) -> None:
    full = make_shelter(cast.home, beds=1)
    ShelterStay.objects.create(case=open_case(cast), shelter=full, admitted_on=TODAY())
    closed = make_shelter(cast.home, is_open=False)
    case = open_case(cast)

    with pytest.raises(NotEligible, match="No free bed"):
        _send(cast, case, full)
    with pytest.raises(NotEligible, match="Closed"):
        _send(cast, case, closed)


def test_refuses_a_second_open_referral_to_the_same_shelter(cast: Any) -> None:
    shelter = make_shelter(cast.home)
    case = open_case(cast)
    first = _send(cast, case, shelter)
    before = _counts()

    with pytest.raises(TransitionRefused):
        _send(cast, case, shelter)

    assert _counts() == before
    referral_withdraw(actor=cast.user(Role.CASE_WORKER), referral=first)
    assert _send(cast, case, shelter).status == ReferralStatus.PENDING


def test_refuses_a_closed_case(cast: Any) -> None:
    shelter = make_shelter(cast.home)
    case = open_case(cast)
    case_services.case_close(actor=cast.user(Role.CASE_WORKER), case=case, closed_on=TODAY(),
                             reason="Returned home")

    with pytest.raises(TransitionRefused):
        _send(cast, case, shelter)


def test_refuses_impossible_child_ages(cast: Any) -> None:
    with pytest.raises(ValidationError):
        _send(cast, open_case(cast), make_shelter(cast.home), children_months=[-1])


# --- answering ---------------------------------------------------------------


@pytest.fixture
def pending(cast: Any, kzn: ShelterOrganisation) -> ShelterReferral:
    return _send(cast, _consented_case(cast, kzn), make_shelter(kzn.organisation))


@pytest.mark.parametrize("role", [Role.SHELTER_STAFF, Role.COORDINATOR])
def test_the_shelters_runners_accept(
    kzn: ShelterOrganisation, pending: ShelterReferral, role: str
) -> None:
    referral = referral_accept(actor=kzn.user(role), referral=pending)

    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.decided_by == kzn.user(role)
    assert referral.decided_at is not None
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, target_type="shelters.ShelterReferral",
        target_id=str(pending.pk), detail__status=ReferralStatus.ACCEPTED,
    ).exists()


@pytest.mark.parametrize("who", ["case_worker@home", "medical@kzn", "org_admin@kzn",
                                 "shelter_staff@away", "shelter_staff@home"])
def test_only_the_shelters_runners_answer(
    cast: Any, kzn: ShelterOrganisation, pending: ShelterReferral, who: str
) -> None:
    role, org = who.split("@")
    user = kzn.user(role) if org == "kzn" else cast.user(role, org)

    with pytest.raises(PermissionDenied):
        referral_accept(actor=user, referral=pending)
    with pytest.raises(PermissionDenied):
        referral_decline(actor=user, referral=pending, reason="Full")

    pending.refresh_from_db()
    assert pending.status == ReferralStatus.PENDING


def test_declining_needs_a_reason_and_keeps_it(
    kzn: ShelterOrganisation, pending: ShelterReferral
) -> None:
    with pytest.raises(ValidationError):
        referral_decline(actor=kzn.user(Role.SHELTER_STAFF), referral=pending, reason="  ")

    referral = referral_decline(actor=kzn.user(Role.SHELTER_STAFF), referral=pending,
                                reason="Renovation until May")

    assert referral.status == ReferralStatus.DECLINED
    referral.refresh_from_db()
    assert referral.decline_reason == "Renovation until May"


def test_an_answered_referral_cannot_be_answered_again(
    kzn: ShelterOrganisation, pending: ShelterReferral
) -> None:
    staff = kzn.user(Role.SHELTER_STAFF)
    referral_accept(actor=staff, referral=pending)

    with pytest.raises(TransitionRefused):
        referral_accept(actor=staff, referral=pending)
    referral = referral_decline(actor=staff, referral=pending, reason="No longer possible")
    assert referral.status == ReferralStatus.DECLINED
    with pytest.raises(TransitionRefused):
        referral_decline(actor=staff, referral=pending, reason="Again")


# --- withdrawing -------------------------------------------------------------


def test_the_case_organisation_withdraws_and_the_shelter_no_longer_sees_an_unanswered_one(
    cast: Any, kzn: ShelterOrganisation, pending: ShelterReferral
) -> None:
    staff = kzn.user(Role.SHELTER_STAFF)
    assert list(referral_list_for_user(user=staff)) == [pending]

    referral = referral_withdraw(actor=cast.user(Role.CASE_WORKER), referral=pending,
                                 reason="Went home")

    assert referral.status == ReferralStatus.WITHDRAWN
    assert list(referral_list_for_user(user=staff)) == []
    assert list(referral_list_for_user(user=cast.user(Role.CASE_WORKER))) == [pending]
    with pytest.raises(TransitionRefused):
        referral_withdraw(actor=cast.user(Role.CASE_WORKER), referral=pending)


def test_a_withdrawn_accepted_referral_stays_visible_to_the_shelter(
    cast: Any, kzn: ShelterOrganisation, pending: ShelterReferral
) -> None:
    referral_accept(actor=kzn.user(Role.SHELTER_STAFF), referral=pending)

    referral_withdraw(actor=cast.user(Role.COORDINATOR), referral=pending)

    assert list(referral_list_for_user(user=kzn.user(Role.SHELTER_STAFF))) == [pending]


def test_the_shelter_cannot_withdraw(kzn: ShelterOrganisation, pending: ShelterReferral) -> None:
    with pytest.raises(PermissionDenied):
        referral_withdraw(actor=kzn.user(Role.COORDINATOR), referral=pending)


def test_needed_from_is_kept(cast: Any) -> None:
    day = TODAY() + datetime.timedelta(days=3)

    referral = referral_send(actor=cast.user(Role.CASE_WORKER), case=open_case(cast),
                             shelter=make_shelter(cast.home), needed_from=day)

    assert referral.needed_from == day
