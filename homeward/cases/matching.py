"""Finding the same person twice, without reading anyone's data.

A person's identifiers are turned into keyed blind indexes
(:func:`homeward.core.crypto.blind_index`) stored in
:class:`~homeward.cases.models.PersonMatchKey`:

* ``name`` — first name and surname, transliterated to Latin with the usual
  spelling variants folded together (``Мария`` = ``Mariya`` = ``Maria``),
  lower-cased and token-sorted (so "Ivanova Maria" = "Maria Ivanova");
* ``phonetic`` — the same words by sound (vowels dropped after the first
  letter, voiced and voiceless consonants merged), for misspellings;
* ``token`` — each name word alone, for looking a name up in the case list;
* ``phone``, ``document``, ``email`` — normalised.

:func:`find_matches` compares keys and the (plain) year of birth across the
whole coalition; the caller decides what to reveal (see
``services.person_match_check``): persons in the user's scope are shown,
others only as "a possible match exists at <organisation>".
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from homeward.cases.models import MatchKind, Person, PersonMatchKey
from homeward.core.crypto import blind_index, normalise_email, normalise_phone
from homeward.directory.phones import to_e164
from homeward.directory.search import skeleton_words

_PURPOSE = "cases.person."

# Sounds that spellings and ears confuse, after skeleton folding.
_SOUND = str.maketrans({
    "b": "p", "d": "t", "g": "k", "z": "s", "v": "f", "c": "s", "h": "",
})
_VOWELS = re.compile(r"[aeiouy]")


def _digest(kind: str, value: str) -> str:
    return blind_index(value, purpose=_PURPOSE + kind, normaliser=lambda text: text)


def phonetic(word: str) -> str:
    """A rough sound key of one skeleton word: first letter kept, then
    consonants only, similar ones merged, repeats collapsed."""
    if not word:
        return ""
    head, tail = word[0], _VOWELS.sub("", word[1:]).translate(_SOUND)
    key = head.translate(_SOUND) or head
    for char in tail:
        if not key.endswith(char):
            key += char
    return key


def _name_words(*parts: str) -> list[str]:
    words: list[str] = []
    for part in parts:
        words.extend(word for word in skeleton_words(part or "") if word)
    return words


def _name_variants(
    *, first_name: str = "", last_name: str = "", first_name_latin: str = "",
    last_name_latin: str = "", other_names: str = "",
) -> list[list[str]]:
    """Each spelling of "first name + surname" as a list of words."""
    variants: list[list[str]] = []
    firsts = [name for name in (first_name, first_name_latin) if name.strip()]
    lasts = [name for name in (last_name, last_name_latin) if name.strip()]
    lasts += [alt for alt in (other_names or "").split(",") if alt.strip()]
    for first in firsts or [""]:
        for last in lasts or [""]:
            words = _name_words(first, last)
            if len(words) >= 2 and sorted(words) not in variants:
                variants.append(sorted(words))
    return variants


def name_token_digests(query: str) -> list[str]:
    """Digests of each word of ``query``, as stored under ``token``."""
    return [_digest(MatchKind.TOKEN, word) for word in _name_words(query)]


def phone_number(value: str) -> str:
    """A phone as stored on a person (E.164, read as Russian when written
    without a country code, as ``services.person_create`` does), so that a
    number typed in a search form meets the stored one; digits only when it
    is not a number we can read."""
    try:
        return to_e164(value, region="RU")
    except ValidationError:
        return normalise_phone(value)


def document_number(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (value or "").upper())


@dataclasses.dataclass(frozen=True)
class Identifiers:
    """What a match can be made on (the fields of a person, or of a form)."""

    first_name: str = ""
    last_name: str = ""
    first_name_latin: str = ""
    last_name_latin: str = ""
    middle_name: str = ""
    other_names: str = ""
    birth_year: int | None = None
    phones: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    email: str = ""

    @classmethod
    def of(cls, person: Person) -> Identifiers:
        return cls(
            first_name=person.first_name, last_name=person.last_name,
            first_name_latin=person.first_name_latin, last_name_latin=person.last_name_latin,
            middle_name=person.middle_name, other_names=person.other_names,
            birth_year=person.birth_year,
            phones=tuple(person.phones or ()),
            documents=tuple(
                str(doc.get("number", "")) for doc in person.identity_documents or ()
                if isinstance(doc, dict)
            ),
            email=person.email,
        )

    def match_keys(self) -> set[tuple[str, str]]:
        """Every (kind, digest) pair of these identifiers."""
        keys: set[tuple[str, str]] = set()
        for words in _name_variants(
            first_name=self.first_name, last_name=self.last_name,
            first_name_latin=self.first_name_latin, last_name_latin=self.last_name_latin,
            other_names=self.other_names,
        ):
            keys.add((MatchKind.NAME, _digest(MatchKind.NAME, " ".join(words))))
            sounds = sorted(phonetic(word) for word in words)
            keys.add((MatchKind.PHONETIC, _digest(MatchKind.PHONETIC, " ".join(sounds))))
        for word in _name_words(
            self.first_name, self.last_name, self.first_name_latin, self.last_name_latin,
            self.middle_name, self.other_names.replace(",", " "),
        ):
            keys.add((MatchKind.TOKEN, _digest(MatchKind.TOKEN, word)))
        for phone in self.phones:
            normalised = phone_number(phone)
            if len(normalised.lstrip("+")) >= 6:
                keys.add((MatchKind.PHONE, _digest(MatchKind.PHONE, normalised)))
        for number in self.documents:
            normalised = document_number(number)
            if len(normalised) >= 4:
                keys.add((MatchKind.DOCUMENT, _digest(MatchKind.DOCUMENT, normalised)))
        if self.email.strip():
            keys.add((MatchKind.EMAIL, _digest(MatchKind.EMAIL, normalise_email(self.email))))
        return keys


def person_match_keys_rebuild(person: Person) -> None:
    """Replace the person's stored keys with those of its current identifiers."""
    wanted = Identifiers.of(person).match_keys()
    existing = set(person.match_keys.values_list("kind", "digest"))
    stale = existing - wanted
    for kind, digest in stale:
        person.match_keys.filter(kind=kind, digest=digest).delete()
    PersonMatchKey.objects.bulk_create(
        [PersonMatchKey(person=person, kind=kind, digest=digest)
         for kind, digest in sorted(wanted - existing)]
    )


