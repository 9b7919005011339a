"""The statistics app's vocabularies."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The key of "not recorded" in every dimension (a row or column of its own).
UNKNOWN = "Unknown"
# The key under which a noisy release folds the countries outside its public
# list (see ``categories.countries``).
OTHERS = "Others"


class Family(models.TextChoices):
    """Where a report's figures come from; a privacy budget is per family and
    organisation."""

    CASES = "cases", _("Cases")
    HOTLINE = "hotline", _("Hotline contacts")
    SHELTERS = "shelters", _("Shelter stays")
    CTDC = "ctdc", _("CTDC reference data")


class DateBasis(models.TextChoices):
    """Which date places a case in the period."""

    REGISTRATION = "registration", _("Registration date")
    IDENTIFICATION = "identification", _("Identification date")


class Minority(models.TextChoices):
    MINOR = "minor", _("Minors (under 18)")
    ADULT = "adult", _("Adults")


class Mechanism(models.TextChoices):
    """The noise of a differentially private release."""

    GEOMETRIC = "geometric", _("Geometric (two-sided, integer)")
    LAPLACE = "laplace", _("Laplace (rounded)")


class Format(models.TextChoices):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class Labels(models.TextChoices):
    """How row and column keys are written in a download: the codes (ISO
    3166-1 alpha-2 countries, HTCDS picklist values) or names in the
    chosen language."""

    CODES = "codes", _("Codes")
    NAMES = "names", pgettext_lazy("labels", "Names")


# Five-year age bands as in the seeds' Table 2, with the under-15s and the
# unknown ages as bands of their own (shown only when they hold anyone).
AGE_BAND_UNDER = "<15"
AGE_BAND_OVER = ">60"
AGE_BANDS = (
    AGE_BAND_UNDER, "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", AGE_BAND_OVER,
)
