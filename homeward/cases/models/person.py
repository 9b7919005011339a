"""The person a case is about (HTCDS ``prs_*``).

Every identifying field is encrypted at rest. What stays in plain columns is
what lists, filters and statistics need and does not identify anyone on its
own: gender, birth year, citizenship, region and city of origin, education.
Duplicate search works on :class:`PersonMatchKey` blind indexes, never on
the encrypted values.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Organisation
from homeward.cases.choices import Education, Gender, MaritalStatus
from homeward.core.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
)

ADULT_AGE = 18


class Person(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="persons",
        verbose_name=_("recorded by"),
    )
    # Names: as the person writes them (usually Cyrillic) and in Latin letters
    # (as in a foreign passport). prs_FirstName / prs_MiddleName / prs_SecondName.
    first_name = EncryptedCharField(_("first name"), max_length=100, blank=True)
    middle_name = EncryptedCharField(_("patronymic / middle name"), max_length=100, blank=True)
    last_name = EncryptedCharField(_("surname"), max_length=100, blank=True)
    first_name_latin = EncryptedCharField(_("first name (Latin)"), max_length=100, blank=True)
    last_name_latin = EncryptedCharField(_("surname (Latin)"), max_length=100, blank=True)
    other_names = EncryptedCharField(
        _("other names and spellings"), max_length=300, blank=True,
        help_text=_("Maiden name, nicknames, other spellings — separated by commas."),
    )
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)  # prs_Birthdate
    # Known from the birth date, or estimated when only an age is known.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_year_estimated = models.BooleanField(_("year of birth is an estimate"), default=False)
    gender = models.CharField(
        _("gender"), max_length=24, choices=Gender.choices, default=Gender.UNKNOWN
    )
    marital_status = models.CharField(
        _("marital status"), max_length=24, choices=MaritalStatus.choices, blank=True
    )
    number_of_children = models.PositiveSmallIntegerField(
        _("number of children"), null=True, blank=True
    )
    children_accompanying = models.PositiveSmallIntegerField(
        _("small children with her/him"), default=0,
        help_text=_("Children arriving or staying with the person."),
    )
    primary_language = models.CharField(
        _("primary language"), max_length=3, blank=True, help_text=_("ISO 639 code, e.g. ru.")
    )
    secondary_language = models.CharField(_("second language"), max_length=3, blank=True)
    education = models.CharField(
        _("highest education"), max_length=40, choices=Education.choices, blank=True
    )
    # ",RU,KZ," — several citizenships; one portable "contains" lookup.
    citizenships = models.CharField(_("citizenship"), max_length=120, blank=True)
    identity_documents = EncryptedJSONField(
        _("identity documents"), default=list, blank=True,
        help_text=_("A list of {kind, number}."),
    )
    phones = EncryptedJSONField(_("phones"), default=list, blank=True)
    email = EncryptedCharField(_("e-mail"), max_length=254, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    origin_country = CountryField(_("country of origin"), blank=True)
    origin_region = models.CharField(_("region of origin"), max_length=120, blank=True)
    origin_city = models.CharField(_("city or town of origin"), max_length=120, blank=True)
    deceased = models.BooleanField(_("deceased"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["organisation", "birth_year"])]

    def __str__(self) -> str:
        # Never a name: str() ends up in logs and error pages.
        return f"person #{self.pk}"

    @property
    def citizenship_list(self) -> list[str]:
        return [code for code in self.citizenships.split(",") if code]

    @property
    def display_name(self) -> str:
        """The name as shown on the case page (only to those who may see it)."""
        native = " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)
        latin = " ".join(p for p in (self.first_name_latin, self.last_name_latin) if p)
        if native and latin:
            return f"{native} ({latin})"
        return native or latin

    def age_range_on(self, day: datetime.date) -> tuple[int, int] | None:
        """(youngest, oldest) possible age on ``day``; None when nothing is known."""
        if self.birth_date is not None:
            birth = self.birth_date
            age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
            return age, age
        if self.birth_year is not None:
            return day.year - self.birth_year - 1, day.year - self.birth_year
        return None

    def is_minor_on(self, day: datetime.date) -> bool:
        """Under 18 on ``day``. With only a year known, a person who may still be
        17 counts as a minor: the best interest of the child comes first."""
        ages = self.age_range_on(day)
        return ages is not None and ages[0] < ADULT_AGE


class MatchKind(models.TextChoices):
    NAME = "name", _("name")  # all name words, transliterated and sorted
    PHONETIC = "phonetic", _("name, by sound")
    TOKEN = "token", _("one name word")  # for looking a name up in lists
    PHONE = "phone", _("phone")
    DOCUMENT = "document", _("document number")
    EMAIL = "email", _("e-mail")


class PersonMatchKey(models.Model):
    """A blind index of one normalised identifier of a person.

    The digest is a keyed HMAC (``homeward.core.crypto.blind_index``), so the
    table reveals nothing without the key; equal digests mean equal
    normalised values. Rebuilt by ``cases.matching.person_match_keys_rebuild``
    whenever the person's identifiers change.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    kind = models.CharField(max_length=16, choices=MatchKind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["kind", "digest"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "digest"], name="cases_matchkey_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} key of person #{self.person_id}"
