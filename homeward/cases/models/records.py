"""What happens in a case: the trafficking story, consents, rescue,
repatriation, moves, medical examinations and criminal proceedings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Organisation
from homeward.cases.choices import (
    Article,
    ConsentDecision,
    ConsentForm,
    ConsentGivenBy,
    ConsentPurpose,
    DestinationKind,
    EventType,
    ExploitationType,
    ForcedLabourIndustry,
    MedicalExamKind,
    MethodOfControl,
    MethodOfRecruitment,
    MoveKind,
    ProceedingRole,
    ProceedingStage,
    RecruitmentChannel,
    RelationshipToTrafficker,
    RescueOutcome,
    SexExploitationType,
    TransportMode,
    TravelDocumentStatus,
)
from homeward.cases.models.case import Case
from homeward.core.fields import EncryptedCharField, EncryptedTextField
from homeward.core.multichoice import MultiChoiceField
from homeward.directory.models import Entry


class _Recorded(models.Model):
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        abstract = True


class TraffickingEvent(_Recorded):
    """One stage of the trafficking story (HTCDS ``hte_*``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("stage"), max_length=16, choices=EventType.choices)  # hte_Type
    date = models.DateField(_("date"), null=True, blank=True)  # hte_Date
    end_date = models.DateField(_("until"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(
        _("duration in days"), null=True, blank=True, help_text=_("When no dates are known.")
    )
    country = CountryField(_("country"), blank=True)  # hte_Country
    state = models.CharField(_("region"), max_length=120, blank=True)  # hte_State
    city = models.CharField(_("city"), max_length=120, blank=True)  # hte_City
    description = EncryptedTextField(_("what happened"), blank=True)  # hte_Description
    # Recruitment
    recruitment_methods = MultiChoiceField(
        _("method of recruitment"), item_choices=MethodOfRecruitment
    )
    recruitment_channels = MultiChoiceField(_("how recruited"), item_choices=RecruitmentChannel)
    recruiter_relationship = models.CharField(
        _("recruiter was"), max_length=16, choices=RelationshipToTrafficker.choices, blank=True
    )
    # Transit
    transport_modes = MultiChoiceField(_("transport"), item_choices=TransportMode)
    worked_in_transit = models.BooleanField(_("worked in this country"), null=True, blank=True)
    official_checkpoint_crossed = models.BooleanField(
        _("crossed an official border checkpoint"), null=True, blank=True
    )
    # Exploitation
    exploitation_types = MultiChoiceField(
        _("type of exploitation"), item_choices=ExploitationType
    )
    forced_labour_industry = models.CharField(
        _("labour industry"), max_length=56, choices=ForcedLabourIndustry.choices, blank=True
    )
    sex_exploitation_types = MultiChoiceField(
        _("type of sexual exploitation"), item_choices=SexExploitationType
    )
    methods_of_control = MultiChoiceField(_("means of control"), item_choices=MethodOfControl)

    class Meta:
        ordering = ["case", "date", "id"]
        verbose_name = _("trafficking event")
        verbose_name_plural = _("trafficking events")

    def __str__(self) -> str:
        return f"{self.case} · {self.type}"


class Consent(_Recorded):
    """One decision about one purpose. Append-only: the newest record for a
    purpose (and organisation) is the one in force."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("shared with"), help_text=_("For sharing data: with which organisation."),
    )
    decision = models.CharField(_("decision"), max_length=16, choices=ConsentDecision.choices)
    decided_on = models.DateField(_("date"))
    given_by = models.CharField(
        _("given by"), max_length=16, choices=ConsentGivenBy.choices,
        default=ConsentGivenBy.PERSON,
    )
    given_by_name = EncryptedCharField(
        _("name of who consented"), max_length=200, blank=True,
        help_text=_("For a parent, guardian or the department: who signed."),
    )
    form = models.CharField(_("how"), max_length=8, choices=ConsentForm.choices)
    # Set when a scan of the signed form is stored (in ConsentScan).
    scan_content_type = models.CharField(max_length=64, blank=True, editable=False)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["case", "-decided_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["case", "purpose", "-decided_on", "-id"])]

    def __str__(self) -> str:
        return f"{self.case} · {self.purpose}: {self.decision}"


class ConsentScan(models.Model):
    """The scan of a signed consent form, encrypted like every identifying
    field (so key rotation covers it), kept apart so that listing consents
    never loads it."""

    consent = models.OneToOneField(Consent, on_delete=models.CASCADE, related_name="scan")
    content = EncryptedTextField()  # base64 of the file

    class Meta:
        verbose_name = _("consent scan")
        verbose_name_plural = _("consent scans")

    def __str__(self) -> str:
        return f"scan of consent #{self.consent_id}"


class RescueRecord(_Recorded):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rescues")
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    location = EncryptedTextField(
        _("exact location"), blank=True, help_text=_("Address or description of the place.")
    )
    contacted = models.ManyToManyField(
        Entry, blank=True, related_name="+", verbose_name=_("who was contacted"),
    )
    contacted_other = models.CharField(
        _("also contacted"), max_length=300, blank=True,
        help_text=_("Contacts that are not in the directory."),
    )
    contacted_at = models.DateTimeField(_("contacted at"))
    rescued_on = models.DateField(_("rescued on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=RescueOutcome.choices)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["case", "contacted_at", "id"]
        verbose_name = _("rescue")
        verbose_name_plural = _("rescues")

    def __str__(self) -> str:
        return f"rescue in {self.case}"


class Repatriation(_Recorded):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="repatriations")
    document_status = models.CharField(
        _("travel document"), max_length=24, choices=TravelDocumentStatus.choices
    )
    document_authority = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("consulate or embassy"),
    )
    document_applied_on = models.DateField(_("applied on"), null=True, blank=True)
    document_issued_on = models.DateField(_("issued on"), null=True, blank=True)
    itinerary = EncryptedTextField(
        _("itinerary"), blank=True, help_text=_("Flights, trains, connections.")
    )
    departure_on = models.DateField(_("departure"), null=True, blank=True)
    arrival_on = models.DateField(_("arrival"), null=True, blank=True)
    arrival_place = models.CharField(
        _("arrival place"), max_length=200, blank=True,
        help_text=_("For example: Sheremetyevo airport, terminal F."),
    )
    met_by = EncryptedCharField(_("met by"), max_length=200, blank=True)
    escort_name = EncryptedCharField(_("escort"), max_length=200, blank=True)
    escort_organisation = models.CharField(_("escort's organisation"), max_length=200,
                                           blank=True)
    destination_kind = models.CharField(
        _("going to"), max_length=16, choices=DestinationKind.choices,
        default=DestinationKind.HOME_REGION,
    )
    destination_region = models.CharField(_("destination region"), max_length=120, blank=True)
    destination_city = EncryptedCharField(_("destination town"), max_length=120, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=10, decimal_places=2, null=True,
                               blank=True)
    cost_currency = models.CharField(_("currency"), max_length=3, blank=True, default="EUR")
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["case", "recorded_at", "id"]
        verbose_name = _("repatriation")
        verbose_name_plural = _("repatriations")

    def __str__(self) -> str:
        return f"repatriation in {self.case}"


class Move(_Recorded):
    """A journey of the person other than the repatriation itself. A minor is
    never moved without an escort (services refuse)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(_("kind"), max_length=16, choices=MoveKind.choices)
    moved_on = models.DateField(_("date"))
    from_place = EncryptedCharField(_("from"), max_length=200)
    to_place = EncryptedCharField(_("to"), max_length=200)
    escort_name = EncryptedCharField(_("escort"), max_length=200, blank=True)
    escort_organisation = models.CharField(_("escort's organisation"), max_length=200,
                                           blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["case", "moved_on", "id"]
        verbose_name = _("move")
        verbose_name_plural = _("moves")

    def __str__(self) -> str:
        return f"move in {self.case}"


class MedicalExam(_Recorded):
    """A medical examination, screening, treatment or procedure arranged for the
    person. For a minor it needs the guardian's consent, or an emergency
    override with a written justification."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="medical_exams")
    kind = models.CharField(_("kind"), max_length=16, choices=MedicalExamKind.choices)
    planned_on = models.DateField(_("date"))
    facility = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("clinic"),
    )
    facility_other = models.CharField(_("other clinic"), max_length=200, blank=True)
    purpose = EncryptedTextField(_("purpose"), blank=True)
    emergency = models.BooleanField(_("emergency — life in danger"), default=False)
    emergency_justification = EncryptedTextField(_("why it could not wait"), blank=True)

    class Meta:
        ordering = ["case", "planned_on", "id"]
        verbose_name = _("medical examination")
        verbose_name_plural = _("medical examinations")

    def __str__(self) -> str:
        return f"medical exam in {self.case}"


class CriminalProceeding(_Recorded):
    """A criminal case linked to the case. Its details never leave the case's
    scope: lists and statistics see only stage and article."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proceedings")
    jurisdiction = CountryField(_("jurisdiction"))
    authority = models.CharField(_("investigating authority or court"), max_length=200,
                                 blank=True)
    article = models.CharField(_("article"), max_length=8, choices=Article.choices)
    article_other = models.CharField(_("other article"), max_length=100, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=ProceedingStage.choices)
    person_role = models.CharField(
        _("the person is"), max_length=16, choices=ProceedingRole.choices
    )
    reference = EncryptedCharField(_("case number"), max_length=100, blank=True)
    protection_measures = EncryptedTextField(_("protection measures"), blank=True)
    allegation = EncryptedTextField(_("allegation"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    stage_since = models.DateField(_("stage since"), null=True, blank=True)
    verdict_on = models.DateField(_("verdict on"), null=True, blank=True)
    verdict = EncryptedTextField(_("verdict"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["case", "reported_on", "id"]
        verbose_name = _("criminal proceeding")
        verbose_name_plural = _("criminal proceedings")

    def __str__(self) -> str:
        return f"proceeding in {self.case}"
