from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.roles import Role


class OrganisationType(models.TextChoices):
    # HTCDS 2.0 org_Type picklist, spelled as the standard spells it.
    NGO = "NGO", _("Non-governmental organisation")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH_SERVICE = "HealthServiceOrganisation", _("Health service")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government")
    IMMIGRATION = "ImmigrationService", _("Immigration service")
    LEGAL = "LegalService", _("Legal service")
    CORPORATE = "CorporateBusiness", _("Business")
    SCHOOL = "SchoolOrCollege", _("School or college")
    # Homeward's additions.
    SHELTER = "x_Shelter", _("Shelter / safe house")
    EMBASSY = "x_EmbassyOrConsulate", _("Embassy or consulate")
    INTERNATIONAL = "x_InternationalOrganisation", _("International organisation")


class Organisation(models.Model):
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$",
                _("Use capital Latin letters and digits, separated by single hyphens."),
            )
        ],
        help_text=_("A short unique code, for example TVAC or AC-MOW."),
    )
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    org_type = models.CharField(_("type"), max_length=40, choices=OrganisationType.choices)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    is_coalition_member = models.BooleanField(
        _("coalition member"),
        default=True,
        help_text=_("Members of the coalition; others are partners."),
    )
    is_active = models.BooleanField(pgettext_lazy("organisation", "active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        """The name in the language of the current request."""
        if (get_language() or "en").startswith("ru"):
            return self.name_ru or self.name_en
        return self.name_en or self.name_ru


class User(AbstractUser):
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("en", "English"), ("ru", "Русский")],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_site_admin(self) -> bool:
        return bool(self.is_active and self.is_superuser)


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(pgettext_lazy("membership", "active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["organisation__code", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_role_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation.code} ({self.role})"


class LoginThrottle(models.Model):
    """Failed sign-in counters per user name and per address.

    Keys are keyed hashes, so the table holds neither user names nor addresses.
    """

    class Scope(models.TextChoices):
        USER = "user", _("user")
        IP = "ip", _("address")

    scope = models.CharField(max_length=8, choices=Scope.choices)
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_started = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} throttle ({self.failures} failures)"
