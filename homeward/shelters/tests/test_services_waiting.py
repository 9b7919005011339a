"""The waiting list (services/waiting.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services as case_services
from homeward.cases.tests.factories import open_case
from homeward.shelters.choices import WaitingStatus
from homeward.shelters.errors import TransitionRefused
from homeward.shelters.models import ShelterStay, WaitingListEntry
from homeward.shelters.services.waiting import waiting_add, waiting_cancel
from homeward.shelters.tests.factories import make_shelter, shelter_organisation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _counts() -> tuple[int, int]:
    return WaitingListEntry.objects.count(), AuditEntry.objects.count()


def test_a_case_manager_puts_the_person_on_the_waiting_list(cast: Any) -> None:
    case = open_case(cast)

    entry = waiting_add(actor=cast.user(Role.CASE_WORKER), case=case, children_months=[6, 40],
                        needs_accessibility=True, avoid_region=" Moscow ", note="Any city")

    assert (entry.status, entry.since, entry.children_months, entry.avoid_region) == (
        WaitingStatus.WAITING, TODAY(), [6, 40], "Moscow")
    audit = AuditEntry.objects.get(target_type="shelters.WaitingListEntry",
                                   target_id=str(entry.pk))
    assert audit.action == Action.CREATE
    assert "Any city" not in str(audit.detail)


@pytest.mark.parametrize(("org", "role"), [
    ("home", Role.SHELTER_STAFF), ("home", Role.MEDICAL), ("away", Role.CASE_WORKER),
])
def test_only_case_managers_add_and_cancel(cast: Any, org: str, role: str) -> None:
    case = open_case(cast)
    entry = waiting_add(actor=cast.user(Role.CASE_WORKER), case=case)
    before = _counts()

    with pytest.raises(PermissionDenied):
        waiting_add(actor=cast.user(role, org), case=open_case(cast))
    with pytest.raises(PermissionDenied):
        waiting_cancel(actor=cast.user(role, org), entry=entry)

    assert WaitingListEntry.objects.count() == before[0]
    entry.refresh_from_db()
    assert entry.status == WaitingStatus.WAITING


def test_one_waiting_entry_per_case(cast: Any) -> None:
    case = open_case(cast)
    waiting_add(actor=cast.user(Role.CASE_WORKER), case=case)
    before = _counts()

    with pytest.raises(TransitionRefused):
        waiting_add(actor=cast.user(Role.COORDINATOR), case=case)

    assert _counts() == before


def test_refuses_a_person_already_in_a_shelter_or_a_closed_case(cast: Any) -> None:
    staying = open_case(cast)
    ShelterStay.objects.create(case=staying, shelter=make_shelter(cast.home), admitted_on=TODAY())
    closed = open_case(cast)
    case_services.case_close(actor=cast.user(Role.CASE_WORKER), case=closed, closed_on=TODAY(),
                             reason="Went home")
    before = _counts()

    with pytest.raises(TransitionRefused, match="already stays"):
        waiting_add(actor=cast.user(Role.CASE_WORKER), case=staying)
    with pytest.raises(TransitionRefused, match="closed"):
        waiting_add(actor=cast.user(Role.CASE_WORKER), case=closed)

    assert _counts() == before


def test_cancelling_closes_the_entry_and_allows_a_new_one(cast: Any) -> None:
    case = open_case(cast)
    entry = waiting_add(actor=cast.user(Role.CASE_WORKER), case=case)

    cancelled = waiting_cancel(actor=cast.user(Role.COORDINATOR), entry=entry)

    assert (cancelled.status, cancelled.closed_on) == (WaitingStatus.CANCELLED, TODAY())
    with pytest.raises(TransitionRefused):
        waiting_cancel(actor=cast.user(Role.COORDINATOR), entry=entry)
    assert waiting_add(actor=cast.user(Role.CASE_WORKER), case=case).status == (
        WaitingStatus.WAITING)


def test_the_shelter_side_of_another_organisation_cannot_add(cast: Any) -> None:
    kzn = shelter_organisation("KZN")

    with pytest.raises(PermissionDenied):
        waiting_add(actor=kzn.user(Role.COORDINATOR), case=open_case(cast))
