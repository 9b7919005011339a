"""Picklists of the hotline. HTCDS has no hotline module: the values are
Homeward's (CamelCase, like HTCDS's), except ``indicators`` and
``assessment``, which reuse HTCDS ``vic_MethodsOfControl`` and
``vic_TraffickingStatus`` from the cases app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from homeward.cases.choices import MethodOfControl


class LineLanguage(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    TURKISH = "tr", _("Turkish")
    UKRAINIAN = "uk", _("Ukrainian")
    KAZAKH = "kk", _("Kazakh")
    UZBEK = "uz", _("Uzbek")
    KYRGYZ = "ky", _("Kyrgyz")
    TAJIK = "tg", _("Tajik")


class Channel(models.TextChoices):
    CALL = "Call", pgettext_lazy("hotline channel", "Call")
    EMAIL = "Email", pgettext_lazy("hotline channel", "E-mail")
    MESSAGE = "Message", pgettext_lazy("hotline channel", "Message")
    WALK_IN = "WalkIn", pgettext_lazy("hotline channel", "Walk-in")


class CallerType(models.TextChoices):
    POSSIBLE_VICTIM = "PossibleVictim", _("Possible victim")
    RELATIVE_OR_FRIEND = "RelativeOrFriend", _("Relative or friend")
    PLANNING_TO_WORK_ABROAD = "PlanningToWorkAbroad", _("Planning to work abroad")
    PROFESSIONAL = "Professional", _("Professional")
    OTHER = "Other", pgettext_lazy("caller type", "Other")


class ProfessionalKind(models.TextChoices):
    POLICE = "Police", pgettext_lazy("professional caller", "Police")
    EMBASSY = "Embassy", pgettext_lazy("professional caller", "Embassy or consulate")
    NGO = "Ngo", pgettext_lazy("professional caller", "NGO")
    OTHER = "Other", pgettext_lazy("professional caller", "Other")


class Topic(models.TextChoices):
    JOB_OFFER_CHECK = "JobOfferCheck", _("Job offer check")
    RESCUE_REQUEST = "RescueRequest", _("Rescue request")
    MISSING_PERSON = "MissingPerson", _("Missing person")
    LEGAL = "Legal", _("Legal advice")
    PSYCHOLOGICAL = "Psychological", _("Psychological support")
    DOCUMENTS = "Documents", _("Documents")
    RETURN_HOME = "ReturnHome", _("Return home")
    MIGRANT_WORKER_RIGHTS = "MigrantWorkerRights", _("Migrant worker rights")
    OTHER = "Other", pgettext_lazy("hotline topic", "Other")


RESTRICTED_MOVEMENT = "RestrictedMovement"

# The identification indicators: HTCDS means of control, plus restricted
# movement, which callers report often and HTCDS folds into "Other".
INDICATOR_CHOICES: list[tuple[str, object]] = [
    *(
        (value, label) for value, label in MethodOfControl.choices
        if value != MethodOfControl.OTHER
    ),
    (RESTRICTED_MOVEMENT, _("Restricted movement")),
    (MethodOfControl.OTHER.value, MethodOfControl.OTHER.label),
]


class Outcome(models.TextChoices):
    ADVICE_GIVEN = "AdviceGiven", _("Advice given")
    REFERRED = "Referred", _("Referred to another service")
    RESCUE_STARTED = "RescueStarted", _("Rescue started")
    CASE_OPENED = "CaseOpened", _("Case opened")
    DROPPED = "Dropped", _("Call dropped")
    OTHER = "Other", pgettext_lazy("hotline outcome", "Other")


class CampaignChannel(models.TextChoices):
    AIRPORT_BROCHURES = "AirportBrochures", _("Airport brochures")
    BILLBOARDS = "Billboards", _("Billboards")
    METRO_POSTERS = "MetroPosters", _("Metro posters")
    RADIO = "Radio", _("Radio")
    TELEVISION = "Television", _("Television")
    INTERNET = "Internet", _("Internet")
    PRINT = "Print", _("Print media")
    OTHER = "Other", pgettext_lazy("campaign channel", "Other")
