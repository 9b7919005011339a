"""Picklists of safe houses and rehabilitation.

Homeward's additions to the Human Trafficking Case Data Standard use its
CamelCase style so that exchange files read alike (``x_*`` columns).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ShelterKind(models.TextChoices):
    WOMEN = "Women", _("Safe house for women")
    MINORS = "Minors", _("Safe house for minors")
    MOTHERS_WITH_CHILDREN = "MothersWithChildren", _("Mothers with children")
    MEN = "Men", _("Safe house for men")
    REHABILITATION_CENTER = "RehabilitationCenter", _("Rehabilitation center")


class Facility(models.TextChoices):
    """What a shelter offers its residents (the seeds' safe-house services)."""

    ROOM_AND_BOARD = "RoomAndBoard", _("Room and board")
    PSYCHOLOGICAL_HELP = "PsychologicalHelp", _("Psychological help")
    LEGAL_CONSULTATION = "LegalConsultation", _("Legal consultation")
    VOCATIONAL_TRAINING = "VocationalTraining", _("Vocational training")
    MEDICAL_SCREENING = "MedicalScreening", _("Medical screening at local clinics")
    CHILDCARE = "Childcare", _("Childcare")


class StandardService(models.TextChoices):
    """The standard package of services offered to every person on arrival
    (IOM Moscow's Rehabilitation Center, seed 002)."""

    WELCOME = "WelcomeAtArrival", _("Welcome at the point of arrival")
    HOUSING = "Housing", _("Temporary housing")
    MEDICAL_HELP = "MedicalHelp", _("Medical help")
    PSYCHOLOGICAL = "PsychologicalConsultation", _("Psychological consultation")
    SOCIAL_LEGAL = "SocialLegalConsultation", _("Social and legal consultation")
    REPATRIATION = "Repatriation", _("Organisation of repatriation")
    MATERIAL_HELP = "MaterialHelp", _("Money or material help")
    REFERRAL_LOCAL_NGO = "ReferralToLocalNgo", _("Referral to local NGOs")
    PRE_INTEGRATION_ASSESSMENT = "PreIntegrationAssessment", _("Pre-integration assessment")
    INTEGRATION_PLAN = "IntegrationPlan", _("Integration plan")
    REINTEGRATION_HELP = "ReintegrationHelp", _("Reintegration help")


class OfferStatus(models.TextChoices):
    OFFERED = "Offered", _("Offered")
    ACCEPTED = "Accepted", pgettext_lazy("service offer", "Accepted")
    REFUSED = "Refused", _("Refused")


class SessionKind(models.TextChoices):
    """The service log (who provided what, when)."""

    PSYCHOLOGICAL_INDIVIDUAL = "PsychologicalIndividual", _("Psychological session, individual")
    PSYCHOLOGICAL_GROUP = "PsychologicalGroup", _("Psychological session, group")
    LEGAL_CONSULTATION = "LegalConsultation", _("Legal consultation")
    SOCIAL_CONSULTATION = "SocialConsultation", _("Social consultation")
    VOCATIONAL_TRAINING = "VocationalTraining", _("Vocational training")
    OTHER = "Other", pgettext_lazy("service session", "Other")


class ReferralStatus(models.TextChoices):
    """A request that a shelter take a person."""

    PENDING = "Pending", _("Waiting for the shelter's answer")
    ACCEPTED = "Accepted", pgettext_lazy("shelter referral", "Accepted")
    DECLINED = "Declined", _("Declined")
    WITHDRAWN = "Withdrawn", _("Withdrawn")
    ADMITTED = "Admitted", _("Admitted")


OPEN_REFERRAL_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


class LeaveReason(models.TextChoices):
    REINTEGRATED = "Reintegrated", _("Reintegrated")
    MOVED = "Moved", _("Moved to another place")
    LEFT_VOLUNTARILY = "LeftVoluntarily", _("Left voluntarily")
    OTHER = "Other", pgettext_lazy("reason for leaving", "Other")


class WaitingStatus(models.TextChoices):
    WAITING = "Waiting", _("Waiting")
    PLACED = "Placed", _("Placed")
    CANCELLED = "Cancelled", pgettext_lazy("waiting list", "Cancelled")


class DiagnosisGroup(models.TextChoices):
    """Diagnoses grouped as in the seeds' Table 2 (IOM Rehabilitation Center,
    October 2006 – June 2007)."""

    REPRODUCTIVE_INFLAMMATION = "ReproductiveInflammation", _(
        "Inflammatory diseases of the female reproductive organs"
    )
    URINARY = "Urinary", _("Urinary system disease")
    POST_TRAUMATIC_ENCEPHALOPATHY = "PostTraumaticEncephalopathy", _(
        "Post-traumatic encephalopathy"
    )
    EYE = "Eye", _("Eye disease")
    SYPHILIS = "Syphilis", _("Syphilis")
    HEPATITIS_B = "HepatitisB", _("Hepatitis B")
    HEPATITIS_C = "HepatitisC", _("Hepatitis C")
    HIV = "Hiv", _("HIV")
    LIVER_PANCREAS = "LiverPancreas", _("Liver disease (hepatosis) and pancreatitis")
    NERVOUS_SYSTEM = "NervousSystem", _(
        "Nervous system conditions (osteochondrosis, asthenic syndrome, dysautonomia)"
    )
    RESPIRATORY = "Respiratory", _("Respiratory diseases")
    DIGESTIVE = "Digestive", _("Diseases of the digestive organs")
    SKIN = "Skin", _("Skin diseases")
    BLOOD = "Blood", _("Blood diseases")
    BREAST = "Breast", _("Breast diseases")
    ENDOCRINE = "Endocrine", _("Endocrine diseases")
    ENT = "Ent", _("Ear, nose and throat diseases")
    CARDIOVASCULAR = "Cardiovascular", _("Cardiovascular diseases")
    OTHER = "Other", pgettext_lazy("diagnosis", "Other")
