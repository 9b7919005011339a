"""``homeward import htcds FILE --org CODE [--dry-run]`` and
``homeward import ctdc FILE.csv [--label TEXT]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.accounts.models import Organisation
from homeward.stats.htcds import importer

BAR_WIDTH = 30


class ProgressBar:
    """``[#####-----] 40/85`` on a terminal (one line, rewritten)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        if filled == self.shown and done != total:
            return
        self.shown = filled
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import an exchange file. 'htcds': an HTCDS 2.0 file (CSV or XLSX) into cases of "
        "--org; every row is checked first; with errors nothing is written and each bad row "
        "is named (exit 1); otherwise all rows are written in one transaction, matched on "
        "x_ExternalId (re-importing updates). 'ctdc': a CTDC public CSV file as a separate, "
        "labelled reference dataset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", choices=["htcds", "ctdc"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", metavar="CODE",
                            help="htcds: the organisation the cases belong to (required)")
        parser.add_argument("--dry-run", action="store_true",
                            help="htcds: check the file and say what would change, write nothing")
        parser.add_argument("--label", default="", help="ctdc: the dataset's name")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}", returncode=2) from exc
        if options["standard"] == "ctdc":
            self._ctdc(data, path, str(options["label"]))
        else:
            self._htcds(data, path, options["org"], bool(options["dry_run"]))

    def _progress(self) -> ProgressBar:
        # The bar goes to the raw stream: OutputWrapper would end every write
        # with a newline.
        stream: TextIO = getattr(self.stderr, "_out", sys.stderr)
        return ProgressBar(stream)

    def _htcds(self, data: bytes, path: Path, code: str | None, dry_run: bool) -> None:
        if not code:
            raise CommandError("--org CODE is required for an HTCDS import.", returncode=2)
        organisation = Organisation.objects.filter(code=code, is_active=True).first()
        if organisation is None:
            raise CommandError(f"No active organisation with code {code!r}.", returncode=2)
        try:
            plan = importer.htcds_check(data=data, filename=path.name,
                                        organisation=organisation)
        except importer.HtcdsFileError as exc:
            raise CommandError(str(exc)) from exc
        for name in plan.ignored_columns:
            self.stderr.write(f"column {name}: not stored by Homeward, ignored")
        for row in plan.error_rows:
            for error in row.errors:
                self.stderr.write(f"row {row.number}: {error}")
        counts = plan.counts
        summary = (
            f"{len(plan.rows)} rows: {counts['create']} to create, {counts['update']} to "
            f"update, {counts['unchanged']} unchanged"
        )
        if plan.has_errors:
            raise CommandError(
                f"{summary}; {len(plan.error_rows)} rows with errors. Nothing was imported."
            )
        if dry_run:
            self.stdout.write(f"{summary}. Dry run: nothing was changed.")
            return
        try:
            done = importer.htcds_import(
                organisation=organisation, actor=None, plan=plan, progress=self._progress()
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"{len(plan.rows)} rows imported into {organisation.code}: {done['create']} "
            f"created, {done['update']} updated, {done['unchanged']} unchanged."
        )

    def _ctdc(self, data: bytes, path: Path, label: str) -> None:
        # Written alongside this command by another part of the app: imported here.
        from homeward.stats import ctdc

        try:
            dataset = ctdc.ctdc_import(
                data=data, source_name=path.name, label=label, actor=None,
                progress=self._progress(),
            )
        except ctdc.CtdcFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{dataset.row_count} rows imported as the reference dataset “{dataset.label}”."
        )
