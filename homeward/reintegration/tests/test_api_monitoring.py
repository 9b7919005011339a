"""The monitoring API (reintegration/api/work.py and manage.py): schedules
of a case, one report and filing it, the overdue list for coordinators —
on the case's side and by the partner NGO that accepted a referral.

Every audience on every operation: ``access_expectations_api.py``.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.notifications.models import Notification
from homeward.reintegration.models import MonitoringReport
from homeward.reintegration.tests.access_expectations_api import partner, work_case
from homeward.reintegration.tests.factories import make_referral

pytestmark = pytest.mark.django_db

JSON = "application/json"
OVERDUE = "/api/v1/reintegration/monitoring/overdue/"


def monitoring_url(case: Case) -> str:
    return f"/api/v1/reintegration/cases/{case.code}/monitoring/"


def report_url(report_id: int) -> str:
    return f"/api/v1/reintegration/monitoring/reports/{report_id}/"


def days_ago(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def report_body(**extra: Any) -> dict[str, Any]:
    return {"contacted_on": timezone.localdate().isoformat(), "contact_mode": "Visit",
            "living_situation": "WithFamily", "work_situation": "InTraining",
            "feels_safe": True, "outcome": "Progressing", "narrative": "Going to courses",
            **extra}


def test_a_six_month_schedule_makes_two_reports(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(monitoring_url(case), {"period": "6", "starts_on": days_ago(0)},
                           content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"]["code"] == "HOME"
    assert [report["months"] for report in body["reports"]] == [3, 6]
    listed = client.get(monitoring_url(case)).json()
    assert [schedule["id"] for schedule in listed] == [body["id"]]


def test_custom_dates_must_be_given(cast, login):
    case = work_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        monitoring_url(case), {"period": "Custom", "starts_on": days_ago(0)}, content_type=JSON
    )
    assert response.status_code == 400
    assert "custom_dates" in response.json()


def test_the_partner_files_the_three_month_report_and_the_case_side_reads_it(cast, login):
    case = work_case(cast)
    yar = partner()
    make_referral(case, yar.organisation)
    schedule = login(cast.user(Role.CASE_WORKER)).post(monitoring_url(case), {
        "period": "3", "starts_on": days_ago(95), "organisation": "YAR",
        "assignee": yar.user(Role.REINTEGRATION_WORKER).pk,
    }, content_type=JSON)
    assert schedule.status_code == 201, schedule.content
    report_id = schedule.json()["reports"][0]["id"]
    client = login(yar.user(Role.REINTEGRATION_WORKER))
    assert client.get(report_url(report_id)).json()["status"] == "Due"
    filed = client.post(report_url(report_id), report_body(), content_type=JSON)
    assert filed.status_code == 200, filed.content
    assert filed.json()["status"] == "Submitted"
    again = client.post(report_url(report_id), report_body(), content_type=JSON)
    assert again.status_code == 400
    seen = login(cast.user(Role.CASE_WORKER)).get(report_url(report_id)).json()
    assert seen["outcome"] == "Progressing"
    assert seen["organisation"]["code"] == "YAR"


def test_signs_of_retrafficking_warn_the_case_side(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    schedule = client.post(monitoring_url(case), {"period": "3", "starts_on": days_ago(95)},
                           content_type=JSON).json()
    report_id = schedule["reports"][0]["id"]
    filed = client.post(report_url(report_id), report_body(
        retrafficking_signs=["JobOfferAbroad"], outcome="AtRisk"), content_type=JSON)
    assert filed.status_code == 200, filed.content
    assert filed.json()["retrafficking_signs"] == ["JobOfferAbroad"]
    assert Notification.objects.filter(kind="monitoring.alert").exists()


def test_the_case_side_may_not_file_the_partner_s_report(cast, login):
    case = work_case(cast)
    yar = partner()
    make_referral(case, yar.organisation)
    client = login(cast.user(Role.CASE_WORKER))
    schedule = client.post(monitoring_url(case), {
        "period": "3", "starts_on": days_ago(95), "organisation": "YAR",
    }, content_type=JSON).json()
    response = client.post(report_url(schedule["reports"][0]["id"]), report_body(),
                           content_type=JSON)
    assert response.status_code == 403


def test_a_report_needs_an_outcome(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    schedule = client.post(monitoring_url(case), {"period": "3", "starts_on": days_ago(95)},
                           content_type=JSON).json()
    body = report_body()
    del body["outcome"]
    response = client.post(report_url(schedule["reports"][0]["id"]), body, content_type=JSON)
    assert response.status_code == 400
    assert "outcome" in response.json()


def test_outsiders_get_404_for_reports(cast, login):
    case = work_case(cast)
    schedule = login(cast.user(Role.CASE_WORKER)).post(
        monitoring_url(case), {"period": "3", "starts_on": days_ago(95)}, content_type=JSON
    ).json()
    client = login(cast.user(Role.REINTEGRATION_WORKER, "away"))
    assert client.get(report_url(schedule["reports"][0]["id"])).status_code == 404
    assert client.get(monitoring_url(case)).status_code == 404


def test_the_overdue_list_is_for_coordinators(cast, login):
    case = work_case(cast)
    login(cast.user(Role.CASE_WORKER)).post(
        monitoring_url(case), {"period": "6", "starts_on": days_ago(120)}, content_type=JSON
    )
    assert login(cast.user(Role.CASE_WORKER)).get(OVERDUE).status_code == 403
    response = login(cast.user(Role.COORDINATOR)).get(OVERDUE)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["case"], row["months"]) for row in rows] == [(case.code, 3)]
    assert MonitoringReport.objects.count() == 2
    assert login(cast.user(Role.COORDINATOR, "away")).get(OVERDUE).json()["results"] == []
