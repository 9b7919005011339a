"""The justice tab: criminal proceedings, edited with optimistic locking."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services
from homeward.cases.choices import TeamRole
from homeward.cases.models import CriminalProceeding
from homeward.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db

ALLEGATION = "Recruited through a fake job offer for a hotel in Antalya."


def _url(name, case, **kwargs):
    return reverse(name, kwargs={"code": case.code, **kwargs})


def _proceeding(case, actor, **values):
    defaults = {"jurisdiction": "TR", "article": "127.1", "stage": "Investigation",
                "person_role": "Victim", "allegation": ALLEGATION}
    return services.proceeding_create(actor=actor, case=case, **{**defaults, **values})


def _data(**values):
    data = {
        "jurisdiction": "RU", "authority": "Investigative Committee, Moscow",
        "article": "127.2", "article_other": "", "stage": "Court", "stage_since": "",
        "person_role": "VictimAndWitness", "reference": "12-34/2026",
        "protection_measures": "State protection programme", "allegation": ALLEGATION,
        "reported_on": "2026-01-15", "verdict_on": "", "verdict": "",
    }
    data.update(values)
    return data


def test_outsider_gets_404(cast, login):
    case = open_case(cast)
    proceeding = _proceeding(case, cast.user(Role.CASE_WORKER))
    client = login(cast.user(Role.CASE_WORKER, "away"))
    assert client.get(_url("cases:case-justice", case)).status_code == 404
    assert client.post(_url("cases:proceeding-create", case), _data()).status_code == 404
    assert client.get(_url("cases:proceeding-edit", case, pk=proceeding.pk)).status_code == 404
    assert CriminalProceeding.objects.count() == 1


def test_team_member_sees_the_tab_but_may_not_record_proceedings(cast, login):
    case = open_case(cast)
    proceeding = _proceeding(case, cast.user(Role.CASE_WORKER))
    operator = cast.user(Role.HOTLINE_OPERATOR)
    services.case_assign(actor=cast.user(Role.CASE_WORKER), case=case, user=operator,
                         role=TeamRole.HOTLINE)
    client = login(operator)
    tab = client.get(_url("cases:case-justice", case))
    assert tab.status_code == 200
    assert _url("cases:proceeding-create", case) not in tab.content.decode()
    assert client.post(_url("cases:proceeding-create", case), _data()).status_code == 403
    response = client.post(_url("cases:proceeding-edit", case, pk=proceeding.pk),
                           _data(version="1"))
    assert response.status_code == 403
    proceeding.refresh_from_db()
    assert proceeding.version == 1


def test_justice_pages_answer_405_to_other_methods(cast, login):
    case = open_case(cast)
    client = login(cast.user(Role.COORDINATOR))
    assert client.post(_url("cases:case-justice", case)).status_code == 405
    assert client.put(_url("cases:proceeding-create", case)).status_code == 405


def test_coordinator_records_a_proceeding_and_the_tab_shows_the_allegation(cast, login):
    case = open_case(cast)
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(_url("cases:proceeding-create", case), _data())
    assert response.status_code == 302
    proceeding = CriminalProceeding.objects.get(case=case)
    assert proceeding.article == "127.2"
    assert proceeding.person_role == "VictimAndWitness"
    assert proceeding.reference == "12-34/2026"
    assert proceeding.jurisdiction.code == "RU"
    tab = client.get(_url("cases:case-justice", case)).content.decode()
    assert ALLEGATION in tab
    assert "State protection programme" in tab
    assert "Art. 127.2" in tab


def test_other_article_needs_its_name(cast, login):
    case = open_case(cast)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:proceeding-create", case), _data(article="Other")
    )
    assert response.status_code == 200
    assert "Name the article." in response.content.decode()
    assert not CriminalProceeding.objects.exists()


def test_edit_saves_with_the_version_it_was_opened_at(cast, login):
    case = open_case(cast)
    proceeding = _proceeding(case, cast.user(Role.CASE_WORKER))
    client = login(cast.user(Role.CASE_WORKER))
    form = client.get(_url("cases:proceeding-edit", case, pk=proceeding.pk)).content.decode()
    assert re.search(r'name="version" value="1"', form)
    response = client.post(_url("cases:proceeding-edit", case, pk=proceeding.pk),
                           _data(version="1"))
    assert response.status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.stage == "Court"
    assert proceeding.version == 2


def test_edit_conflict_shows_the_other_changes_and_keeps_the_input(cast, login):
    case = open_case(cast)
    proceeding = _proceeding(case, cast.user(Role.CASE_WORKER))
    # Someone else saves after the form was opened at version 1.
    services.proceeding_update(actor=cast.user(Role.COORDINATOR), proceeding=proceeding,
                               expected_version=1, authority="Istanbul prosecutor's office")
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:proceeding-edit", case, pk=proceeding.pk),
        _data(version="1", authority="My authority"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Changed while you were editing" in page
    assert "Istanbul prosecutor&#x27;s office" in page
    assert 'value="My authority"' in page
    assert re.search(r'name="version" value="2"', page)
    proceeding.refresh_from_db()
    assert proceeding.authority == "Istanbul prosecutor's office"
    assert proceeding.version == 2
    # Saving again, on the new version, keeps the user's values.
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:proceeding-edit", case, pk=proceeding.pk),
        _data(version="2", authority="My authority"),
    )
    assert response.status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.authority == "My authority"
    assert proceeding.version == 3


def test_looking_at_the_justice_tab_is_audited(cast, login):
    case = open_case(cast)
    login(cast.user(Role.CASE_WORKER)).get(_url("cases:case-justice", case))
    assert [
        e for e in AuditEntry.objects.filter(action=Action.VIEW, target_type="cases.Case",
                                             target_id=str(case.pk))
        if e.detail.get("tab") == "justice"
    ]
