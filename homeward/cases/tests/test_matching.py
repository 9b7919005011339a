"""Duplicate detection on blind indexes (matching.py) and the check that
reveals nothing out of scope (services.person_match_check)."""

from __future__ import annotations

from typing import Any

import pytest

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import matching, services
from homeward.cases.matching import LIKELY, POSSIBLE, STRONG, Identifiers
from homeward.cases.models import MatchKind, Person, PersonMatchKey
from homeward.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


def _maria(cast: Any, org: str = "home", **overrides: Any) -> Person:
    values: dict[str, Any] = {
        "first_name": "Мария", "last_name": "Иванова", "first_name_latin": "",
        "last_name_latin": "", "birth_year": 1999, **overrides,
    }
    organisation = cast.home if org == "home" else cast.away
    return open_case(organisation, cast.user("case_worker", org), **values).person


def _found(identifiers: Identifiers, **kw: Any) -> dict[int, matching.Match]:
    return {match.person.pk: match for match in matching.find_matches(identifiers, **kw)}


# --- normalisation -----------------------------------------------------------


def test_phonetic_key_drops_vowels_and_merges_similar_consonants() -> None:
    assert matching.phonetic("ivanova") == matching.phonetic("ivonova")
    assert matching.phonetic("petrova") == matching.phonetic("betrofa")
    assert matching.phonetic("ivanova") != matching.phonetic("smirnova")
    assert matching.phonetic("") == ""


def test_keys_hold_no_plaintext(cast: Any) -> None:
    person = _maria(cast, phones=["+79123456789"],
                    identity_documents=[{"kind": "Passport", "number": "751234567"}])
    digests = list(PersonMatchKey.objects.filter(person=person).values_list("digest", flat=True))
    assert digests
    assert all(len(digest) == 64 and int(digest, 16) >= 0 for digest in digests)
    joined = " ".join(digests)
    for plain in ("maria", "ivanova", "79123456789", "751234567"):
        assert plain not in joined
    assert set(PersonMatchKey.objects.filter(person=person).values_list("kind", flat=True)) == {
        MatchKind.NAME, MatchKind.PHONETIC, MatchKind.TOKEN, MatchKind.PHONE,
        MatchKind.DOCUMENT,
    }


# --- names -------------------------------------------------------------------


def test_matches_the_same_name_typed_in_cyrillic_and_latin(cast: Any) -> None:
    person = _maria(cast)
    found = _found(Identifiers(first_name_latin="Mariya", last_name_latin="Ivanova",
                               birth_year=1999))
    assert found[person.pk].strength == LIKELY
    assert MatchKind.NAME in found[person.pk].reasons


def test_matches_with_the_name_words_swapped(cast: Any) -> None:
    person = _maria(cast)
    found = _found(Identifiers(first_name="Иванова", last_name="Мария", birth_year=1999))
    assert found[person.pk].strength == LIKELY


def test_matches_a_latin_spelling_variant(cast: Any) -> None:
    """"Ivanowa" and "Maria" fold to the same skeleton as Мария Иванова."""
    person = _maria(cast)
    found = _found(Identifiers(first_name_latin="Maria", last_name_latin="Ivanowa",
                               birth_year=2000))
    assert found[person.pk].strength == LIKELY


def test_matches_a_misspelling_by_sound_as_possible(cast: Any) -> None:
    person = _maria(cast)
    found = _found(Identifiers(first_name_latin="Mariya", last_name_latin="Ivonova",
                               birth_year=1998))
    assert found[person.pk].strength == POSSIBLE
    assert found[person.pk].reasons == [MatchKind.PHONETIC]


def test_does_not_match_the_same_name_born_years_apart(cast: Any) -> None:
    _maria(cast)
    assert _found(Identifiers(first_name="Мария", last_name="Иванова", birth_year=2003)) == {}
    assert _found(Identifiers(first_name="Мария", last_name="Иванова", birth_year=1996)) == {}


def test_matches_the_same_name_when_a_year_is_unknown(cast: Any) -> None:
    person = _maria(cast, birth_year=None)
    found = _found(Identifiers(first_name="Мария", last_name="Иванова", birth_year=1999))
    assert found[person.pk].strength == LIKELY


def test_does_not_match_a_different_person(cast: Any) -> None:
    _maria(cast)
    assert _found(Identifiers(first_name="Анна", last_name="Смирнова", birth_year=1999)) == {}
    assert _found(Identifiers(first_name="Мария", last_name="Петрова", birth_year=1999)) == {}


def test_one_name_word_alone_is_no_match(cast: Any) -> None:
    _maria(cast)
    assert _found(Identifiers(last_name="Иванова", birth_year=1999)) == {}
    assert matching.find_matches(Identifiers()) == []


