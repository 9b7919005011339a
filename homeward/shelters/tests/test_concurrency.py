"""Occupancy never exceeds capacity, even when two admissions to the last
bed run at the same moment: ``stay_admit`` locks the shelter's row before
counting, so the second waits for the first to commit and then finds the
shelter full. Needs real concurrent transactions: PostgreSQL only."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentPurpose
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.shelters.errors import NoCapacity
from homeward.shelters.models import Shelter, ShelterStay
from homeward.shelters.selectors import occupancy_of
from homeward.shelters.services.referrals import referral_send
from homeward.shelters.services.stays import stay_admit
from homeward.shelters.tests.factories import make_shelter, shelter_organisation

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def _referred(cast: Any, shelter: Shelter) -> Case:
    case = open_case(cast)
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=shelter.organisation)
    referral_send(actor=cast.user(Role.CASE_WORKER), case=case, shelter=shelter,
                  needed_from=timezone.localdate())
    return case


def test_two_simultaneous_admissions_to_the_last_bed_admit_exactly_one(cast: Any) -> None:
    kzn = shelter_organisation("KZN")
    staff = kzn.user(Role.SHELTER_STAFF)
    shelter = make_shelter(kzn.organisation, beds=2, cots=0)
    stay_admit(actor=staff, shelter=shelter, case=_referred(cast, shelter),
               admitted_on=timezone.localdate())
    cases = [_referred(cast, shelter), _referred(cast, shelter)]
    both_in_transaction = threading.Barrier(2, timeout=20)
    outcomes: dict[int, str] = {}

    def admit(case: Case) -> None:
        try:
            with transaction.atomic():
                # Both transactions are open before either counts the beds.
                Case.objects.filter(pk=case.pk).exists()
                both_in_transaction.wait()
                stay_admit(actor=staff, shelter=shelter, case=case,
                           admitted_on=timezone.localdate())
            outcomes[case.pk] = "admitted"
        except NoCapacity:
            outcomes[case.pk] = "no capacity"
        except Exception as exc:
            outcomes[case.pk] = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=admit, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["admitted", "no capacity"], outcomes
    assert ShelterStay.objects.filter(case__in=cases).count() == 1
    occupancy = occupancy_of([shelter])[shelter.pk]
    assert (occupancy.beds_used, occupancy.free_beds) == (2, 0)
