from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeward.accounts.models import Organisation


class Command(BaseCommand):
    help = "List organisations: code, type, names in English and Russian."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="include inactive organisations")

    def handle(self, *args: Any, **options: Any) -> None:
        queryset = Organisation.objects.order_by("code")
        if not options["all"]:
            queryset = queryset.filter(is_active=True)
        for org in queryset:
            self.stdout.write(f"{org.code:<12} {org.org_type:<30} {org.name_en} | {org.name_ru}")
