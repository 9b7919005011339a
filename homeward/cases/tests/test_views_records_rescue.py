"""The rescue tab: who was contacted (directory entries the user may see),
when, and what came of it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.choices import Step
from homeward.cases.models import RescueRecord
from homeward.cases.tests.factories import open_case, refresh
from homeward.directory.models import EntryKind, Visibility
from homeward.directory.tests.factories import make_entry

pytestmark = pytest.mark.django_db


def _url(name, case):
    return reverse(name, kwargs={"code": case.code})


def _istanbul_case(cast):
    return open_case(cast, destination_country="TR", destination_city="Istanbul")


def _rescue_data(**values):
    contacted_at = timezone.localtime() - datetime.timedelta(days=2)
    data = {
        "country": "TR", "city": "Istanbul", "location": "Flat above a laundry, Zeytinburnu",
        "contacted_other": "", "contacted_at": contacted_at.strftime("%Y-%m-%dT%H:%M"),
        "rescued_on": "", "outcome": "InProgress", "notes": "",
    }
    data.update(values)
    return data


def test_outsider_gets_404(cast, login):
    case = _istanbul_case(cast)
    client = login(cast.user(Role.COORDINATOR, "away"))
    assert client.get(_url("cases:case-rescue", case)).status_code == 404
    response = client.post(_url("cases:rescue-create", case), _rescue_data())
    assert response.status_code == 404
    assert not RescueRecord.objects.exists()


def test_team_member_not_on_the_team_gets_404(cast, login):
    case = _istanbul_case(cast)
    response = login(cast.user(Role.SHELTER_STAFF)).get(_url("cases:rescue-create", case))
    assert response.status_code == 404


def test_rescue_pages_answer_405_to_other_methods(cast, login):
    case = _istanbul_case(cast)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.post(_url("cases:case-rescue", case)).status_code == 405
    assert client.delete(_url("cases:rescue-create", case)).status_code == 405


def test_the_form_offers_entries_of_the_destination_task_forces_first(cast, login):
    case = _istanbul_case(cast)
    make_entry(cast.away, kind=EntryKind.NGO, name_en="Aardvark shelter NGO")
    make_entry(cast.away, kind=EntryKind.TASK_FORCE, name_en="Zulu anti-trafficking unit")
    make_entry(cast.away, kind=EntryKind.NGO, name_en="Berlin helpers", country="DE")
    make_entry(cast.away, kind=EntryKind.NGO, name_en="Hidden partner",
               visibility=Visibility.RESTRICTED, restricted_roles=["medical"])
    page = login(cast.user(Role.CASE_WORKER)).get(
        _url("cases:rescue-create", case)
    ).content.decode()
    assert page.index("Zulu anti-trafficking unit") < page.index("Aardvark shelter NGO")
    assert "Berlin helpers" not in page
    assert "Hidden partner" not in page
    other = login(cast.user(Role.CASE_WORKER)).get(
        _url("cases:rescue-create", case) + "?country=DE"
    ).content.decode()
    assert "Berlin helpers" in other
    assert "Zulu anti-trafficking unit" not in other


def test_recording_the_rescue_by_the_task_force_moves_the_case_to_rescue(cast, login):
    case = _istanbul_case(cast)
    task_force = make_entry(cast.away, kind=EntryKind.TASK_FORCE, name_en="Istanbul task force")
    consulate = make_entry(cast.away, kind=EntryKind.EMBASSY, name_en="Consulate in Istanbul")
    rescued_on = timezone.localdate() - datetime.timedelta(days=1)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:rescue-create", case),
        _rescue_data(contacted=[str(task_force.pk), str(consulate.pk)],
                     contacted_other="Hotel manager", outcome="Rescued",
                     rescued_on=rescued_on.isoformat()),
    )
    assert response.status_code == 302
    assert response["Location"] == _url("cases:case-rescue", case)
    rescue = RescueRecord.objects.get(case=case)
    assert set(rescue.contacted.all()) == {task_force, consulate}
    assert rescue.location == "Flat above a laundry, Zeytinburnu"
    assert rescue.rescued_on == rescued_on
    assert refresh(case).step == Step.RESCUE
    page = login(cast.user(Role.CASE_WORKER)).get(_url("cases:case-rescue", case))
    assert "Istanbul task force" in page.content.decode()
    assert "Hotel manager" in page.content.decode()


def test_an_entry_the_user_cannot_see_is_refused(cast, login):
    case = _istanbul_case(cast)
    hidden = make_entry(cast.away, visibility=Visibility.RESTRICTED,
                        restricted_roles=["medical"])
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:rescue-create", case), _rescue_data(contacted=[str(hidden.pk)])
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not RescueRecord.objects.exists()


def test_a_contact_time_in_the_future_is_refused(cast, login):
    case = _istanbul_case(cast)
    later = timezone.localtime() + datetime.timedelta(days=3)
    response = login(cast.user(Role.CASE_WORKER)).post(
        _url("cases:rescue-create", case),
        _rescue_data(contacted_at=later.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 200
    assert "This time is in the future." in response.content.decode()
    assert not RescueRecord.objects.exists()


def test_looking_at_the_rescue_tab_is_audited(cast, login):
    case = _istanbul_case(cast)
    login(cast.user(Role.CASE_WORKER)).get(_url("cases:case-rescue", case))
    assert [
        e for e in AuditEntry.objects.filter(action=Action.VIEW, target_id=str(case.pk))
        if e.detail.get("tab") == "rescue"
    ]
