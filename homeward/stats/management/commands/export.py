"""``homeward export htcds --out FILE.(csv|xlsx) [--org CODE] [--identifying --recipient X]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.accounts.models import Organisation
from homeward.stats.htcds.export import htcds_export_file


class Command(BaseCommand):
    help = (
        "Write cases as an HTCDS 2.0 exchange file (Homeward's flat profile). De-identified "
        "unless --identifying and --recipient are both given; then only the cases whose "
        "person may share their data with the recipient carry identifying data. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("standard", choices=["htcds"], help="the exchange standard")
        parser.add_argument("--out", type=Path, required=True,
                            help="the file to write: .csv or .xlsx")
        parser.add_argument("--org", action="append", default=[], metavar="CODE",
                            help="only this organisation's cases (may repeat; default all)")
        parser.add_argument("--identifying", action="store_true",
                            help="include identifying data (needs --recipient)")
        parser.add_argument("--recipient", metavar="CODE",
                            help="code of the organisation the file is sent to")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise CommandError("--out must name a .csv or an .xlsx file.", returncode=2)
        organisations = None
        if options["org"]:
            organisations = list(Organisation.objects.filter(code__in=options["org"]))
            missing = sorted(set(options["org"]) - {org.code for org in organisations})
            if missing:
                raise CommandError(f"No organisation with code {', '.join(missing)}.",
                                   returncode=2)
        recipient = None
        if options["recipient"]:
            recipient = Organisation.objects.filter(code=options["recipient"]).first()
            if recipient is None:
                raise CommandError(f"No organisation with code {options['recipient']!r}.",
                                   returncode=2)
        if options["identifying"] and recipient is None:
            raise CommandError("--identifying needs --recipient CODE.", returncode=2)
        if recipient is not None and not options["identifying"]:
            raise CommandError("--recipient is only for an export with --identifying.",
                               returncode=2)
        try:
            result = htcds_export_file(
                actor=None, fmt=fmt, identifying=bool(options["identifying"]),
                recipient=recipient, organisations=organisations,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from exc
        try:
            out.write_bytes(result.content)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}") from exc
        message = f"{result.rows} cases written to {out}"
        if options["identifying"]:
            message += f"; {result.identifying_rows} rows carry identifying data"
        self.stdout.write(message + ".")
