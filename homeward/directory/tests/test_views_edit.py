"""Editing pages of the directory: who may, what is saved, what is refused."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from homeward.accounts.roles import Role
from homeward.accounts.sudo import SESSION_KEY
from homeward.directory import services
from homeward.directory.models import ContactPoint, Entry, Service, Visibility

pytestmark = pytest.mark.django_db


def _entry(owner, **values):
    defaults = {
        "kind": "ngo", "name_en": "Safe Harbour", "name_ru": "Тихая гавань",
        "country": "RU", "city": "Moscow", "visibility": Visibility.COALITION,
    }
    return services.entry_create(actor=None, owner=owner, **{**defaults, **values})


def _contact(entry, **values):
    defaults = {"label_en": "Office", "label_ru": "Офис", "phone": "+74951234567"}
    return services.contact_point_create(actor=None, entry=entry, **{**defaults, **values})


def _entry_data(owner, **values):
    data = {
        "owner": owner.pk, "kind": "shelter", "name_en": "Harbour House",
        "name_ru": "Дом-гавань", "country": "RU", "region": "", "city": "Kazan",
        "address": "", "latitude": "55.79600", "longitude": "49.10600",
        "services": [str(Service.objects.get(code="shelter").pk)], "languages": "ru, EN",
        "hours": "", "website": "", "emails": "help@example.org\ninfo@example.org",
        "notes": "", "visibility": Visibility.COALITION,
    }
    data.update(values)
    return data


def _contact_data(**values):
    data = {
        "label_en": "Hotline", "label_ru": "Горячая линия", "phone": "+7 (495) 123-45-67",
        "email": "", "hours": "", "languages": "ru", "visibility": Visibility.COALITION,
        "notes": "", "position": "0",
    }
    data.update(values)
    return data


def _with_sudo(client):
    session = client.session
    session[SESSION_KEY] = time.time() + 60
    session.save()
    return client


# Creating


def test_coordinator_creates_an_entry_of_their_organisation(cast, login):
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(reverse("directory:entry-create"), _entry_data(cast.home))
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/directory/{entry.pk}/"
    assert entry.owner == cast.home
    assert entry.languages == ["ru", "en"]
    assert entry.emails == ["help@example.org", "info@example.org"]
    assert list(entry.services.values_list("code", flat=True)) == ["shelter"]
    assert str(entry.latitude) == "55.79600"


def test_owner_choices_are_limited_to_own_organisation(cast, login):
    client = login(cast.user(Role.ORG_ADMIN))
    page = client.get(reverse("directory:entry-create")).content.decode()
    # The owner's choices (the "organisation in Homeward" lists every organisation).
    owners = page[page.index('name="owner"'):]
    owners = owners[:owners.index("</select>")]
    assert "Home NGO" in owners
    assert "Away NGO" not in owners
    response = client.post(reverse("directory:entry-create"), _entry_data(cast.away))
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not Entry.objects.exists()


def test_case_worker_may_not_create_entries(cast, login):
    response = login(cast.user(Role.CASE_WORKER)).get(reverse("directory:entry-create"))
    assert response.status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("directory:entry-create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Editing


def test_outsider_gets_404_for_an_entry_they_cannot_see(cast, login):
    entry = _entry(
        cast.home, visibility=Visibility.RESTRICTED, restricted_roles=[Role.HOTLINE_OPERATOR]
    )
    response = login(cast.user(Role.COORDINATOR, "away")).get(
        reverse("directory:entry-edit", kwargs={"pk": entry.pk})
    )
    assert response.status_code == 404


def test_missing_entry_is_404(cast, login):
    response = login(cast.user(Role.COORDINATOR)).get(
        reverse("directory:entry-edit", kwargs={"pk": 999999})
    )
    assert response.status_code == 404


def test_coordinator_of_another_organisation_gets_403_on_a_visible_entry(cast, login):
    entry = _entry(cast.home)
    response = login(cast.user(Role.COORDINATOR, "away")).post(
        reverse("directory:entry-edit", kwargs={"pk": entry.pk}),
        _entry_data(cast.home, name_en="Hijacked"),
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.name_en == "Safe Harbour"


def test_wrong_role_gets_403(cast, login):
    entry = _entry(cast.home)
    response = login(cast.user(Role.HOTLINE_OPERATOR)).get(
        reverse("directory:entry-edit", kwargs={"pk": entry.pk})
    )
    assert response.status_code == 403


def test_edit_answers_405_to_other_methods(cast, login):
    entry = _entry(cast.home)
    client = login(cast.user(Role.COORDINATOR))
    assert client.put(reverse("directory:entry-edit", kwargs={"pk": entry.pk})).status_code == 405
    assert client.get(reverse("directory:entry-verify", kwargs={"pk": entry.pk})).status_code == 405
    assert client.post(reverse("directory:stale-list")).status_code == 405


def test_edit_form_shows_current_values(cast, login):
    entry = _entry(cast.home, languages=["ru", "tr"], emails=["a@example.org"])
    _contact(entry)
    page = login(cast.user(Role.COORDINATOR)).get(
        reverse("directory:entry-edit", kwargs={"pk": entry.pk})
    ).content.decode()
    assert 'value="ru, tr"' in page
    assert "a@example.org" in page
    assert "+74951234567" in page
    assert reverse("directory:contact-create", kwargs={"pk": entry.pk}) in page


def test_org_admin_saves_changes(cast, login):
    entry = _entry(cast.home)
    response = login(cast.user(Role.ORG_ADMIN)).post(
        reverse("directory:entry-edit", kwargs={"pk": entry.pk}),
        _entry_data(
            cast.home, visibility=Visibility.RESTRICTED,
            restricted_roles=[Role.HOTLINE_OPERATOR, Role.COORDINATOR],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/directory/{entry.pk}/"
    entry.refresh_from_db()
    assert entry.city == "Kazan"
    assert entry.restricted_roles == ",coordinator,hotline_operator,"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("languages", "russian"),
        ("languages", "r1"),
        ("emails", "help@example.org, not-an-address"),
        ("latitude", "95"),
        ("name_en", ""),
    ],
)
def test_bad_input_shows_errors_and_saves_nothing(cast, login, field, value):
    entry = _entry(cast.home)
    response = login(cast.user(Role.COORDINATOR)).post(
        reverse("directory:entry-edit", kwargs={"pk": entry.pk}),
        _entry_data(cast.home, **{field: value}),
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    entry.refresh_from_db()
    assert entry.city == "Moscow"


def test_restricted_without_roles_is_refused_in_russian(cast, login):
    entry = _entry(cast.home)
    client = login(cast.user(Role.COORDINATOR))
    with translation.override("ru"):
        response = client.post(
            reverse("directory:entry-edit", kwargs={"pk": entry.pk}),
            _entry_data(cast.home, visibility=Visibility.RESTRICTED),
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert 'lang="ru"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.visibility == Visibility.COALITION


# Verifying


def test_verify_marks_today_and_returns_to_the_stale_list(cast, login):
    entry = _entry(cast.home)
    user = cast.user(Role.COORDINATOR)
    response = login(user).post(
        reverse("directory:entry-verify", kwargs={"pk": entry.pk}),
        {"next": reverse("directory:stale-list")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:stale-list")
    entry.refresh_from_db()
    assert entry.last_verified_on == timezone.localdate()
    assert entry.last_verified_by == user


def test_verify_ignores_a_next_url_on_another_site(cast, login):
    entry = _entry(cast.home)
    response = login(cast.user(Role.COORDINATOR)).post(
        reverse("directory:entry-verify", kwargs={"pk": entry.pk}),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == f"/directory/{entry.pk}/"


def test_verify_by_other_organisation_is_refused(cast, login):
    entry = _entry(cast.home)
    response = login(cast.user(Role.ORG_ADMIN, "away")).post(
        reverse("directory:entry-verify", kwargs={"pk": entry.pk})
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.last_verified_on is None


# Deleting


def test_delete_needs_the_password_again(cast, login):
    entry = _entry(cast.home)
    response = login(cast.user(Role.COORDINATOR)).post(
        reverse("directory:entry-delete", kwargs={"pk": entry.pk})
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sudo"))
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_delete_checks_access_before_asking_for_the_password(cast, login):
    entry = _entry(cast.home)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.get(reverse("directory:entry-delete", kwargs={"pk": entry.pk})).status_code == 403


def test_delete_after_confirming_the_password(cast, login):
    entry = _entry(cast.home)
    _contact(entry)
    client = _with_sudo(login(cast.user(Role.COORDINATOR)))
    url = reverse("directory:entry-delete", kwargs={"pk": entry.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert b"Safe Harbour" in page.content
    response = client.post(url)
    assert response.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert not ContactPoint.objects.exists()


# Contact points


def test_contact_point_is_added_with_the_phone_in_e164(cast, login):
    entry = _entry(cast.home)
    response = login(cast.user(Role.COORDINATOR)).post(
        reverse("directory:contact-create", kwargs={"pk": entry.pk}), _contact_data()
    )
    assert response.status_code == 302
    assert response["Location"] == f"/directory/{entry.pk}/"
    contact = ContactPoint.objects.get()
    assert contact.phone == "+74951234567"
    assert contact.languages == ["ru"]


def test_bad_phone_shows_the_message_next_to_the_field(cast, login):
    entry = _entry(cast.home)
    response = login(cast.user(Role.COORDINATOR)).post(
        reverse("directory:contact-create", kwargs={"pk": entry.pk}),
        _contact_data(phone="12345"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a valid phone number" in page or "is not a phone number" in page
    assert 'id="id_phone_error"' in page
    assert not ContactPoint.objects.exists()


def test_contact_point_more_visible_than_entry_is_refused(cast, login):
    entry = _entry(cast.home)
    response = login(cast.user(Role.COORDINATOR)).post(
        reverse("directory:contact-create", kwargs={"pk": entry.pk}),
        _contact_data(visibility=Visibility.PUBLIC),
    )
    assert response.status_code == 200
    assert b"cannot be more visible than its entry" in response.content
    assert not ContactPoint.objects.exists()


def test_contact_point_is_edited(cast, login):
    contact = _contact(_entry(cast.home))
    response = login(cast.user(Role.ORG_ADMIN)).post(
        reverse("directory:contact-edit", kwargs={"cpk": contact.pk}),
        _contact_data(label_en="Night line", phone="+7 495 765-43-21", is_24_7="on"),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.label_en == "Night line"
    assert contact.phone == "+74957654321"
    assert contact.is_24_7


def test_hidden_contact_point_is_404_even_for_an_editor_of_another_organisation(cast, login):
    entry = _entry(cast.home)
    contact = _contact(
        entry, visibility=Visibility.RESTRICTED, restricted_roles=[Role.HOTLINE_OPERATOR]
    )
    client = login(cast.user(Role.COORDINATOR, "away"))
    assert client.get(
        reverse("directory:contact-edit", kwargs={"cpk": contact.pk})
    ).status_code == 404


def test_visible_contact_point_of_another_organisation_is_403(cast, login):
    contact = _contact(_entry(cast.home))
    client = login(cast.user(Role.COORDINATOR, "away"))
    assert client.get(
        reverse("directory:contact-edit", kwargs={"cpk": contact.pk})
    ).status_code == 403


def test_contact_point_delete_needs_the_password_then_deletes(cast, login):
    contact = _contact(_entry(cast.home))
    url = reverse("directory:contact-delete", kwargs={"cpk": contact.pk})
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(url)
    assert response["Location"].startswith(reverse("accounts:sudo"))
    assert ContactPoint.objects.filter(pk=contact.pk).exists()
    response = _with_sudo(client).post(url)
    assert response.status_code == 302
    assert not ContactPoint.objects.filter(pk=contact.pk).exists()


# Stale list


def test_stale_list_shows_unverified_entries_of_own_organisation(cast, login):
    _entry(cast.home, name_en="Never checked")
    old = _entry(cast.home, name_en="Checked long ago")
    Entry.objects.filter(pk=old.pk).update(
        last_verified_on=timezone.localdate() - timedelta(days=400),
        last_verified_by=cast.user(Role.COORDINATOR),
    )
    fresh = _entry(cast.home, name_en="Checked lately")
    Entry.objects.filter(pk=fresh.pk).update(last_verified_on=timezone.localdate())
    _entry(cast.away, name_en="Somebody else's")
    response = login(cast.user(Role.ORG_ADMIN)).get(reverse("directory:stale-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Never checked" in page
    assert "Checked long ago" in page
    assert "coordinator@home" in page
    assert "Checked lately" not in page
    assert "Somebody else" not in page
    assert reverse("directory:entry-verify", kwargs={"pk": old.pk}) in page
    assert reverse("directory:entry-edit", kwargs={"pk": old.pk}) in page


def test_stale_list_is_forbidden_to_other_roles(cast, login):
    response = login(cast.user(Role.RESEARCHER)).get(reverse("directory:stale-list"))
    assert response.status_code == 403


def test_an_entry_names_the_homeward_organisation_it_describes(cast, login):
    entry = _entry(cast.home)
    url = reverse("directory:entry-edit", kwargs={"pk": entry.pk})
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(url, _entry_data(cast.home, organisation=cast.away.pk))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.organisation == cast.away
    assert f'<option value="{cast.away.pk}" selected>' in client.get(url).content.decode()
    client.post(url, _entry_data(cast.home, organisation=""))
    entry.refresh_from_db()
    assert entry.organisation is None
