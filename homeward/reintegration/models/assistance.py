"""Assistance: the catalogue coordinators manage (kinds, default amounts,
eligibility rules as data), the programmes and donors that pay for it, and
the ledger of grants and payments per case.

The ledger is append-only: an entry is never edited or deleted; a mistake
is put right by a correction entry that points at it. Amounts are kept in
their own currency and never converted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Organisation
from homeward.cases.models import Case
from homeward.core.fields import EncryptedTextField
from homeward.reintegration.choices import (
    AssistanceCategory,
    Currency,
    EntryType,
    RuleCondition,
    RuleMode,
)
from homeward.reintegration.models.questionnaire import _in_language


class AssistanceKind(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=32, choices=AssistanceCategory.choices)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    default_amount = models.DecimalField(
        _("default amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    # Usually up to 6 months for a new life in a chosen region.
    max_months = models.PositiveSmallIntegerField(_("for at most (months)"), null=True,
                                                  blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("kind of assistance")
        verbose_name_plural = _("kinds of assistance")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_ru, self.name_en)

    @property
    def description(self) -> str:
        return _in_language(self.description_ru, self.description_en)




class EligibilityRule(models.Model):
    """One line of a kind's amount: "citizens of RU: 150 EUR (base)",
    "others: 50 EUR (base)", "mothers with small children: +350 EUR".

    The amount for a person is the first matching base rule (by position)
    plus every matching supplement, in the kind's currency.
    """

    kind = models.ForeignKey(AssistanceKind, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    condition = models.CharField(_("condition"), max_length=32, choices=RuleCondition.choices)
    country = CountryField(_("country"), blank=True)
    mode = models.CharField(_("mode"), max_length=16, choices=RuleMode.choices,
                            default=RuleMode.BASE)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self) -> str:
        return f"{self.condition} {self.country} {self.mode} {self.amount}"


class Donor(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("donor")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_ru, self.name_en)


class LedgerImmutable(Exception):
    """A ledger entry was about to be changed or deleted."""


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise LedgerImmutable("ledger entries are never updated; add a correction")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LedgerImmutable("ledger entries are never deleted; add a correction")


class LedgerEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ledger_entries")
    # The organisation that approved and pays (the case's or a partner's).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    entry_type = models.CharField(_("type"), max_length=16, choices=EntryType.choices)
    kind = models.ForeignKey(
        AssistanceKind, on_delete=models.PROTECT, related_name="entries",
        verbose_name=_("kind of assistance"),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="entries",
        verbose_name=_("programme"),
    )
    # Signed: corrections may be negative. Grants and payments are positive.
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    entry_on = models.DateField(_("date"))
    purpose = EncryptedTextField(_("purpose"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("approved by"),
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("paid by"),
    )
    # What a correction puts right; a payment may name the grant it pays.
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name=_("corrects"),
    )
    grant = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="payments",
        verbose_name=_("grant"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["entry_on", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["case", "entry_on"]),
            models.Index(fields=["programme", "entry_on"]),
            models.Index(fields=["organisation", "entry_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.entry_type} {self.amount} {self.currency} (case #{self.case_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise LedgerImmutable("ledger entries are never updated; add a correction")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise LedgerImmutable("ledger entries are never deleted; add a correction")
