"""Picklists of reintegration, referrals between organisations and monitoring.

Values follow the Human Trafficking Case Data Standard where it has a
picklist (``cas_ReasonForOutgoingReferral``); Homeward's additions use its
CamelCase style so that exchange files read alike.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# --- the assessment ----------------------------------------------------------------


class ReturnBarrier(models.TextChoices):
    """Why a person cannot simply go home (the seeds' list)."""

    FAMILY_REFUSES = "FamilyRefuses", _("Family refuses to receive them")
    REGION_DISALLOWS = "RegionDoesNotAllowReturn", _("The region does not allow return")
    NOWHERE_TO_GO = "NowhereToReturn", _("Nowhere to return to")
    SECURITY_RISK = "SecurityRisk", _("Security risk")
    LEGAL_DOCUMENTS = "LegalOrDocumentProblems", _("Legal or document problems")
    RETRAFFICKING_RISK = "HighRetraffickingRisk", _("High risk of re-trafficking")
    DISABILITY = "Disability", _("Disability")


class CanReturnHome(models.TextChoices):
    YES = "Yes", _("Yes, home region")
    NO = "No", _("No, a new region")
    UNDECIDED = "Undecided", _("Not decided yet")


class AnswerType(models.TextChoices):
    SHORT_TEXT = "ShortText", _("Short text")
    LONG_TEXT = "LongText", _("Long text")
    YES_NO = "YesNo", _("Yes or no")
    NUMBER = "Number", _("Number")
    DATE = "Date", _("Date")
    SINGLE_CHOICE = "SingleChoice", _("One of a list")
    MULTIPLE_CHOICE = "MultipleChoice", _("Several of a list")


CHOICE_ANSWER_TYPES = (AnswerType.SINGLE_CHOICE, AnswerType.MULTIPLE_CHOICE)


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "Draft", _("Draft")
    PUBLISHED = "Published", _("In use")
    RETIRED = "Retired", _("Retired")


# --- the plan ----------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "Draft", pgettext_lazy("plan", "Draft")
    ACTIVE = "Active", pgettext_lazy("plan", "Active")
    COMPLETED = "Completed", pgettext_lazy("plan", "Completed")
    CANCELLED = "Cancelled", pgettext_lazy("plan", "Cancelled")


class GoalArea(models.TextChoices):
    HOUSING = "Housing", _("Housing")
    EMPLOYMENT = "Employment", _("Work and income")
    EDUCATION = "Education", _("Education and vocational training")
    HEALTH = "Health", _("Health")
    PSYCHOLOGICAL = "Psychological", _("Psychological well-being")
    DOCUMENTS = "Documents", _("Documents and property rights")
    LEGAL = "Legal", _("Legal matters")
    FAMILY = "Family", _("Family and children")
    SAFETY = "Safety", _("Safety")
    OTHER = "Other", _("Other")


class GoalStatus(models.TextChoices):
    PLANNED = "Planned", _("Planned")
    IN_PROGRESS = "InProgress", _("In progress")
    ACHIEVED = "Achieved", _("Achieved")
    DROPPED = "Dropped", _("Dropped")


# --- assistance --------------------------------------------------------------------


class AssistanceCategory(models.TextChoices):
    """The seeds' kinds of reintegration assistance."""

    NEW_LIFE_REGION = "NewLifeInRegion", _("New life in a chosen region")
    VOCATIONAL_TRAINING = "VocationalTrainingGrant", _("Vocational training grant")
    EDUCATION = "EducationGrant", _("Education grant")
    DOCUMENTS = "DocumentsAndPropertyRights", _("Documents and property rights")
    CASH = "CashSupport", _("Cash support")
    MEDICAL = "MedicalHelp", _("Medical help")
    HOUSING = "Housing", _("Housing costs")
    CLOTHING = "Clothing", _("Clothing")
    BUSINESS_EQUIPMENT = "SmallBusinessEquipment", _("Equipment for a small business")
    OTHER = "Other", _("Other")


class Currency(models.TextChoices):
    EUR = "EUR", _("euro")
    USD = "USD", _("US dollar")
    RUB = "RUB", _("rouble")


class RuleCondition(models.TextChoices):
    """What an eligibility rule asks of the person; ``country`` is the
    parameter of the citizenship conditions."""

    EVERYONE = "Everyone", _("Everyone")
    CITIZEN_OF = "CitizenOf", _("Citizen of the country")
    NOT_CITIZEN_OF = "NotCitizenOf", _("Not a citizen of the country")
    MOTHER_WITH_SMALL_CHILDREN = "MotherWithSmallChildren", _("Mother with small children")
    MINOR = "Minor", _("Under 18")


class RuleMode(models.TextChoices):
    BASE = "Base", _("Base amount (the first matching base rule applies)")
    SUPPLEMENT = "Supplement", _("Supplement (added whenever it matches)")


class EntryType(models.TextChoices):
    GRANT = "Grant", _("Grant approved")
    PAYMENT = "Payment", _("Payment made")
    CORRECTION = "Correction", _("Correction")


# --- referrals between organisations ----------------------------------------------


class ReferralKind(models.TextChoices):
    REFERRAL = "Referral", _("Referral (the case stays with us)")
    TRANSFER = "Transfer", _("Transfer of responsibility (the case moves)")


class ReferralReason(models.TextChoices):  # cas_ReasonForOutgoingReferral
    ADDITIONAL_SERVICES = "AdditionalServicesRequired", _("Additional services required")
    MIGRATION = "MigrationOrChangeOfLocation", _("Migration or change of location")
    OTHER = "Other", _("Other")


class ReferralPurpose(models.TextChoices):
    REINTEGRATION = "Reintegration", _("Reintegration assistance")
    MONITORING = "Monitoring", _("Monitoring")
    SHELTER = "Shelter", _("Shelter")
    MEDICAL = "Medical", _("Medical help")
    PSYCHOLOGICAL = "Psychological", _("Psychological help")
    LEGAL = "Legal", _("Legal help")
    DOCUMENTS = "Documents", _("Documents")
    REPATRIATION = "Repatriation", _("Repatriation")
    EDUCATION_WORK = "EducationOrWork", _("Education or work")
    OTHER = "Other", _("Other")


class Need(models.TextChoices):
    HOUSING = "Housing", _("Housing")
    WORK = "Work", _("Work")
    EDUCATION = "Education", _("Education or training")
    MEDICAL = "Medical", _("Medical care")
    PSYCHOLOGICAL = "Psychological", _("Psychological support")
    LEGAL = "Legal", _("Legal help")
    DOCUMENTS = "Documents", _("Documents")
    FINANCIAL = "Financial", _("Financial support")
    CHILDCARE = "Childcare", _("Childcare")
    FAMILY = "Family", _("Family mediation")
    SAFETY = "Safety", _("Safety")


class SharedPart(models.TextChoices):
    """The parts of a case a referral may share. The minimum (code, age band,
    sex, needs) always is; the identifying parts only with the person's
    consent to share data with the receiving organisation."""

    CODE = "CaseCode", _("Case code")
    AGE_BAND = "AgeBand", _("Age band")
    SEX = "Sex", _("Sex")
    NEEDS = "Needs", _("Needs")
    # Identifying: need consent for the receiving organisation.
    NAMES = "Names", _("Names")
    BIRTH_DATE = "BirthDate", _("Date of birth")
    CONTACTS = "Contacts", _("Phone, e-mail and address")
    DOCUMENTS = "IdentityDocuments", _("Identity documents")
    # Not identifying on their own.
    ORIGIN = "Origin", _("Citizenship and region of origin")
    CHILDREN = "Children", _("Children with her or him")
    TRAFFICKING = "TraffickingSummary", _("Summary of the trafficking")
    ASSESSMENT = "Assessment", _("Pre-integration assessment")
    PLAN = "Plan", _("Reintegration plan")
    ASSISTANCE = "Assistance", _("Assistance paid")


MINIMUM_PARTS: tuple[str, ...] = (
    SharedPart.CODE, SharedPart.AGE_BAND, SharedPart.SEX, SharedPart.NEEDS,
)
IDENTIFYING_PARTS: tuple[str, ...] = (
    SharedPart.NAMES, SharedPart.BIRTH_DATE, SharedPart.CONTACTS, SharedPart.DOCUMENTS,
)


class ReferralStatus(models.TextChoices):
    PENDING = "Pending", pgettext_lazy("referral", "Waiting for an answer")
    ACCEPTED = "Accepted", pgettext_lazy("referral", "Accepted")
    DECLINED = "Declined", pgettext_lazy("referral", "Declined")
    REVOKED = "Revoked", pgettext_lazy("referral", "Revoked")
    COMPLETED = "Completed", pgettext_lazy("referral", "Completed")


OPEN_REFERRAL_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


# --- monitoring --------------------------------------------------------------------


class MonitoringPeriod(models.TextChoices):
    """How long a partner monitors; reports every three months, or on the
    dates given (custom)."""

    THREE_MONTHS = "3", _("3 months")
    SIX_MONTHS = "6", _("6 months")
    TWELVE_MONTHS = "12", _("12 months")
    CUSTOM = "Custom", _("Custom dates")


class ReportStatus(models.TextChoices):
    DUE = "Due", pgettext_lazy("report", "Due")
    SUBMITTED = "Submitted", _("Submitted")
    CANCELLED = "Cancelled", pgettext_lazy("report", "Cancelled")


class ContactMode(models.TextChoices):
    VISIT = "Visit", _("Home visit")
    OFFICE = "Office", _("Met at the office")
    PHONE = "Phone", _("By phone")
    NONE = "NoContact", _("Could not be reached")


class MonitoringOutcome(models.TextChoices):
    STABLE = "Stable", _("Stable, goals on track")
    PROGRESSING = "Progressing", _("Progressing, needs some help")
    AT_RISK = "AtRisk", _("At risk")
    RETRAFFICKED = "ReTrafficked", _("Re-trafficked")
    LOST_CONTACT = "LostContact", _("Contact lost")
    MOVED = "MovedAway", _("Moved away")
    DECLINED = "DeclinedMonitoring", _("Declined further monitoring")


class RetraffickingSign(models.TextChoices):
    RECRUITER_CONTACT = "RecruiterContact", _("Contacted by a recruiter or trafficker")
    JOB_OFFER_ABROAD = "JobOfferAbroad", _("Considering a job offer abroad")
    DEBT = "Debt", _("Debt or pressure to repay")
    THREATS = "Threats", _("Threats to her or him or the family")
    MISSING = "Missing", _("Disappeared or unreachable")
    DOCUMENTS_TAKEN = "DocumentsTaken", _("Documents taken by someone else")
    SUBSTANCE_ABUSE = "SubstanceAbuse", _("Alcohol or drug abuse")


class LivingSituation(models.TextChoices):
    WITH_FAMILY = "WithFamily", _("With family")
    OWN_HOUSING = "OwnHousing", _("Own or rented housing")
    SHELTER = "Shelter", _("Shelter or social housing")
    HOMELESS = "Homeless", _("Homeless")
    UNKNOWN = "Unknown", _("Unknown")


class WorkSituation(models.TextChoices):
    EMPLOYED = "Employed", _("Employed")
    SELF_EMPLOYED = "SelfEmployed", _("Self-employed or own business")
    TRAINING = "InTraining", _("In training or education")
    UNEMPLOYED = "Unemployed", _("Unemployed")
    UNKNOWN = "Unknown", _("Unknown")
