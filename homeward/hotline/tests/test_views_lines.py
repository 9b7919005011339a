"""The hotline lines pages: every member reads the list, the owning
organisation's coordinators add and change lines, refusals leave nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.directory.phones import display
from homeward.hotline.models import Line
from homeward.hotline.tests.factories import make_line

pytestmark = pytest.mark.django_db

LIST = reverse("hotline:line-list")
CREATE = reverse("hotline:line-create")


def _edit(line):
    return reverse("hotline:line-edit", kwargs={"pk": line.pk})


def _data(cast, **values):
    data = {
        "organisation": str(cast.home.pk), "label_en": "Germany hotline",
        "label_ru": "Горячая линия в Германии", "country": "DE", "number": "0800 1234567",
        "languages": ["ru", "de"], "is_24_7": "on", "hours": "", "is_active": "on",
    }
    data.update(values)
    return data


def _audited(action, line, user):
    return AuditEntry.objects.filter(
        action=action, actor_id=user.pk, target_type="hotline.Line", target_id=str(line.pk)
    ).get()


# --- access -------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, cast):
    line = make_line(cast)
    for url in (LIST, CREATE, _edit(line)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.COORDINATOR])
def test_roles_other_than_coordinator_get_403_on_create_and_edit(cast, login, role):
    line = make_line(cast)
    client = login(cast.user(role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _data(cast)).status_code == 403
    assert client.get(_edit(line)).status_code == 403
    assert client.post(_edit(line), _data(cast, label_en="Changed")).status_code == 403
    assert Line.objects.count() == 1


def test_away_coordinator_sees_a_home_line_but_cannot_change_it(cast, login):
    line = make_line(cast)
    client = login(cast.user(Role.COORDINATOR, "away"))
    response = client.get(LIST)
    assert line.label_en in response.content.decode()
    assert _edit(line) not in response.content.decode()
    assert client.get(_edit(line)).status_code == 403
    response = client.post(_edit(line), _data(cast, label_en="Hijacked"))
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.label_en != "Hijacked"


def test_missing_line_is_404(cast, login):
    client = login(cast.user(Role.COORDINATOR))
    assert client.get(reverse("hotline:line-edit", kwargs={"pk": 999999})).status_code == 404


def test_wrong_methods_get_405(cast, login):
    line = make_line(cast)
    client = login(cast.user(Role.COORDINATOR))
    assert client.post(LIST).status_code == 405
    assert client.patch(CREATE).status_code == 405
    assert client.delete(_edit(line)).status_code == 405


# --- the list -----------------------------------------------------------------


def test_list_shows_every_line_of_the_coalition_with_readable_numbers(cast, login):
    home = make_line(cast, label_en="Moscow line", number="+7 800 200-00-00", hours="9-18",
                     is_24_7=False)
    away = make_line(cast, "away", label_en="Brussels line", country="BE",
                     number="+32 800 12 345", languages=["ru", "fr"], is_active=False)
    client = login(cast.user(Role.HOTLINE_OPERATOR))
    page = client.get(LIST).content.decode()
    assert "Moscow line" in page
    assert "Brussels line" in page
    assert display(home.number) in page
    assert display(away.number) in page
    assert "9-18" in page
    assert "Russian, French" in page
    assert "Belgium" in page
    assert cast.away.name in page
    assert CREATE not in page
    assert _edit(home) not in page


def test_coordinator_gets_the_add_button_and_edit_links_for_own_lines_only(cast, login):
    home = make_line(cast)
    away = make_line(cast, "away")
    page = login(cast.user(Role.COORDINATOR)).get(LIST).content.decode()
    assert CREATE in page
    assert _edit(home) in page
    assert _edit(away) not in page


def test_site_admin_who_is_no_member_sees_an_empty_list(cast, login):
    make_line(cast)
    response = login(cast.site_admin).get(LIST)
    assert response.status_code == 200
    assert list(response.context["rows"]) == []


# --- creating and changing ----------------------------------------------------


def test_coordinator_adds_a_line_through_the_form(cast, login):
    coordinator = cast.user(Role.COORDINATOR)
    response = login(coordinator).post(CREATE, _data(cast))
    assert response.status_code == 302
    assert response["Location"] == LIST
    line = Line.objects.get()
    assert line.organisation == cast.home
    assert line.number == "+498001234567"
    assert line.languages == ["ru", "de"]
    assert line.is_24_7
    assert line.is_active
    assert "number" in _audited(Action.CREATE, line, coordinator).fields


def test_coordinator_changes_a_line_and_only_changes_are_audited(cast, login):
    line = make_line(cast)
    coordinator = cast.user(Role.COORDINATOR)
    client = login(coordinator)
    form = client.get(_edit(line))
    assert form.status_code == 200
    assert "organisation" not in form.context["form"].fields
    assert form.context["form"].initial["number"] == display(line.number)
    data = {**form.context["form"].initial, "languages": line.languages, "hours": "9-21",
            "is_24_7": "", "is_active": "on"}
    response = client.post(_edit(line), data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.hours == "9-21"
    assert not line.is_24_7
    assert sorted(_audited(Action.UPDATE, line, coordinator).fields) == ["hours", "is_24_7"]


def test_a_bad_number_is_shown_in_the_users_language_and_nothing_is_saved(cast, login):
    coordinator = cast.user(Role.COORDINATOR)
    coordinator.language = "ru"
    coordinator.save()
    audits = AuditEntry.objects.count()
    response = login(coordinator).post(CREATE, _data(cast, number="12"))
    assert response.status_code == 200
    errors = response.context["form"].errors["number"]
    assert errors == ["Номер телефона «12» недействителен."]
    assert Line.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def test_an_organisation_the_coordinator_does_not_manage_is_refused(cast, login):
    response = login(cast.user(Role.COORDINATOR)).post(
        CREATE, _data(cast, organisation=str(cast.away.pk))
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert Line.objects.count() == 0
