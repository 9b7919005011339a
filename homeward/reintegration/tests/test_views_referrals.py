"""Referral pages: send with the minimum, identifying parts only with
consent (refused with a clear message and nothing saved), transfer as a
distinct consented action, accept, decline with a reason, revoke, complete,
assign, the export without names when there is no consent, the queues —
and outsider 404, wrong role 403, wrong method 405."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.choices import ConsentPurpose
from homeward.cases.tests.factories import give_consent, open_case
from homeward.core.tests.test_access_matrix import _client_for, _outcome, _request, _url
from homeward.reintegration.choices import (
    MINIMUM_PARTS,
    ReferralKind,
    ReferralPurpose,
    ReferralStatus,
    SharedPart,
)
from homeward.reintegration.models import Referral
from homeward.reintegration.tests import access_expectations_referrals
from homeward.reintegration.tests.factories import make_referral, partner_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def yar() -> Any:
    return partner_organisation("YAR")


@pytest.fixture
def case(cast: Any) -> Any:
    return open_case(cast, cast.user(Role.CASE_WORKER), first_name="Мария",
                     last_name="Неизвестнова")


def _detail(referral: Referral, name: str = "referral-detail") -> str:
    return reverse(f"reintegration:{name}", kwargs={"pk": referral.pk})


def _new(case: Any, name: str = "referral-new") -> str:
    return reverse(f"reintegration:{name}", kwargs={"code": case.code})


def _consent(cast: Any, case: Any, organisation: Any) -> None:
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=organisation)


def _form(entry: Any, **extra: Any) -> dict[str, Any]:
    return {"receiver": entry.pk, "reason": "AdditionalServicesRequired",
            "purposes": [ReferralPurpose.REINTEGRATION], **extra}


def _reload(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


# --- who may ------------------------------------------------------------------------


def test_the_access_expectations_of_referrals_hold(cast: Any) -> None:
    """The access matrix, for this module's URLs only."""
    failures = []
    for expect in access_expectations_referrals.EXPECTATIONS:
        audiences = [("anonymous", None, expect.anonymous),
                     ("site admin", cast.site_admin, expect.site_admin)]
        for role in Role.values:
            for org, same in (("home", True), ("away", False)):
                audiences.append((f"{role}@{org}", cast.user(role, org),
                                  expect.expected_for(role, same_organisation=same)))
        kwargs = expect.kwargs(cast) if expect.kwargs else {}
        for label, user, wanted in audiences:
            if expect.fresh and expect.kwargs:
                kwargs = expect.kwargs(cast)
            got = _outcome(_request(_client_for(user), expect.method, _url(expect, kwargs)))
            if got != wanted:
                failures.append(f"{expect.method} {expect.name} as {label}: {got} != {wanted}")
        response = _request(_client_for(cast.site_admin), "PATCH", _url(expect, kwargs))
        if response.status_code != 405:
            failures.append(f"PATCH {expect.name}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_outsider_gets_404_everywhere(cast: Any, login: Any, case: Any, yar: Any) -> None:
    referral = make_referral(case, yar.organisation, status=ReferralStatus.PENDING)
    client = login(cast.user(Role.CASE_WORKER, "away"))
    assert client.get(_detail(referral)).status_code == 404
    assert client.post(_detail(referral, "referral-accept")).status_code == 404
    assert client.get(_detail(referral, "referral-export")).status_code == 404
    assert client.get(_new(case)).status_code == 404
    assert client.post(_new(case), _form(yar.entry)).status_code == 404
    assert _reload(referral).status == ReferralStatus.PENDING
    assert Referral.objects.count() == 1


def test_sender_may_not_answer_and_receiver_may_not_revoke(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    referral = make_referral(case, yar.organisation, status=ReferralStatus.PENDING)
    sender = login(cast.user(Role.CASE_WORKER))
    assert sender.post(_detail(referral, "referral-accept")).status_code == 403
    assert sender.post(_detail(referral, "referral-decline"), {"reason": "x"}).status_code == 403
    receiver = login(yar.user(Role.REINTEGRATION_WORKER))
    assert receiver.post(_detail(referral, "referral-revoke"),
                         {"reason": "x"}).status_code == 403
    assert _reload(referral).status == ReferralStatus.PENDING


def test_roles_that_neither_send_nor_answer_get_403_on_the_queues(
    cast: Any, login: Any,
) -> None:
    for role in (Role.RESEARCHER, Role.SHELTER_STAFF, Role.ORG_ADMIN):
        assert login(cast.user(role)).get(
            reverse("reintegration:referral-list")).status_code == 403


def test_wrong_method_is_405(cast: Any, login: Any, case: Any, yar: Any) -> None:
    referral = make_referral(case, yar.organisation, status=ReferralStatus.PENDING)
    client = login(yar.user(Role.REINTEGRATION_WORKER))
    assert client.get(_detail(referral, "referral-accept")).status_code == 405
    assert client.post(_detail(referral, "referral-export")).status_code == 405


# --- sending ------------------------------------------------------------------------


def test_sends_a_referral_with_the_minimum(cast: Any, login: Any, case: Any, yar: Any) -> None:
    client = login(cast.user(Role.CASE_WORKER))
    page = client.get(_new(case))
    assert page.status_code == 200
    assert yar.entry.name_en in page.content.decode()
    response = client.post(_new(case), _form(yar.entry, needs=["Housing"]))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(referral)
    assert referral.kind == ReferralKind.REFERRAL
    assert referral.status == ReferralStatus.PENDING
    assert referral.receiver == yar.organisation
    assert referral.receiver_entry == yar.entry
    assert list(referral.shared_parts) == list(MINIMUM_PARTS)
    assert referral.answer_due_on == timezone.localdate() + datetime.timedelta(days=7)


def test_the_minimum_is_ticked_and_locked_and_identifying_parts_explained(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    client = login(cast.user(Role.CASE_WORKER))
    page = client.get(_new(case), {"receiver": yar.entry.pk}).content.decode()
    assert 'value="CaseCode" checked disabled' in page
    assert 'value="Names" disabled' in page
    assert "No consent to share data with" in page
    _consent(cast, case, yar.organisation)
    page = client.get(_new(case), {"receiver": yar.entry.pk}).content.decode()
    assert 'value="Names" disabled' not in page
    assert "consent to share data with" in page
    assert "is on record" in page


def test_the_parts_alone_are_rendered_for_htmx(cast: Any, login: Any, case: Any,
                                               yar: Any) -> None:
    client = login(cast.user(Role.CASE_WORKER))
    page = client.get(_new(case), {"receiver": yar.entry.pk}, HTTP_HX_REQUEST="true")
    body = page.content.decode()
    assert body.lstrip().startswith('<div id="shared-parts"')
    assert "<html" not in body


def test_identifying_parts_are_refused_without_consent_and_nothing_is_saved(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_new(case), _form(yar.entry, shared_parts=[SharedPart.NAMES]))
    assert response.status_code == 200
    assert "has not consented to sharing their data" in response.content.decode()
    assert not Referral.objects.exists()


def test_identifying_parts_are_shared_with_consent(cast: Any, login: Any, case: Any,
                                                   yar: Any) -> None:
    _consent(cast, case, yar.organisation)
    client = login(cast.user(Role.CASE_WORKER))
    client.post(_new(case), _form(yar.entry, shared_parts=[SharedPart.NAMES]))
    referral = Referral.objects.get()
    assert SharedPart.NAMES in referral.shared_parts
    assert set(MINIMUM_PARTS) <= set(referral.shared_parts)


def test_a_referral_needs_a_purpose(cast: Any, login: Any, case: Any, yar: Any) -> None:
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_new(case), _form(yar.entry, purposes=[]))
    assert response.status_code == 200
    assert "Choose at least one purpose." in response.content.decode()
    assert not Referral.objects.exists()


def test_the_check_button_shows_the_form_again_without_sending(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_new(case), _form(yar.entry, check="1"))
    assert response.status_code == 200
    assert "No consent to share data with" in response.content.decode()
    assert not Referral.objects.exists()


def test_only_organisations_of_the_directory_can_be_chosen(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    own = partner_organisation("OWN")
    own.entry.organisation = cast.home
    own.entry.save()
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_new(case), _form(own.entry))
    assert response.status_code == 200
    assert not Referral.objects.exists()


# --- transfer -----------------------------------------------------------------------


def test_the_transfer_page_says_the_case_moves_and_needs_consent(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    client = login(cast.user(Role.CASE_WORKER))
    page = client.get(_new(case, "transfer-new")).content.decode()
    assert "the whole case moves" in page
    assert "It needs the person's consent to share data with that organisation" in page
    assert 'name="shared_parts"' not in page
    response = client.post(_new(case, "transfer-new"), _form(yar.entry))
    assert response.status_code == 200
    assert "has not consented to sharing their data" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_consented_transfer_is_proposed_and_moves_the_case_on_acceptance(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    _consent(cast, case, yar.organisation)
    client = login(cast.user(Role.CASE_WORKER))
    client.post(_new(case, "transfer-new"), _form(yar.entry))
    referral = Referral.objects.get()
    assert referral.kind == ReferralKind.TRANSFER
    assert set(referral.shared_parts) == set(SharedPart.values)
    receiver = login(yar.user(Role.CASE_WORKER))
    assert "If you accept, the case becomes your organisation" in (
        receiver.get(_detail(referral)).content.decode())
    response = receiver.post(_detail(referral, "referral-accept"))
    assert response["Location"] == reverse("cases:case-detail", kwargs={"code": case.code})
    case.refresh_from_db()
    assert case.organisation == yar.organisation


# --- answering ----------------------------------------------------------------------


def test_the_receiver_sees_the_minimum_while_pending_and_no_name(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    _consent(cast, case, yar.organisation)
    referral = make_referral(case, yar.organisation, status=ReferralStatus.PENDING,
                             shared_parts=[*MINIMUM_PARTS, SharedPart.NAMES])
    page = login(yar.user(Role.REINTEGRATION_WORKER)).get(_detail(referral))
    body = page.content.decode()
    assert page.status_code == 200
    assert case.code in body
    assert "Неизвестнова" not in body
    assert 'action="' + _detail(referral, "referral-accept") in body


def test_accepting_shows_the_shared_parts(cast: Any, login: Any, case: Any, yar: Any) -> None:
    _consent(cast, case, yar.organisation)
    referral = make_referral(case, yar.organisation, status=ReferralStatus.PENDING,
                             shared_parts=[*MINIMUM_PARTS, SharedPart.NAMES])
    worker = yar.user(Role.REINTEGRATION_WORKER)
    client = login(worker)
    response = client.post(_detail(referral, "referral-accept"), {"assignee": worker.pk})
    assert response["Location"] == _detail(referral)
    referral = _reload(referral)
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.assignee == worker
    assert "Неизвестнова" in client.get(_detail(referral)).content.decode()


def test_accepting_twice_is_refused_with_a_message(cast: Any, login: Any, case: Any,
                                                   yar: Any) -> None:
    referral = make_referral(case, yar.organisation, status=ReferralStatus.DECLINED)
    client = login(yar.user(Role.REINTEGRATION_WORKER))
    response = client.post(_detail(referral, "referral-accept"), follow=True)
    assert "already answered or revoked" in response.content.decode()
    assert _reload(referral).status == ReferralStatus.DECLINED


def test_declining_needs_a_reason(cast: Any, login: Any, case: Any, yar: Any) -> None:
    referral = make_referral(case, yar.organisation, status=ReferralStatus.PENDING)
    client = login(yar.user(Role.COORDINATOR))
    assert client.get(_detail(referral, "referral-decline")).status_code == 200
    response = client.post(_detail(referral, "referral-decline"), {"reason": ""})
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    assert _reload(referral).status == ReferralStatus.PENDING
    response = client.post(_detail(referral, "referral-decline"), {"reason": "No places"})
    assert response.status_code == 302
    referral = _reload(referral)
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "No places"
    sender_page = login(cast.user(Role.CASE_WORKER)).get(_detail(referral)).content.decode()
    assert "No places" in sender_page


def test_revoking_hides_the_case_from_the_receiver(cast: Any, login: Any, case: Any,
                                                   yar: Any) -> None:
    referral = make_referral(case, yar.organisation)
    client = login(cast.user(Role.COORDINATOR))
    assert client.get(_detail(referral, "referral-revoke")).status_code == 200
    response = client.post(_detail(referral, "referral-revoke"), {"reason": ""})
    assert response.status_code == 200
    assert _reload(referral).status == ReferralStatus.ACCEPTED
    client.post(_detail(referral, "referral-revoke"), {"reason": "Moved elsewhere"})
    referral = _reload(referral)
    assert referral.status == ReferralStatus.REVOKED
    page = login(yar.user(Role.REINTEGRATION_WORKER)).get(_detail(referral)).content.decode()
    assert "Nothing of the case is shown to you" in page
    assert case.code not in page
    assert "Moved elsewhere" in page


def test_either_side_completes_an_accepted_referral(cast: Any, login: Any, case: Any,
                                                   yar: Any) -> None:
    referral = make_referral(case, yar.organisation)
    login(yar.user(Role.REINTEGRATION_WORKER)).post(_detail(referral, "referral-complete"))
    assert _reload(referral).status == ReferralStatus.COMPLETED


def test_the_receiver_names_its_worker_in_charge(cast: Any, login: Any, case: Any,
                                                 yar: Any) -> None:
    referral = make_referral(case, yar.organisation)
    worker = yar.user(Role.CASE_WORKER)
    client = login(yar.user(Role.COORDINATOR))
    client.post(_detail(referral, "referral-assign"), {"assignee": worker.pk})
    assert _reload(referral).assignee == worker
    outsider = cast.user(Role.CASE_WORKER, "away")
    response = client.post(_detail(referral, "referral-assign"), {"assignee": outsider.pk},
                           follow=True)
    assert response.status_code == 200
    assert _reload(referral).assignee == worker


# --- the shared view and its export ---------------------------------------------------


def test_the_export_holds_no_name_without_consent(cast: Any, login: Any, case: Any,
                                                 yar: Any) -> None:
    referral = make_referral(case, yar.organisation,
                             shared_parts=[*MINIMUM_PARTS, SharedPart.NAMES])
    client = login(yar.user(Role.REINTEGRATION_WORKER))
    response = client.get(_detail(referral, "referral-export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    data = json.loads(body)
    assert data["shared"]["code"] == case.code
    assert "names" not in data["shared"]
    assert "Неизвестнова" not in body
    assert AuditEntry.objects.filter(action=Action.EXPORT, target_id=str(referral.pk)).exists()
    page = client.get(_detail(referral)).content.decode()
    assert "Неизвестнова" not in page
    assert "Hidden because the person's consent" in page


def test_the_export_holds_the_names_with_consent(cast: Any, login: Any, case: Any,
                                                yar: Any) -> None:
    _consent(cast, case, yar.organisation)
    referral = make_referral(case, yar.organisation,
                             shared_parts=[*MINIMUM_PARTS, SharedPart.NAMES])
    data = login(yar.user(Role.REINTEGRATION_WORKER)).get(
        _detail(referral, "referral-export")).json()
    assert data["shared"]["names"]["last_name"] == "Неизвестнова"


def test_viewing_a_referral_is_audited(cast: Any, login: Any, case: Any, yar: Any) -> None:
    referral = make_referral(case, yar.organisation)
    login(yar.user(Role.REINTEGRATION_WORKER)).get(_detail(referral))
    entry = AuditEntry.objects.filter(action=Action.VIEW, target_id=str(referral.pk)).get()
    assert entry.organisation_code == yar.organisation.code
    assert "Неизвестнова" not in json.dumps(entry.detail, ensure_ascii=False)


# --- the queues ---------------------------------------------------------------------


def test_the_queues_show_codes_and_highlight_overdue_answers(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    make_referral(case, yar.organisation, status=ReferralStatus.PENDING,
                  answer_due_on=timezone.localdate() - datetime.timedelta(days=1))
    incoming = login(yar.user(Role.REINTEGRATION_WORKER)).get(
        reverse("reintegration:referral-list"), {"box": "in"}).content.decode()
    assert case.code in incoming
    assert 'class="overdue"' in incoming
    assert "Неизвестнова" not in incoming
    outgoing = login(cast.user(Role.CASE_WORKER)).get(
        reverse("reintegration:referral-list"), {"box": "out"}).content.decode()
    assert case.code in outgoing
    assert "not answered in time" in outgoing
    nothing_in = login(cast.user(Role.CASE_WORKER)).get(
        reverse("reintegration:referral-list"), {"box": "in"}).content.decode()
    assert case.code not in nothing_in


def test_the_queue_filters_by_status(cast: Any, login: Any, case: Any, yar: Any) -> None:
    make_referral(case, yar.organisation, status=ReferralStatus.DECLINED)
    client = login(yar.user(Role.REINTEGRATION_WORKER))
    url = reverse("reintegration:referral-list")
    assert case.code in client.get(url, {"status": "Declined"}).content.decode()
    assert case.code not in client.get(url, {"status": "Pending"}).content.decode()


# --- the dashboard ------------------------------------------------------------------


def test_the_dashboard_counts_referrals_to_answer_and_overdue_answers(
    cast: Any, login: Any, case: Any, yar: Any,
) -> None:
    late = timezone.localdate() - datetime.timedelta(days=2)
    make_referral(case, yar.organisation, status=ReferralStatus.PENDING, answer_due_on=late)
    make_referral(open_case(cast), yar.organisation, status=ReferralStatus.PENDING)
    make_referral(open_case(cast), yar.organisation)
    page = login(yar.user(Role.REINTEGRATION_WORKER)).get(reverse("accounts:dashboard"))
    body = page.content.decode()
    assert "Waiting for your answer" in body
    assert "box=in&amp;status=Pending\">2</a>" in body
    assert '<strong class="status-bad">1</strong>' in body
    sender = login(cast.user(Role.CASE_WORKER)).get(reverse("accounts:dashboard"))
    assert '<a class="status-bad" href="/reintegration/referrals/?box=out&amp;status=Pending">1' \
        in sender.content.decode()
    researcher = login(cast.user(Role.RESEARCHER)).get(reverse("accounts:dashboard"))
    assert "Waiting for your answer" not in researcher.content.decode()
