"""``homeward report <name> …``: one report on stdout or in a file."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook  # type: ignore[import-untyped]

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db

YEAR = ["--from", "2026-01-01", "--to", "2026-12-31"]


@pytest.fixture
def cases(cast) -> None:
    """HOME: three Russians and a Ukrainian found in Turkey; AWAY: a Russian
    in Greece; and a Russian in Turkey registered the year before."""
    march = datetime.date(2026, 3, 1)
    for _n in range(3):
        open_case(cast, opened_on=march, destination_country="TR", citizenships=["RU"])
    open_case(cast, opened_on=march, destination_country="TR", citizenships=["UA"])
    open_case(cast, opened_on=datetime.date(2025, 6, 1), destination_country="TR",
              citizenships=["RU"])
    open_case(cast.away, cast.user("case_worker", "away"), opened_on=march,
              destination_country="GR", citizenships=["RU"])


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def lines(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_has_a_row_per_destination_a_column_per_citizenship_and_totals(cases) -> None:
    text = run("nationality-by-destination", *YEAR, "--min-cell", "1")

    assert text == (
        "Country of destination,RU,UA,Total\n"
        "TR,3,1,4\n"
        "GR,1,0,1\n"
        "Total,4,1,5\n"
    )


def test_default_k_prints_small_figures_as_less_than_11(cases) -> None:
    assert lines(run("nationality-by-destination", *YEAR)) == [
        ["Country of destination", "RU", "UA", "Total"],
        ["TR", "<11", "<11", "<11"],
        ["GR", "<11", "0", "<11"],
        ["Total", "<11", "<11", "<11"],
    ]


def test_org_limits_the_count_to_that_organisation(cases, cast) -> None:
    text = run("nationality-by-destination", *YEAR, "--min-cell", "1", "--org", "HOME")

    assert lines(text)[1:] == [["TR", "3", "1", "4"], ["Total", "3", "1", "4"]]


def test_org_may_repeat(cases) -> None:
    text = run("nationality-by-destination", *YEAR, "--min-cell", "1", "--org", "HOME",
               "--org", "AWAY")

    assert lines(text)[-1] == ["Total", "4", "1", "5"]


def test_without_a_period_every_year_is_counted(cases) -> None:
    assert lines(run("nationality-by-destination", "--min-cell", "1"))[1] == ["TR", "4", "1", "5"]


def test_names_in_russian(cases) -> None:
    text = run("nationality-by-destination", *YEAR, "--min-cell", "1", "--labels", "names",
               "--language", "ru")

    header, turkey, greece, _total = lines(text)
    assert header[1:3] == ["Россия", "Украина"]
    assert (turkey[0], greece[0]) == ("Турция", "Греция")


def test_json_format(cases) -> None:
    document = json.loads(run("nationality-by-destination", *YEAR, "--min-cell", "1",
                              "--format", "json"))

    assert document["cells"] == [[3, 1], [1, 0]]
    assert document["k"] == 1
    assert document["filter"]["date_from"] == "2026-01-01"


def test_out_writes_the_file(cases, tmp_path) -> None:
    target = tmp_path / "table.xlsx"

    assert run("nationality-by-destination", *YEAR, "--min-cell", "1", "--format", "xlsx",
               "--out", str(target)) == ""

    sheet = load_workbook(target).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert ["TR", 3, 1, 4, 80] in rows


def test_out_writes_csv_exactly_as_stdout(cases, tmp_path) -> None:
    target = tmp_path / "table.csv"

    run("nationality-by-destination", *YEAR, "--out", str(target))

    assert target.read_text(encoding="utf-8") == run("nationality-by-destination", *YEAR)


def test_every_run_is_audited_as_a_command_line_export(cases) -> None:
    run("nationality-by-destination", *YEAR, "--min-cell", "1", "--org", "HOME")

    entry = AuditEntry.objects.get(action=Action.EXPORT, target_type="stats.report")
    assert entry.actor_id is None
    assert entry.target_id == "nationality-by-destination"
    assert entry.detail["source"] == "cli"
    assert entry.detail["k"] == 1
    assert entry.detail["date_from"] == "2026-01-01"
    assert entry.detail["format"] == "csv"


@pytest.mark.parametrize("args", [
    ["no-such-report"],
    ["nationality-by-destination", "--format", "doc"],
    ["nationality-by-destination", "--from", "2026-13-01"],
    ["nationality-by-destination", "--from", "2026-12-31", "--to", "2026-01-01"],
    ["nationality-by-destination", "--org", "NOPE"],
    ["nationality-by-destination", "--min-cell", "0"],
    ["nationality-by-destination", "--labels", "titles"],
    ["nationality-by-destination", "--language", "de"],
    ["nationality-by-destination", "--basis", "arrival"],
])
def test_bad_input_exits_with_status_2_and_exports_nothing(cast, args) -> None:
    with pytest.raises(CommandError) as error:
        run(*args)

    assert error.value.returncode == 2
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_an_unknown_report_lists_the_reports(cast) -> None:
    with pytest.raises(CommandError, match=r"nationality-by-destination.*sex-by-age-band"):
        run("no-such-report")


def test_xlsx_to_a_terminal_or_text_stream_asks_for_out(cast) -> None:
    with pytest.raises(CommandError, match="--out"):
        run("nationality-by-destination", "--format", "xlsx")
