"""Reading and importing CTDC public files into a reference dataset.

The Counter Trafficking Data Collaborative (CTDC, IOM and partners)
publishes de-identified (synthetic, differentially private) records of
identified victims worldwide. Homeward keeps an imported file as a
:class:`~homeward.stats.models.CtdcDataset` of its own: global reference
figures, always labelled as such and never counted with the coalition's
cases.

Two layouts are read:

* the **condensed victim–perpetrator file** (``CTDC_VPsynthetic_condensed``,
  version of 1 December 2022): ``yearRegister`` (a year or a range such as
  "2014-2018"), ``gender`` (Female/Male), ``majorityStatus``
  (Adult/Minor), ``isForcedLabour``/``isSexualExploit`` (1 or empty),
  ``UN_COO_Region``/``UN_COE_Region`` (the UN regions of citizenship and of
  exploitation: Africa, Americas/Oceania, Asia, Europe) and perpetrator
  columns, which are not kept;
* the **global synthetic victim file** (codebook v2024):
  ``yearOfRegistration``, ``gender`` (Man/Woman/Trans…), ``ageBroad``,
  ``citizenship`` and ``CountryOfExploitation`` (ISO alpha-3), the
  ``is…`` flags. Its countries are kept as alpha-2 codes and placed in the
  same four regions as the condensed file.

An import is all or nothing: every row is checked first, and any error
(named by row number and column) refuses the whole file. The same file
(same SHA-256) is never imported twice.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_countries import countries

from homeward.audit.services import Action, audit_record
from homeward.stats.models import CtdcDataset, CtdcRecord

BATCH_SIZE = 2000
# Errors listed in one message at most (the rest are counted).
MAX_ERRORS_SHOWN = 20

Progress = Callable[[int, int], None]

# --- the vocabularies -------------------------------------------------------------------

AFRICA, AMERICAS_OCEANIA, ASIA, EUROPE = "Africa", "Americas/Oceania", "Asia", "Europe"
REGIONS = (AFRICA, AMERICAS_OCEANIA, ASIA, EUROPE)
REGION_LABELS = {
    AFRICA: gettext_lazy("Africa"),
    AMERICAS_OCEANIA: gettext_lazy("Americas and Oceania"),
    ASIA: gettext_lazy("Asia"),
    EUROPE: gettext_lazy("Europe"),
}

FEMALE, MALE, TRANS = "Female", "Male", "Trans/Transgender/NonConforming"
GENDER_LABELS = {
    FEMALE: pgettext_lazy("CTDC gender", "Female"),
    MALE: pgettext_lazy("CTDC gender", "Male"),
    TRANS: pgettext_lazy("CTDC gender", "Trans, transgender or non-conforming"),
}
# The v2024 file says Man/Woman where the condensed file says Male/Female.
_GENDERS = {"female": FEMALE, "woman": FEMALE, "male": MALE, "man": MALE,
            "trans/transgender/nonconforming": TRANS}

ADULT, MINOR = "Adult", "Minor"
MAJORITY_LABELS = {
    ADULT: pgettext_lazy("CTDC majority", "Adult"),
    MINOR: pgettext_lazy("CTDC majority", "Minor"),
}

# ageBroad of the v2024 codebook.
AGE_BANDS = ("0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+")
_AGE = re.compile(r"^(\d{1,2})\s*[-–]+\s*(\d{1,2})$|^(\d{1,2})\s*\+$")

_YEAR = re.compile(r"^(\d{4})(?:\.0)?(?:\s*-\s*(\d{4}))?$")

CONDENSED = "condensed"
GLOBAL_2024 = "global-2024"

_CONDENSED_COLUMNS = (
    "yearRegister", "gender", "majorityStatus", "isForcedLabour", "isSexualExploit",
    "UN_COO_Region", "UN_COE_Region",
)
_GLOBAL_COLUMNS = (
    "yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation",
    "isForcedLabour", "isSexualExploit",
)


def year_bounds(value: str) -> tuple[int, int] | None:
    """(first, last) year of a CTDC year or range ("2014-2018"); None when empty."""
    match = _YEAR.match(value.strip())
    if not match:
        return None
    first = int(match.group(1))
    return first, int(match.group(2) or first)


# --- the UN regions of countries (for the v2024 layout) -----------------------------------

_AFRICA_CODES = (
    "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY "
    "MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW IO TF"
)
_AMERICAS_OCEANIA_CODES = (
    "AI AG AR AW BS BB BZ BM BO BQ BR VG CA KY CL CO CR CU CW DM DO EC SV FK GF GL GD GP GT GY "
    "HT HN JM MQ MX MS NI PA PY PE PR BL KN LC MF PM VC SX SR TT TC US UM UY VE VI GS BV "
    "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF CX CC HM"
)
_ASIA_CODES = (
    "AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM NP "
    "KP OM PK PS PH QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE"
)
_EUROPE_CODES = (
    "AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG VA HU IS IE IM IT JE XK LV LI LT "
    "LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB"
)
COUNTRY_REGIONS: dict[str, str] = {
    code: region
    for region, codes in (
        (AFRICA, _AFRICA_CODES), (AMERICAS_OCEANIA, _AMERICAS_OCEANIA_CODES),
        (ASIA, _ASIA_CODES), (EUROPE, _EUROPE_CODES),
    )
    for code in codes.split()
}


# --- reading ----------------------------------------------------------------------------


class CtdcFileError(Exception):
    """The file cannot be imported; ``messages`` say why (translated, no data)."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclasses.dataclass
