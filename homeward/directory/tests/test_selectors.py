from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from homeward.accounts.roles import Role
from homeward.core import access
from homeward.directory import selectors
from homeward.directory.models import Service
from homeward.directory.search import search_text_for, skeleton_words
from homeward.directory.services import contact_point_create, entry_create

pytestmark = pytest.mark.django_db


def _entry(owner: Any, **values: Any):
    defaults = {
        "kind": "ngo", "name_en": "Some NGO", "name_ru": "Какая-то НКО", "country": "TR",
        "visibility": "public",
    }
    return entry_create(actor=None, owner=owner, **{**defaults, **values})


@pytest.fixture
def angel(cast):
    return _entry(
        cast.home, name_en="Angel Coalition", name_ru="Ангельская коалиция", country="RU",
        city="Moscow", kind="coalition_member",
    )


@pytest.mark.parametrize("query", ["Анжел", "Angel", "angel koalitsiya", "Ангел", "АНГЕЛ", "ange"])
def test_search_finds_angel_coalition_in_both_alphabets(cast, angel, query):
    _entry(cast.home, name_en="Crisis Centre", name_ru="Кризисный центр")
    found = list(selectors.entry_list_for_user(user=AnonymousUser(), query=query))
    assert found == [angel]


def test_search_matches_word_prefixes_not_middles(cast, angel):
    assert not selectors.entry_list_for_user(user=AnonymousUser(), query="gel").exists()


def test_search_by_city_in_either_alphabet(cast):
    nn = _entry(cast.home, name_en="Shelter", name_ru="Убежище", city="Nizhny Novgorod")
    assert list(selectors.entry_list_for_user(user=AnonymousUser(), query="Нижний")) == [nn]


def test_skeletons_fold_spelling_variants():
    assert skeleton_words("Анжел") == skeleton_words("Angel") == ["angel"]
    assert skeleton_words("Челябинск") == skeleton_words("Chelyabinsk")
    assert search_text_for("Ангел", "Angel") == " angel "


def test_visibility_of_entries(cast):
    public = _entry(cast.home, name_en="Public", visibility="public")
    coalition = _entry(cast.home, name_en="Coalition", visibility="coalition")
    police = _entry(
        cast.home, name_en="Task force", visibility="restricted",
        restricted_roles=[Role.HOTLINE_OPERATOR], kind="task_force",
    )
    def names(user):
        return {e.name_en for e in selectors.entry_list_for_user(user=user)}
    assert names(AnonymousUser()) == {public.name_en}
    assert names(cast.user(Role.CASE_WORKER, "away")) == {public.name_en, coalition.name_en}
    assert names(cast.user(Role.HOTLINE_OPERATOR, "away")) == {
        public.name_en, coalition.name_en, police.name_en
    }
    assert names(cast.site_admin) == {public.name_en, coalition.name_en, police.name_en}


def test_contact_points_never_show_beyond_their_entry(cast):
    entry = _entry(cast.home, visibility="public")
    open_line = contact_point_create(
        actor=None, entry=entry, label_en="Office", label_ru="Офис", phone="+90 212 555 0101",
        visibility="public",
    )
    contact_point_create(
        actor=None, entry=entry, label_en="Duty officer", label_ru="Дежурный",
        phone="+90 212 555 0102", visibility="restricted", restricted_roles=["hotline_operator"],
    )
    shown = selectors.entry_get_for_user(user=AnonymousUser(), pk=entry.pk)
    assert list(shown.contact_points.all()) == [open_line]
    operator = selectors.entry_get_for_user(user=cast.user(Role.HOTLINE_OPERATOR), pk=entry.pk)
    assert len(operator.contact_points.all()) == 2


def test_who_can_help_ranks_round_the_clock_lines_first(cast):
    service = Service.objects.get(code="shelter")
    ngo = _entry(cast.home, name_en="Istanbul NGO", city="Istanbul", kind="ngo")
    ngo.services.add(service)
    contact_point_create(actor=None, entry=ngo, label_en="Office", label_ru="Офис",
                         phone="+90 212 555 0101", visibility="public")
    police = _entry(cast.home, name_en="Ankara task force", city="Ankara", kind="task_force",
                    visibility="restricted", restricted_roles=["hotline_operator"])
    contact_point_create(actor=None, entry=police, label_en="Duty line", label_ru="Дежурный",
                         phone="+90 312 555 0199", is_24_7=True, visibility="restricted",
                         restricted_roles=["hotline_operator"])
    greek = _entry(cast.home, name_en="Athens NGO", country="GR")
    contact_point_create(actor=None, entry=greek, label_en="Office", label_ru="Офис",
                         phone="+30 21 0555 0101", visibility="public", is_24_7=True)

    operator = cast.user(Role.HOTLINE_OPERATOR)
    ranked = selectors.who_can_help(user=operator, country="TR", city="Istanbul",
                                    service="shelter")
    assert [h.entry.name_en for h in ranked] == ["Ankara task force", "Istanbul NGO"]
    assert ranked[1].in_city
    assert ranked[1].offers_service

    case_worker = cast.user(Role.CASE_WORKER)
    assert [h.entry.name_en for h in selectors.who_can_help(user=case_worker, country="TR")] == [
        "Istanbul NGO"
    ]


def test_demo_directory_is_idempotent_and_hides_direct_police_lines(db):
    from homeward.accounts.demo import seed_demo
    from homeward.directory.demo import seed_directory_demo
    from homeward.directory.models import ContactPoint, Entry

    seed_demo()
    assert seed_directory_demo() > 30
    assert seed_directory_demo() == 0
    assert Entry.objects.filter(kind="task_force", country="TR", is_demo=True).exists()
    anonymous_lines = {c.label_en for c in access.for_user(AnonymousUser(), ContactPoint)}
    assert "Duty officer — direct line" not in anonymous_lines


def test_editors_always_see_their_own_organisations_restricted_entries(cast):
    entry = _entry(cast.home, name_en="Police line", visibility="restricted",
                   restricted_roles=[Role.HOTLINE_OPERATOR])
    contact_point_create(actor=None, entry=entry, label_en="Direct", label_ru="Прямая",
                         phone="+90 212 555 0101", visibility="restricted",
                         restricted_roles=[Role.HOTLINE_OPERATOR])
    admin = cast.user(Role.ORG_ADMIN)
    shown = selectors.entry_get_for_user(user=admin, pk=entry.pk)
    assert len(shown.contact_points.all()) == 1
    outsider = cast.user(Role.ORG_ADMIN, "away")
    assert not selectors.entry_list_for_user(user=outsider).filter(pk=entry.pk).exists()
    assert not selectors.entry_list_for_user(user=cast.user(Role.CASE_WORKER)).exists()


def test_search_has_a_trigram_index_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'directory_entry_search_trgm'"
        )
        row = cursor.fetchone()
    assert row is not None
    assert "gin_trgm_ops" in row[0]
