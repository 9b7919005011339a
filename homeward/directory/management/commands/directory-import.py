"""``homeward directory-import FILE --owner CODE [--commit]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.accounts.models import Organisation
from homeward.directory import exchange


class Command(BaseCommand):
    help = (
        "Import directory entries of one organisation from a CSV or XLSX file. "
        "Checks every row and changes nothing unless --commit is given; then all rows "
        "are written in one transaction, audited as a system change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .csv or .xlsx file")
        parser.add_argument(
            "--owner", required=True,
            help="code of the organisation that owns the entries (rows may omit it)",
        )
        parser.add_argument("--commit", action="store_true", help="write the changes")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            owner = Organisation.objects.get(code=options["owner"], is_active=True)
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"No active organisation with code {options['owner']!r}.") from exc
        try:
            data = path.read_bytes()
            plan = exchange.import_parse(
                data=data, filename=path.name, user=None, owners=[owner], default_owner=owner
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except exchange.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        for row in plan.rows:
            for error in row.errors:
                self.stderr.write(f"row {row.number}: {error}")
        counts = plan.counts
        summary = (
            f"{len(plan.rows)} rows: {counts['create']} to create, {counts['update']} to update, "
            f"{counts['unchanged']} unchanged"
        )
        if plan.has_errors:
            errors = sum(1 for row in plan.rows if row.errors)
            raise CommandError(f"{summary}; {errors} rows with errors. Nothing was imported.")
        if not options["commit"]:
            self.stdout.write(f"{summary}. Dry run: nothing was changed (use --commit).")
            return
        try:
            exchange.import_apply(plan=plan, actor=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{summary}. Imported.")
