"""Referrals between organisations and transfers of responsibility
(reintegration/services/referrals.py)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services as case_services
from homeward.cases.choices import CaseStatus, ConsentDecision, ConsentPurpose
from homeward.cases.models import Case, CaseAssignment, Person
from homeward.cases.tests.factories import give_consent, open_case, refresh
from homeward.core import access
from homeward.directory.models import Visibility
from homeward.notifications.models import Notification
from homeward.reintegration.choices import (
    MINIMUM_PARTS,
    MonitoringPeriod,
    Need,
    ReferralKind,
    ReferralPurpose,
    ReferralStatus,
    ReportStatus,
    SharedPart,
)
from homeward.reintegration.errors import ConsentRequired, ReferralStateError
from homeward.reintegration.models import MonitoringReport, MonitoringSchedule, Referral
from homeward.reintegration.selectors import case_access
from homeward.reintegration.services.referrals import (
    referral_accept,
    referral_assign,
    referral_complete,
    referral_decline,
    referral_export_record,
    referral_revoke,
    referral_send,
    referral_view_record,
)
from homeward.reintegration.tests.factories import Partner, partner_organisation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def yar(cast: Any) -> Partner:
    return partner_organisation("YAR")


def _consent(cast: Any, case: Case, partner: Partner, decision: str = ConsentDecision.GIVEN,
             decided_on: datetime.date | None = None) -> None:
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=partner.organisation, decision=decision,
                 decided_on=decided_on or case.opened_on)


def _send(cast: Any, case: Case, partner: Partner, **kwargs: Any) -> Referral:
    values: dict[str, Any] = {
        "actor": cast.user(Role.CASE_WORKER), "case": case, "receiver": partner.organisation,
        "receiver_entry": partner.entry, "purposes": [ReferralPurpose.REINTEGRATION],
        "needs": [Need.HOUSING], "shared_parts": [], **kwargs,
    }
    return referral_send(**values)


def _rows(referral: Referral, organisation: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(
        target_type="reintegration.Referral", target_id=str(referral.pk),
        organisation_id=organisation.pk,
    ).order_by("id"))


def _notified(user: Any, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind))


# --- sending -----------------------------------------------------------------------


def test_sends_the_minimum_by_default_audited_in_both_logs_and_notifies_the_receiver(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)

    referral = _send(cast, case, yar, message="  Arrives on Monday  ")

    assert referral.status == ReferralStatus.PENDING
    assert referral.kind == ReferralKind.REFERRAL
    assert list(referral.shared_parts) == list(MINIMUM_PARTS)
    assert (referral.sender, referral.receiver) == (cast.home, yar.organisation)
    assert referral.answer_due_on == TODAY() + datetime.timedelta(days=7)
    assert referral.sent_by == cast.user(Role.CASE_WORKER)
    assert referral.message == "Arrives on Monday"
    [home_row] = _rows(referral, cast.home)
    [yar_row] = _rows(referral, yar.organisation)
    assert home_row.action == yar_row.action == Action.CREATE
    assert home_row.detail["case"] == yar_row.detail["case"] == case.code
    assert case.person.last_name not in str(home_row.detail) + str(yar_row.detail)
    for role in (Role.REINTEGRATION_WORKER, Role.CASE_WORKER, Role.COORDINATOR):
        [note] = _notified(yar.user(role), "referral.received")
        assert note.params == {"code": case.code, "organisation": cast.home.name}
        assert note.url.endswith(f"/referrals/{referral.pk}/")
    assert not _notified(yar.user(Role.ORG_ADMIN), "referral.received")
    assert not Notification.objects.filter(user__memberships__organisation=cast.home).exists()


def test_refuses_identifying_parts_without_consent_for_the_receiver(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)

    with pytest.raises(ConsentRequired):
        _send(cast, case, yar, shared_parts=[SharedPart.NAMES])

    assert not Referral.objects.exists()
    assert not Notification.objects.exists()


def test_consent_for_another_organisation_does_not_count(cast: Any, yar: Partner) -> None:
    case = open_case(cast)
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=cast.away)

    with pytest.raises(ConsentRequired):
        _send(cast, case, yar, shared_parts=[SharedPart.CONTACTS])


def test_shares_identifying_parts_with_consent_on_record(cast: Any, yar: Partner) -> None:
    case = open_case(cast)
    _consent(cast, case, yar)

    referral = _send(cast, case, yar, shared_parts=[SharedPart.NAMES, SharedPart.PLAN])

    assert list(referral.shared_parts) == [*MINIMUM_PARTS, SharedPart.NAMES, SharedPart.PLAN]


def test_a_withdrawn_consent_refuses_identifying_parts(cast: Any, yar: Partner) -> None:
    case = open_case(cast)
    _consent(cast, case, yar)
    _consent(cast, case, yar, decision=ConsentDecision.WITHDRAWN, decided_on=TODAY())

    with pytest.raises(ConsentRequired):
        _send(cast, case, yar, shared_parts=[SharedPart.DOCUMENTS])
    assert _send(cast, case, yar, shared_parts=[SharedPart.ORIGIN]).pk


def test_a_transfer_needs_consent_whatever_is_shared_and_shares_everything(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)
    with pytest.raises(ConsentRequired):
        _send(cast, case, yar, kind=ReferralKind.TRANSFER)

    _consent(cast, case, yar)
    transfer = _send(cast, case, yar, kind=ReferralKind.TRANSFER)

    assert sorted(transfer.shared_parts) == sorted(SharedPart.values)


@pytest.mark.parametrize(("role", "org"), [
    (Role.REINTEGRATION_WORKER, "home"), (Role.ORG_ADMIN, "home"), (Role.CASE_WORKER, "away"),
])
def test_only_those_who_manage_the_case_send(cast: Any, yar: Partner, role: str,
                                             org: str) -> None:
    case = open_case(cast)

    with pytest.raises(PermissionDenied):
        _send(cast, case, yar, actor=cast.user(role, org))
    assert not Referral.objects.exists()


def test_refuses_the_own_organisation_an_inactive_one_and_a_mismatched_entry(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)
    with pytest.raises(ValidationError) as own:
        _send(cast, case, yar, receiver=cast.home, receiver_entry=None)
    assert "receiver" in own.value.message_dict
    other = partner_organisation("AST")
    with pytest.raises(ValidationError) as mismatched:
        _send(cast, case, yar, receiver_entry=other.entry)
    assert "receiver" in mismatched.value.message_dict
    yar.organisation.is_active = False
    yar.organisation.save()
    with pytest.raises(ValidationError):
        _send(cast, case, yar)
    assert not Referral.objects.exists()


def test_refuses_a_directory_entry_the_sender_cannot_see(cast: Any, yar: Partner) -> None:
    yar.entry.visibility = Visibility.RESTRICTED
    yar.entry.restricted_roles = f",{Role.MEDICAL},"
    yar.entry.save()

    with pytest.raises(ValidationError) as error:
        _send(cast, open_case(cast), yar)

    assert "receiver" in error.value.message_dict
    assert not Referral.objects.exists()


@pytest.mark.parametrize(("values", "field"), [
    ({"purposes": []}, "purposes"),
    ({"purposes": ["Holiday"]}, "purposes"),
    ({"needs": ["Yacht"]}, "needs"),
    ({"shared_parts": ["Soul"]}, "shared_parts"),
    ({"reason": "Whim"}, "reason"),
    ({"answer_due_on": datetime.date(2000, 1, 1)}, "answer_due_on"),
])
def test_refuses_bad_input_with_the_field_named(cast: Any, yar: Partner,
                                                values: dict[str, Any], field: str) -> None:
    case = open_case(cast)

    with pytest.raises(ValidationError) as error:
        _send(cast, case, yar, **values)

    assert field in error.value.message_dict
    assert not Referral.objects.exists()


def test_one_open_referral_per_case_receiver_and_kind(cast: Any, yar: Partner) -> None:
    case = open_case(cast)
    _consent(cast, case, yar)
    first = _send(cast, case, yar)

    with pytest.raises(ReferralStateError):
        _send(cast, case, yar)
    assert _send(cast, case, yar, kind=ReferralKind.TRANSFER).is_transfer
    referral_decline(actor=yar.user(Role.REINTEGRATION_WORKER), referral=first,
                     reason="No places")
    assert _send(cast, case, yar).pk != first.pk


def test_a_closed_case_is_not_referred(cast: Any, yar: Partner) -> None:
    case = open_case(cast)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED_REFERRED)

    with pytest.raises(ReferralStateError):
        _send(cast, refresh(case), yar)


# --- accepting and declining -------------------------------------------------------


def test_the_receiver_accepts_and_the_sender_is_told(cast: Any, yar: Partner) -> None:
    case = open_case(cast)
    referral = _send(cast, case, yar)
    worker = yar.user(Role.REINTEGRATION_WORKER)

    referral = referral_accept(actor=worker, referral=referral)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert (referral.answered_by, referral.assignee) == (worker, worker)
    assert referral.answered_at is not None
    [note] = _notified(cast.user(Role.CASE_WORKER), "referral.accepted")
    assert note.params == {"code": case.code, "organisation": yar.organisation.name}
    assert [row.action for row in _rows(referral, yar.organisation)] == [
        Action.CREATE, Action.UPDATE]
    assert _rows(referral, cast.home)[-1].action == Action.UPDATE
    assert case_access(user=worker, code=case.code).referral == referral
    assert refresh(case).organisation == cast.home


def test_accepting_with_an_assignee_of_the_receiver(cast: Any, yar: Partner) -> None:
    referral = _send(cast, open_case(cast), yar)
    with pytest.raises(ValidationError) as error:
        referral_accept(actor=yar.user(Role.COORDINATOR), referral=referral,
                        assignee=cast.user(Role.REINTEGRATION_WORKER))
    assert "assignee" in error.value.message_dict

    referral = referral_accept(actor=yar.user(Role.COORDINATOR), referral=referral,
                               assignee=yar.user(Role.CASE_WORKER))

    assert referral.assignee == yar.user(Role.CASE_WORKER)


@pytest.mark.parametrize(("who", "role"), [
    ("sender", Role.CASE_WORKER), ("sender", Role.COORDINATOR), ("yar", Role.ORG_ADMIN),
    ("away", Role.CASE_WORKER),
])
def test_only_the_receivers_workers_answer(cast: Any, yar: Partner, who: str,
                                           role: str) -> None:
    referral = _send(cast, open_case(cast), yar)
    actor = (cast.user(role) if who == "sender" else yar.user(role) if who == "yar"
             else cast.user(role, "away"))

    with pytest.raises(PermissionDenied):
        referral_accept(actor=actor, referral=referral)
    with pytest.raises(PermissionDenied):
        referral_decline(actor=actor, referral=referral, reason="No")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_decline_needs_a_reason_and_tells_the_sender(cast: Any, yar: Partner) -> None:
    case = open_case(cast)
    referral = _send(cast, case, yar)
    worker = yar.user(Role.CASE_WORKER)
    with pytest.raises(ValidationError) as error:
        referral_decline(actor=worker, referral=referral, reason="  ")
    assert "reason" in error.value.message_dict

    referral = referral_decline(actor=worker, referral=referral, reason="No places left")

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "No places left"
    assert referral.answered_by == worker
    [note] = _notified(cast.user(Role.CASE_WORKER), "referral.declined")
    assert note.params["code"] == case.code
    assert "No places" not in str(_rows(referral, cast.home)[-1].detail)
    with pytest.raises(Http404):
        case_access(user=worker, code=case.code)


def test_an_answered_referral_is_not_answered_again(cast: Any, yar: Partner) -> None:
    worker = yar.user(Role.REINTEGRATION_WORKER)
    accepted = referral_accept(actor=worker, referral=_send(cast, open_case(cast), yar))
    declined = referral_decline(actor=worker, referral=_send(cast, open_case(cast), yar),
                                reason="No")

    for referral in (accepted, declined):
        with pytest.raises(ReferralStateError):
            referral_accept(actor=worker, referral=referral)
        with pytest.raises(ReferralStateError):
            referral_decline(actor=worker, referral=referral, reason="Again")


# --- revoking ----------------------------------------------------------------------


def _schedule(referral: Referral, partner: Partner) -> MonitoringSchedule:
    schedule = MonitoringSchedule.objects.create(
        case=referral.case, organisation=partner.organisation, referral=referral,
        period=MonitoringPeriod.SIX_MONTHS, starts_on=TODAY(),
    )
    for months, status in ((3, ReportStatus.SUBMITTED), (6, ReportStatus.DUE)):
        MonitoringReport.objects.create(
            schedule=schedule, case=referral.case, organisation=partner.organisation,
            due_on=TODAY() + datetime.timedelta(days=30 * months), months=months,
            status=status,
        )
    return schedule


def test_the_sender_revokes_an_accepted_referral_and_its_monitoring_ends(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)
    worker = yar.user(Role.REINTEGRATION_WORKER)
    referral = referral_accept(actor=worker, referral=_send(cast, case, yar))
    schedule = _schedule(referral, yar)

    referral = referral_revoke(actor=cast.user(Role.COORDINATOR), referral=referral,
                               reason="The person moved")

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED
    assert (referral.revoked_by, referral.revoke_reason) == (
        cast.user(Role.COORDINATOR), "The person moved")
    schedule.refresh_from_db()
    assert not schedule.is_active
    assert sorted(schedule.reports.values_list("months", "status")) == [
        (3, ReportStatus.SUBMITTED), (6, ReportStatus.CANCELLED)]
    [note] = _notified(worker, "referral.revoked")
    assert note.params == {"code": case.code, "organisation": cast.home.name}
    assert _rows(referral, yar.organisation)[-1].detail["reports_cancelled"] == 1
    with pytest.raises(Http404):
        case_access(user=worker, code=case.code)


def test_the_sender_revokes_a_pending_referral(cast: Any, yar: Partner) -> None:
    referral = _send(cast, open_case(cast), yar)

    referral = referral_revoke(actor=cast.user(Role.CASE_WORKER), referral=referral,
                               reason="Sent by mistake")

    assert referral.status == ReferralStatus.REVOKED
    with pytest.raises(ReferralStateError):
        referral_accept(actor=yar.user(Role.REINTEGRATION_WORKER), referral=referral)


def test_revoking_needs_a_reason_and_the_sending_side(cast: Any, yar: Partner) -> None:
    referral = referral_accept(actor=yar.user(Role.REINTEGRATION_WORKER),
                               referral=_send(cast, open_case(cast), yar))
    for actor in (yar.user(Role.COORDINATOR), cast.user(Role.REINTEGRATION_WORKER),
                  cast.user(Role.CASE_WORKER, "away")):
        with pytest.raises(PermissionDenied):
            referral_revoke(actor=actor, referral=referral, reason="Because")
    with pytest.raises(ValidationError) as error:
        referral_revoke(actor=cast.user(Role.CASE_WORKER), referral=referral, reason="")
    assert "reason" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_a_declined_or_revoked_referral_is_not_revoked(cast: Any, yar: Partner) -> None:
    declined = referral_decline(actor=yar.user(Role.CASE_WORKER),
                                referral=_send(cast, open_case(cast), yar), reason="No")
    revoked = referral_revoke(actor=cast.user(Role.CASE_WORKER),
                              referral=_send(cast, open_case(cast), yar), reason="Oops")

    for referral in (declined, revoked):
        with pytest.raises(ReferralStateError):
            referral_revoke(actor=cast.user(Role.CASE_WORKER), referral=referral,
                            reason="Again")


# --- transfers ---------------------------------------------------------------------


def test_an_accepted_transfer_moves_the_case_and_the_sender_loses_it(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)
    case_services.case_assign(actor=cast.user(Role.CASE_WORKER), case=case,
                              user=cast.user(Role.REINTEGRATION_WORKER), role="Reintegration")
    _consent(cast, case, yar)
    transfer = _send(cast, case, yar, kind=ReferralKind.TRANSFER)
    lead = yar.user(Role.CASE_WORKER)

    referral_accept(actor=yar.user(Role.COORDINATOR), referral=transfer, assignee=lead)

    case = refresh(case)
    assert case.organisation == yar.organisation
    assert case.case_owner == lead
    assert list(CaseAssignment.objects.filter(case=case, is_active=True)
                .values_list("user", flat=True)) == [lead.pk]
    assert Person.objects.get(pk=case.person_id).organisation == yar.organisation
    for sender_user in (cast.user(Role.CASE_WORKER), cast.user(Role.COORDINATOR),
                        cast.user(Role.REINTEGRATION_WORKER)):
        assert not access.for_user(sender_user, Case).filter(pk=case.pk).exists()
        assert not access.for_user(sender_user, Person).filter(pk=case.person_id).exists()
    assert access.for_user(lead, Case).filter(pk=case.pk).exists()
    assert access.for_user(yar.user(Role.REINTEGRATION_WORKER), Case).filter(
        pk=case.pk).exists() is False
    moved = AuditEntry.objects.filter(target_type="cases.Case", target_id=str(case.pk),
                                      action=Action.UPDATE)
    assert {row.organisation_id for row in moved} == {cast.home.pk, yar.organisation.pk}
    # The sender still sees the referral itself, and cannot undo the transfer.
    assert access.for_user(cast.user(Role.CASE_WORKER), Referral).filter(
        pk=transfer.pk).exists()
    with pytest.raises(ReferralStateError):
        referral_revoke(actor=cast.user(Role.CASE_WORKER), referral=transfer, reason="Back")


def test_a_reintegration_worker_accepting_a_transfer_joins_the_team_without_leading(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)
    _consent(cast, case, yar)
    worker = yar.user(Role.REINTEGRATION_WORKER)

    referral_accept(actor=worker, referral=_send(cast, case, yar, kind=ReferralKind.TRANSFER))

    case = refresh(case)
    assert (case.organisation, case.case_owner) == (yar.organisation, None)
    assert access.for_user(worker, Case).filter(pk=case.pk).exists()


def test_the_person_stays_when_the_sender_has_another_case_of_theirs(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)
    other = open_case(cast, person=case.person)
    _consent(cast, case, yar)

    referral_accept(actor=yar.user(Role.CASE_WORKER),
                    referral=_send(cast, case, yar, kind=ReferralKind.TRANSFER))

    assert Person.objects.get(pk=case.person_id).organisation == cast.home
    assert refresh(other).organisation == cast.home


def test_a_transfer_is_refused_when_consent_was_withdrawn_before_acceptance(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)
    _consent(cast, case, yar)
    transfer = _send(cast, case, yar, kind=ReferralKind.TRANSFER)
    _consent(cast, case, yar, decision=ConsentDecision.WITHDRAWN, decided_on=TODAY())

    with pytest.raises(ConsentRequired):
        referral_accept(actor=yar.user(Role.CASE_WORKER), referral=transfer)

    assert refresh(case).organisation == cast.home
    transfer.refresh_from_db()
    assert transfer.status == ReferralStatus.PENDING


# --- completing, assigning, reading ------------------------------------------------


def test_either_side_completes_an_accepted_referral(cast: Any, yar: Partner) -> None:
    pending = _send(cast, open_case(cast), yar)
    with pytest.raises(ReferralStateError):
        referral_complete(actor=yar.user(Role.CASE_WORKER), referral=pending)
    by_receiver = referral_accept(actor=yar.user(Role.CASE_WORKER), referral=pending)
    by_sender = referral_accept(actor=yar.user(Role.CASE_WORKER),
                                referral=_send(cast, open_case(cast), yar))
    with pytest.raises(PermissionDenied):
        referral_complete(actor=cast.user(Role.CASE_WORKER, "away"), referral=by_sender)

    assert referral_complete(actor=yar.user(Role.REINTEGRATION_WORKER),
                             referral=by_receiver).status == ReferralStatus.COMPLETED
    completed = referral_complete(actor=cast.user(Role.CASE_WORKER), referral=by_sender)
    assert completed.completed_at is not None
    with pytest.raises(ReferralStateError):
        referral_complete(actor=cast.user(Role.CASE_WORKER), referral=completed)


def test_the_receiver_puts_a_worker_in_charge(cast: Any, yar: Partner) -> None:
    referral = _send(cast, open_case(cast), yar)
    with pytest.raises(PermissionDenied):
        referral_assign(actor=cast.user(Role.CASE_WORKER), referral=referral,
                        assignee=yar.user(Role.CASE_WORKER))
    with pytest.raises(ValidationError):
        referral_assign(actor=yar.user(Role.COORDINATOR), referral=referral,
                        assignee=yar.user(Role.ORG_ADMIN))

    referral = referral_assign(actor=yar.user(Role.COORDINATOR), referral=referral,
                               assignee=yar.user(Role.REINTEGRATION_WORKER))

    assert referral.assignee == yar.user(Role.REINTEGRATION_WORKER)
    assert referral_assign(actor=yar.user(Role.COORDINATOR), referral=referral,
                           assignee=None).assignee is None


def test_reads_and_exports_are_audited_in_the_viewers_log(cast: Any, yar: Partner) -> None:
    referral = _send(cast, open_case(cast), yar)

    referral_view_record(actor=yar.user(Role.CASE_WORKER), referral=referral, what="page")
    referral_export_record(actor=yar.user(Role.CASE_WORKER), referral=referral)
    referral_view_record(actor=cast.user(Role.CASE_WORKER), referral=referral, what="api")

    yar_rows = _rows(referral, yar.organisation)
    assert [(row.action, row.detail["what"]) for row in yar_rows[1:]] == [
        (Action.VIEW, "page"), (Action.EXPORT, "export")]
    home_row = _rows(referral, cast.home)[-1]
    assert (home_row.action, home_row.detail["what"]) == (Action.VIEW, "api")
