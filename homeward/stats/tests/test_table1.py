"""The seeds' Table 1 ("Nationality of VoTs broken down by destination
country", 85 persons assisted by IOM Moscow) reproduced exactly from 85
imported HTCDS records.

The seeds' table is inconsistent in one cell: the Russia row / Russian
column shows 2, but the Russia row total (36) and the Russian column total
(56) both require 9. The records are built with 9 there, so that every
other cell, every total and every percentage is the seeds' own.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from homeward.stats.filters import ReportFilter
from homeward.stats.htcds.importer import htcds_import
from homeward.stats.publication import publish
from homeward.stats.reports import get
from homeward.stats.tests.htcds_files import csv_file

CITIZENSHIPS = ("RU", "UA", "MD", "KG", "KZ", "UZ", "GH", "BY")
# Destination → persons by citizenship, in the seeds' column order
# (Russian, Ukrainian, Moldovan, Kyrgyz, Kazakh, Uzbek, Ghana, Belorussian).
TABLE_1: dict[str, tuple[int, ...]] = {
    "BY": (2, 0, 0, 0, 0, 0, 0, 0),  # Belorussia
    "ES": (2, 0, 0, 0, 0, 0, 0, 0),  # Spain
    "RU": (9, 14, 6, 1, 1, 3, 1, 1),  # Russia (the seeds print 2 Russians: see above)
    "AE": (1, 0, 0, 0, 0, 0, 0, 0),  # Emirates
    "GT": (0, 0, 0, 0, 0, 1, 0, 0),  # Guatemala
    "CY": (0, 0, 1, 0, 0, 0, 0, 0),  # Cyprus
    "KG": (1, 0, 0, 0, 0, 0, 0, 0),  # Kyrgyzstan
    "TR": (28, 0, 0, 0, 0, 0, 0, 0),  # Turkey
    "UA": (1, 0, 0, 0, 0, 0, 0, 0),  # Ukraine
    "BA": (1, 0, 0, 0, 0, 0, 0, 0),  # Bosnia
    "RS": (1, 0, 0, 0, 0, 0, 0, 0),  # Serbia
    "GR": (6, 0, 0, 0, 0, 0, 0, 0),  # Greece
    "IT": (1, 0, 0, 0, 0, 0, 0, 0),  # Italy
    "AZ": (2, 0, 0, 0, 0, 0, 0, 0),  # Azerbaijan
    "GE": (1, 0, 0, 0, 0, 0, 0, 0),  # Georgia
}
# The seeds' "Ttl" and "%" columns.
ROW_TOTALS = {
    "BY": (2, 2), "ES": (2, 2), "RU": (36, 42), "AE": (1, 1), "GT": (1, 1), "CY": (1, 1),
    "KG": (1, 1), "TR": (28, 33), "UA": (1, 1), "BA": (1, 1), "RS": (1, 1), "GR": (6, 7),
    "IT": (1, 1), "AZ": (2, 2), "GE": (1, 1),
}
# The seeds' "Total" and "Percent" rows.
COLUMN_TOTALS = {
    "RU": (56, 66), "UA": (14, 16), "MD": (7, 8), "KG": (1, 1), "KZ": (1, 1), "UZ": (4, 5),
    "GH": (1, 1), "BY": (1, 1),
}
GENDERS = ("Feminine", "Feminine", "Masculine", "NonSpecifiedUnknown")
CITIES = {"RU": ("Moscow", "Yaroslavl"), "TR": ("Istanbul", "Antalya"), "GR": ("Athens",)}


def _records() -> list[dict[str, str]]:
    """85 de-identified HTCDS rows, as a partner's system would send them."""
    rows: list[dict[str, str]] = []
    for destination, persons in TABLE_1.items():
        for citizenship, count in zip(CITIZENSHIPS, persons, strict=True):
            for _ in range(count):
                n = len(rows) + 1
                cities = CITIES.get(destination, ("",))
                city = cities[n % len(cities)]
                rows.append({
                    "x_ExternalId": f"IOM-MOW-{n:03d}",
                    "prs_Gender": GENDERS[n % len(GENDERS)],
                    "prs_Citizenship": citizenship,
                    "x_BirthYear": str(1975 + n % 25) if n % 7 else "",
                    "vic_TypeOfExploitation": "SexualExploitation" if n % 3 else "ForcedLabour",
                    "vic_LocationOfExploitation":
                        f"{destination} / {city}" if city else destination,
                    "x_RegistrationDate": f"2026-{1 + n % 10:02d}-{1 + n % 27:02d}",
                    "x_ReferralSource": "IomMission" if n % 3 else "LawEnforcement",
                })
    return rows


@pytest.mark.django_db
def test_seeds_table_1_is_reproduced_from_85_imported_htcds_records(cast: Any) -> None:
    records = _records()
    assert len(records) == 85
    counts = htcds_import(organisation=cast.home, actor=None, data=csv_file(records),
                          filename="iom-moscow.csv")
    assert counts["create"] == 85

    table = publish(
        report=get("nationality-by-destination"),
        filter=ReportFilter(
            organisations=(cast.home.pk,), date_from=datetime.date(2026, 1, 1),
            date_to=datetime.date(2026, 12, 31),
        ),
        k=1,
    )

    assert set(table.rows) == set(TABLE_1)
    assert set(table.columns) == set(CITIZENSHIPS)
    for destination, persons in TABLE_1.items():
        for citizenship, count in zip(CITIZENSHIPS, persons, strict=True):
            assert table.cell(destination, citizenship).value == count, (destination,
                                                                           citizenship)
    for destination, (total, share) in ROW_TOTALS.items():
        assert table.row_totals[destination].value == total, destination
        assert table.row_percent(destination) == share, destination
    for citizenship, (total, share) in COLUMN_TOTALS.items():
        assert table.column_totals[citizenship].value == total, citizenship
        assert table.column_percent(citizenship) == share, citizenship
    assert table.total.value == 85
    assert table.suppressed == 0
    # The rows in the seeds' reading order: most persons first.
    assert table.rows[:3] == ("RU", "TR", "GR")
