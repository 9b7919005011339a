"""Who sees which case (the access gate in selectors.py) and the case list's
filters and search."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases import selectors, services
from homeward.cases.choices import CaseKind, CaseStatus, Step, TeamRole
from homeward.cases.models import (
    Case,
    CaseStep,
    Consent,
    MedicalExam,
    Person,
    TraffickingEvent,
)
from homeward.cases.selectors import CaseFilters
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case
from homeward.core import access

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
NO_CASE_ROLES = ["researcher", "org_admin"]
TEAM_ONLY_ROLES = ["hotline_operator", "shelter_staff", "medical", "reintegration_worker"]


def _codes(user: Any, **filters: Any) -> set[str]:
    return set(selectors.case_list_for_user(user=user, filters=CaseFilters(**filters))
               .values_list("code", flat=True))


# --- the gate ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["case_worker", "coordinator"])
def test_managers_see_every_case_of_their_organisation(cast: Any, role: str) -> None:
    home = open_case(cast)
    open_case(cast.away, cast.user("case_worker", "away"))
    user = cast.user(role)
    assert _codes(user) == {home.code}
    assert selectors.case_get_for_user(user=user, code=home.code) == home
    assert selectors.person_get_for_user(user=user, pk=home.person_id) == home.person


@pytest.mark.parametrize("role", TEAM_ONLY_ROLES)
def test_team_roles_see_a_case_only_while_assigned(cast: Any, role: str) -> None:
    worker, member = cast.user("case_worker"), cast.user(role)
    case = open_case(cast, worker)
    other = open_case(cast, worker)
    assert _codes(member) == set()
    with pytest.raises(Http404):
        selectors.case_get_for_user(user=member, code=case.code)

    assignment = services.case_assign(actor=worker, case=case, user=member,
                                      role=TeamRole.SHELTER)
    assert _codes(member) == {case.code}
    assert selectors.case_get_for_user(user=member, code=case.code) == case
    assert set(access.for_user(member, Person)) == {case.person}
    with pytest.raises(Http404):
        selectors.case_get_for_user(user=member, code=other.code)

    services.case_unassign(actor=worker, assignment=assignment)
    assert _codes(member) == set()
    assert not access.for_user(member, Person).exists()


@pytest.mark.parametrize("role", NO_CASE_ROLES)
def test_roles_without_case_work_see_no_case(cast: Any, role: str) -> None:
    case = open_case(cast)
    user = cast.user(role)
    assert _codes(user) == set()
    assert not access.for_user(user, Person).exists()
    with pytest.raises(Http404):
        selectors.case_get_for_user(user=user, code=case.code)


def test_site_admin_sees_no_case(cast: Any) -> None:
    case = open_case(cast)
    assert _codes(cast.site_admin) == set()
    with pytest.raises(Http404):
        selectors.case_get_for_user(user=cast.site_admin, code=case.code)


@pytest.mark.parametrize("role", list(Role.values))
def test_nobody_of_another_organisation_sees_the_case(cast: Any, role: str) -> None:
    case = open_case(cast)
    outsider = cast.user(role, "away")
    assert _codes(outsider) == set()
    assert not access.for_user(outsider, Person).exists()
    with pytest.raises(Http404):
        selectors.case_get_for_user(user=outsider, code=case.code)
    with pytest.raises(Http404):
        selectors.person_get_for_user(user=outsider, pk=case.person_id)


def test_an_away_member_assigned_by_mistake_still_sees_nothing(cast: Any) -> None:
    """Assignments only count for members of the owning organisation."""
    case = open_case(cast)
    stranger = cast.user("shelter_staff", "away")
    case.assignments.create(user=stranger, role=TeamRole.SHELTER, assigned_on=TODAY())
    assert _codes(stranger) == set()


def test_records_of_a_case_follow_the_case(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    give_consent(case, worker)
    services.event_create(actor=worker, case=case, type="Recruitment")
    for model in (CaseStep, Consent, TraffickingEvent):
        assert access.for_user(worker, model).count() == 1, model
        assert not access.for_user(cast.user("case_worker", "away"), model).exists(), model
        assert not access.for_user(cast.user("shelter_staff"), model).exists(), model
    assert not access.for_user(worker, MedicalExam).exists()


def test_a_person_is_visible_to_the_managers_of_the_recording_organisation(cast: Any) -> None:
    person = services.person_create(actor=cast.user("case_worker"), organisation=cast.home,
                                    first_name="Без", last_name="Дела")
    assert list(access.for_user(cast.user("coordinator"), Person)) == [person]
    assert not access.for_user(cast.user("shelter_staff"), Person).exists()
    assert list(selectors.cases_of_person_for_user(user=cast.user("coordinator"),
                                                   person=person)) == []


def test_an_inactive_user_sees_nothing(cast: Any) -> None:
    open_case(cast)
    worker = cast.user("case_worker")
    worker.is_active = False
    worker.save()
    assert _codes(worker) == set()


# --- what a user may do ------------------------------------------------------


@pytest.mark.parametrize(("role", "manage", "work", "medical"), [
    ("case_worker", True, True, True),
    ("coordinator", True, True, False),
    ("shelter_staff", False, True, True),
    ("medical", False, True, True),
    ("hotline_operator", False, True, False),
    ("reintegration_worker", False, True, False),
])
def test_capabilities_on_a_case_one_works_on(
    cast: Any, role: str, manage: bool, work: bool, medical: bool
) -> None:
    case = open_case(cast)
    user = cast.user(role)
    if not manage:
        services.case_assign(actor=cast.user("case_worker"), case=case, user=user,
                             role=TeamRole.SHELTER)
    assert (selectors.can_manage_case(user, case), selectors.can_work_on_case(user, case),
            selectors.can_see_medical(user, case)) == (manage, work, medical)


def test_opening_organisations_are_those_one_manages_cases_in(cast: Any) -> None:
    assert list(selectors.case_opening_organisations(user=cast.user("coordinator"))) == [
        cast.home]
    assert not selectors.case_opening_organisations(user=cast.user("shelter_staff")).exists()


def test_assignable_users_are_members_who_work_on_cases(cast: Any) -> None:
    case = open_case(cast)
    usernames = set(selectors.assignable_users(case=case).values_list("username", flat=True))
    assert usernames == {f"{role}@home" for role in (
        "case_worker", "coordinator", *TEAM_ONLY_ROLES)}


# --- filters and search ------------------------------------------------------


def test_finds_a_case_by_a_name_word_through_the_blind_index(cast: Any) -> None:
    worker = cast.user("case_worker")
    maria = open_case(cast, worker, first_name="Мария", last_name="Иванова",
                      first_name_latin="", last_name_latin="")
    open_case(cast, worker)
    assert _codes(worker, q="Ivanova") == {maria.code}
    assert _codes(worker, q="иванова") == {maria.code}
    assert _codes(worker, q="Mariya") == {maria.code}
    assert _codes(worker, q="Ivanov") == set()  # a whole word, not a prefix
    assert _codes(cast.user("case_worker", "away"), q="Ivanova") == set()


def test_finds_a_case_by_its_code_prefix(cast: Any) -> None:
    worker = cast.user("case_worker")
    case = open_case(cast, worker)
    open_case(cast, worker)
    assert _codes(worker, q=case.code) == {case.code}
    assert len(_codes(worker, q=case.code[:9].lower())) == 2


def test_filters_by_status_step_and_kind(cast: Any) -> None:
    worker = cast.user("case_worker")
    active = open_case(cast, worker)
    rescued = open_case(cast, worker)
    services.case_advance(actor=worker, case=rescued, step=Step.RESCUE, happened_on=TODAY())
    closed = open_case(cast, worker)
    services.case_close(actor=worker, case=closed, closed_on=TODAY(), reason="Declined help")
    missing = open_case(cast, worker, kind=CaseKind.MISSING_PERSON,
                        missing_report={"reporter_name": "Mother", "reporter_relationship":
                                        "Parent"})

    assert _codes(worker, status="open") == {active.code, rescued.code, missing.code}
    assert _codes(worker, status=CaseStatus.CLOSED) == {closed.code}
    assert _codes(worker, step=Step.RESCUE) == {rescued.code}
    assert _codes(worker, kind=CaseKind.MISSING_PERSON) == {missing.code}


def test_filters_by_assignee_organisation_nationality_destination(cast: Any) -> None:
    worker, shelter = cast.user("case_worker"), cast.user("shelter_staff")
    kazakh = open_case(cast, worker, citizenships=["KZ", "RU"], destination_country="TR")
    russian = open_case(cast, worker, citizenships=["RU"], destination_country="AE")
    services.case_assign(actor=worker, case=russian, user=shelter, role=TeamRole.SHELTER)

    assert _codes(worker, nationality="KZ") == {kazakh.code}
    assert _codes(worker, nationality="RU") == {kazakh.code, russian.code}
    assert _codes(worker, destination="AE") == {russian.code}
    assert _codes(worker, assignee=shelter.pk) == {russian.code}
    assert _codes(worker, assignee=worker.pk) == {kazakh.code, russian.code}
    assert _codes(worker, organisation="HOME") == {kazakh.code, russian.code}
    assert _codes(worker, organisation="AWAY") == set()


def test_filters_minors_and_overdue_reviews(cast: Any) -> None:
    worker = cast.user("case_worker")
    minor = open_minor_case(cast, worker)
    adult = open_case(cast, worker, review_due_on=TODAY() - datetime.timedelta(days=1))
    open_case(cast, worker, review_due_on=TODAY() + datetime.timedelta(days=1))
    closed = open_case(cast, worker, review_due_on=TODAY() - datetime.timedelta(days=1))
    services.case_close(actor=worker, case=closed, closed_on=TODAY(), reason="Done")

    assert minor.code in _codes(worker, minor=True)
    assert adult.code not in _codes(worker, minor=True)
    assert minor.code not in _codes(worker, minor=False)
    assert _codes(worker, overdue=True) == {adult.code}


def test_the_list_is_newest_first(cast: Any) -> None:
    worker = cast.user("case_worker")
    older = open_case(cast, worker, opened_on=TODAY() - datetime.timedelta(days=10))
    newer = open_case(cast, worker, opened_on=TODAY() - datetime.timedelta(days=1))
    assert list(selectors.case_list_for_user(user=worker)) == [newer, older]
    assert isinstance(selectors.case_list_for_user(user=worker).first(), Case)


def test_case_list_does_not_read_names_or_notes(cast) -> None:
    worker = cast.user(Role.CASE_WORKER)
    open_case(cast, worker)
    case = selectors.case_list_for_user(user=worker).get()
    deferred = case.person.get_deferred_fields()
    assert {"first_name", "last_name", "phones", "identity_documents"} <= deferred
    assert "birth_date" not in deferred
    assert "referral_details" in case.get_deferred_fields()
