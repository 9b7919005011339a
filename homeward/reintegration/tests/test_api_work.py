"""The API of reintegration work on a case (reintegration/api/work.py):
assessments, the plan with goals and reviews, the append-only ledger with
its totals, and the eligible amount from the catalogue's rules.

Every audience on every operation: ``access_expectations_api.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.models import Case
from homeward.cases.tests.factories import open_case
from homeward.reintegration.choices import MINIMUM_PARTS, SharedPart
from homeward.reintegration.models import LedgerEntry, Plan
from homeward.reintegration.tests.access_expectations_api import (
    matrix_kind,
    partner,
    with_plan,
    work_case,
)
from homeward.reintegration.tests.factories import make_referral, standard_cash_kind

pytestmark = pytest.mark.django_db

JSON = "application/json"


def url(case: Case, rest: str) -> str:
    return f"/api/v1/reintegration/cases/{case.code}/{rest}"


def today() -> str:
    return timezone.localdate().isoformat()


def grant(cast: Any, amount: str = "300.00", **extra: Any) -> dict[str, Any]:
    return {
        "entry_type": "Grant", "kind": matrix_kind().pk, "amount": amount, "currency": "EUR",
        "entry_on": today(), "approved_by": cast.user(Role.COORDINATOR).pk,
        "purpose": "Sewing course", **extra,
    }


def totals_of(body: dict[str, Any]) -> dict[str, str]:
    (eur,) = body["totals"]
    return {key: eur[key] for key in ("granted", "paid", "balance")}


# --- the ledger ------------------------------------------------------------------------


def test_posting_entries_and_reading_the_totals(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.REINTEGRATION_WORKER))
    created = client.post(url(case, "ledger/"), grant(cast), content_type=JSON)
    assert created.status_code == 201, created.content
    grant_id = created.json()["entries"][0]["id"]
    paid = client.post(url(case, "ledger/"), {
        **grant(cast, "120.00"), "entry_type": "Payment", "grant": grant_id,
    }, content_type=JSON)
    assert paid.status_code == 201, paid.content
    body = client.get(url(case, "ledger/")).json()
    assert [entry["entry_type"] for entry in body["entries"]] == ["Grant", "Payment"]
    assert totals_of(body) == {"granted": "300.00", "paid": "120.00", "balance": "180.00"}
    assert body["entries"][1]["paid_by"]["id"] == cast.user(Role.REINTEGRATION_WORKER).pk


def test_a_correction_is_a_new_entry_and_the_original_stays(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    grant_id = client.post(url(case, "ledger/"), grant(cast), content_type=JSON).json()[
        "entries"][0]["id"]
    corrected = client.post(url(case, "ledger/"), {
        **grant(cast, "-50.00"), "entry_type": "Correction", "corrects": grant_id,
    }, content_type=JSON)
    assert corrected.status_code == 201, corrected.content
    body = corrected.json()
    assert [(entry["entry_type"], entry["amount"]) for entry in body["entries"]] == [
        ("Grant", "300.00"), ("Correction", "-50.00"),
    ]
    assert body["entries"][1]["corrects"] == grant_id
    assert totals_of(body)["granted"] == "250.00"
    assert LedgerEntry.objects.get(pk=grant_id).amount == Decimal("300.00")


def test_a_correction_must_name_the_entry_it_corrects(cast, login):
    case = work_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        url(case, "ledger/"), {**grant(cast, "-50.00"), "entry_type": "Correction"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert not LedgerEntry.objects.exists()


def test_ledger_entries_are_never_changed_or_deleted_through_the_api(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.COORDINATOR))
    entry_id = client.post(url(case, "ledger/"), grant(cast), content_type=JSON).json()[
        "entries"][0]["id"]
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(url(case, "ledger/"), grant(cast), content_type=JSON)
        assert response.status_code == 405, method
        # There is no address of one entry to change either.
        assert getattr(client, method)(
            url(case, f"ledger/{entry_id}/"), grant(cast), content_type=JSON
        ).status_code == 404
    assert LedgerEntry.objects.get(pk=entry_id).amount == Decimal("300.00")


def test_a_grant_needs_a_coordinator_s_approval(cast, login):
    case = work_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        url(case, "ledger/"), grant(cast, approved_by=cast.user(Role.CASE_WORKER).pk),
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "approved_by" in response.json()


def test_a_grant_needs_the_person_s_consent_to_assistance(cast, login):
    case = open_case(cast, cast.user(Role.CASE_WORKER))
    response = login(cast.user(Role.CASE_WORKER)).post(
        url(case, "ledger/"), grant(cast), content_type=JSON
    )
    assert response.status_code == 400
    assert not LedgerEntry.objects.exists()


def test_a_team_member_without_reintegration_work_reads_but_may_not_record(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.SHELTER_STAFF))
    assert client.get(url(case, "ledger/")).status_code == 200
    assert client.post(url(case, "ledger/"), grant(cast), content_type=JSON).status_code == 403


def test_outsiders_get_404(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.COORDINATOR, "away"))
    assert client.get(url(case, "ledger/")).status_code == 404
    assert client.post(url(case, "ledger/"), grant(cast), content_type=JSON).status_code == 404
    assert client.get(url(case, "plan/")).status_code == 404
    assert client.get(url(case, "assessments/")).status_code == 404


def test_reading_the_ledger_is_audited(cast, login):
    case = work_case(cast)
    login(cast.user(Role.CASE_WORKER)).get(url(case, "ledger/"))
    assert AuditEntry.objects.filter(
        action=Action.VIEW, detail__tab="api:reintegration-ledger"
    ).exists()


def test_the_receiver_sees_the_sender_s_ledger_only_when_assistance_is_shared(cast, login):
    case = work_case(cast)
    login(cast.user(Role.CASE_WORKER)).post(url(case, "ledger/"), grant(cast), content_type=JSON)
    yar = partner()
    referral = make_referral(case, yar.organisation)
    client = login(yar.user(Role.REINTEGRATION_WORKER))
    assert client.get(url(case, "ledger/")).json()["entries"] == []
    referral.delete()
    make_referral(case, yar.organisation, shared_parts=[*MINIMUM_PARTS, SharedPart.ASSISTANCE])
    assert len(client.get(url(case, "ledger/")).json()["entries"]) == 1


def test_the_receiver_records_its_own_grant_approved_by_its_coordinator(cast, login):
    case = work_case(cast)
    yar = partner()
    make_referral(case, yar.organisation)
    response = login(yar.user(Role.REINTEGRATION_WORKER)).post(
        url(case, "ledger/"), grant(cast, approved_by=yar.user(Role.COORDINATOR).pk),
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert response.json()["entries"][0]["organisation"] == "YAR"


# --- eligibility ----------------------------------------------------------------------------


@pytest.mark.parametrize(("person", "amount"), [
    ({"citizenships": ["RU"], "gender": "Feminine"}, "150.00"),
    ({"citizenships": ["UZ"], "gender": "Feminine"}, "50.00"),
    ({"citizenships": ["RU"], "gender": "Feminine", "children_accompanying": 2}, "500.00"),
])
def test_the_standard_cash_amount_comes_from_the_catalogue_rules(cast, login, person, amount):
    case = open_case(cast, cast.user(Role.CASE_WORKER), **person)
    kind = standard_cash_kind()
    response = login(cast.user(Role.CASE_WORKER)).get(url(case, f"eligibility/{kind.pk}/"))
    assert response.status_code == 200
    assert response.json()["amount"] == amount
    assert response.json()["currency"] == "EUR"


def test_the_receiver_gets_the_eligible_amount_only_with_origin_and_children_shared(
    cast, login,
):
    case = work_case(cast)
    kind = standard_cash_kind()
    yar = partner()
    referral = make_referral(case, yar.organisation,
                             shared_parts=[*MINIMUM_PARTS, SharedPart.ORIGIN])
    client = login(yar.user(Role.REINTEGRATION_WORKER))
    # The amount lines would tell the person's citizenship and children.
    assert client.get(url(case, f"eligibility/{kind.pk}/")).status_code == 403
    referral.delete()
    make_referral(case, yar.organisation,
                  shared_parts=[*MINIMUM_PARTS, SharedPart.ORIGIN, SharedPart.CHILDREN])
    assert client.get(url(case, f"eligibility/{kind.pk}/")).status_code == 200


# --- the plan ---------------------------------------------------------------------------------


def test_plan_create_update_and_conflict(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.get(url(case, "plan/")).status_code == 404
    created = client.post(url(case, "plan/"), {"starts_on": today(), "target_region": "Tver"},
                          content_type=JSON)
    assert created.status_code == 201, created.content
    assert created.json()["responsible_organisation"]["code"] == "HOME"
    again = client.post(url(case, "plan/"), {"starts_on": today()}, content_type=JSON)
    assert again.status_code == 400
    version = created.json()["version"]
    changed = client.patch(url(case, "plan/"), {"version": version, "summary": "Move to Tver"},
                           content_type=JSON)
    assert changed.status_code == 200
    assert changed.json()["version"] == version + 1
    stale = client.patch(url(case, "plan/"), {"version": version, "summary": "Stay"},
                         content_type=JSON)
    assert stale.status_code == 409
    assert stale.json()["version"] == version + 1
    assert Plan.objects.get(case=case).summary == "Move to Tver"


def test_plan_refuses_fields_it_does_not_take(cast, login):
    case = with_plan(cast)
    response = login(cast.user(Role.CASE_WORKER)).patch(
        url(case, "plan/"), {"version": 1, "case": "X"}, content_type=JSON
    )
    assert response.status_code == 400
    assert "case" in response.json()


def test_goals_and_reviews(cast, login):
    case = with_plan(cast)
    client = login(cast.user(Role.REINTEGRATION_WORKER))
    goal = client.post(url(case, "plan/goals/"), {"area": "Employment", "description": "A job"},
                       content_type=JSON)
    assert goal.status_code == 201, goal.content
    achieved = client.patch(url(case, f"plan/goals/{goal.json()['id']}/"),
                            {"status": "Achieved"}, content_type=JSON)
    assert achieved.status_code == 200
    assert achieved.json()["achieved_on"] == today()
    review = client.post(url(case, "plan/reviews/"), {"reviewed_on": today(), "note": "Fine"},
                         content_type=JSON)
    assert review.status_code == 201
    plan = client.get(url(case, "plan/")).json()
    assert len(plan["goals"]) == 2
    assert len(plan["reviews"]) == 1
    assert plan["next_review_on"] == review.json()["next_review_on"]


def test_a_goal_of_another_case_is_404(cast, login):
    case = with_plan(cast)
    other = with_plan(cast)
    goal_id = Plan.objects.get(case=other).goals.get().pk
    response = login(cast.user(Role.CASE_WORKER)).patch(
        url(case, f"plan/goals/{goal_id}/"), {"status": "Dropped"}, content_type=JSON
    )
    assert response.status_code == 404


# --- assessments ---------------------------------------------------------------------------------


def test_assessment_answers_are_checked_against_the_questionnaire(cast, login):
    case = work_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    missing = client.post(url(case, "assessments/"), {"assessed_on": today(), "answers": {}},
                          content_type=JSON)
    assert missing.status_code == 400
    assert "answer_wants_home" in missing.json()
    created = client.post(url(case, "assessments/"), {
        "assessed_on": today(), "answers": {"wants_home": False, "skills": ["sewing"]},
        "can_return_home": "No", "return_barriers": ["FamilyRefuses", "SecurityRisk"],
    }, content_type=JSON)
    assert created.status_code == 201, created.content
    listed = client.get(url(case, "assessments/")).json()
    assert [row["id"] for row in listed] == [created.json()["id"]]
    assert listed[0]["return_barriers"] == ["FamilyRefuses", "SecurityRisk"]
