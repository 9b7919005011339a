"""The directory's read pages: list and search, entry, map, "who can help"."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.directory.models import ContactPoint, Entry
from homeward.directory.phones import display
from homeward.directory.tests.factories import make_contact, make_entry

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Directory:
    angel: Entry
    angel_public: ContactPoint
    angel_coalition: ContactPoint
    task_force: Entry
    duty_desk: ContactPoint
    rescue_line: ContactPoint
    ngo: Entry
    ngo_hotline: ContactPoint
    members_shelter: Entry
    members_line: ContactPoint
    safe_house: Entry
    safe_house_line: ContactPoint

    @property
    def hidden_from_public(self) -> list[ContactPoint]:
        return [self.angel_coalition, self.rescue_line, self.members_line, self.safe_house_line]


@pytest.fixture
def directory(cast: Any) -> Directory:
    angel = make_entry(
        cast.home, name_en="Angel Coalition", name_ru="Ангельская коалиция", country="RU",
        city="Moscow", kind="coalition_member", latitude="55.75580", longitude="37.61730",
        services=["hotline", "legal"],
    )
    task_force = make_entry(
        cast.home, name_en="Istanbul Anti-Trafficking Task Force",
        name_ru="Стамбульская полиция по борьбе с торговлей людьми", kind="task_force",
        city="Istanbul", latitude="41.00820", longitude="28.97840",
    )
    ngo = make_entry(
        cast.home, name_en="Ankara Helpline NGO", name_ru="НКО Анкары", city="Ankara",
        services=["shelter"],
    )
    members_shelter = make_entry(
        cast.away, name_en="Members Shelter", name_ru="Убежище для своих", city="Izmir",
        kind="shelter", visibility="coalition", latitude="38.42370", longitude="27.14280",
    )
    safe_house = make_entry(
        cast.home, name_en="Secret Safe House", name_ru="Тайное убежище", kind="shelter",
        visibility="restricted", restricted_roles=[Role.HOTLINE_OPERATOR],
        latitude="39.93340", longitude="32.85970",
    )
    return Directory(
        angel=angel,
        angel_public=make_contact(angel, label_en="Hotline", phone="+7 495 123-45-67"),
        angel_coalition=make_contact(
            angel, label_en="Coordinator", phone="+7 495 765-43-21", visibility="coalition"
        ),
        task_force=task_force,
        duty_desk=make_contact(
            task_force, label_en="Duty desk", phone="+90 212 555 0101", hours="9–18"
        ),
        rescue_line=make_contact(
            task_force, label_en="Rescue line for operators", phone="+90 212 555 0102",
            visibility="restricted", restricted_roles=[Role.HOTLINE_OPERATOR], is_24_7=True,
        ),
        ngo=ngo,
        ngo_hotline=make_contact(
            ngo, label_en="Night hotline", phone="+90 312 555 0103", is_24_7=True
        ),
        members_shelter=members_shelter,
        members_line=make_contact(
            members_shelter, label_en="Shelter desk", phone="+90 232 555 0104"
        ),
        safe_house=safe_house,
        safe_house_line=make_contact(
            safe_house, label_en="Safe house", phone="+90 312 555 0105"
        ),
    )


def _html(response: Any) -> str:
    return response.content.decode()


def _assert_no_phone(text: str, contact: ContactPoint) -> None:
    assert contact.phone not in text
    assert display(contact.phone) not in text


def _detail(entry: Entry) -> str:
    return reverse("directory:entry-detail", kwargs={"pk": entry.pk})


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- list and search ---------------------------------------------------------


def test_anonymous_list_shows_only_public_entries(client: Client, directory: Directory) -> None:
    text = _html(_english(client).get(reverse("directory:entry-list")))
    assert "Angel Coalition" in text
    assert "Istanbul Anti-Trafficking Task Force" in text
    assert "Members Shelter" not in text
    assert "Secret Safe House" not in text
    for contact in directory.hidden_from_public:
        _assert_no_phone(text, contact)


def test_member_list_shows_coalition_entries_but_not_restricted_ones_of_other_roles(
    login: Any, cast: Any, directory: Directory
) -> None:
    text = _html(login(cast.user(Role.CASE_WORKER, "away")).get(reverse("directory:entry-list")))
    assert "Members Shelter" in text
    assert "Secret Safe House" not in text


def test_hotline_operator_list_shows_restricted_entry_named_for_the_role(
    login: Any, cast: Any, directory: Directory
) -> None:
    text = _html(login(cast.user(Role.HOTLINE_OPERATOR)).get(reverse("directory:entry-list")))
    assert "Secret Safe House" in text


@pytest.mark.parametrize("query", ["Ангел", "Angel", "Анжел", "angel koalitsiya"])
def test_search_finds_angel_coalition_in_either_alphabet(
    client: Client, directory: Directory, query: str
) -> None:
    response = client.get(reverse("directory:entry-list"), {"q": query})
    text = _html(response)
    assert _detail(directory.angel) in text
    assert _detail(directory.task_force) not in text
    assert _detail(directory.ngo) not in text


def test_list_filters_by_country_city_service_and_kind(
    client: Client, directory: Directory
) -> None:
    url = reverse("directory:entry-list")
    text = _html(client.get(url, {"country": "TR", "city": "ankara"}))
    assert _detail(directory.ngo) in text
    assert _detail(directory.task_force) not in text
    text = _html(client.get(url, {"service": "legal"}))
    assert _detail(directory.angel) in text
    assert _detail(directory.ngo) not in text
    text = _html(client.get(url, {"kind": "task_force"}))
    assert _detail(directory.task_force) in text
    assert _detail(directory.angel) not in text


def test_country_filter_offers_only_countries_the_visitor_can_see(
    client: Client, cast: Any
) -> None:
    make_entry(cast.home, country="GE", visibility="coalition")
    make_entry(cast.home, country="KZ")
    text = _html(_english(client).get(reverse("directory:entry-list")))
    assert 'value="KZ"' in text
    assert 'value="GE"' not in text


def test_unknown_country_finds_nothing_rather_than_everything(
    client: Client, directory: Directory
) -> None:
    text = _html(client.get(reverse("directory:entry-list"), {"country": "ZZ"}))
    assert _detail(directory.angel) not in text


def test_list_paginates_and_keeps_the_filters(client: Client, cast: Any) -> None:
    for n in range(30):
        make_entry(cast.home, name_en=f"Istanbul NGO {n:02}", name_ru=f"НКО {n:02}")
    response = client.get(reverse("directory:entry-list"), {"q": "istanbul"})
    assert len(response.context["page"].object_list) == 25
    assert "q=istanbul&amp;page=2" in _html(response)
    second = client.get(reverse("directory:entry-list"), {"q": "istanbul", "page": "2"})
    assert len(second.context["page"].object_list) == 5


# --- language -----------------------------------------------------------------


def test_anonymous_visitor_without_a_choice_gets_russian(
    client: Client, directory: Directory
) -> None:
    response = client.get(reverse("directory:entry-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ru">' in _html(response)
    assert response["Content-Language"] == "ru"
    assert "Ангельская коалиция" in _html(response)
    detail = client.get(_detail(directory.angel), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ru">' in _html(detail)


def test_anonymous_visitor_who_chose_english_gets_english(
    client: Client, directory: Directory
) -> None:
    response = _english(client).get(reverse("directory:entry-list"))
    assert '<html lang="en">' in _html(response)
    assert "Angel Coalition" in _html(response)


def test_signed_in_member_keeps_their_own_language(login: Any, cast: Any) -> None:
    user = cast.user(Role.CASE_WORKER)
    user.language = "en"
    user.save(update_fields=["language"])
    response = login(user).get(reverse("directory:entry-list"))
    assert '<html lang="en">' in _html(response)


def test_directory_link_in_navigation_for_anonymous_and_members(
    client: Client, login: Any, cast: Any
) -> None:
    link = f'href="{reverse("directory:entry-list")}"'
    assert link in _html(client.get(reverse("accounts:login")))
    assert link in _html(login(cast.user(Role.CASE_WORKER)).get(reverse("accounts:dashboard")))


# --- entry page -----------------------------------------------------------------


def test_anonymous_entry_page_shows_only_public_contact_points(
    client: Client, directory: Directory
) -> None:
    response = _english(client).get(_detail(directory.task_force))
    text = _html(response)
    assert response.status_code == 200
    assert f'href="tel:{directory.duty_desk.phone}"' in text
    assert display(directory.duty_desk.phone) in text
    assert "Rescue line" not in text
    _assert_no_phone(text, directory.rescue_line)
    _assert_no_phone(_html(client.get(_detail(directory.angel))), directory.angel_coalition)


def test_restricted_and_coalition_entries_are_404_for_anonymous(
    client: Client, directory: Directory
) -> None:
    assert client.get(_detail(directory.safe_house)).status_code == 404
    assert client.get(_detail(directory.members_shelter)).status_code == 404


def test_hotline_operator_sees_the_restricted_line_a_case_worker_does_not(
    client: Client, cast: Any, directory: Directory, login: Any
) -> None:
    operator = _html(login(cast.user(Role.HOTLINE_OPERATOR)).get(_detail(directory.task_force)))
    assert f'href="tel:{directory.rescue_line.phone}"' in operator
    client.logout()
    worker = _html(login(cast.user(Role.CASE_WORKER)).get(_detail(directory.task_force)))
    assert "Rescue line" not in worker
    _assert_no_phone(worker, directory.rescue_line)
    assert f'href="tel:{directory.duty_desk.phone}"' in worker


def test_case_worker_gets_404_for_an_entry_restricted_to_operators(
    login: Any, cast: Any, directory: Directory
) -> None:
    response = login(cast.user(Role.CASE_WORKER)).get(_detail(directory.safe_house))
    assert response.status_code == 404


def test_member_sees_coalition_contact_points(login: Any, cast: Any, directory: Directory) -> None:
    text = _html(login(cast.user(Role.RESEARCHER, "away")).get(_detail(directory.angel)))
    assert f'href="tel:{directory.angel_coalition.phone}"' in text


def test_viewing_a_non_public_entry_is_audited(
    login: Any, cast: Any, directory: Directory
) -> None:
    user = cast.user(Role.HOTLINE_OPERATOR)
    client = login(user)
    client.get(_detail(directory.safe_house))
    assert AuditEntry.objects.filter(
        action=Action.VIEW, actor_id=user.pk, target_type="directory.Entry",
        target_id=str(directory.safe_house.pk),
    ).count() == 1


def test_viewing_a_public_entry_is_not_audited(
    client: Client, login: Any, cast: Any, directory: Directory
) -> None:
    before = AuditEntry.objects.filter(action=Action.VIEW).count()
    client.get(_detail(directory.task_force))
    login(cast.user(Role.CASE_WORKER)).get(_detail(directory.task_force))
    assert AuditEntry.objects.filter(action=Action.VIEW).count() == before


def test_edit_link_only_for_those_who_can_edit(
    client: Client, login: Any, cast: Any, directory: Directory
) -> None:
    edit = f'href="/directory/{directory.angel.pk}/edit/"'
    assert edit not in _html(client.get(_detail(directory.angel)))
    assert edit not in _html(login(cast.user(Role.COORDINATOR, "away")).get(
        _detail(directory.angel)))
    assert edit in _html(login(cast.user(Role.COORDINATOR)).get(_detail(directory.angel)))


# --- map ------------------------------------------------------------------------


def test_map_data_for_anonymous_lists_only_public_located_entries(
    client: Client, directory: Directory
) -> None:
    response = _english(client).get(reverse("directory:map-data"))
    assert response["Content-Type"] == "application/json"
    entries = response.json()["entries"]
    assert {e["id"] for e in entries} == {directory.angel.pk, directory.task_force.pk}
    angel = next(e for e in entries if e["id"] == directory.angel.pk)
    assert angel == {
        "id": directory.angel.pk, "name": "Angel Coalition", "city": "Moscow",
        "kind": "Coalition member", "lat": 55.7558, "lon": 37.6173,
        "url": _detail(directory.angel),
    }
    raw = response.content.decode()
    for contact in [directory.duty_desk, *directory.hidden_from_public]:
        _assert_no_phone(raw, contact)


def test_map_data_for_members_adds_coalition_and_their_restricted_entries(
    login: Any, cast: Any, directory: Directory
) -> None:
    data = login(cast.user(Role.HOTLINE_OPERATOR)).get(reverse("directory:map-data")).json()
    assert {e["id"] for e in data["entries"]} == {
        directory.angel.pk, directory.task_force.pk, directory.members_shelter.pk,
        directory.safe_house.pk,
    }


def test_map_page_has_the_table_of_entries_and_no_inline_script(
    client: Client, directory: Directory
) -> None:
    text = _html(client.get(reverse("directory:map")))
    assert f'data-entries-url="{reverse("directory:map-data")}"' in text
    assert _detail(directory.ngo) in text  # not on the map, still in the table
    assert _detail(directory.members_shelter) not in text
    assert "<script>" not in text
    assert " style=" not in text
    for contact in directory.hidden_from_public:
        _assert_no_phone(text, contact)


# --- who can help ------------------------------------------------------------------


def test_who_can_help_ranks_24_7_lines_first(login: Any, cast: Any, directory: Directory) -> None:
    response = login(cast.user(Role.CASE_WORKER)).get(
        reverse("directory:who-can-help"), {"country": "TR"}
    )
    rows = response.context["rows"]
    assert [row.helper.contact for row in rows] == [
        directory.ngo_hotline, directory.duty_desk, directory.members_line
    ]
    text = _html(response)
    assert f'href="tel:{directory.ngo_hotline.phone}"' in text
    _assert_no_phone(text, directory.rescue_line)
    _assert_no_phone(text, directory.safe_house_line)


def test_who_can_help_shows_hotline_operators_the_restricted_task_force_line_first(
    login: Any, cast: Any, directory: Directory
) -> None:
    response = login(cast.user(Role.HOTLINE_OPERATOR)).get(
        reverse("directory:who-can-help"), {"country": "TR", "city": "Istanbul"}
    )
    contacts = [row.helper.contact for row in response.context["rows"]]
    # Both are 24/7; the one in the named city comes first.
    assert contacts[:2] == [directory.rescue_line, directory.ngo_hotline]
    assert directory.safe_house_line in contacts
    assert display(directory.rescue_line.phone) in _html(response)


def test_who_can_help_explains_city_and_service_matches(
    login: Any, cast: Any, directory: Directory
) -> None:
    user = cast.user(Role.CASE_WORKER)
    user.language = "en"
    user.save(update_fields=["language"])
    response = login(user).get(
        reverse("directory:who-can-help"), {"country": "TR", "city": "Ankara",
                                            "service": "shelter"}
    )
    first = response.context["rows"][0].helper
    assert first.contact == directory.ngo_hotline
    assert first.in_city
    assert first.offers_service
    text = _html(response)
    assert "in the city" in text
    assert "offers the service" in text


def test_who_can_help_search_is_audited(login: Any, cast: Any, directory: Directory) -> None:
    user = cast.user(Role.HOTLINE_OPERATOR)
    login(user).get(reverse("directory:who-can-help-fragment"), {"country": "TR"})
    entry = AuditEntry.objects.filter(
        action=Action.VIEW, actor_id=user.pk, target_type="directory.ContactPoint"
    ).get()
    assert entry.detail == {"query": "who_can_help", "country": "TR", "results": 5}


def test_who_can_help_without_a_search_shows_the_form_only_and_audits_nothing(
    login: Any, cast: Any, directory: Directory
) -> None:
    response = login(cast.user(Role.CASE_WORKER)).get(reverse("directory:who-can-help"))
    assert response.status_code == 200
    assert response.context["rows"] is None
    assert 'hx-get="{}"'.format(reverse("directory:who-can-help-fragment")) in _html(response)
    assert not AuditEntry.objects.filter(target_type="directory.ContactPoint",
                                         action=Action.VIEW).exists()


def test_who_can_help_fragment_is_only_the_results(
    login: Any, cast: Any, directory: Directory
) -> None:
    response = login(cast.user(Role.CASE_WORKER)).get(
        reverse("directory:who-can-help-fragment"), {"country": "TR"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="who-can-help-results",
    )
    text = _html(response)
    assert "<html" not in text
    assert f'href="tel:{directory.ngo_hotline.phone}"' in text
    assert response["HX-Push-Url"] == reverse("directory:who-can-help") + "?country=TR"


def test_who_can_help_fragment_embedded_elsewhere_does_not_move_the_address_bar(
    login: Any, cast: Any, directory: Directory
) -> None:
    response = login(cast.user(Role.CASE_WORKER)).get(
        reverse("directory:who-can-help-fragment"), {"country": "TR"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-helpers",
    )
    assert "HX-Push-Url" not in response


def test_who_can_help_fragment_reports_a_missing_country(login: Any, cast: Any) -> None:
    user = cast.user(Role.CASE_WORKER)
    user.language = "en"
    user.save(update_fields=["language"])
    response = login(user).get(reverse("directory:who-can-help-fragment"), {"city": "Kyiv"})
    assert response.status_code == 200
    assert 'role="alert"' in _html(response)


def test_who_can_help_needs_sign_in(client: Client) -> None:
    for name in ("directory:who-can-help", "directory:who-can-help-fragment"):
        response = client.get(reverse(name), {"country": "TR"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_read_pages_refuse_post(client: Client, directory: Directory) -> None:
    for url in (reverse("directory:entry-list"), reverse("directory:map"),
                reverse("directory:map-data"), _detail(directory.angel)):
        assert client.post(url).status_code == 405


def test_map_data_is_valid_json_with_unicode_names(client: Client, directory: Directory) -> None:
    raw = client.get(reverse("directory:map-data")).content.decode()
    assert "Ангельская коалиция" in raw
    assert json.loads(raw)["entries"]
