"""The coalition directory: organisations and contact points to call.

Every entry and every contact point has a visibility: public (anyone, no
login), coalition (any signed-in member), or restricted (only the roles
named on it). A contact point is never more visible than its entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Organisation


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    COALITION = "coalition", _("Coalition members")
    RESTRICTED = "restricted", _("Restricted to named roles")


VISIBILITY_RANK = {Visibility.PUBLIC: 0, Visibility.COALITION: 1, Visibility.RESTRICTED: 2}


class EntryKind(models.TextChoices):
    NGO = "ngo", _("NGO")
    COALITION_MEMBER = "coalition_member", _("Coalition member")
    SHELTER = "shelter", _("Shelter / safe house")
    GOVERNMENT = "government", _("Government body")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement unit")
    TASK_FORCE = "task_force", _("Anti-trafficking police task force")
    EMBASSY = "embassy", _("Embassy or consulate")
    INTERNATIONAL = "international", _("International organisation")
    MEDICAL = "medical", _("Medical facility")
    LEGAL_AID = "legal_aid", _("Legal aid")
    HOTLINE = "hotline", _("Hotline")


def roles_to_text(roles: list[str] | tuple[str, ...] | set[str]) -> str:
    return f",{','.join(sorted(roles))}," if roles else ""


def roles_from_text(text: str) -> list[str]:
    return [role for role in text.split(",") if role]


class Service(models.Model):
    """The managed list of services an entry can offer."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_ru = models.CharField(_("name in Russian"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ru if (get_language() or "en").startswith("ru") else self.name_en


class Entry(models.Model):
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="directory_entries",
        verbose_name=_("maintained by"),
        help_text=_("The member organisation that keeps this entry up to date."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=EntryKind.choices)
    # The organisation this entry describes, when it works in Homeward:
    # referrals to the entry reach that organisation's queue.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="described_by", verbose_name=_("organisation in Homeward"),
        help_text=_("Set when the organisation works in Homeward: referrals then reach it."),
    )
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="entries", verbose_name=_("services")
    )
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True,
        help_text=_("ISO 639-1 codes, for example ru, en, tr."),
    )
    is_24_7 = models.BooleanField(_("open 24/7"), default=False)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    emails = models.JSONField(_("e-mails"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.COALITION
    )
    # ",role,role," — a delimited string so that "named role" is one portable
    # LIKE on SQLite and PostgreSQL alike (see selectors.visible_to).
    restricted_roles = models.CharField(
        _("roles that may see it"), max_length=300, blank=True,
        help_text=_("Only for restricted visibility."),
    )
    last_verified_on = models.DateField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("verified by"),
    )
    is_demo = models.BooleanField(
        _("demo entry"), default=False, help_text=_("Invented for the demonstration.")
    )
    # Transliterated, normalised words of the names and places (see search.py).
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        indexes = [models.Index(fields=["country", "city"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "en").startswith("ru"):
            return self.name_ru or self.name_en
        return self.name_en or self.name_ru


class ContactPoint(models.Model):
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("entry")
    )
    label_en = models.CharField(_("label in English"), max_length=120)
    label_ru = models.CharField(_("label in Russian"), max_length=120)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("Stored in E.164, e.g. +74951234567.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_24_7 = models.BooleanField(_("answers 24/7"), default=False)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.COALITION
    )
    restricted_roles = models.CharField(_("roles that may see it"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("ordering", "position"), default=0)

    class Meta:
        ordering = ["entry", "position", "id"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "en").startswith("ru"):
            return self.label_ru or self.label_en
        return self.label_en or self.label_ru
from homeward.directory.models_library import Document  # noqa: E402,F401
