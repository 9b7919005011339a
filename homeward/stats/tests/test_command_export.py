"""``homeward export htcds``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from homeward.audit.models import AuditEntry
from homeward.cases.choices import ConsentPurpose
from homeward.cases.tests.factories import give_consent, open_case
from homeward.stats.tests.htcds_files import read_csv


def _export(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_writes_a_deidentified_csv_of_every_organisation(cast: Any, tmp_path: Path) -> None:
    open_case(cast)
    open_case(cast.away)
    target = tmp_path / "cases.csv"
    assert "2 cases written" in _export("htcds", "--out", str(target))
    rows = read_csv(target.read_bytes())
    assert len(rows) == 2
    assert "prs_FirstName" not in rows[0]
    entry = AuditEntry.objects.get(target_type="stats.htcds", action="record.export")
    assert entry.actor_id is None
    assert entry.detail["source"] == "cli"


@pytest.mark.django_db
def test_org_narrows_the_cases_and_xlsx_is_written(cast: Any, tmp_path: Path) -> None:
    open_case(cast)
    open_case(cast.away)
    target = tmp_path / "cases.xlsx"
    _export("htcds", "--out", str(target), "--org", "AWAY")
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet.max_row == 2


@pytest.mark.django_db
def test_identifying_needs_both_flags_and_reports_identifying_rows(
    cast: Any, tmp_path: Path
) -> None:
    coordinator = cast.user("coordinator")
    shared = open_case(cast, email="nina@example.org")
    give_consent(shared, coordinator, ConsentPurpose.DATA_SHARING, organisation=cast.away)
    open_case(cast)
    target = tmp_path / "cases.csv"
    for args in (["--identifying"], ["--recipient", "AWAY"], ["--identifying", "--recipient",
                                                               "NOPE"]):
        with pytest.raises(CommandError) as refused:
            _export("htcds", "--out", str(target), *args)
        assert refused.value.returncode == 2
    assert not target.exists()
    output = _export("htcds", "--out", str(target), "--identifying", "--recipient", "AWAY")
    assert "1 rows carry identifying data" in output
    emails = [r["prs_Email"] for r in read_csv(target.read_bytes())]
    assert sorted(emails) == ["", "nina@example.org"]


@pytest.mark.django_db
def test_refuses_an_unknown_file_type(cast: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        _export("htcds", "--out", str(tmp_path / "cases.json"))
