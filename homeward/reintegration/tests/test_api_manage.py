"""The API of the network's reintegration reference data and overviews
(reintegration/api/manage.py): the catalogue with its rules as data, the
questionnaire in use, the totals for coordinators; the caller's
notifications (notifications/api.py); and the OpenAPI schema of it all.

Every audience on every operation: ``access_expectations_api.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.notifications.models import Notification
from homeward.reintegration.choices import QuestionnaireStatus
from homeward.reintegration.tests.access_expectations_api import work_case
from homeward.reintegration.tests.factories import (
    make_programme,
    make_questionnaire,
    standard_cash_kind,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"
KINDS = "/api/v1/reintegration/assistance/kinds/"
TOTALS = "/api/v1/reintegration/assistance/totals/"
QUESTIONNAIRE = "/api/v1/reintegration/questionnaire/"
NOTIFICATIONS = "/api/v1/notifications/"


def test_the_catalogue_lists_the_standard_cash_rules_as_data(cast, login):
    kind = standard_cash_kind()
    response = login(cast.user(Role.RESEARCHER)).get(KINDS)
    assert response.status_code == 200
    (row,) = [row for row in response.json()["results"] if row["id"] == kind.pk]
    assert [(rule["condition"], rule["country"], rule["mode"], rule["amount"])
            for rule in row["rules"]] == [
        ("CitizenOf", "RU", "Base", "150.00"),
        ("Everyone", "", "Base", "50.00"),
        ("MotherWithSmallChildren", "", "Supplement", "350.00"),
    ]


def test_the_questionnaire_in_use_with_both_languages(cast, login):
    client = login(cast.user(Role.CASE_WORKER))
    assert client.get(QUESTIONNAIRE).status_code == 404
    make_questionnaire(status=QuestionnaireStatus.DRAFT)
    assert client.get(QUESTIONNAIRE).status_code == 404
    published = make_questionnaire()
    body = client.get(QUESTIONNAIRE).json()
    assert body["version"] == published.version
    skills = next(question for question in body["questions"] if question["key"] == "skills")
    assert skills["text_ru"] == "Навыки"
    assert skills["text_en"] == "Skills"
    assert skills["options"][0] == {"key": "sewing", "en": "Sewing", "ru": "Шитьё"}
    barriers = {barrier["key"]: barrier for barrier in body["return_barriers"]}
    assert "FamilyRefuses" in barriers
    assert barriers["FamilyRefuses"]["en"]


def test_totals_per_programme_for_coordinators(cast, login):
    case = work_case(cast)
    programme = make_programme()
    coordinator = cast.user(Role.COORDINATOR)
    client = login(coordinator)
    kind = standard_cash_kind()
    for amount in ("150.00", "50.00"):
        response = client.post(f"/api/v1/reintegration/cases/{case.code}/ledger/", {
            "entry_type": "Grant", "kind": kind.pk, "amount": amount, "currency": "EUR",
            "entry_on": timezone.localdate().isoformat(), "approved_by": coordinator.pk,
            "programme": programme.pk,
        }, content_type=JSON)
        assert response.status_code == 201, response.content
    rows = client.get(f"{TOTALS}?group_by=programme").json()
    assert [(row["label"], row["currency"], row["granted"], row["entries"]) for row in rows] \
        == [(programme.name, "EUR", "200.00", 2)]
    assert login(cast.user(Role.COORDINATOR, "away")).get(TOTALS).json() == []


def test_totals_are_refused_to_other_roles_and_bad_groupings(cast, login):
    assert login(cast.user(Role.CASE_WORKER)).get(TOTALS).status_code == 403
    response = login(cast.user(Role.COORDINATOR)).get(f"{TOTALS}?group_by=person")
    assert response.status_code == 400


def test_notifications_are_one_s_own(cast, login):
    mine = cast.user(Role.CASE_WORKER)
    Notification.objects.create(user=mine, kind="referral.received", key="a",
                                params={"code": "HOME-1", "organisation": "YAR"}, url="/x/")
    Notification.objects.create(user=cast.user(Role.COORDINATOR), kind="referral.received",
                                key="b", params={"code": "HOME-2", "organisation": "YAR"})
    Notification.objects.create(user=mine, kind="monitoring.overdue", key="c",
                                       params={"code": "HOME-3", "date": "2026-01-31"},
                                       read_at=timezone.now())
    client = login(mine)
    rows = client.get(NOTIFICATIONS).json()["results"]
    assert {row["params"]["code"] for row in rows} == {"HOME-1", "HOME-3"}
    first = next(row for row in rows if row["params"]["code"] == "HOME-1")
    assert first["title"] == "Case HOME-1 was referred to you by YAR"
    unread = client.get(f"{NOTIFICATIONS}?unread=true").json()["results"]
    assert [row["params"]["code"] for row in unread] == ["HOME-1"]


def test_notifications_need_a_signed_in_caller(client):
    assert client.get(NOTIFICATIONS).status_code == 403


def test_openapi_schema_documents_the_reintegration_api_without_warnings(tmp_path: Path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/reintegration/referrals/", "/api/v1/reintegration/referrals/{id}/",
        "/api/v1/reintegration/referrals/{id}/export/",
        "/api/v1/reintegration/referrals/{id}/accept/",
        "/api/v1/reintegration/referrals/{id}/decline/",
        "/api/v1/reintegration/referrals/{id}/revoke/",
        "/api/v1/reintegration/referrals/{id}/complete/",
        "/api/v1/reintegration/cases/{code}/assessments/",
        "/api/v1/reintegration/cases/{code}/plan/",
        "/api/v1/reintegration/cases/{code}/plan/goals/",
        "/api/v1/reintegration/cases/{code}/plan/goals/{id}/",
        "/api/v1/reintegration/cases/{code}/plan/reviews/",
        "/api/v1/reintegration/cases/{code}/ledger/",
        "/api/v1/reintegration/cases/{code}/eligibility/{kind_pk}/",
        "/api/v1/reintegration/cases/{code}/monitoring/",
        "/api/v1/reintegration/monitoring/reports/{id}/",
        "/api/v1/reintegration/monitoring/overdue/",
        "/api/v1/reintegration/assistance/kinds/",
        "/api/v1/reintegration/assistance/totals/",
        "/api/v1/reintegration/questionnaire/", "/api/v1/notifications/",
    ):
        assert f"{path}:" in schema, path
    ledger = schema.split("/api/v1/reintegration/cases/{code}/ledger/:", 1)[1].split("\n  /", 1)[0]
    assert "put:" not in ledger
    assert "patch:" not in ledger
    assert "delete:" not in ledger
