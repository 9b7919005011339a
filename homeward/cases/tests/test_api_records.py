"""The case API: trafficking events and consents (cases/api/records.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.choices import ConsentPurpose, EventType
from homeward.cases.models import Case, Consent, TraffickingEvent
from homeward.cases.tests.factories import give_consent, open_case
from homeward.cases.tests.test_api import assign, patch, post, url

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def case(cast: Any) -> Case:
    return open_case(cast, cast.user("case_worker"))


@pytest.fixture
def event(case: Case, cast: Any) -> TraffickingEvent:
    return services.event_create(
        actor=cast.user("case_worker"), case=case, type=EventType.RECRUITMENT, country="RU",
        city="Tver", description="An advert for waitresses in Antalya",
    )


def event_url(case: Case, event: TraffickingEvent) -> str:
    return url(case, f"events/{event.pk}/")


# --- events ------------------------------------------------------------------


def test_team_member_records_the_story(case, cast, login):
    assign(cast, case, "shelter_staff")
    client = login(cast.user("shelter_staff"))
    response = post(client, url(case, "events/"), {
        "type": "Transit", "date": "2025-03-01", "country": "ge",
        "transport_modes": ["Plane", "Bus"], "worked_in_transit": False,
        "official_checkpoint_crossed": True,
    })
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["transport_modes"] == ["Plane", "Bus"]
    assert body["country"] == "GE"
    event = TraffickingEvent.objects.get(pk=body["id"])
    assert event.transport_modes == ["Plane", "Bus"]
    assert event.recorded_by == cast.user("shelter_staff")


def test_events_are_listed_and_the_look_is_audited(case, event, cast, login):
    body = login(cast.user("coordinator")).get(url(case, "events/")).json()
    assert [e["id"] for e in body] == [event.pk]
    assert body[0]["description"] == "An advert for waitresses in Antalya"
    assert AuditEntry.objects.filter(action=Action.VIEW, detail__tab="api:events").exists()


def test_event_is_edited_field_by_field(case, event, cast, login):
    response = patch(login(cast.user("case_worker")), event_url(case, event),
                     {"recruitment_channels": ["Internet"], "recruiter_relationship": "Acquainted"})
    assert response.status_code == 200, response.json()
    event.refresh_from_db()
    assert event.recruitment_channels == ["Internet"]
    assert event.city == "Tver"


def test_event_refused_by_the_service_is_400(case, event, cast, login):
    response = patch(login(cast.user("case_worker")), event_url(case, event),
                     {"date": "2025-05-02", "end_date": "2025-05-01"})
    assert response.status_code == 400
    assert "end_date" in response.json()
    event.refresh_from_db()
    assert event.date is None


def test_event_with_an_unknown_picklist_value_is_400(case, cast, login):
    response = post(login(cast.user("case_worker")), url(case, "events/"),
                    {"type": "Exploitation", "exploitation_types": ["Tourism"]})
    assert response.status_code == 400
    assert not TraffickingEvent.objects.exists()


def test_event_is_deleted(case, event, cast, login):
    response = login(cast.user("case_worker")).delete(event_url(case, event))
    assert response.status_code == 204
    assert not TraffickingEvent.objects.exists()
    assert AuditEntry.objects.filter(action=Action.DELETE,
                                     target_type="cases.TraffickingEvent").exists()


def test_event_of_another_case_is_404(case, event, cast, login):
    other = open_case(cast, cast.user("case_worker"))
    client = login(cast.user("case_worker"))
    assert client.get(event_url(other, event)).status_code == 404
    assert client.delete(event_url(other, event)).status_code == 404
    assert TraffickingEvent.objects.exists()


@pytest.mark.parametrize(("role", "org"), [
    ("shelter_staff", "home"),  # not on the team
    ("researcher", "home"),
    ("case_worker", "away"),
])
def test_who_cannot_see_the_case_gets_404_for_events(case, event, cast, login, role, org):
    client = login(cast.user(role, org))
    assert client.get(url(case, "events/")).status_code == 404
    assert client.get(event_url(case, event)).status_code == 404
    assert post(client, url(case, "events/"), {"type": "Transit"}).status_code == 404
    assert patch(client, event_url(case, event), {"city": "X"}).status_code == 404
    assert client.delete(event_url(case, event)).status_code == 404
    assert TraffickingEvent.objects.count() == 1


# --- consents ----------------------------------------------------------------


def test_manager_records_a_consent(case, cast, login):
    response = post(login(cast.user("coordinator")), url(case, "consents/"), {
        "purpose": "DataSharing", "organisation": "AWAY", "decision": "Given",
        "decided_on": TODAY().isoformat(), "form": "Signed",
    })
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["organisation"] == "AWAY"
    assert body["in_force"] is True
    assert body["has_scan"] is False
    assert Consent.objects.get(pk=body["id"]).recorded_by == cast.user("coordinator")


def test_newest_consent_is_the_one_in_force(case, cast, login):
    worker = cast.user("case_worker")
    old = give_consent(case, worker, ConsentPurpose.PHONE_CONTACT)
    new = give_consent(case, worker, ConsentPurpose.PHONE_CONTACT, decision="Withdrawn",
                       decided_on=TODAY())
    body = login(worker).get(url(case, "consents/")).json()
    assert [(c["id"], c["in_force"]) for c in body] == [(new.pk, True), (old.pk, False)]
    assert AuditEntry.objects.filter(action=Action.VIEW, detail__tab="api:consents").exists()


def test_consent_refused_by_the_service_is_400(case, cast, login):
    response = post(login(cast.user("case_worker")), url(case, "consents/"), {
        "purpose": "DataSharing", "decision": "Given", "decided_on": TODAY().isoformat(),
        "form": "Oral",
    })
    assert response.status_code == 400
    assert "organisation" in response.json()
    assert not Consent.objects.exists()


def test_team_member_reads_consents_but_cannot_record_them(case, cast, login):
    assign(cast, case, "hotline_operator")
    client = login(cast.user("hotline_operator"))
    assert client.get(url(case, "consents/")).status_code == 200
    response = post(client, url(case, "consents/"), {
        "purpose": "Statistics", "decision": "Given", "decided_on": TODAY().isoformat(),
        "form": "Oral",
    })
    assert response.status_code == 403
    assert not Consent.objects.exists()


def test_outsider_gets_404_for_consents(case, cast, login):
    client = login(cast.user("coordinator", "away"))
    assert client.get(url(case, "consents/")).status_code == 404
    assert post(client, url(case, "consents/"), {}).status_code == 404
