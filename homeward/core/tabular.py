"""Uploaded tables (CSV or XLSX) read as rows of text, for every importer.

The importers (directory entries, HTCDS cases) each check their own
columns; the way a file becomes rows is one: UTF-8 CSV (a byte-order mark
allowed; ";"-separated only when the header has more ";" than ","), or the
first sheet of an XLSX workbook. A file that cannot be read raises the
importer's own error class with a message for the person who uploaded it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from django.utils.translation import gettext as _


def csv_rows(data: bytes, *, error: type[Exception]) -> Iterator[list[str]]:
    """The rows of a CSV upload, cells as written."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            _("The file is not UTF-8 text. Save the CSV as UTF-8, or use an XLSX file.")
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise error(_("The CSV file is damaged: %(error)s") % {"error": exc}) from exc


def xlsx_rows(
    data: bytes, *, error: type[Exception], cell_text: Callable[[Any], str]
) -> Iterator[list[str]]:
    """The rows of the first sheet of an XLSX upload, each cell through ``cell_text``."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise error(_("The file is not a readable XLSX workbook.")) from exc
    try:
        if workbook.worksheets:
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                yield [cell_text(value) for value in values]
    finally:
        workbook.close()
