"""The core guarantee of the shelter family: medical screening data is seen
by medical staff only — on the case's team or at the person's shelter —
and by no other role of any organisation, not even coordinators or the site
administrator; nor does it leave in the case export."""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.cases import services as case_services
from homeward.cases.choices import ConsentPurpose
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core import access
from homeward.shelters.choices import DiagnosisGroup
from homeward.shelters.models import Diagnosis, MedicalScreening, Shelter, ShelterStay
from homeward.shelters.selectors_care import may_see_medical, screenings_of_case
from homeward.shelters.services.medical import DiagnosisIn, screening_record
from homeward.shelters.tests.factories import (
    ShelterOrganisation,
    make_shelter,
    shelter_organisation,
)

pytestmark = pytest.mark.django_db

ICD_CODE = "A51.0"
DIAGNOSIS_TEXT = "Primary syphilis of the genital organs (demo)"
TREATMENT_TEXT = "Benzathine benzylpenicillin course (demo)"
SECRETS = (ICD_CODE, DIAGNOSIS_TEXT, TREATMENT_TEXT)


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@dataclasses.dataclass
class Scene:
    case: Case
    kzn: ShelterOrganisation
    home_shelter: Shelter
    kzn_shelter: Shelter
    kzn_stay: ShelterStay
    screenings: list[MedicalScreening]


@pytest.fixture
def scene(cast: Any) -> Scene:
    """A HOME case whose person stayed in a HOME shelter and now stays in a
    shelter of a third organisation (KZN); HOME's team-only roles are on the
    case's team (so they see the case); the medical staff of both shelters
    recorded a screening."""
    worker = cast.user(Role.CASE_WORKER)
    kzn = shelter_organisation()
    home_shelter = make_shelter(cast.home)
    kzn_shelter = make_shelter(kzn.organisation)
    case = open_case(cast, worker)
    give_consent(case, worker, ConsentPurpose.MEDICAL)
    for role, team_role in ((Role.HOTLINE_OPERATOR, "Hotline"),
                            (Role.SHELTER_STAFF, "Shelter"),
                            (Role.REINTEGRATION_WORKER, "Reintegration"),
                            (Role.MEDICAL, "Medical")):
        case_services.case_assign(actor=worker, case=case, user=cast.user(role),
                                  role=team_role)
    ShelterStay.objects.create(case=case, shelter=home_shelter, admitted_on=_days_ago(20),
                               discharged_on=_days_ago(12))
    kzn_stay = ShelterStay.objects.create(case=case, shelter=kzn_shelter,
                                          admitted_on=_days_ago(10))
    screenings = [
        screening_record(
            actor=actor, case=case, examined_on=_days_ago(days), stay=stay,
            examinations="Blood tests (demo)", treatment=TREATMENT_TEXT,
            diagnoses=[DiagnosisIn(group=DiagnosisGroup.SYPHILIS, icd10=ICD_CODE,
                                   detail=DIAGNOSIS_TEXT)],
        )
        for actor, days, stay in ((cast.user(Role.MEDICAL), 15, None),
                                  (kzn.user(Role.MEDICAL), 5, kzn_stay))
    ]
    return Scene(case=case, kzn=kzn, home_shelter=home_shelter, kzn_shelter=kzn_shelter,
                 kzn_stay=kzn_stay, screenings=screenings)


def _everyone(cast: Any, scene: Scene) -> list[tuple[str, User]]:
    people = [(f"{role}@{org}", cast.user(role, org))
              for org in ("home", "away") for role in Role.values]
    people += [(f"{role}@kzn", user) for role, user in scene.kzn.users.items()]
    people.append(("site admin", cast.site_admin))
    return people


MEDICAL_VIEWERS = {"medical@home", "medical@kzn"}


def test_only_the_medical_staff_of_the_team_and_the_shelter_see_screenings(
    cast: Any, scene: Scene
) -> None:
    seen_by = set()
    for label, user in _everyone(cast, scene):
        screenings = access.for_user(user, MedicalScreening)
        diagnoses = access.for_user(user, Diagnosis)
        if label in MEDICAL_VIEWERS:
            assert set(screenings) == set(scene.screenings), label
            assert diagnoses.count() == 2, label
            assert may_see_medical(user, scene.case), label
            seen_by.add(label)
        else:
            assert not screenings.exists(), label
            assert not diagnoses.exists(), label
            assert not screenings_of_case(user=user, case=scene.case).exists(), label
            assert not may_see_medical(user, scene.case), label
    assert seen_by == MEDICAL_VIEWERS


def test_roles_that_see_the_case_and_the_stay_still_see_no_medical_data(
    cast: Any, scene: Scene
) -> None:
    """The guarantee means something: these roles do see the person's case
    or stay, and yet not their screenings."""
    sees_the_stay = [
        cast.user(Role.CASE_WORKER), cast.user(Role.COORDINATOR),
        cast.user(Role.SHELTER_STAFF), cast.user(Role.HOTLINE_OPERATOR),
        cast.user(Role.REINTEGRATION_WORKER),
        scene.kzn.user(Role.SHELTER_STAFF), scene.kzn.user(Role.COORDINATOR),
    ]
    for user in sees_the_stay:
        assert access.for_user(user, ShelterStay).filter(pk=scene.kzn_stay.pk).exists()
        assert not access.for_user(user, MedicalScreening).exists()
        assert not access.for_user(user, Diagnosis).exists()


