"""The hotline services: what they record, what they refuse (and that a
refusal leaves nothing behind), and the audit rows they write."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import open_case
from homeward.directory.models import Visibility
from homeward.directory.tests.factories import make_entry
from homeward.hotline import services
from homeward.hotline.choices import CallerType, Channel, ProfessionalKind
from homeward.hotline.models import Campaign, Contact, EscalationCall, Line
from homeward.hotline.phones import phone_index
from homeward.hotline.tests.factories import contact_values, log_contact, make_line

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Contact.objects.count(), EscalationCall.objects.count(), Line.objects.count(),
        Campaign.objects.count(), AuditEntry.objects.count(),
    )


def _refused(field: str | None, call: Any) -> ValidationError:
    """``call()`` raises ValidationError (on ``field``) and changes nothing."""
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        call()
    assert _counts() == before
    if field is not None:
        assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value


# --- contact_log --------------------------------------------------------------


def test_logs_a_contact_with_normalised_phone_index_and_audit(cast: Any) -> None:
    line = make_line(cast)
    entry = make_entry(cast.home)
    operator = cast.user("hotline_operator")
    contact = services.contact_log(
        actor=operator, referrals=[entry],
        **contact_values(line, caller_phone="8 (912) 345-67-89", caller_name="Мама",
                         indicators=["WithholdsDocuments", "RestrictedMovement"]),
    )
    contact.refresh_from_db()
    assert contact.organisation == cast.home
    assert contact.operator == operator
    assert contact.caller_phone == "+79123456789"
    assert contact.caller_phone_index == phone_index("+7 912 345-67-89")
    assert contact.indicators == ["WithholdsDocuments", "RestrictedMovement"]
    assert list(contact.referrals.all()) == [entry]
    audit = AuditEntry.objects.filter(action=Action.CREATE, target_type="hotline.Contact").get()
    assert audit.target_id == str(contact.pk)
    assert "caller_phone" in audit.fields
    assert "referrals" in audit.fields
    assert "912" not in str(audit.detail)


def test_refuses_a_bad_phone_with_a_clear_message(cast: Any) -> None:
    line = make_line(cast)
    error = _refused("caller_phone", lambda: services.contact_log(
        actor=cast.user("hotline_operator"), **contact_values(line, caller_phone="12-34"),
    ))
    assert "12-34" in error.message_dict["caller_phone"][0]


def test_refuses_an_end_before_the_start(cast: Any) -> None:
    line = make_line(cast)
    started = timezone.now()
    _refused("ended_at", lambda: services.contact_log(
        actor=cast.user("hotline_operator"),
        **contact_values(line, started_at=started,
                         ended_at=started - datetime.timedelta(minutes=1)),
    ))


@pytest.mark.parametrize("field", ["caller_country", "concern_country"])
def test_refuses_an_unknown_country(cast: Any, field: str) -> None:
    line = make_line(cast)
    error = _refused(field, lambda: services.contact_log(
        actor=cast.user("hotline_operator"), **contact_values(line, **{field: "XX"}),
    ))
    assert "XX" in error.message_dict[field][0]


def test_refuses_a_professional_kind_for_a_caller_who_is_not_a_professional(cast: Any) -> None:
    line = make_line(cast)
    _refused("professional_kind", lambda: services.contact_log(
        actor=cast.user("hotline_operator"),
        **contact_values(line, caller_type=CallerType.RELATIVE_OR_FRIEND,
                         professional_kind=ProfessionalKind.POLICE),
    ))


def test_accepts_a_professional_kind_for_a_professional(cast: Any) -> None:
    contact = log_contact(
        cast, caller_type=CallerType.PROFESSIONAL, professional_kind=ProfessionalKind.EMBASSY
    )
    assert contact.professional_kind == ProfessionalKind.EMBASSY


def test_refuses_a_follow_up_assignee_from_another_organisation(cast: Any) -> None:
    line = make_line(cast)
    _refused("follow_up_assignee", lambda: services.contact_log(
        actor=cast.user("hotline_operator"),
        **contact_values(line, follow_up_due=timezone.localdate(),
                         follow_up_assignee=cast.user("hotline_operator", "away")),
    ))


def test_a_follow_up_without_assignee_goes_to_the_operator(cast: Any) -> None:
    contact = log_contact(cast, follow_up_due=timezone.localdate())
    assert contact.follow_up_assignee == cast.user("hotline_operator")


def test_refuses_a_line_of_another_organisation(cast: Any) -> None:
    away_line = make_line(cast, "away")
    _refused(None, lambda: services.contact_log(
        actor=cast.user("hotline_operator"), **contact_values(away_line),
    ))
    _refused("line", lambda: services.contact_log(
        actor=cast.user("hotline_operator"), organisation=cast.home,
        **contact_values(away_line),
    ))


@pytest.mark.parametrize("role", ["case_worker", "researcher", "org_admin", "shelter_staff"])
def test_refuses_roles_that_do_not_log_contacts(cast: Any, role: str) -> None:
    line = make_line(cast)
    _refused(None, lambda: services.contact_log(actor=cast.user(role), **contact_values(line)))


def test_logs_an_e_mail_consultation_without_a_line(cast: Any) -> None:
    contact = services.contact_log(
        actor=cast.user("coordinator"), organisation=cast.home,
        **contact_values(None, channel=Channel.EMAIL, caller_email=" Mother@Example.org "),
    )
    assert contact.line is None
    assert contact.caller_email == "Mother@Example.org"


def test_refuses_a_referral_the_operator_cannot_see(cast: Any) -> None:
    line = make_line(cast)
    hidden = make_entry(cast.away, visibility=Visibility.RESTRICTED, restricted_roles=["medical"])
    _refused("referrals", lambda: services.contact_log(
        actor=cast.user("hotline_operator"), referrals=[hidden], **contact_values(line),
    ))


# --- contact_update, follow-ups ----------------------------------------------


def test_update_renormalises_the_phone_and_audits_only_changed_fields(cast: Any) -> None:
    contact = log_contact(cast, caller_phone="+7 912 345-67-89")
    updated = services.contact_update(
        actor=cast.user("hotline_operator"), contact=contact,
        caller_phone="89123456789", notes="Called back",
    )
    assert updated.caller_phone == "+79123456789"
    audit = AuditEntry.objects.get(action=Action.UPDATE, target_type="hotline.Contact")
    assert audit.fields == ["notes"]


def test_update_refusal_changes_nothing(cast: Any) -> None:
    contact = log_contact(cast)
    _refused("ended_at", lambda: services.contact_update(
        actor=cast.user("hotline_operator"), contact=contact,
        ended_at=contact.started_at - datetime.timedelta(seconds=1), notes="x",
    ))
    contact.refresh_from_db()
    assert contact.notes == ""


def test_follow_up_done_is_recorded_once(cast: Any) -> None:
    contact = log_contact(cast, follow_up_due=timezone.localdate())
    done = services.follow_up_done(
        actor=cast.user("coordinator"), contact=contact, note="Daughter is safe"
    )
    assert done.follow_up_done_at is not None
    assert done.follow_up_note == "Daughter is safe"
    _refused(None, lambda: services.follow_up_done(
        actor=cast.user("hotline_operator"), contact=contact))


def test_follow_up_done_refused_without_a_follow_up(cast: Any) -> None:
    contact = log_contact(cast)
    _refused(None, lambda: services.follow_up_done(
        actor=cast.user("hotline_operator"), contact=contact))


# --- escalation and the case link ---------------------------------------------


def test_records_an_escalation_call_to_a_directory_entry(cast: Any) -> None:
    contact = log_contact(cast)
    task_force = make_entry(cast.away, kind="task_force")
    call = services.escalation_call_record(
        actor=cast.user("hotline_operator"), contact=contact, entry=task_force,
        called_at=contact.started_at + datetime.timedelta(minutes=5), note="Promised a visit",
    )
    assert list(contact.escalation_calls.all()) == [call]
    audit = AuditEntry.objects.get(target_type="hotline.EscalationCall")
    assert audit.organisation_code == "HOME"
    assert "Promised" not in str(audit.detail)


def test_refuses_an_escalation_call_to_nobody_or_before_the_contact(cast: Any) -> None:
    contact = log_contact(cast)
    operator = cast.user("hotline_operator")
    _refused("entry", lambda: services.escalation_call_record(
        actor=operator, contact=contact, called_at=timezone.now()))
    _refused("called_at", lambda: services.escalation_call_record(
        actor=operator, contact=contact, other="Consulate",
        called_at=contact.started_at - datetime.timedelta(days=1)))


def test_links_a_case_the_coordinator_can_see_once(cast: Any) -> None:
    contact = log_contact(cast)
    case = open_case(cast)
    linked = services.contact_link_case(actor=cast.user("coordinator"), contact=contact, case=case)
    assert list(Contact.objects.filter(case=case)) == [linked]
    other = open_case(cast)
    _refused("case", lambda: services.contact_link_case(
        actor=cast.user("coordinator"), contact=contact, case=other))


def test_refuses_to_link_a_case_the_actor_cannot_see(cast: Any) -> None:
    contact = log_contact(cast)
    case = open_case(cast)  # the operator is not on its team
    _refused("case", lambda: services.contact_link_case(
        actor=cast.user("hotline_operator"), contact=contact, case=case))


# --- lines and campaigns -------------------------------------------------------


def test_coordinator_creates_a_line_in_e164(cast: Any) -> None:
    line = make_line(cast, country="DE", number="0800 1234567", languages=["ru", "de"])
    assert line.number == "+498001234567"
    assert line.languages == ["ru", "de"]


def test_line_refusals_change_nothing(cast: Any) -> None:
    coordinator = cast.user("coordinator")
    _refused(None, lambda: services.line_create(
        actor=cast.user("hotline_operator"), organisation=cast.home, country="RU",
        number="+78001000001", label_en="Line"))
    _refused(None, lambda: services.line_create(
        actor=coordinator, organisation=cast.away, country="RU", number="+78001000001",
        label_en="Line"))
    _refused("number", lambda: services.line_create(
        actor=coordinator, organisation=cast.home, country="RU", number="12", label_en="Line"))
    _refused("country", lambda: services.line_create(
        actor=coordinator, organisation=cast.home, country="XX", number="+78001000001",
        label_en="Line"))


def test_line_update_audits_changed_fields(cast: Any) -> None:
    line = make_line(cast)
    services.line_update(actor=cast.user("coordinator"), line=line, is_active=False)
    audit = AuditEntry.objects.get(action=Action.UPDATE, target_type="hotline.Line")
    assert audit.fields == ["is_active"]


def test_campaign_dates_are_checked(cast: Any) -> None:
    coordinator = cast.user("coordinator")
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=coordinator, organisation=cast.home, name="Airport brochures",
        cities="Moscow, Makhachkala", channels=["AirportBrochures"], starts_on=today,
        ends_on=today + datetime.timedelta(days=30), materials_distributed=5000,
    )
    _refused("ends_on", lambda: services.campaign_update(
        actor=coordinator, campaign=campaign, ends_on=today - datetime.timedelta(days=1)))
    _refused(None, lambda: services.campaign_update(
        actor=cast.user("hotline_operator"), campaign=campaign, name="Renamed"))
    campaign.refresh_from_db()
    assert campaign.ends_on == today + datetime.timedelta(days=30)


# --- looks at contacts (views_contacts) ---------------------------------------


def test_contact_view_is_audited(cast: Any) -> None:
    contact = log_contact(cast)
    user = cast.user("coordinator")
    services.contact_view_record(actor=user, contact=contact)
    entry = AuditEntry.objects.filter(action=Action.VIEW).get()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (
        user.pk, "hotline.Contact", str(contact.pk)
    )
    assert entry.organisation_code == "HOME"


def test_phone_lookup_is_audited_with_counts_only(cast: Any) -> None:
    user = cast.user("hotline_operator")
    services.contact_phone_lookup_record(actor=user, organisation=cast.home, found=2)
    entry = AuditEntry.objects.filter(action=Action.MATCH_CHECK).get()
    assert entry.detail == {"lookup": "caller_phone", "visible": 2}
    assert entry.target_type == "hotline.Contact"
    assert entry.target_id == ""
