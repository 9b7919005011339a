from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. 'audit verify' walks the hash chain and reports the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {result.checked} entries."))
            return
        where = f"entry #{result.broken_id}" if result.broken_id is not None else "chain head"
        raise CommandError(
            f"Audit chain broken at {where}: {result.reason} "
            f"({result.checked} entries verified before it)."
        )