def test_medical_staff_of_the_case_s_organisation_need_the_team_or_the_shelter(
    cast: Any,
) -> None:
    worker, medic = cast.user(Role.CASE_WORKER), cast.user(Role.MEDICAL)
    kzn = shelter_organisation()
    case = open_case(cast, worker)
    give_consent(case, worker, ConsentPurpose.MEDICAL)
    ShelterStay.objects.create(case=case, shelter=make_shelter(kzn.organisation),
                               admitted_on=_days_ago(3))
    screening_record(actor=kzn.user(Role.MEDICAL), case=case, examined_on=_days_ago(1),
                     diagnoses=[DiagnosisIn(group=DiagnosisGroup.HIV)])

    assert not access.for_user(medic, MedicalScreening).exists()
    case_services.case_assign(actor=worker, case=case, user=medic, role="Medical")
    assert access.for_user(medic, MedicalScreening).count() == 1


def test_medical_staff_of_another_shelter_organisation_see_nothing(cast: Any,
                                                                   scene: Scene) -> None:
    other = shelter_organisation("SPB")
    make_shelter(other.organisation, city="Saint Petersburg")
    assert not access.for_user(other.user(Role.MEDICAL), MedicalScreening).exists()
    assert not access.for_user(other.user(Role.MEDICAL), Diagnosis).exists()


def test_the_case_export_holds_no_diagnosis_code_or_text(cast: Any, scene: Scene) -> None:
    exported = json.dumps(
        case_services.case_export(actor=cast.user(Role.CASE_WORKER), case=scene.case),
        ensure_ascii=False,
    )
    for secret in (*SECRETS, "Blood tests (demo)"):
        assert secret not in exported


# --- pages and API ----------------------------------------------------------------


def _screening_urls(scene: Scene) -> list[str]:
    code, stay = scene.case.code, scene.kzn_stay.pk
    return [
        reverse("shelters:screening-list", kwargs={"pk": stay}),
        reverse("shelters:screening-create", kwargs={"pk": stay}),
        f"/api/v1/cases/{code}/medical-screenings/",
    ]


def _pages_that_show_the_person(scene: Scene) -> list[str]:
    """Pages and endpoints about the person's stay and care, seen by other
    roles too: none may carry the screening."""
    code, stay = scene.case.code, scene.kzn_stay.pk
    return [
        reverse("shelters:stay-detail", kwargs={"pk": stay}),
        reverse("shelters:case-shelter", kwargs={"code": code}),
        reverse("cases:case-export", kwargs={"code": code}),
        f"/api/v1/shelters/stays/{stay}/",
        f"/api/v1/cases/{code}/shelter-stays/",
        f"/api/v1/cases/{code}/service-offers/",
        f"/api/v1/cases/{code}/service-sessions/",
        f"/api/v1/cases/{code}/export/",
    ]


def _assert_no_secret(content: bytes, where: str) -> None:
    text = content.decode("utf-8", errors="replace")
    for secret in SECRETS:
        assert secret not in text, where


def test_every_other_role_gets_403_or_404_on_the_screening_pages_and_api(
    cast: Any, scene: Scene, login: Callable[[User], Client]
) -> None:
    posted = {"examined_on": _days_ago(1).isoformat(), "examinations": "X-ray (demo)",
              "diagnoses": [{"group": DiagnosisGroup.HIV}]}
    for label, user in _everyone(cast, scene):
        if label in MEDICAL_VIEWERS:
            continue
        client = login(user)
        for url in _screening_urls(scene):
            response = client.get(url)
            assert response.status_code in (403, 404), (label, url, response.status_code)
            _assert_no_secret(response.content, f"{label} {url}")
        api_url = _screening_urls(scene)[-1]
        response = client.post(api_url, data=json.dumps(posted),
                               content_type="application/json")
        assert response.status_code in (403, 404), (label, response.status_code)
        client.logout()
    assert MedicalScreening.objects.count() == 2


def test_the_medical_staff_read_the_screening_on_its_page_and_in_the_api(
    cast: Any, scene: Scene, login: Callable[[User], Client]
) -> None:
    """The positive control: the same pages do show the screening to those
    who may see it, so the refusals above are not an empty page."""
    for user in (cast.user(Role.MEDICAL), scene.kzn.user(Role.MEDICAL)):
        client = login(user)
        page, _create, api = _screening_urls(scene)
        for url in (page, api):
            response = client.get(url)
            assert response.status_code == 200, url
            assert ICD_CODE in response.content.decode(), url
        client.logout()


def test_the_stay_page_the_shelter_tab_the_api_and_the_export_never_show_it(
    cast: Any, scene: Scene, login: Callable[[User], Client]
) -> None:
    shown_to: set[str] = set()
    for label, user in _everyone(cast, scene):
        if label in MEDICAL_VIEWERS:
            continue
        client = login(user)
        for url in _pages_that_show_the_person(scene):
            response = client.get(url)
            if response.status_code == 200:
                shown_to.add(label)
                _assert_no_secret(response.content, f"{label} {url}")
            else:
                assert response.status_code in (403, 404), (label, url, response.status_code)
        client.logout()
    # Roles that do see the person's stay and care were really asked.
    assert {"case_worker@home", "coordinator@home", "shelter_staff@home",
            "shelter_staff@kzn", "coordinator@kzn"} <= shown_to
