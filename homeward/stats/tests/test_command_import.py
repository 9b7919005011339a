"""``homeward import htcds`` and ``homeward import ctdc``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from homeward.cases.models import Case
from homeward.stats.models import CtdcDataset, ImportedCase
from homeward.stats.tests.htcds_files import csv_file, row


def _import(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_imports_into_the_organisation_with_a_progress_bar(
    cast: Any, tmp_path: Path
) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_file([row("K-1"), row("K-2")]))
    out, err = _import("htcds", str(path), "--org", "HOME")
    assert "2 created" in out
    assert "[" + "#" * 30 + "] 2/2" in err
    assert ImportedCase.objects.filter(organisation=cast.home).count() == 2
    out, _err = _import("htcds", str(path), "--org", "HOME")
    assert "0 created, 0 updated, 2 unchanged" in out


@pytest.mark.django_db
def test_dry_run_writes_nothing(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_file([row("L-1")]))
    out, _err = _import("htcds", str(path), "--org", "HOME", "--dry-run")
    assert "1 to create" in out
    assert "Dry run" in out
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_rows_with_errors_are_listed_and_nothing_is_written(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_file([row("M-1"), row("M-2", cas_Status="Open")]))
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import", "htcds", str(path), "--org", "HOME", stdout=io.StringIO(),
                     stderr=err)
    assert failed.value.returncode == 1
    assert "row 3: cas_Status" in err.getvalue()
    assert "Nothing was imported" in str(failed.value)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_needs_a_known_organisation(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_file([row("N-1")]))
    for args in ([], ["--org", "NOPE"]):
        with pytest.raises(CommandError) as refused:
            _import("htcds", str(path), *args)
        assert refused.value.returncode == 2


@pytest.mark.django_db
def test_ctdc_file_becomes_a_labelled_reference_dataset(cast: Any, tmp_path: Path) -> None:
    source = Path("/work/shared/data/ctdc/CTDC_VPsynthetic_condensed.csv")
    if not source.exists():
        pytest.skip("the CTDC file is not available")
    lines = source.read_bytes().splitlines(keepends=True)[:6]
    path = tmp_path / "ctdc_sample.csv"
    path.write_bytes(b"".join(lines))
    out, _err = _import("ctdc", str(path), "--label", "CTDC sample")
    dataset = CtdcDataset.objects.get()
    assert dataset.label == "CTDC sample"
    assert dataset.row_count == 5
    assert "5 rows imported" in out
