"""``homeward directory-export --format csv|xlsx -o FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.directory import exchange


class Command(BaseCommand):
    help = (
        "Export the whole directory (every entry and contact point, whatever its visibility) "
        "to a CSV or XLSX file. Audited as a system export."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=exchange.FORMATS, default="csv")
        parser.add_argument("-o", "--output", type=Path, required=True, help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["output"]
        content, rows = exchange.directory_export(actor=None, fmt=options["format"])
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}") from exc
        self.stdout.write(f"{rows} entries written to {path}.")
