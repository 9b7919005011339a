"""Homeward's flat HTCDS 2.0 profile: the columns, their picklists, and how
each maps onto the case and person models.

One row per case (victim cases only: HTCDS describes trafficking cases, a
missing-person case is not one until the person is found and identified).
Column names are the standard's field names (``htcds_v2_fields.csv``, read
from ``homeward/stats/data`` at run time) or, for what the standard lacks,
``x_`` names. Picklist values are the standard's spellings, which are the
values of :mod:`homeward.cases.choices`; countries are ISO 3166-1 alpha-2
codes; multi-select values and several citizenships are joined with ``;``;
dates are ISO 8601 — a de-identified file writes only the year (``2026``,
reduced precision as ISO 8601 allows), and the importer reads ``YYYY``,
``YYYY-MM`` and ``YYYY-MM-DD``. An empty cell means "unknown".

De-identified columns never hold names, contacts, document numbers, exact
dates or free text; the ``identifying`` columns (names, birth date, e-mail,
phones, document numbers) and full dates are written only in an
identifying export (see :mod:`.export`).

Mapping (HTCDS ⇄ Homeward):

=================================== ==========================================
``x_ExternalId``                    ``ImportedCase.external_id``, else
                                    ``HW-`` + keyed hash of the case id
``cas_Status``                      ``Case.status``
``x_Step``                          ``Case.step`` (closed cases: ``Closed``)
``x_RegistrationDate``              ``Case.opened_on``
``x_IdentificationDate``            earliest ``CaseStep`` "Identification"
``x_ClosedDate``                    ``Case.closed_on``
``cas_IncomingReferralDate``        ``Case.incoming_referral_date`` (and
                                    ``opened_on`` on import when no
                                    ``x_RegistrationDate``)
``x_ReferralSource``                ``Case.referral_source`` (import default
                                    ``Other``)
``prs_Gender``                      ``Person.gender``
``prs_Birthdate`` (identifying)     ``Person.birth_date``; a year-only value
                                    sets ``birth_year``
``x_BirthYear`` / ``x_AgeBand``     ``Person.birth_year``; the band (at the
                                    registration date) is written for
                                    readers; an import with a band only
                                    estimates the year from the band's middle
``prs_Citizenship``                 ``Person.citizenships``
``prs_MaritalStatus`` …             the person's plain columns of the same name
``x_OriginCountry/Region/City``     ``Person.origin_*``
``vic_*``                           the case's victim-context columns
``x_RecruitmentChannels``           ``Case.recruitment_channels`` (the seeds'
                                    recruitment modes)
``vic_LocationOfExploitation``      ``Case.destination_country`` ``/``
                                    ``destination_city`` (``TR / Istanbul``)
``x_TransportModes``                union of the case's trafficking events'
                                    ``transport_modes``; on import a
                                    "Transit" event holds them
=================================== ==========================================
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import functools
import re
from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.cases import choices as case_choices
from homeward.stats.choices import AGE_BAND_OVER, AGE_BAND_UNDER, AGE_BANDS

FIELDS_FILE = Path(__file__).resolve().parent.parent / "data" / "htcds_v2_fields.csv"

# Kinds of column.
TEXT = "text"
CHOICE = "choice"
MULTI = "multi"
COUNTRY = "country"
COUNTRIES = "countries"
DATE = "date"
YEAR = "year"
NUMBER = "number"
BOOLEAN = "boolean"
LANGUAGE = "language"
LOCATION = "location"
AGE_BAND = "age_band"

SEPARATOR = ";"
LOCATION_SEPARATOR = " / "


@dataclasses.dataclass(frozen=True)
class StandardField:
    """One field of the standard, as ``htcds_v2_fields.csv`` lists it."""

    section: str
    field: str
    label: str
    type: str
    values: tuple[str, ...]


@functools.cache
def standard_fields() -> dict[str, StandardField]:
    """The standard's 83 fields by name (read once)."""
    with FIELDS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["field"]: StandardField(
                section=row["section"], field=row["field"], label=row["label"],
                type=row["type"],
                values=tuple(v for v in row["values"].split("|") if v)
                if "Picklist" in row["type"] and not row["values"].startswith("Use ")
                else (),
            )
            for row in csv.DictReader(handle)
        }


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    kind: str
    choices: type[models.TextChoices] | None = None
    identifying: bool = False
    # Free text that does not identify anyone (regions, cities).
    max_length: int = 120

    @property
    def allowed(self) -> tuple[str, ...]:
        return tuple(self.choices.values) if self.choices is not None else ()

    @property
    def is_standard(self) -> bool:
        return not self.name.startswith("x_")


