"""The repatriation tab: travel document, journey, welcome, escort,
destination, costs; and the moves, with a minor never moved unescorted."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.choices import ConsentGivenBy, TravelDocumentStatus
from homeward.cases.models import Move, Repatriation
from homeward.cases.tests.factories import give_consent, open_case, open_minor_case
from homeward.directory.models import EntryKind
from homeward.directory.tests.factories import make_entry

pytestmark = pytest.mark.django_db


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"code": case.code, **kwargs})


def _consented_case(cast, minor=False):
    worker = cast.user(Role.CASE_WORKER)
    case = open_minor_case(cast) if minor else open_case(cast)
    extra = {"given_by": ConsentGivenBy.GUARDIAN, "given_by_name": "Мать"} if minor else {}
    give_consent(case, worker, **extra)
    return case


def _repatriation_data(**values):
    today = timezone.localdate()
    data = {
        "document_status": "Issued", "document_authority": "",
        "document_applied_on": (today - datetime.timedelta(days=10)).isoformat(),
        "document_issued_on": (today - datetime.timedelta(days=3)).isoformat(),
        "itinerary": "TK 413 Istanbul–Moscow", "departure_on": "", "arrival_on": "",
        "arrival_place": "Sheremetyevo airport", "met_by": "Anna, TVAC",
        "escort_name": "", "escort_organisation": "", "destination_kind": "NewRegion",
        "destination_region": "Tver region", "destination_city": "Tver", "cost": "412.50",
        "cost_currency": "eur", "notes": "",
    }
    data.update(values)
    return data


def _move_data(**values):
    data = {
        "kind": "ToShelter", "moved_on": timezone.localdate().isoformat(),
        "from_place": "Sheremetyevo airport", "to_place": "Shelter", "escort_name": "",
        "escort_organisation": "", "notes": "",
    }
    data.update(values)
    return data


def test_outsider_gets_404(cast, login):
    case = _consented_case(cast)
    client = login(cast.user(Role.CASE_WORKER, "away"))
    assert client.get(_url("cases:case-repatriation", case)).status_code == 404
    assert client.post(_url("cases:repatriation-create", case),
                       _repatriation_data()).status_code == 404
    assert client.post(_url("cases:move-create", case), _move_data()).status_code == 404
    assert not Repatriation.objects.exists()
    assert not Move.objects.exists()


def test_team_member_not_on_the_team_gets_404(cast, login):
    case = _consented_case(cast)
    response = login(cast.user(Role.REINTEGRATION_WORKER)).get(
        _url("cases:move-create", case)
    )
    assert response.status_code == 404


def test_repatriation_pages_answer_405_to_other_methods(cast, login):
    case = _consented_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.post(_url("cases:case-repatriation", case)).status_code == 405
    assert client.put(_url("cases:repatriation-create", case)).status_code == 405
    assert client.patch(_url("cases:move-create", case)).status_code == 405


def test_case_worker_records_the_new_document_and_the_arrival(cast, login):
    case = _consented_case(cast)
    consulate = make_entry(cast.away, kind=EntryKind.EMBASSY,
                           name_en="Consulate General of Russia in Istanbul")
    client = login(cast.user(Role.CASE_WORKER))
    form = client.get(_url("cases:repatriation-create", case)).content.decode()
    assert "Consulate General of Russia in Istanbul" in form
    response = client.post(
        _url("cases:repatriation-create", case),
        _repatriation_data(document_authority=str(consulate.pk)),
    )
    assert response.status_code == 302
    repatriation = Repatriation.objects.get(case=case)
    assert repatriation.document_status == TravelDocumentStatus.ISSUED
    assert repatriation.document_authority == consulate
    assert repatriation.arrival_place == "Sheremetyevo airport"
    assert repatriation.destination_city == "Tver"
    assert repatriation.cost == Decimal("412.50")
    assert repatriation.cost_currency == "EUR"
    page = client.get(_url("cases:case-repatriation", case)).content.decode()
    assert "Sheremetyevo airport" in page
    assert "Consulate General of Russia in Istanbul" in page


def test_repatriation_without_assistance_consent_is_refused(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:repatriation-create", case), _repatriation_data()
    )
    assert response.status_code == 200
    assert "consent to assistance" in response.content.decode()
    assert not Repatriation.objects.exists()


def test_repatriation_edit_saves_the_arrival(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = _consented_case(cast)
    repatriation = services.repatriation_record(
        actor=worker, case=case, document_status=TravelDocumentStatus.APPLIED
    )
    client = login(worker)
    assert client.get(_url("cases:repatriation-edit", case, pk=repatriation.pk)).status_code \
        == 200
    response = client.post(
        _url("cases:repatriation-edit", case, pk=repatriation.pk),
        _repatriation_data(met_by="Olga"),
    )
    assert response.status_code == 302
    repatriation.refresh_from_db()
    assert repatriation.met_by == "Olga"
    assert repatriation.document_status == TravelDocumentStatus.ISSUED


def test_a_minor_shows_that_an_escort_is_required(cast, login):
    case = _consented_case(cast, minor=True)
    client = login(cast.user(Role.CASE_WORKER))
    for name in ("cases:repatriation-create", "cases:move-create"):
        page = client.get(_url(name, case)).content.decode()
        assert "An escort is required" in page, name
    adult = _consented_case(cast)
    assert "An escort is required" not in client.get(
        _url("cases:move-create", adult)
    ).content.decode()


def test_moving_a_minor_without_escort_is_refused(cast, login):
    case = _consented_case(cast, minor=True)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:move-create", case), _move_data()
    )
    assert response.status_code == 200
    assert "a move needs an escort" in response.content.decode()
    assert not Move.objects.exists()


def test_repatriating_a_minor_without_escort_is_refused(cast, login):
    case = _consented_case(cast, minor=True)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:repatriation-create", case), _repatriation_data()
    )
    assert response.status_code == 200
    assert "a move needs an escort" in response.content.decode()
    assert not Repatriation.objects.exists()


def test_a_minor_moves_with_an_escort(cast, login):
    case = _consented_case(cast, minor=True)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:move-create", case),
        _move_data(escort_name="Irina", escort_organisation="TVAC"),
    )
    assert response.status_code == 302
    move = Move.objects.get(case=case)
    assert move.escort_name == "Irina"
    assert move.to_place == "Shelter"


def test_looking_at_the_repatriation_tab_is_audited(cast, login):
    case = _consented_case(cast)
    login(cast.user(Role.COORDINATOR)).get(_url("cases:case-repatriation", case))
    assert [
        e for e in AuditEntry.objects.filter(action=Action.VIEW, target_type="cases.Case",
                                             target_id=str(case.pk))
        if e.detail.get("tab") == "repatriation"
    ]