def test_matches_a_maiden_name_given_as_another_name(cast: Any) -> None:
    person = _maria(cast, other_names="Петрова, Маша")
    found = _found(Identifiers(first_name="Мария", last_name="Петрова", birth_year=1999))
    assert found[person.pk].strength == LIKELY


# --- phones, documents, e-mail -----------------------------------------------


def test_matches_the_same_phone_written_differently(cast: Any) -> None:
    person = _maria(cast, phones=["+7 912 345-67-89"])
    for written in ("8 (912) 345-67-89", "+79123456789", "912 345 67 89"):
        found = _found(Identifiers(first_name="Someone", last_name="Else", birth_year=1970,
                                   phones=(written,)))
        assert found[person.pk].strength == LIKELY, written
        assert found[person.pk].reasons == [MatchKind.PHONE]


def test_matches_the_same_passport_number_as_strong(cast: Any) -> None:
    person = _maria(cast, identity_documents=[{"kind": "Passport", "number": "75 1234567"}])
    found = _found(Identifiers(first_name_latin="Other", last_name_latin="Name",
                               documents=("751234567",)))
    assert found[person.pk].strength == STRONG


def test_matches_the_same_email_as_strong(cast: Any) -> None:
    person = _maria(cast, email="Maria.Demo@Example.invalid")
    found = _found(Identifiers(email="maria.demo@example.invalid "))
    assert found[person.pk].strength == STRONG


def test_strongest_matches_come_first_and_exclude_is_honoured(cast: Any) -> None:
    by_name = _maria(cast)
    by_document = _maria(cast, first_name="Ольга", last_name="Другая",
                         identity_documents=[{"kind": "Passport", "number": "751234567"}])
    identifiers = Identifiers(first_name="Мария", last_name="Иванова", birth_year=1999,
                              documents=("751234567",))
    assert [m.person for m in matching.find_matches(identifiers)] == [by_document, by_name]
    assert [m.person for m in matching.find_matches(identifiers, exclude=[by_document.pk])] == [
        by_name]


def test_keys_follow_an_update_of_the_person(cast: Any) -> None:
    person = _maria(cast)
    services.person_update(actor=cast.user("case_worker"), person=person, expected_version=1,
                           last_name="Петрова")
    assert _found(Identifiers(first_name="Мария", last_name="Иванова", birth_year=1999)) == {}
    assert person.pk in _found(Identifiers(first_name="Мария", last_name="Петрова",
                                           birth_year=1999))


# --- the check shown to a user -----------------------------------------------


def test_match_check_reveals_only_the_organisation_of_a_match_out_of_scope(cast: Any) -> None:
    _maria(cast, org="away", phones=["+79123456789"])
    worker = cast.user("case_worker")

    report = services.person_match_check(
        actor=worker, organisation=cast.home,
        identifiers=Identifiers(first_name_latin="Mariya", last_name_latin="Ivanova",
                                birth_year=1999),
    )

    assert report.visible == []
    assert report.elsewhere == [cast.away]
    audit = AuditEntry.objects.filter(action=Action.MATCH_CHECK).get()
    assert audit.detail == {"visible": 0, "elsewhere": 1}
    assert audit.fields == []
    assert (audit.target_type, audit.target_id) == ("", "")
    assert audit.organisation_code == "HOME"


def test_match_check_shows_matches_in_scope_and_names_each_other_organisation_once(
    cast: Any,
) -> None:
    mine = _maria(cast)
    _maria(cast, org="away")
    _maria(cast, org="away", birth_year=2000)

    report = services.person_match_check(
        actor=cast.user("coordinator"), organisation=cast.home,
        identifiers=Identifiers(first_name="Мария", last_name="Иванова", birth_year=1999),
    )

    assert [match.person for match in report.visible] == [mine]
    assert report.elsewhere == [cast.away]
    assert AuditEntry.objects.filter(action=Action.MATCH_CHECK).get().detail == {
        "visible": 1, "elsewhere": 2}


def test_match_check_leaves_out_the_person_being_edited(cast: Any) -> None:
    mine = _maria(cast)
    report = services.person_match_check(
        actor=cast.user("case_worker"), organisation=cast.home,
        identifiers=Identifiers.of(mine), exclude_person=mine,
    )
    assert (report.visible, report.elsewhere) == ([], [])


def test_match_check_for_a_team_member_hides_cases_they_are_not_on(cast: Any) -> None:
    _maria(cast)
    report = services.person_match_check(
        actor=cast.user("shelter_staff"), organisation=cast.home,
        identifiers=Identifiers(first_name="Мария", last_name="Иванова", birth_year=1999),
    )
    assert (report.visible, report.elsewhere) == ([], [cast.home])
