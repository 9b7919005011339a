"""The referral API (reintegration/api/referrals.py): the queues, sending,
one referral with what of the case its reader may see, its export, and
the answers — above all, that a receiver without the person's consent never
gets a name, date of birth, contacts or documents.

Every audience on every operation: ``access_expectations_api.py``.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.choices import ConsentPurpose
from homeward.cases.models import Case
from homeward.cases.tests.factories import give_consent, open_case
from homeward.reintegration.choices import (
    IDENTIFYING_PARTS,
    MINIMUM_PARTS,
    ReferralStatus,
    SharedPart,
)
from homeward.reintegration.models import Referral
from homeward.reintegration.tests.access_expectations_api import partner
from homeward.reintegration.tests.factories import directory_entry_for, make_referral

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reintegration/referrals/"
ALL_IDENTIFYING = [*MINIMUM_PARTS, *IDENTIFYING_PARTS]


def detail_url(referral: Referral, action: str = "") -> str:
    return f"{LIST}{referral.pk}/{action + '/' if action else ''}"


def named_case(cast: Any) -> Case:
    """A HOME case of a person with a name, a birth date, a phone and a passport."""
    return open_case(
        cast, cast.user(Role.CASE_WORKER), last_name="Секретова", last_name_latin="Sekretova",
        birth_date=datetime.date(1990, 4, 5), phones=["+79001234567"],
        identity_documents=[{"kind": "Passport", "number": "4510123456"}],
    )


def consent_for(case: Case, organisation: Any, cast: Any) -> None:
    give_consent(case, cast.user(Role.CASE_WORKER), ConsentPurpose.DATA_SHARING,
                 organisation=organisation)


def shows_no_identity(body: bytes) -> None:
    text = body.decode()
    for secret in ("Секретова", "Sekretova", "1990-04-05", "79001234567", "4510123456"):
        assert secret not in text, secret


# --- consent gating of identifying fields ---------------------------------------------


def test_receiver_without_consent_gets_no_name_from_the_detail(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation, shared_parts=ALL_IDENTIFYING)
    response = login(yar.user(Role.REINTEGRATION_WORKER)).get(detail_url(referral))
    assert response.status_code == 200
    shared = response.json()["shared"]
    assert shared["code"] == referral.case.code
    assert shared["names"] is None
    assert shared["birth_date"] is None
    assert shared["contacts"] is None
    assert shared["documents"] is None
    assert len(shared["withheld"]) == 4
    shows_no_identity(response.content)


def test_receiver_without_consent_gets_no_name_from_the_export(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation, shared_parts=ALL_IDENTIFYING)
    response = login(yar.user(Role.CASE_WORKER)).get(detail_url(referral, "export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["shared"]["names"] is None
    shows_no_identity(response.content)
    assert AuditEntry.objects.filter(action=Action.EXPORT, target_id=str(referral.pk)).exists()


def test_consent_for_another_organisation_does_not_open_the_names(cast, login):
    yar = partner()
    case = named_case(cast)
    consent_for(case, cast.away, cast)
    referral = make_referral(case, yar.organisation, shared_parts=ALL_IDENTIFYING)
    response = login(yar.user(Role.REINTEGRATION_WORKER)).get(detail_url(referral))
    shows_no_identity(response.content)


def test_receiver_with_consent_for_its_organisation_sees_the_shared_identity(cast, login):
    yar = partner()
    case = named_case(cast)
    consent_for(case, yar.organisation, cast)
    referral = make_referral(case, yar.organisation, shared_parts=ALL_IDENTIFYING)
    client = login(yar.user(Role.REINTEGRATION_WORKER))
    shared = client.get(detail_url(referral)).json()["shared"]
    assert shared["names"]["last_name"] == "Секретова"
    assert shared["names"]["last_name_latin"] == "Sekretova"
    assert shared["birth_date"] == "1990-04-05"
    assert shared["contacts"]["phones"] == ["+79001234567"]
    assert shared["documents"] == [{"kind": "Passport", "number": "4510123456"}]
    assert shared["withheld"] == []
    export = client.get(detail_url(referral, "export")).json()
    assert export["shared"]["names"]["last_name"] == "Секретова"


def test_consent_does_not_share_parts_the_sender_did_not_choose(cast, login):
    yar = partner()
    case = named_case(cast)
    consent_for(case, yar.organisation, cast)
    referral = make_referral(case, yar.organisation)
    response = login(yar.user(Role.REINTEGRATION_WORKER)).get(detail_url(referral))
    assert response.json()["shared"]["names"] is None
    shows_no_identity(response.content)


def test_pending_referral_shows_the_receiver_only_the_minimum(cast, login):
    yar = partner()
    case = named_case(cast)
    consent_for(case, yar.organisation, cast)
    referral = make_referral(case, yar.organisation, status=ReferralStatus.PENDING,
                             shared_parts=[*ALL_IDENTIFYING, SharedPart.ORIGIN])
    shared = login(yar.user(Role.REINTEGRATION_WORKER)).get(detail_url(referral)).json()["shared"]
    assert sorted(shared["parts"]) == sorted(MINIMUM_PARTS)
    assert shared["names"] is None
    assert shared["origin"] is None


def test_the_list_rows_carry_the_case_code_never_a_name(cast, login):
    yar = partner()
    case = named_case(cast)
    consent_for(case, yar.organisation, cast)
    make_referral(case, yar.organisation, shared_parts=ALL_IDENTIFYING)
    response = login(yar.user(Role.REINTEGRATION_WORKER)).get(f"{LIST}?box=in")
    assert response.status_code == 200
    assert [row["case"] for row in response.json()["results"]] == [case.code]
    shows_no_identity(response.content)


def test_reading_a_referral_is_audited(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation)
    login(yar.user(Role.REINTEGRATION_WORKER)).get(detail_url(referral))
    assert AuditEntry.objects.filter(action=Action.VIEW, target_id=str(referral.pk)).exists()


# --- sending ------------------------------------------------------------------------------


def send(client: Any, case: Case, entry: Any, **extra: Any) -> Any:
    body = {"case": case.code, "receiver_entry": entry.pk, "purposes": ["Reintegration"],
            "needs": ["Housing"], **extra}
    return client.post(LIST, body, content_type="application/json")


def test_sending_identifying_parts_without_consent_is_refused(cast, login):
    yar = partner()
    client = login(cast.user(Role.CASE_WORKER))
    response = send(client, named_case(cast), yar.entry, shared_parts=["Names"])
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_sending_with_the_minimum_and_the_receiver_accepting(cast, login):
    yar = partner()
    case = named_case(cast)
    response = send(login(cast.user(Role.CASE_WORKER)), case, yar.entry)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "Pending"
    assert set(MINIMUM_PARTS) <= set(body["shared_parts"])
    assert body["receiver"]["code"] == "YAR"
    referral = Referral.objects.get(pk=body["id"])
    accepted = login(yar.user(Role.REINTEGRATION_WORKER)).post(
        detail_url(referral, "accept"), {}, content_type="application/json"
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "Accepted"
    shows_no_identity(accepted.content)


def test_sending_names_with_consent_lets_the_receiver_read_them_once_accepted(cast, login):
    yar = partner()
    case = named_case(cast)
    consent_for(case, yar.organisation, cast)
    response = send(login(cast.user(Role.CASE_WORKER)), case, yar.entry,
                    shared_parts=["Names"])
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=response.json()["id"])
    client = login(yar.user(Role.CASE_WORKER))
    assert client.get(detail_url(referral)).json()["shared"]["names"] is None  # pending
    client.post(detail_url(referral, "accept"), {}, content_type="application/json")
    assert client.get(detail_url(referral)).json()["shared"]["names"]["last_name"] == "Секретова"


def test_a_transfer_needs_the_person_s_consent_for_the_receiver(cast, login):
    yar = partner()
    case = named_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    refused = send(client, case, yar.entry, kind="Transfer")
    assert refused.status_code == 400
    consent_for(case, yar.organisation, cast)
    sent = send(client, case, yar.entry, kind="Transfer")
    assert sent.status_code == 201, sent.content
    assert sent.json()["kind"] == "Transfer"
    assert set(IDENTIFYING_PARTS) <= set(sent.json()["shared_parts"])


def test_sending_to_a_directory_entry_without_an_organisation_is_refused(cast, login):
    entry = directory_entry_for(cast.away)
    entry.organisation = None
    entry.save()
    response = send(login(cast.user(Role.CASE_WORKER)), named_case(cast), entry)
    assert response.status_code == 400
    assert "receiver_entry" in response.json()


def test_a_team_member_who_does_not_manage_the_case_may_not_send(cast, login):
    yar = partner()
    response = send(login(cast.user(Role.RESEARCHER)), named_case(cast), yar.entry)
    assert response.status_code == 404


# --- answers: decline, revoke, complete -------------------------------------------------


def test_decline_needs_a_reason_and_then_hides_the_case(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation, status=ReferralStatus.PENDING)
    client = login(yar.user(Role.REINTEGRATION_WORKER))
    refused = client.post(detail_url(referral, "decline"), {}, content_type="application/json")
    assert refused.status_code == 400
    declined = client.post(detail_url(referral, "decline"), {"reason": "Not our region"},
                           content_type="application/json")
    assert declined.status_code == 200
    body = declined.json()
    assert body["status"] == "Declined"
    assert body["decline_reason"] == "Not our region"
    assert body["shared"]["code"] == ""
    assert body["shared"]["parts"] == []


def test_only_the_sender_revokes_and_the_receiver_then_sees_nothing(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation)
    receiver = yar.user(Role.REINTEGRATION_WORKER)
    response = login(receiver).post(detail_url(referral, "revoke"), {"reason": "x"},
                                    content_type="application/json")
    assert response.status_code == 403
    revoked = login(cast.user(Role.COORDINATOR)).post(
        detail_url(referral, "revoke"), {"reason": "The person moved"},
        content_type="application/json",
    )
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "Revoked"
    after = login(receiver).get(detail_url(referral)).json()
    assert after["status"] == "Revoked"
    assert after["shared"]["parts"] == []


def test_the_sender_may_not_accept_its_own_referral(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation, status=ReferralStatus.PENDING)
    response = login(cast.user(Role.CASE_WORKER)).post(
        detail_url(referral, "accept"), {}, content_type="application/json"
    )
    assert response.status_code == 403


def test_answering_twice_is_refused_with_a_message(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation)
    response = login(yar.user(Role.REINTEGRATION_WORKER)).post(
        detail_url(referral, "accept"), {}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()


def test_complete_by_the_receiver(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation)
    response = login(yar.user(Role.COORDINATOR)).post(detail_url(referral, "complete"))
    assert response.status_code == 200
    assert response.json()["status"] == "Completed"


# --- who may ------------------------------------------------------------------------------


def test_outsiders_get_404(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation)
    client = login(cast.user(Role.CASE_WORKER, "away"))
    assert client.get(detail_url(referral)).status_code == 404
    assert client.get(detail_url(referral, "export")).status_code == 404
    assert client.post(detail_url(referral, "revoke"), {"reason": "x"},
                       content_type="application/json").status_code == 404


def test_roles_without_referral_work_get_403_for_the_list(cast, login):
    assert login(cast.user(Role.RESEARCHER)).get(LIST).status_code == 403


def test_anonymous_callers_get_403(client):
    assert client.get(LIST).status_code == 403


def test_a_referral_is_not_edited_in_place(cast, login):
    yar = partner()
    referral = make_referral(named_case(cast), yar.organisation)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.patch(detail_url(referral), {}, content_type="application/json").status_code \
        == 405
    assert client.delete(detail_url(referral)).status_code == 405
