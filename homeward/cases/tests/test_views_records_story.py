"""The trafficking story tab: events in date order, added, changed and
removed through the services by the people working on the case."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.choices import TeamRole
from homeward.cases.models import TraffickingEvent
from homeward.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"code": case.code, **kwargs})


def _event(case, actor, **values):
    defaults = {"type": "Recruitment", "country": "RU", "city": "Kazan"}
    return services.event_create(actor=actor, case=case, **{**defaults, **values})


def _event_data(**values):
    data = {
        "type": "Exploitation", "date": "2025-06-01", "end_date": "2025-11-30",
        "duration_days": "", "country": "TR", "state": "", "city": "Istanbul",
        "recruiter_relationship": "", "worked_in_transit": "unknown",
        "official_checkpoint_crossed": "unknown",
        "exploitation_types": ["ForcedLabour", "Servitude"],
        "forced_labour_industry": "I_AccommodationAndFoodServiceActivities",
        "methods_of_control": ["WithholdsDocuments", "DebtBondage"],
        "description": "Kept in a hotel laundry; passport taken on arrival.",
    }
    data.update(values)
    return data


def _views_of(case, tab):
    return [
        entry for entry in AuditEntry.objects.filter(
            action=Action.VIEW, target_type="cases.Case", target_id=str(case.pk)
        )
        if entry.detail.get("tab") == tab
    ]


# Who may


def test_outsider_gets_404_on_every_story_page(cast, login):
    case = open_case(cast)
    event = _event(case, cast.user(Role.CASE_WORKER))
    client = login(cast.user(Role.CASE_WORKER, "away"))
    assert client.get(_url("cases:case-story", case)).status_code == 404
    assert client.get(_url("cases:event-create", case)).status_code == 404
    assert client.get(_url("cases:event-edit", case, pk=event.pk)).status_code == 404
    response = client.post(_url("cases:event-delete", case, pk=event.pk))
    assert response.status_code == 404
    assert TraffickingEvent.objects.filter(pk=event.pk).exists()


def test_team_member_not_on_the_team_and_researcher_get_404(cast, login):
    case = open_case(cast)
    for role in (Role.HOTLINE_OPERATOR, Role.RESEARCHER, Role.ORG_ADMIN):
        response = login(cast.user(role)).get(_url("cases:case-story", case))
        assert response.status_code == 404, role


def test_event_of_another_case_is_404(cast, login):
    case, other = open_case(cast), open_case(cast)
    event = _event(other, cast.user(Role.CASE_WORKER))
    response = login(cast.user(Role.CASE_WORKER)).get(
        _url("cases:event-edit", case, pk=event.pk)
    )
    assert response.status_code == 404


def test_story_pages_answer_405_to_other_methods(cast, login):
    case = open_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.post(_url("cases:case-story", case)).status_code == 405
    assert client.put(_url("cases:event-create", case)).status_code == 405
    event = _event(case, cast.user(Role.CASE_WORKER))
    assert client.patch(_url("cases:event-delete", case, pk=event.pk)).status_code == 405


# The story


def test_story_shows_events_in_date_order_with_their_details(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, exploitation_types=["ForcedLabour"], destination_country="TR")
    _event(case, worker, type="Exploitation", date=datetime.date(2025, 6, 1), country="TR",
           city="Istanbul", exploitation_types=["ForcedLabour"],
           methods_of_control=["WithholdsDocuments"], description="Laundry in the basement")
    _event(case, worker, type="Transit", date=datetime.date(2025, 5, 20), country="GE",
           transport_modes=["Bus", "Plane"], worked_in_transit=False,
           official_checkpoint_crossed=True)
    _event(case, worker, type="Recruitment", date=datetime.date(2025, 5, 1),
           recruitment_channels=["Internet"], recruiter_relationship="Acquainted")
    page = login(worker).get(_url("cases:case-story", case)).content.decode()
    recruitment, transit, exploitation = (
        page.index("Acquaintance"), page.index("Plane, Bus"), page.index("Laundry")
    )
    assert recruitment < transit < exploitation
    assert "Confiscated documents" in page
    assert "Forced labour" in page  # the case-level summary and the event
    assert "Crossed an official border checkpoint" in page


def test_every_look_at_the_story_is_audited(cast, login):
    case = open_case(cast)
    login(cast.user(Role.COORDINATOR)).get(_url("cases:case-story", case))
    views = _views_of(case, "story")
    assert len(views) == 1
    assert views[0].actor_name == "coordinator@home"


# Adding, changing, removing


def test_case_worker_adds_an_exploitation_event(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:event-create", case), _event_data()
    )
    assert response.status_code == 302
    assert response["Location"] == _url("cases:case-story", case)
    event = TraffickingEvent.objects.get(case=case)
    assert event.type == "Exploitation"
    assert event.date == datetime.date(2025, 6, 1)
    assert event.country.code == "TR"
    assert event.exploitation_types == ["ForcedLabour", "Servitude"]
    assert event.methods_of_control == ["DebtBondage", "WithholdsDocuments"]
    assert event.worked_in_transit is None
    assert event.description.startswith("Kept in a hotel laundry")
    assert event.recorded_by == cast.user(Role.CASE_WORKER)


def test_new_event_form_is_grouped_by_stage_and_preselects_the_type(cast, login):
    case = open_case(cast)
    page = login(cast.user(Role.CASE_WORKER)).get(
        _url("cases:event-create", case) + "?type=Transit"
    ).content.decode()
    assert '<option value="Transit" selected>' in page
    assert 'data-show-values="Transit"' in page
    assert 'type="checkbox" name="transport_modes"' in page
    assert "records.js" in page


def test_end_before_start_is_refused_and_nothing_saved(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:event-create", case), _event_data(end_date="2025-01-01")
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not TraffickingEvent.objects.filter(case=case).exists()


def test_unknown_multichoice_value_is_refused(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:event-create", case), _event_data(exploitation_types=["Piracy"])
    )
    assert response.status_code == 200
    assert not TraffickingEvent.objects.filter(case=case).exists()


def test_assigned_shelter_staff_adds_an_event(cast, login):
    case = open_case(cast)
    staff = cast.user(Role.SHELTER_STAFF)
    services.case_assign(actor=cast.user(Role.CASE_WORKER), case=case, user=staff,
                         role=TeamRole.SHELTER)
    response = login(staff).post(_url("cases:event-create", case), _event_data())
    assert response.status_code == 302
    assert TraffickingEvent.objects.get(case=case).recorded_by == staff


def test_edit_form_shows_the_event_and_saves_changes(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    event = _event(case, worker, recruitment_channels=["Internet"])
    client = login(worker)
    page = client.get(_url("cases:event-edit", case, pk=event.pk)).content.decode()
    assert re.search(r'name="recruitment_channels" value="Internet"[^>]* checked', page)
    response = client.post(
        _url("cases:event-edit", case, pk=event.pk),
        _event_data(type="Recruitment", recruitment_channels=["EmploymentAgency"],
                    exploitation_types=[], methods_of_control=[], forced_labour_industry="",
                    date="2025-04-01", end_date=""),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.recruitment_channels == ["EmploymentAgency"]
    assert event.date == datetime.date(2025, 4, 1)


def test_delete_asks_first_then_removes_the_event(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    event = _event(case, worker)
    client = login(worker)
    confirm = client.get(_url("cases:event-delete", case, pk=event.pk))
    assert confirm.status_code == 200
    assert TraffickingEvent.objects.filter(pk=event.pk).exists()
    response = client.post(_url("cases:event-delete", case, pk=event.pk))
    assert response.status_code == 302
    assert not TraffickingEvent.objects.filter(pk=event.pk).exists()
    assert AuditEntry.objects.filter(action=Action.DELETE,
                                     target_type="cases.TraffickingEvent").exists()