# How strong each kind of evidence is.
STRONG = "strong"  # same document number or e-mail
LIKELY = "likely"  # same name and compatible year of birth, or same phone
POSSIBLE = "possible"  # names that sound alike and a compatible year of birth


@dataclasses.dataclass
class Match:
    person: Person
    strength: str
    reasons: list[str]  # MatchKind values that matched


def _years_compatible(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= 1


def find_matches(
    identifiers: Identifiers, *, exclude: Iterable[int] = (), limit: int = 20
) -> list[Match]:
    """Persons anywhere in the coalition who may be the same person.

    The result holds persons of every organisation: never show it to a user
    unfiltered (``services.person_match_check`` does the filtering).
    """
    keys = {(kind, digest) for kind, digest in identifiers.match_keys() if kind != MatchKind.TOKEN}
    if not keys:
        return []
    by_kind: dict[str, list[str]] = {}
    for kind, digest in keys:
        by_kind.setdefault(kind, []).append(digest)
    hits: dict[int, set[str]] = {}
    for kind, digests in by_kind.items():
        rows: QuerySet[Any] = PersonMatchKey.objects.filter(
            kind=kind, digest__in=digests
        ).exclude(person_id__in=list(exclude)).values_list("person_id", flat=True)
        for person_id in rows[:500]:
            hits.setdefault(person_id, set()).add(kind)
    if not hits:
        return []
    persons = Person.objects.filter(pk__in=list(hits)).select_related("organisation")
    matches: list[Match] = []
    for person in persons:
        reasons = hits[person.pk]
        years_ok = _years_compatible(identifiers.birth_year, person.birth_year)
        if reasons & {MatchKind.DOCUMENT, MatchKind.EMAIL}:
            strength = STRONG
        elif (MatchKind.NAME in reasons and years_ok) or MatchKind.PHONE in reasons:
            strength = LIKELY
        elif MatchKind.PHONETIC in reasons and years_ok:
            strength = POSSIBLE
        else:
            continue
        matches.append(Match(person=person, strength=strength, reasons=sorted(reasons)))
    order = {STRONG: 0, LIKELY: 1, POSSIBLE: 2}
    matches.sort(key=lambda match: (order[match.strength], -match.person.pk))
    return matches[:limit]