C = case_choices
COLUMNS: tuple[Column, ...] = (
    Column("x_ExternalId", TEXT, max_length=64),
    Column("cas_Status", CHOICE, C.CaseStatus),
    Column("x_Step", CHOICE, C.Step),
    Column("x_RegistrationDate", DATE),
    Column("x_IdentificationDate", DATE),
    Column("x_ClosedDate", DATE),
    Column("cas_IncomingReferralDate", DATE),
    Column("x_ReferralSource", CHOICE, C.ReferralSource),
    Column("prs_Gender", CHOICE, C.Gender),
    Column("prs_Birthdate", DATE, identifying=True),
    Column("x_BirthYear", YEAR),
    Column("x_AgeBand", AGE_BAND),
    Column("prs_Citizenship", COUNTRIES),
    Column("prs_MaritalStatus", CHOICE, C.MaritalStatus),
    Column("prs_NumberOfChildren", NUMBER),
    Column("prs_PrimaryLanguage", LANGUAGE),
    Column("prs_SecondaryLanguage", LANGUAGE),
    Column("prs_HighestLevelOfEducation", CHOICE, C.Education),
    Column("prs_Deceased", BOOLEAN),
    Column("x_OriginCountry", COUNTRY),
    Column("x_OriginRegion", TEXT),
    Column("x_OriginCity", TEXT),
    Column("vic_TraffickingStatus", CHOICE, C.TraffickingStatus),
    Column("vic_TraffickingStatusDecisionMakingOrg", CHOICE, C.DecisionMaker),
    Column("vic_RelationshipToTrafficker", CHOICE, C.RelationshipToTrafficker),
    Column("vic_AgeWhenTrafficked", NUMBER),
    Column("vic_MethodOfRecruitment", MULTI, C.MethodOfRecruitment),
    Column("x_RecruitmentChannels", MULTI, C.RecruitmentChannel),
    Column("vic_MethodsOfControl", MULTI, C.MethodOfControl),
    Column("vic_TypeOfExploitation", MULTI, C.ExploitationType),
    Column("vic_ForcedLabourIndustry", CHOICE, C.ForcedLabourIndustry),
    Column("vic_TypeOfSexExploitation", MULTI, C.SexExploitationType),
    Column("vic_LocationOfExploitation", LOCATION),
    Column("x_TransportModes", MULTI, C.TransportMode),
    Column("prs_FirstName", TEXT, identifying=True, max_length=100),
    Column("prs_MiddleName", TEXT, identifying=True, max_length=100),
    Column("prs_SecondName", TEXT, identifying=True, max_length=100),
    Column("prs_Email", TEXT, identifying=True, max_length=254),
    Column("prs_MobilePhone", TEXT, identifying=True, max_length=300),
    Column("prs_IdentityNumber", TEXT, identifying=True, max_length=300),
)
BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}
DEIDENTIFIED_COLUMNS = tuple(column.name for column in COLUMNS if not column.identifying)
IDENTIFYING_COLUMNS = tuple(column.name for column in COLUMNS)
EXTERNAL_ID = "x_ExternalId"


def ignored_standard_fields() -> list[str]:
    """Standard fields a file may carry that Homeward does not store (read and
    skipped: organisation details, case comments, support plans …)."""
    return [name for name in standard_fields() if name not in BY_NAME]


