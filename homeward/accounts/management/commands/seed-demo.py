from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from homeward.accounts.demo import DEMO_PASSWORD, DemoRefused, seed_demo
from homeward.cases.demo import seed_cases_demo
from homeward.cases.models import Case
from homeward.directory.demo import seed_directory_demo
from homeward.directory.library import seed_library_demo
from homeward.directory.models import Document, Entry
from homeward.hotline.demo import seed_hotline_demo
from homeward.hotline.models import Contact, Line
from homeward.reintegration.demo import seed_reintegration_demo
from homeward.reintegration.models import AssistanceKind, Referral
from homeward.shelters.demo import seed_shelters_demo
from homeward.shelters.models import Shelter, ShelterStay
from homeward.stats.demo import seed_stats_demo
from homeward.stats.models import Release


class Command(BaseCommand):
    help = "Load the demo organisations and one demo user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        try:
            logins = seed_demo()
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        seed_directory_demo()
        seed_library_demo()
        seed_cases_demo()
        seed_hotline_demo()
        seed_shelters_demo()
        seed_reintegration_demo()
        seed_stats_demo()
        self.stdout.write(
            f"Directory: {Entry.objects.count()} entries, "
            f"{Document.objects.count()} library documents."
        )
        self.stdout.write(f"Cases: {Case.objects.count()} (invented).")
        self.stdout.write(
            f"Hotline: {Line.objects.count()} lines, {Contact.objects.count()} contacts "
            "(invented)."
        )
        self.stdout.write(
            f"Shelters: {Shelter.objects.count()} "
            f"({ShelterStay.objects.filter(discharged_on__isnull=True).count()} residents now)."
        )
        self.stdout.write(
            f"Reintegration: {AssistanceKind.objects.count()} kinds of assistance, "
            f"{Referral.objects.count()} referrals (invented)."
        )
        self.stdout.write(
            f"Statistics: {Release.objects.count()} differentially private release(s)."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  {'user':<16} {'organisation':<13} {'role':<30} TOTP secret")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<16} {login.organisation:<13} {login.role:<30} "
                f"{login.totp_secret}"
            )
        self.stdout.write(
            "Add the secret to an authenticator app, or get the current code with: "
            "oathtool --totp -b SECRET"
        )
