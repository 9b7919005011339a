"""The information campaign pages: every member reads the list, the owning
organisation's coordinators add and change campaigns, refusals leave nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.hotline import services
from homeward.hotline.models import Campaign

pytestmark = pytest.mark.django_db

LIST = reverse("hotline:campaign-list")
CREATE = reverse("hotline:campaign-create")


def _campaign(cast, org="home", **values):
    fields = {
        "name": "Airport brochures", "cities": "Moscow", "channels": ["AirportBrochures"],
        "starts_on": datetime.date(2026, 3, 1), "ends_on": datetime.date(2026, 4, 30),
        **values,
    }
    organisation = cast.home if org == "home" else cast.away
    return services.campaign_create(
        actor=cast.user(Role.COORDINATOR, org), organisation=organisation, **fields
    )


def _edit(campaign):
    return reverse("hotline:campaign-edit", kwargs={"pk": campaign.pk})


def _data(cast, **values):
    data = {
        "organisation": str(cast.home.pk), "name": "Metro posters in Ufa", "cities": "Ufa",
        "channels": ["MetroPosters", "Radio"], "starts_on": "2026-05-01",
        "ends_on": "2026-06-30", "materials_distributed": "5000", "notes": "",
    }
    data.update(values)
    return data


def _audited(action, campaign, user):
    return AuditEntry.objects.filter(
        action=action, actor_id=user.pk, target_type="hotline.Campaign",
        target_id=str(campaign.pk),
    ).get()


# --- access -------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, cast):
    campaign = _campaign(cast)
    for url in (LIST, CREATE, _edit(campaign)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.COORDINATOR])
def test_roles_other_than_coordinator_get_403_on_create_and_edit(cast, login, role):
    campaign = _campaign(cast)
    client = login(cast.user(role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _data(cast)).status_code == 403
    assert client.get(_edit(campaign)).status_code == 403
    assert client.post(_edit(campaign), _data(cast, name="Changed")).status_code == 403
    assert Campaign.objects.count() == 1


def test_away_coordinator_sees_a_home_campaign_but_cannot_change_it(cast, login):
    campaign = _campaign(cast)
    client = login(cast.user(Role.COORDINATOR, "away"))
    page = client.get(LIST).content.decode()
    assert "Airport brochures" in page
    assert _edit(campaign) not in page
    assert client.post(_edit(campaign), _data(cast, name="Hijacked")).status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "Airport brochures"


def test_wrong_methods_get_405(cast, login):
    campaign = _campaign(cast)
    client = login(cast.user(Role.COORDINATOR))
    assert client.post(LIST).status_code == 405
    assert client.patch(CREATE).status_code == 405
    assert client.delete(_edit(campaign)).status_code == 405


# --- the list -----------------------------------------------------------------


def test_list_shows_the_campaigns_of_the_coalition(cast, login):
    _campaign(cast, channels=["AirportBrochures", "Billboards"], materials_distributed=1200)
    _campaign(cast, "away", name="Radio in Astrakhan", channels=["Radio"])
    page = login(cast.user(Role.RESEARCHER)).get(LIST).content.decode()
    assert "Airport brochures, Billboards" in page
    assert "Radio in Astrakhan" in page
    assert cast.away.name in page
    assert "1200" in page
    assert CREATE not in page


def test_coordinator_gets_the_add_button_and_edit_links_for_own_campaigns_only(cast, login):
    home = _campaign(cast)
    away = _campaign(cast, "away")
    page = login(cast.user(Role.COORDINATOR)).get(LIST).content.decode()
    assert CREATE in page
    assert _edit(home) in page
    assert _edit(away) not in page


# --- creating and changing ----------------------------------------------------


def test_coordinator_adds_a_campaign_through_the_form(cast, login):
    coordinator = cast.user(Role.COORDINATOR)
    response = login(coordinator).post(CREATE, _data(cast))
    assert response.status_code == 302
    assert response["Location"] == LIST
    campaign = Campaign.objects.get()
    assert campaign.organisation == cast.home
    assert campaign.channels == ["MetroPosters", "Radio"]
    assert campaign.starts_on == datetime.date(2026, 5, 1)
    assert campaign.materials_distributed == 5000
    assert "channels" in _audited(Action.CREATE, campaign, coordinator).fields


def test_coordinator_changes_a_campaign(cast, login):
    campaign = _campaign(cast)
    coordinator = cast.user(Role.COORDINATOR)
    client = login(coordinator)
    form = client.get(_edit(campaign))
    assert form.status_code == 200
    assert "organisation" not in form.context["form"].fields
    data = _data(cast, name="Airport brochures", cities="Moscow", channels=["AirportBrochures"],
                 starts_on="2026-03-01", ends_on="2026-05-15", materials_distributed="")
    response = client.post(_edit(campaign), data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.ends_on == datetime.date(2026, 5, 15)
    assert _audited(Action.UPDATE, campaign, coordinator).fields == ["ends_on"]


def test_an_end_before_the_start_is_shown_in_the_users_language_and_nothing_saved(cast, login):
    coordinator = cast.user(Role.COORDINATOR)
    coordinator.language = "ru"
    coordinator.save()
    audits = AuditEntry.objects.count()
    response = login(coordinator).post(CREATE, _data(cast, ends_on="2026-04-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["Окончание раньше начала."]
    assert Campaign.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def test_an_edit_ending_before_the_start_changes_nothing(cast, login):
    campaign = _campaign(cast)
    client = login(cast.user(Role.COORDINATOR))
    audits = AuditEntry.objects.count()
    response = client.post(_edit(campaign), _data(cast, starts_on="2026-03-01",
                                                  ends_on="2026-02-01"))
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.ends_on == datetime.date(2026, 4, 30)
    assert AuditEntry.objects.count() == audits