class _Row:
    number: int
    values: dict[str, Any]
    errors: list[str]


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CtdcFileError([_("The file is not a UTF-8 CSV file.")]) from exc


def _layout(headers: list[str]) -> str:
    present = {header.strip() for header in headers}
    if set(_CONDENSED_COLUMNS) <= present:
        return CONDENSED
    if set(_GLOBAL_COLUMNS) <= present:
        return GLOBAL_2024
    expected = _GLOBAL_COLUMNS if "yearOfRegistration" in present else _CONDENSED_COLUMNS
    missing = [column for column in expected if column not in present]
    raise CtdcFileError([
        _("This is not a CTDC file this import knows. Missing columns: %(columns)s.")
        % {"columns": ", ".join(missing)}
    ])


def _flag(value: str, column: str, errors: list[str]) -> bool | None:
    value = value.strip().lower()
    if value in ("", "."):
        return None
    if value in ("1", "1.0", "true", "yes"):
        return True
    if value in ("0", "0.0", "false", "no"):
        return False
    errors.append(_("%(column)s: “%(value)s” is not 1, 0 or empty.")
                  % {"column": column, "value": value[:40]})
    return None


def _choice(value: str, allowed: dict[str, str], column: str, errors: list[str]) -> str:
    value = value.strip()
    if not value:
        return ""
    found = allowed.get(value.lower().replace(" ", ""))
    if found is None:
        errors.append(_("%(column)s: “%(value)s” is not one of %(allowed)s.") % {
            "column": column, "value": value[:40],
            "allowed": ", ".join(sorted(set(allowed.values()))),
        })
        return ""
    return found


def _year(value: str, column: str, errors: list[str]) -> str:
    value = value.strip()
    if not value:
        return ""
    bounds = year_bounds(value)
    if bounds is None or not 1900 <= bounds[0] <= bounds[1] <= 2100:
        errors.append(_("%(column)s: “%(value)s” is not a year or a range of years.")
                      % {"column": column, "value": value[:40]})
        return ""
    first, last = bounds
    return str(first) if first == last else f"{first}-{last}"


def _country(value: str, column: str, errors: list[str]) -> str:
    value = value.strip().upper()
    if not value:
        return ""
    code = countries.alpha2(value) or ("XK" if value in ("XKX", "XK") else "")
    if not code:
        errors.append(_("%(column)s: “%(value)s” is not an ISO 3166-1 country code.")
                      % {"column": column, "value": value[:40]})
    return str(code)


def _age(value: str, errors: list[str]) -> str:
    value = value.strip()
    if not value:
        return ""
    match = _AGE.match(value)
    if not match:
        errors.append(_("%(column)s: “%(value)s” is not an age band such as 18--20 or 48+.")
                      % {"column": "ageBroad", "value": value[:40]})
        return ""
    if match.group(3):
        return f"{int(match.group(3))}+"
    return f"{int(match.group(1))}--{int(match.group(2))}"


_REGIONS_BY_NAME = {region.lower(): region for region in REGIONS}
_MAJORITY = {"adult": ADULT, "minor": MINOR}


def _condensed(row: dict[str, str], errors: list[str]) -> dict[str, Any]:
    return {
        "year_registered": _year(row.get("yearRegister") or "", "yearRegister", errors),
        "gender": _choice(row.get("gender") or "", _GENDERS, "gender", errors),
        "majority": _choice(row.get("majorityStatus") or "", _MAJORITY, "majorityStatus",
                            errors),
        "age_band": "",
        "forced_labour": _flag(row.get("isForcedLabour") or "", "isForcedLabour", errors),
        "sexual_exploitation": _flag(row.get("isSexualExploit") or "", "isSexualExploit",
                                     errors),
        "citizenship": "",
        "citizenship_region": _choice(row.get("UN_COO_Region") or "", _REGIONS_BY_NAME,
                                      "UN_COO_Region", errors),
        "exploitation_country": "",
        "exploitation_region": _choice(row.get("UN_COE_Region") or "", _REGIONS_BY_NAME,
                                       "UN_COE_Region", errors),
    }


