"""``homeward rotate-keys``: re-encrypt stored values under the newest key."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model

from homeward.core.rotation import rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value that is under an older key with the newest key "
        "of HOMEWARD_ENCRYPTION_KEYS. Resumable: a re-run only touches values still under "
        "an older key. Prints counts only; exits non-zero if any value fails to decrypt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Rows per transaction (default 500).",
        )
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            metavar="APP_LABEL.MODEL",
            help="Only rotate this model (repeatable). Default: every model with encrypted fields.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Database alias (default: 'default').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        models: list[type[Model]] | None = None
        if options["models"]:
            models = []
            for label in options["models"]:
                try:
                    models.append(apps.get_model(label))
                except (LookupError, ValueError) as exc:
                    raise CommandError(f"unknown model {label!r}") from exc
        report = rotate_keys(
            models=models,
            batch_size=batch_size,
            stdout=self.stdout,
            using=options["database"],
        )
        self.stdout.write(
            f"Key {report.key_id}: {len(report.models)} models, "
            f"{report.rows_scanned} rows scanned, {report.reencrypted} values re-encrypted, "
            f"{len(report.failures)} failed."
        )
        if report.failures:
            for failure in report.failures:
                self.stderr.write(
                    f"could not decrypt {failure.model} pk={failure.pk} "
                    f"field={failure.field}: {failure.reason}"
                )
            raise CommandError(
                f"{len(report.failures)} values could not be decrypted and were left "
                "under their old key; keep the old keys until this is resolved."
            )
        self.stdout.write(self.style.SUCCESS("Every value scanned is now under the newest key."))
