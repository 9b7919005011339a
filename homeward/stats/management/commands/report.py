"""``homeward report <name> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--org CODE …]
[--format csv|json|xlsx] [--min-cell K] [--labels codes|names] [--language en|ru]
[--basis registration|identification] [--out FILE]``.

Prints one report's published table (suppressed with k, 11 unless told)
to stdout or writes it to ``--out``; audited as an EXPORT of the command
line (no actor, source "cli"). Bad input exits with status 2.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.accounts.models import Organisation
from homeward.stats import reports, scope
from homeward.stats.choices import DateBasis, Format, Labels
from homeward.stats.filters import ReportFilter
from homeward.stats.services.figures import figures_export

FORMATS = (Format.CSV.value, Format.JSON.value, Format.XLSX.value)
BAD_INPUT = 2


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}", returncode=BAD_INPUT) from exc


class Command(BaseCommand):
    help = (
        "Print one statistics report as CSV, JSON or XLSX: figures below --min-cell "
        "(default 11) are suppressed and printed as <K. Audited as an export."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the report's name (e.g. nationality-by-destination)")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                            help="first day of the period (inclusive)")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                            help="last day of the period (inclusive)")
        parser.add_argument("--org", dest="orgs", action="append", metavar="CODE",
                            help="an organisation to count (repeatable; default: every "
                                 "active organisation)")
        parser.add_argument("--format", dest="fmt", default=Format.CSV.value,
                            help="csv (default), json or xlsx")
        parser.add_argument("--min-cell", dest="min_cell", type=int, default=None,
                            help="k: figures below it are suppressed (default: the configured "
                                 "HOMEWARD_MIN_CELL_COUNT, 11); 1 turns suppression off")
        parser.add_argument("--labels", default=Labels.CODES.value,
                            help="codes (default: ISO alpha-2 countries, picklist values) "
                                 "or names")
        parser.add_argument("--language", default="en",
                            help="language of names and titles: en (default) or ru")
        parser.add_argument("--basis", default=DateBasis.REGISTRATION.value,
                            help="which date places a case in the period: registration "
                                 "(default) or identification")
        parser.add_argument("--out", type=Path, default=None,
                            help="write to this file instead of stdout")

    def _options(self, options: dict[str, Any]) -> tuple[reports.Report, ReportFilter]:
        try:
            report = reports.get(options["name"])
        except KeyError as exc:
            names = ", ".join(spec.name for spec in reports.all_reports())
            raise CommandError(
                f"No report called {options['name']!r}. Reports: {names}.", returncode=BAD_INPUT
            ) from exc
        if options["fmt"] not in FORMATS:
            raise CommandError(f"--format must be one of {', '.join(FORMATS)}.",
                               returncode=BAD_INPUT)
        if options["labels"] not in Labels.values:
            raise CommandError(f"--labels must be one of {', '.join(Labels.values)}.",
                               returncode=BAD_INPUT)
        languages = [code for code, _name in settings.LANGUAGES]
        if options["language"] not in languages:
            raise CommandError(f"--language must be one of {', '.join(languages)}.",
                               returncode=BAD_INPUT)
        if options["basis"] not in DateBasis.values:
            raise CommandError(f"--basis must be one of {', '.join(DateBasis.values)}.",
                               returncode=BAD_INPUT)
        date_from = _day(options["date_from"]) if options["date_from"] else None
        date_to = _day(options["date_to"]) if options["date_to"] else None
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from is after --to.", returncode=BAD_INPUT)
        active = Organisation.objects.filter(is_active=True)
        if options["orgs"]:
            codes = list(dict.fromkeys(options["orgs"]))
            found = dict(active.filter(code__in=codes).values_list("code", "pk"))
            missing = [code for code in codes if code not in found]
            if missing:
                raise CommandError(
                    f"No active organisation with code {', '.join(map(repr, missing))}.",
                    returncode=BAD_INPUT,
                )
            organisations = tuple(sorted(found.values()))
        else:
            organisations = tuple(active.order_by("pk").values_list("pk", flat=True))
        return report, ReportFilter(organisations=organisations, date_from=date_from,
                                    date_to=date_to, basis=options["basis"])

    def handle(self, *args: Any, **options: Any) -> None:
        report, report_filter = self._options(options)
        k = options["min_cell"] if options["min_cell"] is not None else scope.default_min_cell()
        if k < 1:
            raise CommandError("--min-cell must be at least 1.", returncode=BAD_INPUT)
        out: Path | None = options["out"]
        if out is None and options["fmt"] == Format.XLSX:
            binary = getattr(getattr(self.stdout, "_out", None), "buffer", None)
            if binary is None or (hasattr(binary, "isatty") and binary.isatty()):
                raise CommandError("XLSX is binary: give --out FILE.", returncode=BAD_INPUT)
        try:
            download = figures_export(
                actor=None, report=report, filter=report_filter, k=k, fmt=options["fmt"],
                labels=options["labels"], language=options["language"], source="cli",
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=BAD_INPUT) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from exc
        if out is not None:
            try:
                out.write_bytes(download.content)
            except OSError as exc:
                raise CommandError(f"Cannot write {out}: {exc.strerror}") from exc
            self.stderr.write(f"Wrote {out} ({len(download.content)} bytes).")
            return
        if options["fmt"] == Format.XLSX:
            binary = getattr(self.stdout._out, "buffer")  # noqa: B009 - a text stream's bytes
            binary.write(download.content)
            binary.flush()
            return
        self.stdout.write(download.content.decode("utf-8"), ending="")
