"""What the statistics app keeps: differentially private releases and the
privacy-budget ledger they spend, the statistical abstracts made, the CTDC
reference datasets (never mixed with the coalition's own cases), and the
external ids of cases imported from HTCDS files (what makes an import
idempotent).

Nothing here identifies a person: releases and abstracts hold published
figures only; CTDC records are CTDC's own de-identified rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from homeward.accounts.models import Organisation
from homeward.cases.models import Case
from homeward.stats.choices import Family, Mechanism


class PrivacyBudget(models.Model):
    """The epsilon one dataset — one organisation's records of one family, or
    the CTDC reference data (no organisation) — may spend on noisy releases.
    What it has spent is the sum of its charges (the ledger)."""

    family = models.CharField(_("records"), max_length=16, choices=Family.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("organisation"),
    )
    # Thousandths of epsilon: sums stay exact.
    epsilon_total_milli = models.PositiveIntegerField(_("privacy budget (ε × 1000)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["family", "organisation__code"]
        verbose_name = _("privacy budget")
        verbose_name_plural = _("privacy budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "organisation"], name="stats_budget_unique",
                condition=models.Q(organisation__isnull=False),
            ),
            # One budget of the CTDC reference data (no organisation).
            models.UniqueConstraint(
                fields=["family"], name="stats_budget_unique_shared",
                condition=models.Q(organisation__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"budget {self.family}/{self.organisation_id}"


class Release(models.Model):
    """A differentially private release of one report: the noisy table as it
    was published (asking again shows the same numbers, never fresh noise)."""

    report = models.CharField(_("report"), max_length=64)
    # The filter (dates, organisation ids, categories): never identifying.
    params = models.JSONField(_("parameters"), default=dict)
    organisations = models.ManyToManyField(
        Organisation, related_name="+", verbose_name=_("organisations")
    )
    mechanism = models.CharField(_("noise"), max_length=16, choices=Mechanism.choices)
    epsilon_milli = models.PositiveIntegerField(_("ε × 1000"))
    # {"rows": [keys], "columns": [keys], "cells": [[int, …], …]}: noisy,
    # non-negative integers; totals are computed from these cells.
    table = models.JSONField(_("noisy table"), default=dict)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("released by"),
    )
    created_at = models.DateTimeField(_("released"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("differentially private release")
        verbose_name_plural = _("differentially private releases")

    def __str__(self) -> str:
        return f"release #{self.pk} of {self.report}"

    @property
    def epsilon(self) -> float:
        return self.epsilon_milli / 1000


class BudgetCharge(models.Model):
    """One line of the privacy-budget ledger: a release spent ``epsilon`` of
    a dataset's budget. Append-only."""

    budget = models.ForeignKey(PrivacyBudget, on_delete=models.PROTECT, related_name="charges")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="charges")
    epsilon_milli = models.PositiveIntegerField(_("ε × 1000"))
    created_at = models.DateTimeField(_("spent"), auto_now_add=True)

    class Meta:
        ordering = ["budget", "created_at", "id"]
        verbose_name = _("privacy budget charge")
        verbose_name_plural = _("privacy budget ledger")

    def __str__(self) -> str:
        return f"charge of release #{self.release_id}"


class Abstract(models.Model):
    """A statistical abstract (PDF) made in the background for its creator:
    every report of a period, suppressed, with charts and method notes."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("made by"),
    )
    params = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(_("language"), max_length=8)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pdf = models.BinaryField(_("PDF"), blank=True, default=b"", editable=False)
    created_at = models.DateTimeField(pgettext_lazy("abstract", "requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("statistical abstract")
        verbose_name_plural = _("statistical abstracts")

    def __str__(self) -> str:
        return f"abstract #{self.pk}"


class CtdcDataset(models.Model):
    """One imported CTDC public file: global reference figures, labelled as
    such and never counted with the coalition's own cases."""

    label = models.CharField(pgettext_lazy("dataset", "name"), max_length=200)
    source_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    row_count = models.PositiveIntegerField(_("rows"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("CTDC reference dataset")
        verbose_name_plural = _("CTDC reference datasets")

    def __str__(self) -> str:
        return self.label


class CtdcRecord(models.Model):
    """One row of a CTDC file, as CTDC published it (de-identified)."""

    dataset = models.ForeignKey(CtdcDataset, on_delete=models.CASCADE, related_name="records")
    # CTDC publishes years in ranges ("2014-2018") or single years ("2019").
    year_registered = models.CharField(_("year registered"), max_length=16, blank=True)
    gender = models.CharField(_("gender"), max_length=32, blank=True)
    majority = models.CharField(_("adult or minor"), max_length=16, blank=True)
    age_band = models.CharField(_("age band"), max_length=16, blank=True)
    forced_labour = models.BooleanField(_("forced labour"), null=True)
    sexual_exploitation = models.BooleanField(_("sexual exploitation"), null=True)
    citizenship = models.CharField(_("citizenship (ISO alpha-2)"), max_length=2, blank=True)
    citizenship_region = models.CharField(_("region of citizenship"), max_length=40, blank=True)
    exploitation_country = models.CharField(
        _("country of exploitation (ISO alpha-2)"), max_length=2, blank=True
    )
    exploitation_region = models.CharField(_("region of exploitation"), max_length=40,
                                           blank=True)

    class Meta:
        ordering = ["dataset", "id"]
        verbose_name = _("CTDC record")
        verbose_name_plural = _("CTDC records")
        indexes = [models.Index(fields=["dataset", "year_registered"])]

    def __str__(self) -> str:
        return f"CTDC record #{self.pk}"


class ImportedCase(models.Model):
    """A case that came from an HTCDS file, under the sender's stable id
    (``x_ExternalId``): importing the same row again updates this case
    instead of opening another."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )
    external_id = models.CharField(_("external id"), max_length=64)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="imported_as")
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["organisation", "external_id"]
        verbose_name = _("imported case")
        verbose_name_plural = _("imported cases")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="stats_imported_case_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id} → case #{self.case_id}"