# --- values -------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message is shown with the row and column."""


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-]?[\d .()-]*")


@dataclasses.dataclass(frozen=True)
class PartialDate:
    """An ISO 8601 date of reduced precision: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def matches(self, value: datetime.date | None) -> bool:
        """``value`` agrees with this date at its precision."""
        if value is None or value.year != self.year:
            return False
        if self.month is not None and value.month != self.month:
            return False
        return self.day is None or value.day == self.day

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


def parse_date(text: str) -> PartialDate:
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise CellError(_("not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"))
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None  # noqa: S101 (the pattern requires it)
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise CellError(_("not a valid date")) from exc
    return PartialDate(year, month, day)


def parse_country(text: str) -> str:
    code = text.strip().upper()
    if code not in dict(countries):
        raise CellError(_("unknown country code “%(code)s” (use ISO 3166-1 alpha-2)") % {
            "code": text.strip()})
    return code


def parse_cell(column: Column, text: str) -> object:
    """The value of a non-empty cell, or :class:`CellError`."""
    text = text.strip()
    kind = column.kind
    if kind == TEXT:
        if len(text) > column.max_length:
            raise CellError(_("longer than %(limit)s characters") % {"limit": column.max_length})
        return text
    if kind == CHOICE:
        if text not in column.allowed:
            raise CellError(_("“%(value)s” is not a value of the picklist") % {"value": text})
        return text
    if kind == MULTI:
        values = split(text)
        bad = [value for value in values if value not in column.allowed]
        if bad:
            raise CellError(_("not values of the picklist: %(values)s") % {
                "values": ", ".join(bad)})
        return [value for value in column.allowed if value in values]
    if kind == COUNTRY:
        return parse_country(text)
    if kind == COUNTRIES:
        return list(dict.fromkeys(parse_country(part) for part in split(text)))
    if kind == DATE:
        return parse_date(text)
    if kind in (YEAR, NUMBER):
        if not text.isdigit():
            raise CellError(_("not a whole number"))
        number = int(text)
        if kind == YEAR and not 1900 <= number <= timezone.localdate().year:
            raise CellError(_("not a year between 1900 and this year"))
        if kind == NUMBER and number > 150:
            raise CellError(_("too large"))
        return number
    if kind == BOOLEAN:
        lowered = text.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise CellError(_("not true or false"))
    if kind == LANGUAGE:
        code = text.lower()
        if not _LANGUAGE.fullmatch(code):
            raise CellError(_("not an ISO 639 language code"))
        return code
    if kind == LOCATION:
        country, _sep, city = text.partition("/")
        city = city.strip()
        if len(city) > column.max_length:
            raise CellError(_("the city is longer than %(limit)s characters") % {
                "limit": column.max_length})
        return parse_country(country), city
    if kind == AGE_BAND:
        if text not in AGE_BANDS:
            raise CellError(_("“%(value)s” is not an age band (%(bands)s)") % {
                "value": text, "bands": ", ".join(AGE_BANDS)})
        return text
    raise AssertionError(kind)  # pragma: no cover


def band_middle_age(band: str) -> int:
    """The age an import assumes for a person known only by their band."""
    if band == AGE_BAND_UNDER:
        return 12
    if band == AGE_BAND_OVER:
        return 62
    low = int(band.split("-", 1)[0])
    return low + 2


def date_text(value: datetime.date | None, *, exact: bool) -> str:
    if value is None:
        return ""
    return value.isoformat() if exact else f"{value.year:04d}"


def csv_safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe
    (values of this profile are codes, numbers and dates: only free text —
    cities, names — can start that way)."""
    if value[:1] in _FORMULA_START and not _NUMBER_LIKE.fullmatch(value):
        return "'" + value
    return value


def csv_unsafe(value: str) -> str:
    if value[:1] == "'" and value[1:2] != "" and value[1] in _FORMULA_START:
        return value[1:]
    return value
