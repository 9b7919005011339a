"""The hotline: its lines, the contacts operators log, the calls made to
escalate a rescue, and the information campaigns the calls are measured
against.

A contact's identifying details (caller's name, phone, e-mail, what was
advised, notes) are encrypted; the caller's phone is also kept as a keyed
blind index (:mod:`homeward.hotline.phones`) so a repeat caller is found by
exact number without decrypting anything.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Organisation
from homeward.cases.choices import TraffickingStatus
from homeward.cases.models import Case
from homeward.core.fields import EncryptedCharField, EncryptedTextField
from homeward.core.multichoice import MultiChoiceField
from homeward.directory.models import Entry
from homeward.hotline.choices import (
    INDICATOR_CHOICES,
    CallerType,
    CampaignChannel,
    Channel,
    LineLanguage,
    Outcome,
    ProfessionalKind,
    Topic,
)


class Line(models.Model):
    """One hotline number of an organisation (not identifying: visible to the coalition)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hotline_lines",
        verbose_name=_("organisation"),
    )
    country = CountryField(_("country"))
    number = models.CharField(
        _("number"), max_length=20, help_text=_("With the country code, e.g. +7 800 123-45-67.")
    )
    languages = MultiChoiceField(_("languages"), item_choices=LineLanguage)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    is_24_7 = models.BooleanField(_("24/7"), default=False)
    label_en = models.CharField(_("name (English)"), max_length=200)
    label_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        ordering = ["organisation__code", "label_en"]
        verbose_name = _("hotline line")
        verbose_name_plural = _("hotline lines")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (English when no Russian one)."""
        if (get_language() or "").startswith("ru") and self.label_ru:
            return self.label_ru
        return self.label_en


class Contact(models.Model):
    """One call, e-mail, message or visit handled by the hotline."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hotline_contacts",
        verbose_name=_("organisation"),
    )
    line = models.ForeignKey(
        Line, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts",
        verbose_name=_("line"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hotline_contacts",
        verbose_name=_("operator"),
    )
    caller_type = models.CharField(_("caller"), max_length=24, choices=CallerType.choices)
    professional_kind = models.CharField(
        _("kind of professional"), max_length=16, choices=ProfessionalKind.choices, blank=True
    )
    caller_country = CountryField(_("caller's country"), blank=True)
    caller_region = models.CharField(_("caller's region"), max_length=120, blank=True)
    caller_city = models.CharField(_("caller's city"), max_length=120, blank=True)
    concern_country = CountryField(
        _("country of the person of concern"), blank=True,
        help_text=_("Where the person the call is about is, when not where the caller is."),
    )
    concern_city = models.CharField(_("city of the person of concern"), max_length=120, blank=True)
    topics = MultiChoiceField(_("topics"), item_choices=Topic)
    indicators = MultiChoiceField(_("indicators"), item_choices=INDICATOR_CHOICES)
    assessment = models.CharField(  # vic_TraffickingStatus
        _("assessment"), max_length=32, choices=TraffickingStatus.choices, blank=True
    )
    advice_given = EncryptedTextField(_("advice given"), blank=True)
    referrals = models.ManyToManyField(
        Entry, blank=True, related_name="hotline_referrals", verbose_name=_("referred to"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="hotline_follow_ups", verbose_name=_("follow-up by"),
    )
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    follow_up_note = EncryptedTextField(_("follow-up note"), blank=True)
    caller_name = EncryptedCharField(_("caller's name"), max_length=200, blank=True)
    concern_name = EncryptedCharField(
        _("name of the person of concern"), max_length=200, blank=True,
        help_text=_("When the call is about someone else: as the caller gives it."),
    )
    caller_phone = EncryptedCharField(_("caller's phone"), max_length=40, blank=True)
    caller_email = EncryptedCharField(_("caller's e-mail"), max_length=254, blank=True)
    # Keyed blind index of the normalised phone (see homeward.hotline.phones).
    caller_phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="hotline_contacts",
        verbose_name=_("case"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("hotline contact")
        verbose_name_plural = _("hotline contacts")
        indexes = [
            models.Index(fields=["organisation", "started_at"]),
            # The lists' order: newest first without sorting every contact.
            models.Index(fields=["-started_at", "-id"], name="hotline_contact_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"


class EscalationCall(models.Model):
    """Which task force, consulate or service was called for a contact, and when."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="escalation_calls",
        verbose_name=_("contact"),
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("who was called"),
    )
    other = models.CharField(_("who was called (not in the directory)"), max_length=200, blank=True)
    called_at = models.DateTimeField(_("called"))
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["called_at", "id"]
        verbose_name = _("escalation call")
        verbose_name_plural = _("escalation calls")

    def __str__(self) -> str:
        return f"{self.called_at:%Y-%m-%d %H:%M}"


class Campaign(models.Model):
    """An information campaign, so analysis can compare calls before, during and after."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hotline_campaigns",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    cities = models.CharField(_("cities"), max_length=500, blank=True)
    channels = MultiChoiceField(_("channels"), item_choices=CampaignChannel)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    materials_distributed = models.PositiveIntegerField(
        _("materials distributed"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("information campaign")
        verbose_name_plural = _("information campaigns")

    def __str__(self) -> str:
        return self.name


class CallEvent(models.Model):
    """A call as the telephony system saw it, before (or without) a logged contact.

    The telephony system knows the line dialled, the caller's number, when the
    call started, was answered and ended, and who answered it — not who the
    caller is or what they asked. An answered call waits in the operator's
    queue until the contact is logged for it (``contact``); a call never
    answered is a missed call. The caller's number is encrypted and kept as a
    blind index, as on a contact.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hotline_call_events",
        verbose_name=_("organisation"),
    )
    line = models.ForeignKey(
        Line, on_delete=models.PROTECT, related_name="call_events", verbose_name=_("line"),
    )
    caller_phone = EncryptedCharField(_("caller's phone"), max_length=40, blank=True)
    # Keyed blind index of the normalised phone (see homeward.hotline.phones).
    caller_phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(
        _("answered"), null=True, blank=True, help_text=_("Empty for a missed call."),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="hotline_call_events", verbose_name=_("operator"),
    )
    external_id = models.CharField(
        _("call id in the telephony system"), max_length=100, blank=True,
        help_text=_("Sending the same id again does not record the call twice."),
    )
    contact = models.OneToOneField(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="call_event",
        verbose_name=_("contact"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        indexes = [models.Index(fields=["organisation", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], condition=~models.Q(external_id=""),
                name="hotline_callevent_unique_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_missed(self) -> bool:
        return self.answered_at is None
