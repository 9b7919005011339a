"""The case (HTCDS ``cas_*`` and ``vic_*``), its team, its path and its guardian."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Organisation
from homeward.cases.choices import (
    CaseKind,
    CaseStatus,
    DecisionMaker,
    ExploitationType,
    ForcedLabourIndustry,
    GuardianKind,
    MethodOfControl,
    MethodOfRecruitment,
    RecruitmentChannel,
    ReferralSource,
    RelationshipToTrafficker,
    ReporterRelationship,
    SexExploitationType,
    Step,
    TeamRole,
    TraffickingStatus,
)
from homeward.cases.models.person import Person
from homeward.core.fields import EncryptedCharField, EncryptedTextField
from homeward.core.multichoice import MultiChoiceField
from homeward.directory.models import Entry


class CaseSequence(models.Model):
    """The last number given to a case with this prefix in this year."""

    prefix = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="cases_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class Case(models.Model):
    # The pseudonymous code lists, exports and conversations use: MOW-2026-0042.
    code = models.CharField(_("case code"), max_length=48, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("owning organisation"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    kind = models.CharField(
        _("kind of case"), max_length=16, choices=CaseKind.choices, default=CaseKind.VICTIM
    )
    status = models.CharField(  # cas_Status
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.ACTIVE
    )
    step = models.CharField(
        _("step"), max_length=16, choices=Step.choices, default=Step.IDENTIFICATION
    )
    step_since = models.DateField(_("in this step since"))
    case_owner = models.ForeignKey(  # cas_CaseOwner
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="owned_cases", verbose_name=_("lead case worker"),
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reason_for_closure = EncryptedTextField(_("reason for closure"), blank=True)
    referred_to = models.ForeignKey(  # cas_ReferredOrganisation (when ClosedReferred)
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("referred to"),
    )
    # Opened from a hotline rescue escalation (or marked by a case worker):
    # listed first, counted on the dashboard.
    is_urgent = models.BooleanField(_("urgent"), default=False)
    review_due_on = models.DateField(
        _("next review due"), null=True, blank=True,
        help_text=_("The case shows as overdue after this date."),
    )
    # Referral (cas_ReferringOrganisation, cas_IncomingReferralDate, …)
    referral_source = models.CharField(
        _("referral source"), max_length=24, choices=ReferralSource.choices
    )
    referring_entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("referring organisation (directory)"),
    )
    referring_organisation_name = models.CharField(
        _("referring organisation"), max_length=200, blank=True,
        help_text=_("When it is not in the directory."),
    )
    referring_worker = models.CharField(_("referring case worker"), max_length=200, blank=True)
    incoming_referral_date = models.DateField(_("referral received on"), null=True, blank=True)
    referral_details = EncryptedTextField(_("what the referral says"), blank=True)
    # Victim context (vic_*)
    trafficking_status = models.CharField(
        _("trafficking status"), max_length=32, choices=TraffickingStatus.choices,
        default=TraffickingStatus.POSSIBLE,
    )
    trafficking_status_decided_by = models.CharField(
        _("status decided by"), max_length=40, choices=DecisionMaker.choices, blank=True
    )
    relationship_to_trafficker = models.CharField(
        _("relationship to the trafficker"), max_length=16,
        choices=RelationshipToTrafficker.choices, blank=True,
    )
    age_when_trafficked = models.PositiveSmallIntegerField(
        _("age when trafficked"), null=True, blank=True
    )
    recruitment_methods = MultiChoiceField(
        _("method of recruitment"), item_choices=MethodOfRecruitment
    )
    recruitment_channels = MultiChoiceField(
        _("how recruited"), item_choices=RecruitmentChannel
    )
    methods_of_control = MultiChoiceField(_("means of control"), item_choices=MethodOfControl)
    exploitation_types = MultiChoiceField(
        _("type of exploitation"), item_choices=ExploitationType
    )
    forced_labour_industry = models.CharField(
        _("labour industry"), max_length=56, choices=ForcedLabourIndustry.choices, blank=True
    )
    sex_exploitation_types = MultiChoiceField(
        _("type of sexual exploitation"), item_choices=SexExploitationType
    )
    destination_country = CountryField(
        _("country of exploitation"), blank=True,
        help_text=_("Where the person was exploited or found."),
    )
    destination_city = models.CharField(_("city of exploitation"), max_length=120, blank=True)
    current_country = CountryField(_("where the person is now"), blank=True)
    current_city = models.CharField(_("city where the person is now"), max_length=120, blank=True)
    # Optimistic locking: every write bumps it; an edit based on an older
    # version is refused (see services.case_update).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organisation", "status", "-opened_on", "-id"]),
            models.Index(fields=["organisation", "step"]),
            models.Index(fields=["destination_country"]),
            models.Index(fields=["review_due_on"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP)


class CaseAssignment(models.Model):
    """A member of the case's team. Team members who are not case workers or
    coordinators see only the cases they are assigned to."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_assignments",
        verbose_name=_("worker"),
    )
    role = models.CharField(_("role in the case"), max_length=16, choices=TeamRole.choices)
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_active = models.BooleanField(_("on the team"), default=True)

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name = _("case assignment")
        verbose_name_plural = _("case assignments")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="cases_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.user}"


class CaseStep(models.Model):
    """One step on the case's path, as the timeline shows it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    happened_on = models.DateField(_("date"))
    done_by = models.CharField(
        _("done by"), max_length=200, blank=True,
        help_text=_("The worker or partner who did it, e.g. the police task force."),
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["case", "happened_on", "id"]
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")

    def __str__(self) -> str:
        return f"{self.case} · {self.step}"


class Guardian(models.Model):
    """Who acts for a minor: a parent, a guardian or the city's social support
    department."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="guardians")
    kind = models.CharField(_("kind"), max_length=16, choices=GuardianKind.choices)
    name = EncryptedCharField(_("name"), max_length=200)
    department = models.CharField(
        _("department or authority"), max_length=200, blank=True,
        help_text=_("For the social support department: which city and office."),
    )
    contact = EncryptedCharField(_("phone or address"), max_length=300, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "recorded_on", "id"]
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case}"


class MissingReport(models.Model):
    """A missing-person case: reported by a relative, often through the hotline,
    with the police report abroad. Kept when the person is found."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="missing_report")
    reported_on = models.DateField(_("reported on"))
    reporter_name = EncryptedCharField(_("reported by"), max_length=200)
    reporter_relationship = models.CharField(
        _("relationship to the person"), max_length=16, choices=ReporterRelationship.choices
    )
    reporter_contact = EncryptedCharField(_("reporter's phone or e-mail"), max_length=300,
                                          blank=True)
    last_seen_on = models.DateField(_("last heard from on"), null=True, blank=True)
    last_seen_country = CountryField(_("last known country"), blank=True)
    last_seen_city = models.CharField(_("last known city"), max_length=120, blank=True)
    circumstances = EncryptedTextField(_("circumstances"), blank=True)
    police_report_country = CountryField(_("police report filed in"), blank=True)
    police_report_authority = models.CharField(_("police unit"), max_length=200, blank=True)
    police_report_reference = EncryptedCharField(_("police reference"), max_length=100,
                                                 blank=True)
    police_reported_on = models.DateField(_("police report date"), null=True, blank=True)
    found_on = models.DateField(_("found on"), null=True, blank=True)
    found_where = EncryptedCharField(_("where found"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("missing-person report")
        verbose_name_plural = _("missing-person reports")

    def __str__(self) -> str:
        return f"missing report of {self.case}"
