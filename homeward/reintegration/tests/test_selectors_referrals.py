"""What of a referred case each side reads, the queues, and who may do what
(reintegration/selectors_referrals.py; cases.selectors.may_share_with)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentDecision, ConsentPurpose
from homeward.cases.models import Case, Person
from homeward.cases.selectors import may_share_with, shareable_organisation_ids
from homeward.cases.tests.factories import give_consent, open_case
from homeward.directory.models import Entry, EntryKind
from homeward.reintegration.choices import (
    IDENTIFYING_PARTS,
    MINIMUM_PARTS,
    Need,
    ReferralKind,
    ReferralPurpose,
    ReferralStatus,
    SharedPart,
)
from homeward.reintegration.models import Referral
from homeward.reintegration.selectors_referrals import (
    age_band,
    case_referrals,
    identifying_allowed,
    incoming_queue,
    is_receiver_side,
    is_sender_side,
    may_answer,
    may_revoke,
    outgoing_queue,
    receivers_for,
    referral_counts_for_user,
    referral_get_for_user,
    referral_list_for_user,
    shared_view,
    shared_view_export,
)
from homeward.reintegration.services.referrals import (
    referral_accept,
    referral_decline,
    referral_revoke,
    referral_send,
)
from homeward.reintegration.tests.factories import (
    Partner,
    directory_entry_for,
    make_referral,
    partner_organisation,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
EVERY_PART = [*MINIMUM_PARTS, *IDENTIFYING_PARTS, SharedPart.ORIGIN, SharedPart.CHILDREN,
              SharedPart.TRAFFICKING]
IDENTIFYING: dict[str, Any] = {
    "first_name": "Светлана", "last_name": "Редкофамильная", "first_name_latin": "Svetlana",
    "last_name_latin": "Redkofamilnaya", "birth_date": datetime.date(1996, 5, 17),
    "phones": ["+79123456789"], "email": "sveta@example.org", "address": "ул. Тайная, 7",
    "identity_documents": [{"kind": "Passport", "number": "4510 123456"}],
}
SECRETS = ("Редкофамильная", "Redkofamilnaya", "1996-05-17", "+79123456789",
           "sveta@example.org", "Тайная", "4510 123456")


@pytest.fixture
def yar(cast: Any) -> Partner:
    return partner_organisation("YAR")


def _consent(cast: Any, case: Case, partner: Partner, decision: str = ConsentDecision.GIVEN,
             decided_on: datetime.date | None = None) -> None:
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.DATA_SHARING,
                 organisation=partner.organisation, decision=decision,
                 decided_on=decided_on or case.opened_on)


def _identifiable_case(cast: Any) -> Case:
    return open_case(cast, **IDENTIFYING, children_accompanying=2, number_of_children=3,
                     origin_region="Yaroslavl Oblast")


def _referral_with_everything(cast: Any, yar: Partner, *, accept: bool = True) -> Referral:
    case = _identifiable_case(cast)
    _consent(cast, case, yar)
    referral = referral_send(
        actor=cast.user(Role.CASE_WORKER), case=case, receiver=yar.organisation,
        purposes=[ReferralPurpose.REINTEGRATION], needs=[Need.HOUSING, Need.WORK],
        shared_parts=EVERY_PART,
    )
    if accept:
        referral = referral_accept(actor=yar.user(Role.REINTEGRATION_WORKER), referral=referral)
    return referral_get_for_user(user=cast.user(Role.CASE_WORKER), pk=referral.pk)


def _withdraw(cast: Any, case: Case, yar: Partner) -> None:
    _consent(cast, case, yar, decision=ConsentDecision.WITHDRAWN, decided_on=TODAY())


def _leaks(data: Any) -> list[str]:
    text = json.dumps(data, ensure_ascii=False, default=str)
    return [secret for secret in SECRETS if secret in text]


# --- the shared view ---------------------------------------------------------------


def test_with_consent_an_accepted_receiver_sees_the_identifying_parts(
    cast: Any, yar: Partner
) -> None:
    referral = _referral_with_everything(cast, yar)

    view = shared_view(referral=referral, user=yar.user(Role.REINTEGRATION_WORKER))

    assert view.code == referral.case.code
    assert view.sex == "Female"
    assert view.needs == ["Housing", "Work"]
    assert view.names is not None
    assert view.names.last_name == "Редкофамильная"
    assert view.birth_date == datetime.date(1996, 5, 17)
    assert view.contacts is not None
    assert view.contacts.phones == ["+79123456789"]
    assert view.documents is not None
    assert view.documents[0].number == "4510 123456"
    assert view.origin is not None
    assert view.origin.citizenships == ["Russia"]
    assert view.children is not None
    assert view.children.accompanying == 2
    assert view.trafficking is not None
    assert view.withheld == []
    export = shared_view_export(referral=referral, user=yar.user(Role.REINTEGRATION_WORKER))
    assert export["shared"]["names"]["last_name"] == "Редкофамильная"
    assert export["shared"]["birth_date"] == "1996-05-17"
    json.dumps(export)


def test_without_consent_the_receiver_never_gets_a_name_not_even_in_an_export(
    cast: Any, yar: Partner
) -> None:
    case = _identifiable_case(cast)
    # Made directly: as if the consent had never been recorded.
    referral = make_referral(case, yar.organisation, shared_parts=EVERY_PART)
    user = yar.user(Role.REINTEGRATION_WORKER)

    view = shared_view(referral=referral, user=user)
    export = shared_view_export(referral=referral, user=user)

    assert (view.names, view.birth_date, view.contacts, view.documents) == (
        None, None, None, None)
    assert sorted(view.withheld) == sorted(
        ["Names", "Date of birth", "Phone, e-mail and address", "Identity documents"])
    assert view.code == case.code
    assert view.origin is not None
    assert not set(IDENTIFYING_PARTS) & set(view.parts)
    assert _leaks(export) == []
    assert "names" not in export["shared"]


def test_a_consent_withdrawn_later_hides_the_identifying_parts_again(
    cast: Any, yar: Partner
) -> None:
    referral = _referral_with_everything(cast, yar)
    user = yar.user(Role.CASE_WORKER)
    assert shared_view(referral=referral, user=user).names is not None

    _withdraw(cast, referral.case, yar)

    assert not identifying_allowed(referral)
    view = shared_view(referral=referral, user=user)
    assert view.names is None
    assert view.contacts is None
    assert "Names" in view.withheld
    assert _leaks(shared_view_export(referral=referral, user=user)) == []


def test_a_pending_referral_shows_the_receiver_only_the_minimum(
    cast: Any, yar: Partner
) -> None:
    referral = _referral_with_everything(cast, yar, accept=False)

    view = shared_view(referral=referral, user=yar.user(Role.COORDINATOR))

    assert view.parts == list(MINIMUM_PARTS)
    assert view.code == referral.case.code
    assert view.age_band
    assert view.sex
    assert (view.names, view.origin, view.children, view.trafficking) == (
        None, None, None, None)
    assert _leaks(shared_view_export(referral=referral, user=yar.user(Role.COORDINATOR))) == []


@pytest.mark.parametrize("ending", ["declined", "revoked"])
def test_a_declined_or_revoked_referral_shows_the_receiver_nothing_of_the_case(
    cast: Any, yar: Partner, ending: str
) -> None:
    referral = _referral_with_everything(cast, yar, accept=ending == "revoked")
    if ending == "declined":
        referral_decline(actor=yar.user(Role.CASE_WORKER), referral=referral, reason="No")
    else:
        referral_revoke(actor=cast.user(Role.CASE_WORKER), referral=referral, reason="No")
    user = yar.user(Role.CASE_WORKER)
    referral = referral_get_for_user(user=user, pk=referral.pk)

    view = shared_view(referral=referral, user=user)
    export = shared_view_export(referral=referral, user=user)

    assert (view.code, view.age_band, view.sex, view.needs, view.parts) == ("", "", "", [], [])
    assert view.is_empty
    assert referral.case.code not in json.dumps(export["shared"])
    assert export["referral"]["status"] == referral.status
    assert _leaks(export) == []


def test_the_sender_sees_what_it_shared(cast: Any, yar: Partner) -> None:
    case = _identifiable_case(cast)
    referral = make_referral(case, yar.organisation, status=ReferralStatus.PENDING,
                             shared_parts=[*MINIMUM_PARTS, SharedPart.ORIGIN])

    view = shared_view(referral=referral, user=cast.user(Role.CASE_WORKER))

    assert view.parts == [*MINIMUM_PARTS, SharedPart.ORIGIN]
    assert view.origin is not None
    assert view.names is None


def test_after_a_transfer_the_former_owner_keeps_only_the_minimum(
    cast: Any, yar: Partner
) -> None:
    case = _identifiable_case(cast)
    _consent(cast, case, yar)
    transfer = referral_send(
        actor=cast.user(Role.CASE_WORKER), case=case, receiver=yar.organisation,
        kind=ReferralKind.TRANSFER, purposes=[ReferralPurpose.REINTEGRATION], needs=[],
        shared_parts=[],
    )
    assert shared_view(referral=transfer, user=cast.user(Role.CASE_WORKER)).names is not None

    referral_accept(actor=yar.user(Role.CASE_WORKER), referral=transfer)
    transfer = referral_get_for_user(user=cast.user(Role.CASE_WORKER), pk=transfer.pk)

    view = shared_view(referral=transfer, user=cast.user(Role.CASE_WORKER))
    assert view.parts == list(MINIMUM_PARTS)
    assert _leaks(shared_view_export(referral=transfer, user=cast.user(Role.CASE_WORKER))) == []
    receiver_view = shared_view(referral=transfer, user=yar.user(Role.CASE_WORKER))
    assert receiver_view.names is not None


def test_a_user_on_neither_side_reads_nothing(cast: Any, yar: Partner) -> None:
    referral = _referral_with_everything(cast, yar)

    view = shared_view(referral=referral, user=cast.user(Role.CASE_WORKER, "away"))

    assert view.is_empty
    assert view.code == ""
    with pytest.raises(Http404):
        referral_get_for_user(user=cast.user(Role.CASE_WORKER, "away"), pk=referral.pk)
    with pytest.raises(Http404):
        referral_get_for_user(user=yar.user(Role.ORG_ADMIN), pk=referral.pk)


@pytest.mark.parametrize(("born", "band"), [
    (datetime.date(2015, 1, 1), "<15"),
    (datetime.date(2008, 1, 1), "15-19"),
    (datetime.date(2000, 1, 1), "25-29"),
    (datetime.date(1970, 1, 1), "55-59"),
    (datetime.date(1950, 1, 1), "60+"),
])
def test_age_bands(born: datetime.date, band: str) -> None:
    assert age_band(Person(birth_date=born), datetime.date(2026, 6, 1)) == band


def test_age_band_with_only_a_year_takes_the_younger_age_and_is_blank_when_unknown() -> None:
    on = datetime.date(2026, 6, 1)
    assert age_band(Person(birth_year=2006), on) == "15-19"  # 19 or 20
    assert age_band(Person(), on) == ""


# --- consent shared with the shelters ----------------------------------------------


def test_may_share_with_the_own_organisation_or_with_consent_in_force(
    cast: Any, yar: Partner
) -> None:
    case = open_case(cast)
    assert may_share_with(case=case, organisation=cast.home)
    assert not may_share_with(case=case, organisation=yar.organisation)
    assert shareable_organisation_ids(case=case) == {cast.home.pk}
    _consent(cast, case, yar)
    assert may_share_with(case=case, organisation=yar.organisation)
    assert not may_share_with(case=case, organisation=cast.away)
    assert shareable_organisation_ids(case=case) == {cast.home.pk, yar.organisation.pk}
    _withdraw(cast, case, yar)
    assert not may_share_with(case=case, organisation=yar.organisation)
    assert shareable_organisation_ids(case=case) == {cast.home.pk}


# --- queues and sides ---------------------------------------------------------------


def test_queues_put_open_referrals_first_by_due_date_and_filter_by_status(
    cast: Any, yar: Partner
) -> None:
    later = make_referral(open_case(cast), yar.organisation, status=ReferralStatus.PENDING,
                         answer_due_on=TODAY() + datetime.timedelta(days=9))
    sooner = make_referral(open_case(cast), yar.organisation,
                           answer_due_on=TODAY() + datetime.timedelta(days=2))
    closed = make_referral(open_case(cast), yar.organisation, status=ReferralStatus.DECLINED,
                           answer_due_on=TODAY() - datetime.timedelta(days=5))
    elsewhere = make_referral(open_case(cast), cast.away, status=ReferralStatus.PENDING)

    assert list(incoming_queue(user=yar.user(Role.REINTEGRATION_WORKER))) == [
        sooner, later, closed]
    assert list(incoming_queue(user=yar.user(Role.CASE_WORKER),
                               status=ReferralStatus.PENDING)) == [later]
    assert list(incoming_queue(user=yar.user(Role.ORG_ADMIN))) == []
    assert list(incoming_queue(user=cast.user(Role.CASE_WORKER))) == []
    outgoing = list(outgoing_queue(user=cast.user(Role.COORDINATOR)))
    assert set(outgoing) == {later, sooner, closed, elsewhere}
    assert outgoing[-1] == closed
    assert list(outgoing_queue(user=yar.user(Role.COORDINATOR))) == []
    assert list(outgoing_queue(user=cast.user(Role.CASE_WORKER, "away"))) == []


def test_the_list_of_both_boxes_puts_open_referrals_first(cast: Any, yar: Partner) -> None:
    closed = make_referral(open_case(cast), yar.organisation, status=ReferralStatus.DECLINED,
                           answer_due_on=TODAY() - datetime.timedelta(days=5))
    pending = make_referral(open_case(cast), yar.organisation, status=ReferralStatus.PENDING)

    assert list(referral_list_for_user(user=yar.user(Role.CASE_WORKER))) == [pending, closed]
    assert list(referral_list_for_user(user=cast.user(Role.COORDINATOR),
                                       status=ReferralStatus.DECLINED)) == [closed]
    assert list(referral_list_for_user(user=cast.user(Role.CASE_WORKER, "away"))) == []


def test_dashboard_counts_referrals_to_answer_and_overdue_answers(
    cast: Any, yar: Partner
) -> None:
    make_referral(open_case(cast), yar.organisation, status=ReferralStatus.PENDING,
                  answer_due_on=TODAY() - datetime.timedelta(days=1))
    make_referral(open_case(cast), yar.organisation, status=ReferralStatus.PENDING)

    assert referral_counts_for_user(user=yar.user(Role.REINTEGRATION_WORKER)) == {
        "pending": 2, "overdue": 1, "sent_overdue": 0}
    assert referral_counts_for_user(user=cast.user(Role.CASE_WORKER)) == {
        "pending": 0, "overdue": 0, "sent_overdue": 1}
    assert referral_counts_for_user(user=cast.user(Role.RESEARCHER)) is None


def test_queues_do_not_read_the_persons_names(cast: Any, yar: Partner) -> None:
    make_referral(open_case(cast), yar.organisation)

    [referral] = incoming_queue(user=yar.user(Role.CASE_WORKER))

    assert "person" not in referral.case._state.fields_cache
    assert "referral_details" in referral.case.get_deferred_fields()


def test_case_referrals_through_the_gate(cast: Any, yar: Partner) -> None:
    case = open_case(cast)
    referral = make_referral(case, yar.organisation)
    make_referral(open_case(cast), yar.organisation)

    assert list(case_referrals(user=cast.user(Role.CASE_WORKER), case=case)) == [referral]
    assert list(case_referrals(user=cast.user(Role.CASE_WORKER, "away"), case=case)) == []


def test_sides_and_what_each_may_do(cast: Any, yar: Partner) -> None:
    pending = make_referral(open_case(cast), yar.organisation, status=ReferralStatus.PENDING)
    sender, receiver = cast.user(Role.CASE_WORKER), yar.user(Role.REINTEGRATION_WORKER)

    assert is_sender_side(sender, pending)
    assert not is_receiver_side(sender, pending)
    assert is_receiver_side(receiver, pending)
    assert not is_sender_side(receiver, pending)
    assert not is_sender_side(cast.user(Role.REINTEGRATION_WORKER), pending)
    assert not is_receiver_side(yar.user(Role.ORG_ADMIN), pending)
    assert may_answer(receiver, pending)
    assert not may_answer(sender, pending)
    assert may_revoke(sender, pending)
    assert not may_revoke(receiver, pending)
    declined = make_referral(open_case(cast), yar.organisation,
                             status=ReferralStatus.DECLINED)
    assert not may_answer(receiver, declined)
    assert not may_revoke(sender, declined)


def test_a_team_member_of_the_sender_is_on_the_sending_side(cast: Any, yar: Partner) -> None:
    from homeward.cases import services as case_services

    case = open_case(cast)
    worker = cast.user(Role.REINTEGRATION_WORKER)
    case_services.case_assign(actor=cast.user(Role.CASE_WORKER), case=case, user=worker,
                              role="Reintegration")
    referral = make_referral(case, yar.organisation)

    assert is_sender_side(worker, referral)
    assert not may_revoke(worker, referral)


def test_receivers_are_entries_describing_other_active_organisations(
    cast: Any, yar: Partner
) -> None:
    own = directory_entry_for(cast.home)
    away = directory_entry_for(cast.away)
    Entry.objects.create(owner=cast.home, kind=EntryKind.NGO, name_en="Not in Homeward",
                         name_ru="Не в системе", country="RU")
    closed = partner_organisation("OLD")
    closed.organisation.is_active = False
    closed.organisation.save()

    receivers = list(receivers_for(user=cast.user(Role.CASE_WORKER)))

    assert set(receivers) == {yar.entry, away}
    assert own not in receivers
    assert yar.entry not in receivers_for(user=yar.user(Role.CASE_WORKER))
