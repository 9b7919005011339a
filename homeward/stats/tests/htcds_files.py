"""Helpers to build small HTCDS files in tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping


def csv_file(rows: Iterable[Mapping[str, str]], columns: Iterable[str] | None = None) -> bytes:
    rows = list(rows)
    header = list(columns) if columns is not None else list(
        dict.fromkeys(name for row in rows for name in row)
    )
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=header)
    writer.writeheader()
    for row in rows:
        writer.writerow(dict(row))
    return text.getvalue().encode("utf-8")


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def row(external_id: str, **cells: str) -> dict[str, str]:
    """A de-identified row with sensible defaults."""
    values = {
        "x_ExternalId": external_id,
        "prs_Gender": "Feminine",
        "prs_Citizenship": "RU",
        "x_BirthYear": "1990",
        "vic_TypeOfExploitation": "SexualExploitation",
        "vic_LocationOfExploitation": "TR / Istanbul",
        "x_RegistrationDate": "2026-03-01",
    }
    values.update(cells)
    return values
