"""The demo cases (cases/demo.py) and their place in ``seed-demo``."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from homeward.accounts.demo import DemoRefused, seed_demo
from homeward.accounts.models import User
from homeward.audit.models import AuditEntry
from homeward.cases import selectors, services
from homeward.cases.choices import CaseKind, CaseStatus, Step
from homeward.cases.demo import seed_cases_demo
from homeward.cases.models import Case, CaseStep, Consent, Person
from homeward.directory.demo import seed_directory_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    seed_demo()
    seed_directory_demo()


def _by_surname(surname: str) -> Case:
    return next(case for case in Case.objects.select_related("person")
                if case.person.last_name_latin == surname)


def test_seeds_four_invented_cases_through_the_services(demo: None) -> None:
    assert seed_cases_demo() == 4

    assert Case.objects.count() == 4
    assert set(Case.objects.values_list("organisation__code", flat=True)) == {"TVAC"}
    istanbul = _by_surname("Vydumkina")
    assert (istanbul.step, istanbul.status, istanbul.destination_city) == (
        Step.REHABILITATION, CaseStatus.ACTIVE, "Istanbul")
    assert list(istanbul.steps.values_list("step", flat=True)) == [
        Step.IDENTIFICATION, Step.RESCUE, Step.REPATRIATION, Step.REHABILITATION]
    rescue = istanbul.rescues.get()
    assert [entry.name_en for entry in rescue.contacted.all()] == [
        "Anti-trafficking police task force, Istanbul (demo)"]
    repatriation = istanbul.repatriations.get()
    assert repatriation.arrival_place.startswith("Sheremetyevo")
    assert repatriation.escort_organisation == "IOM Moscow"
    assert repatriation.document_authority is not None
    assert repatriation.document_authority.name_en == "Consulate of Russia, Istanbul (demo)"

    minor = _by_surname("Nebyvalova")
    assert selectors.is_minor(minor)
    assert minor.guardians.count() == 1
    assert not services.medical_unlocked(minor)  # medical consent still pending
    assert minor.moves.get().escort_name

    missing = _by_surname("Pridumanova")
    assert (missing.kind, missing.missing_report.reporter_relationship) == (
        CaseKind.MISSING_PERSON, "Parent")

    construction = _by_surname("Vymyslov")
    assert construction.status == CaseStatus.CLOSED_REFERRED
    assert construction.referred_to is not None
    assert construction.referred_to.code == "AO-AST"
    assert construction.forced_labour_industry == "F_Construction"

    assert AuditEntry.objects.filter(actor_name="caseworker", action="record.create",
                                     target_type="cases.Case").count() == 4


def test_the_demo_case_worker_sees_the_demo_cases(demo: None) -> None:
    seed_cases_demo()
    worker = User.objects.get(username="caseworker")
    assert selectors.case_list_for_user(user=worker).count() == 4
    assert not selectors.case_list_for_user(user=User.objects.get(username="researcher")).exists()


def test_every_demo_case_exports_as_json(demo: None) -> None:
    """The demo cases hold every kind of record: the export must serialise them all."""
    seed_cases_demo()
    worker = User.objects.get(username="caseworker")
    for case in Case.objects.all():
        exported = json.loads(json.dumps(services.case_export(actor=worker, case=case)))
        assert exported["case"]["code"] == case.code
    istanbul = services.case_export(actor=worker, case=_by_surname("Vydumkina"))
    assert istanbul["repatriations"][0]["cost"] == "310.00"
    assert istanbul["rescues"][0]["contacted"] == [
        "Anti-trafficking police task force, Istanbul (demo)"]
    assert len(istanbul["events"]) == 3
    assert services.case_export(actor=worker, case=_by_surname("Pridumanova"))[
        "missing_report"]["last_seen_country"] == "GR"


def test_seeding_twice_changes_nothing(demo: None) -> None:
    seed_cases_demo()
    counts = (Case.objects.count(), Person.objects.count(), CaseStep.objects.count(),
              Consent.objects.count())
    assert seed_cases_demo() == 0
    assert counts == (Case.objects.count(), Person.objects.count(), CaseStep.objects.count(),
                      Consent.objects.count())


def test_seeds_nothing_without_the_demo_users() -> None:
    assert seed_cases_demo() == 0
    assert not Case.objects.exists()


def test_seeds_cases_without_the_directory_demo() -> None:
    seed_demo()
    assert seed_cases_demo() == 4
    assert _by_surname("Vydumkina").rescues.get().contacted_other


def test_refuses_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused):
        seed_cases_demo()


def test_seed_demo_command_loads_the_cases_once() -> None:
    call_command("seed-demo", stdout=StringIO())
    count = Case.objects.count()
    call_command("seed-demo", stdout=StringIO())
    # Four here; the shelters' demo (shelters/demo.py) adds its residents' cases.
    assert Case.objects.count() == count
    assert len([case for case in Case.objects.select_related("person")
                if case.person.last_name_latin in {"Vydumkina", "Nebyvalova", "Pridumanova",
                                                   "Vymyslov"}]) == 4
