"""Safe houses and the rehabilitation center, and what happens to a person
there: the request that a shelter take them, the stay (admission and
discharge, with accompanying children), the waiting list, the standard
package of services, the service log and the medical screening.

Occupancy is never typed: it is counted from the stays that have no
discharge date (see ``selectors.occupancy``). Identifying and clinical text
is encrypted; what statistics need (kinds, dates, diagnosis groups) stays
in plain columns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Organisation
from homeward.cases.choices import Gender
from homeward.cases.models import Case
from homeward.core.fields import EncryptedCharField, EncryptedTextField
from homeward.core.multichoice import MultiChoiceField
from homeward.directory.models import Entry
from homeward.shelters.choices import (
    DiagnosisGroup,
    Facility,
    LeaveReason,
    OfferStatus,
    ReferralStatus,
    SessionKind,
    ShelterKind,
    StandardService,
    WaitingStatus,
)


class Shelter(models.Model):
    """A safe house or rehabilitation center run by a member organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="shelters",
        verbose_name=_("operating organisation"),
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("directory entry"),
    )
    name_en = models.CharField(_("name in English"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=ShelterKind.choices)
    country = CountryField(_("country"), default="RU")
    region = models.CharField(_("region"), max_length=120)
    city = models.CharField(_("city"), max_length=120)
    # Where the house is, and how partners reach it: only for the operating
    # organisation and for those placing someone there.
    address = EncryptedTextField(_("address"), blank=True)
    contact = EncryptedCharField(_("contact for partners"), max_length=300, blank=True)
    # Eligibility
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    genders = MultiChoiceField(
        _("takes"), item_choices=Gender, help_text=_("Leave empty to take everyone."),
    )
    children_allowed = models.BooleanField(_("accompanying children allowed"), default=False)
    children_min_age_months = models.PositiveSmallIntegerField(
        _("youngest child accepted, in months"), null=True, blank=True,
        help_text=_("For example 12: no infants under 1 year."),
    )
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    # Capacity
    beds = models.PositiveSmallIntegerField(_("beds"))
    cots = models.PositiveSmallIntegerField(_("cots"), default=0)
    facilities = MultiChoiceField(_("services offered"), item_choices=Facility)
    is_open = models.BooleanField(_("open"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["region", "city", "name_en"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        if (get_language() or "en").startswith("ru"):
            return self.name_ru or self.name_en
        return self.name_en or self.name_ru


class ShelterReferral(models.Model):
    """A request from the case's organisation that a shelter take the person.

    Sent only with the person's consent to share data with the shelter's
    organisation (when that is another organisation)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shelter_referrals")
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices,
        default=ReferralStatus.PENDING,
    )
    needed_from = models.DateField(_("needed from"))
    # Ages of the accompanying children, in months (not identifying; the
    # eligibility rules need them).
    children_months = models.JSONField(_("accompanying children (ages in months)"),
                                       default=list, blank=True)
    needs_accessibility = models.BooleanField(_("needs wheelchair access"), default=False)
    note = EncryptedTextField(_("message to the shelter"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("answered by"),
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("shelter referral")
        verbose_name_plural = _("shelter referrals")
        indexes = [
            models.Index(fields=["shelter", "status"]),
            models.Index(fields=["case", "status"]),
        ]

    def __str__(self) -> str:
        return f"referral of {self.case} to shelter #{self.shelter_id}"

    @property
    def is_open(self) -> bool:
        return self.status in (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


class ShelterStay(models.Model):
    """A person's stay in a shelter, from admission to discharge. At most one
    stay of a case is open at a time."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shelter_stays")
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="stays")
    referral = models.OneToOneField(
        ShelterReferral, on_delete=models.SET_NULL, null=True, blank=True, related_name="stay",
    )
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(
        _("reason for leaving"), max_length=16, choices=LeaveReason.choices, blank=True
    )
    leave_note = EncryptedTextField(_("about the departure"), blank=True)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("admitted by"),
    )
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("discharged by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-admitted_on", "-id"]
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        indexes = [models.Index(fields=["shelter", "discharged_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(discharged_on__isnull=True),
                name="shelters_one_open_stay_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"stay of {self.case} in shelter #{self.shelter_id}"

    @property
    def is_current(self) -> bool:
        return self.discharged_on is None


class StayChild(models.Model):
    """A child staying with the resident: a cot when in one, a bed otherwise."""

    stay = models.ForeignKey(ShelterStay, on_delete=models.CASCADE, related_name="children")
    age_months = models.PositiveSmallIntegerField(_("age on admission, in months"))
    gender = models.CharField(_("gender"), max_length=24, choices=Gender.choices,
                              default=Gender.UNKNOWN)
    in_cot = models.BooleanField(_("sleeps in a cot"), default=False)

    class Meta:
        ordering = ["stay", "id"]
        verbose_name = _("accompanying child")
        verbose_name_plural = _("accompanying children")

    def __str__(self) -> str:
        return f"child in stay #{self.stay_id}"


class WaitingListEntry(models.Model):
    """A person waiting for a place when no shelter fits now."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shelter_waiting")
    since = models.DateField(_("waiting since"))
    children_months = models.JSONField(_("accompanying children (ages in months)"),
                                       default=list, blank=True)
    needs_accessibility = models.BooleanField(_("needs wheelchair access"), default=False)
    prefer_region = models.CharField(_("preferred region"), max_length=120, blank=True)
    avoid_region = models.CharField(
        _("not in region"), max_length=120, blank=True,
        help_text=_("For example the home region, when return there is unsafe."),
    )
    status = models.CharField(_("status"), max_length=16, choices=WaitingStatus.choices,
                              default=WaitingStatus.WAITING)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = EncryptedTextField(_("notes"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["since", "id"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="Waiting"),
                name="shelters_one_waiting_entry_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} waiting since {self.since}"


class _Recorded(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        abstract = True


class ServiceOffer(_Recorded):
    """One decision about one service of the standard package. Append-only:
    the newest record for a service is the one in force, and the history
    shows that participation was voluntary."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="service_offers")
    service = models.CharField(_("service"), max_length=32, choices=StandardService.choices)
    status = models.CharField(_("decision"), max_length=16, choices=OfferStatus.choices)
    decided_on = models.DateField(_("date"))
    note = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["case", "service", "-decided_on", "-id"]
        verbose_name = _("service offer")
        verbose_name_plural = _("service offers")
        indexes = [models.Index(fields=["case", "service", "-decided_on", "-id"])]

    def __str__(self) -> str:
        return f"{self.case} · {self.service}: {self.status}"


class ServiceSession(_Recorded):
    """The service log: a psychological session, a consultation, a training."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="service_sessions")
    stay = models.ForeignKey(
        ShelterStay, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions",
        verbose_name=_("stay"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=SessionKind.choices)
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    provided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("provided by"),
    )
    provider_name = models.CharField(
        _("provided by (not a Homeward user)"), max_length=200, blank=True,
        help_text=_("For example a psychologist or lawyer of a partner organisation."),
    )
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["case", "-held_on", "-id"]
        verbose_name = _("service session")
        verbose_name_plural = _("service log")

    def __str__(self) -> str:
        return f"{self.kind} in {self.case}"


class MedicalScreening(_Recorded):
    """A medical screening at a clinic, with its diagnoses. Seen by medical
    staff only — no other role, not even coordinators."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="medical_screenings")
    stay = models.ForeignKey(
        ShelterStay, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="screenings", verbose_name=_("stay"),
    )
    examined_on = models.DateField(_("examined on"))
    clinic = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("clinic"),
    )
    clinic_other = models.CharField(_("other clinic"), max_length=200, blank=True)
    examinations = EncryptedTextField(_("examinations and tests"), blank=True)
    treatment = EncryptedTextField(_("treatment"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["case", "-examined_on", "-id"]
        verbose_name = _("medical screening")
        verbose_name_plural = _("medical screenings")

    def __str__(self) -> str:
        return f"screening in {self.case}"


class Diagnosis(models.Model):
    screening = models.ForeignKey(MedicalScreening, on_delete=models.CASCADE,
                                  related_name="diagnoses")
    group = models.CharField(_("diagnosis group"), max_length=32,
                             choices=DiagnosisGroup.choices)
    icd10 = EncryptedCharField(_("ICD-10 code"), max_length=16, blank=True)
    detail = EncryptedTextField(_("diagnosis"), blank=True)

    class Meta:
        ordering = ["screening", "id"]
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")

    def __str__(self) -> str:
        return f"diagnosis in screening #{self.screening_id}"