def _global(row: dict[str, str], errors: list[str]) -> dict[str, Any]:
    citizenship = _country(row.get("citizenship") or "", "citizenship", errors)
    exploited = _country(row.get("CountryOfExploitation") or "", "CountryOfExploitation",
                         errors)
    age = _age(row.get("ageBroad") or "", errors)
    majority = ""
    if age:
        first = int(age.split("-")[0].rstrip("+"))
        majority = ADULT if first >= 18 else MINOR
    return {
        "year_registered": _year(row.get("yearOfRegistration") or "", "yearOfRegistration",
                                 errors),
        "gender": _choice(row.get("gender") or "", _GENDERS, "gender", errors),
        "majority": majority,
        "age_band": age,
        "forced_labour": _flag(row.get("isForcedLabour") or "", "isForcedLabour", errors),
        "sexual_exploitation": _flag(row.get("isSexualExploit") or "", "isSexualExploit",
                                     errors),
        "citizenship": citizenship,
        "citizenship_region": COUNTRY_REGIONS.get(citizenship, ""),
        "exploitation_country": exploited,
        "exploitation_region": COUNTRY_REGIONS.get(exploited, ""),
    }


def ctdc_read(data: bytes) -> list[dict[str, Any]]:
    """The records of a CTDC CSV file as ``CtdcRecord`` field values.

    Raises :class:`CtdcFileError` naming every bad row (by its line number
    in the file, the header being line 1) and column; nothing is returned
    unless every row is correct.
    """
    reader = csv.DictReader(io.StringIO(_text(data), newline=""))
    headers = reader.fieldnames
    if not headers:
        raise CtdcFileError([_("The file is empty.")])
    reader.fieldnames = [header.strip() for header in headers]
    convert = _condensed if _layout(list(headers)) == CONDENSED else _global
    records: list[dict[str, Any]] = []
    errors: list[str] = []
    bad_rows = 0
    try:
        for number, row in enumerate(reader, start=2):
            row_errors: list[str] = []
            values = convert(row, row_errors)
            if row_errors:
                bad_rows += 1
                if len(errors) < MAX_ERRORS_SHOWN:
                    errors.append(_("Row %(row)d: %(errors)s")
                                  % {"row": number, "errors": " ".join(row_errors)})
            else:
                records.append(values)
    except csv.Error as exc:
        raise CtdcFileError([_("The file is not a readable CSV file.")]) from exc
    if bad_rows:
        if bad_rows > len(errors):
            errors.append(_("… and %(count)d more rows with errors.")
                          % {"count": bad_rows - len(errors)})
        raise CtdcFileError([
            _("%(count)d rows have errors; nothing was imported.") % {"count": bad_rows},
            *errors,
        ])
    if not records:
        raise CtdcFileError([_("The file has no rows.")])
    return records


def ctdc_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ctdc_already_imported(data: bytes) -> CtdcDataset | None:
    """The dataset this very file was imported as, if it was."""
    return CtdcDataset.objects.filter(sha256=ctdc_sha256(data)).first()


def _duplicate_error(existing: CtdcDataset) -> CtdcFileError:
    return CtdcFileError([
        _("This file was already imported as “%(label)s” on %(date)s.")
        % {"label": existing.label, "date": existing.imported_at.date().isoformat()}
    ])


def ctdc_check(*, data: bytes) -> list[dict[str, Any]]:
    """What :func:`ctdc_import` would write (the dry run): the rows, checked,
    or :class:`CtdcFileError` (bad rows, or a file already imported)."""
    existing = ctdc_already_imported(data)
    if existing is not None:
        raise _duplicate_error(existing)
    return ctdc_read(data)


def default_label(source_name: str) -> str:
    return _("CTDC reference data (%(file)s)") % {"file": source_name}


@transaction.atomic
def ctdc_import(
    *,
    data: bytes,
    source_name: str,
    label: str,
    actor: Any,
    progress: Progress | None = None,
) -> CtdcDataset:
    """Import a CTDC CSV file as a new reference dataset, all or nothing.

    Refuses (:class:`CtdcFileError`) a file with any bad row, and a file
    already imported (same SHA-256). ``progress(done, total)`` is called as
    the rows are written. Audited as a creation with the row count.
    """
    records = ctdc_check(data=data)
    total = len(records)
    if progress is not None:
        progress(0, total)
    try:
        with transaction.atomic():
            dataset = CtdcDataset.objects.create(
                label=(label.strip() or default_label(source_name))[:200],
                source_name=source_name[:255], sha256=ctdc_sha256(data), row_count=total,
                imported_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError as exc:  # imported meanwhile by someone else
        existing = ctdc_already_imported(data)
        if existing is None:
            raise
        raise _duplicate_error(existing) from exc
    for start in range(0, total, BATCH_SIZE):
        batch = records[start:start + BATCH_SIZE]
        CtdcRecord.objects.bulk_create(
            [CtdcRecord(dataset=dataset, **values) for values in batch]
        )
        if progress is not None:
            progress(start + len(batch), total)
    audit_record(
        action=Action.CREATE, actor=actor, target=dataset, organisation=None,
        detail={"rows": total, "source": dataset.source_name[:100], "kind": "ctdc"},
    )
    return dataset
