"""The standard package of services and the service log: who records them
(the case's team, or those who run the person's shelter), on whose behalf,
what is refused, what is audited (field names, never values), and what the
panel and the log show to whom."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases import services as case_services
from homeward.cases.models import Case
from homeward.cases.tests.factories import open_case
from homeward.shelters.choices import (
    OfferStatus,
    ReferralStatus,
    SessionKind,
    StandardService,
)
from homeward.shelters.errors import TransitionRefused
from homeward.shelters.models import (
    ServiceOffer,
    ServiceSession,
    Shelter,
    ShelterReferral,
    ShelterStay,
)
from homeward.shelters.selectors_care import (
    care_organisation,
    may_record_care,
    offers_of_case,
    package_panel,
    sessions_of_case,
)
from homeward.shelters.services.package import (
    package_record,
    service_offer_record,
    service_session_record,
)
from homeward.shelters.tests.factories import (
    ShelterOrganisation,
    make_shelter,
    shelter_organisation,
)

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _days_ago(days: int) -> datetime.date:
    return _today() - datetime.timedelta(days=days)


def _stay(case: Case, shelter: Shelter, *, admitted_days_ago: int = 10,
          discharged: bool = False) -> ShelterStay:
    return ShelterStay.objects.create(
        case=case, shelter=shelter, admitted_on=_days_ago(admitted_days_ago),
        discharged_on=_days_ago(1) if discharged else None,
    )


@pytest.fixture
def kzn(cast: Any) -> ShelterOrganisation:
    return shelter_organisation()


@pytest.fixture
def kzn_shelter(kzn: ShelterOrganisation) -> Shelter:
    return make_shelter(kzn.organisation)


@pytest.fixture
def case(cast: Any) -> Case:
    return open_case(cast)


def _offer(actor: Any, case: Case, **values: Any) -> ServiceOffer:
    fields: dict[str, Any] = {
        "service": StandardService.PSYCHOLOGICAL, "status": OfferStatus.OFFERED,
        "decided_on": _days_ago(2), **values,
    }
    return service_offer_record(actor=actor, case=case, **fields)


def _session(actor: Any, case: Case, **values: Any) -> ServiceSession:
    fields: dict[str, Any] = {
        "kind": SessionKind.PSYCHOLOGICAL_INDIVIDUAL, "held_on": _days_ago(2),
        "provider_name": "Psychologist of a partner NGO (demo)", **values,
    }
    return service_session_record(actor=actor, case=case, **fields)


# --- who records, on whose behalf --------------------------------------------


def test_the_case_worker_records_on_behalf_of_the_case_organisation(cast: Any,
                                                                     case: Case) -> None:
    worker = cast.user(Role.CASE_WORKER)
    offer = _offer(worker, case, status=OfferStatus.ACCEPTED, note="Agreed (demo)")

    assert (offer.organisation, offer.recorded_by, offer.status) == (
        cast.home, worker, OfferStatus.ACCEPTED)
    assert may_record_care(worker, case)


def test_shelter_staff_of_the_person_s_shelter_record_on_behalf_of_their_organisation(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case
) -> None:
    _stay(case, kzn_shelter)
    staff = kzn.user(Role.SHELTER_STAFF)

    offer = _offer(staff, case)
    session = _session(staff, case)

    assert offer.organisation == kzn.organisation
    assert session.organisation == kzn.organisation


@pytest.mark.parametrize("status", [ReferralStatus.PENDING, ReferralStatus.ACCEPTED])
def test_the_shelter_that_was_asked_to_take_the_person_may_record(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case, status: str
) -> None:
    ShelterReferral.objects.create(case=case, shelter=kzn_shelter, status=status,
                                   needed_from=_today())
    coordinator = kzn.user(Role.COORDINATOR)

    assert may_record_care(coordinator, case)
    assert _offer(coordinator, case).organisation == kzn.organisation


def test_the_open_stay_decides_the_organisation_when_the_actor_is_on_both_sides(
    cast: Any, case: Case
) -> None:
    home_shelter = make_shelter(cast.home)
    _stay(case, home_shelter)
    staff = cast.user(Role.SHELTER_STAFF)  # not on the team, but runs the shelter

    assert care_organisation(staff, case) == cast.home
    assert _session(staff, case).organisation == cast.home


@pytest.mark.parametrize(
    ("org", "role"),
    [
        ("kzn", Role.MEDICAL),       # medical staff record screenings, not the package
        ("kzn", Role.ORG_ADMIN),
        ("home", Role.SHELTER_STAFF),  # not on the team, no shelter of theirs
        ("home", Role.MEDICAL),
        ("home", Role.RESEARCHER),
        ("home", Role.ORG_ADMIN),
        ("away", Role.CASE_WORKER),
        ("away", Role.COORDINATOR),
    ],
)
def test_refuses_everyone_but_the_team_and_the_shelter_s_runners(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case, org: str,
    role: str,
) -> None:
    _stay(case, kzn_shelter)
    actor = kzn.user(role) if org == "kzn" else cast.user(role, org)
    audit_before = AuditEntry.objects.count()

    assert not may_record_care(actor, case)
    with pytest.raises(PermissionDenied):
        _offer(actor, case)
    with pytest.raises(PermissionDenied):
        _session(actor, case)
    assert not ServiceOffer.objects.exists()
    assert not ServiceSession.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_refuses_the_shelter_the_person_has_left(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case
) -> None:
    _stay(case, kzn_shelter, discharged=True)
    staff = kzn.user(Role.SHELTER_STAFF)

    assert not may_record_care(staff, case)
    with pytest.raises(PermissionDenied):
        _offer(staff, case)


@pytest.mark.parametrize("status", [ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN])
def test_refuses_a_shelter_whose_referral_is_no_longer_open(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case, status: str
) -> None:
    ShelterReferral.objects.create(case=case, shelter=kzn_shelter, status=status,
                                   needed_from=_today())
    assert not may_record_care(kzn.user(Role.SHELTER_STAFF), case)


def test_a_team_member_records_the_package(cast: Any, case: Case) -> None:
    worker = cast.user(Role.CASE_WORKER)
    reintegration = cast.user(Role.REINTEGRATION_WORKER)
    assert not may_record_care(reintegration, case)
    case_services.case_assign(actor=worker, case=case, user=reintegration,
                              role="Reintegration")

    assert may_record_care(reintegration, case)
    assert _offer(reintegration, case).organisation == cast.home


def test_anonymous_users_may_not_record(case: Case) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not may_record_care(AnonymousUser(), case)


# --- the standard package ------------------------------------------------------


def test_the_panel_shows_the_newest_decision_per_service_in_the_package_order(
    cast: Any, case: Case
) -> None:
    worker = cast.user(Role.CASE_WORKER)
    _offer(worker, case, service=StandardService.HOUSING, decided_on=_days_ago(5))
    accepted = _offer(worker, case, service=StandardService.HOUSING,
                      status=OfferStatus.ACCEPTED, decided_on=_days_ago(4))
    refused = _offer(worker, case, service=StandardService.MEDICAL_HELP,
                     status=OfferStatus.REFUSED, decided_on=_days_ago(4))
    # Recorded later about an earlier day: history, not the decision in force.
    _offer(worker, case, service=StandardService.MEDICAL_HELP, decided_on=_days_ago(6))

    panel = package_panel(user=worker, case=case)

    assert [service for service, _label, _offer_ in panel] == StandardService.values
    assert len(panel) == 11
    in_force = {service: offer for service, _label, offer in panel}
    assert in_force[StandardService.HOUSING] == accepted
    assert in_force[StandardService.MEDICAL_HELP] == refused
    assert in_force[StandardService.WELCOME] is None
    assert offers_of_case(user=worker, case=case).count() == 4


def test_two_decisions_on_one_day_the_later_recorded_is_in_force(cast: Any,
                                                                  case: Case) -> None:
    worker = cast.user(Role.CASE_WORKER)
    _offer(worker, case, decided_on=_days_ago(1))
    refused = _offer(worker, case, status=OfferStatus.REFUSED, decided_on=_days_ago(1))

    panel = {service: offer for service, _l, offer in package_panel(user=worker, case=case)}
    assert panel[StandardService.PSYCHOLOGICAL] == refused


def test_decisions_are_kept_not_changed(cast: Any, case: Case) -> None:
    worker = cast.user(Role.CASE_WORKER)
    first = _offer(worker, case)
    _offer(worker, case, status=OfferStatus.ACCEPTED)

    first.refresh_from_db()
    assert first.status == OfferStatus.OFFERED
    assert ServiceOffer.objects.filter(case=case).count() == 2


def test_audits_a_decision_with_field_names_and_never_values(cast: Any, case: Case) -> None:
    worker = cast.user(Role.CASE_WORKER)
    offer = _offer(worker, case, status=OfferStatus.REFUSED, note="Secret reason (demo)")

    entry = AuditEntry.objects.get(action=Action.CREATE, target_type="shelters.ServiceOffer")
    assert entry.target_id == str(offer.pk)
    assert entry.organisation_id == cast.home.pk
    assert entry.fields == ["decided_on", "note", "service", "status"]
    assert entry.detail == {"case": case.code}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"decided_on": timezone.localdate() + datetime.timedelta(days=1)}, "decided_on"),
        ({"service": "Spa"}, "service"),
        ({"status": "Maybe"}, "status"),
    ],
)
def test_refuses_a_bad_decision(cast: Any, case: Case, values: dict[str, Any],
                                field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _offer(cast.user(Role.CASE_WORKER), case, **values)
    assert field in refused.value.message_dict
    assert not ServiceOffer.objects.exists()


# --- the whole package at once ------------------------------------------------


def test_package_records_only_the_decisions_that_change_what_is_in_force(
    cast: Any, case: Case
) -> None:
    worker = cast.user(Role.CASE_WORKER)
    _offer(worker, case, service=StandardService.HOUSING, status=OfferStatus.ACCEPTED)

    recorded = package_record(actor=worker, case=case, decided_on=_today(), decisions={
        StandardService.HOUSING: OfferStatus.ACCEPTED,  # unchanged: not recorded again
        StandardService.WELCOME: OfferStatus.ACCEPTED,
        StandardService.REPATRIATION: OfferStatus.REFUSED,
    })

    assert sorted((offer.service, offer.status) for offer in recorded) == sorted([
        (StandardService.WELCOME, OfferStatus.ACCEPTED),
        (StandardService.REPATRIATION, OfferStatus.REFUSED),
    ])
    assert ServiceOffer.objects.filter(case=case).count() == 3
    in_force = {service: offer.status if offer else None
                for service, _label, offer in package_panel(user=worker, case=case)}
    assert in_force[StandardService.REPATRIATION] == OfferStatus.REFUSED


def test_package_audits_each_recorded_decision(cast: Any, case: Case) -> None:
    worker = cast.user(Role.CASE_WORKER)
    recorded = package_record(actor=worker, case=case, decided_on=_today(), note="Demo",
                              decisions={StandardService.WELCOME: OfferStatus.ACCEPTED,
                                         StandardService.HOUSING: OfferStatus.REFUSED})

    audited = AuditEntry.objects.filter(action=Action.CREATE,
                                        target_type="shelters.ServiceOffer")
    assert sorted(audited.values_list("target_id", flat=True)) == sorted(
        str(offer.pk) for offer in recorded)
    assert all(entry.fields == ["decided_on", "note", "service", "status"]
               for entry in audited)


def test_package_refuses_when_nothing_changes(cast: Any, case: Case) -> None:
    worker = cast.user(Role.CASE_WORKER)
    _offer(worker, case, service=StandardService.HOUSING, status=OfferStatus.ACCEPTED)

    nothing: dict[str, str] = {}
    unchanged: dict[str, str] = {StandardService.HOUSING: OfferStatus.ACCEPTED}
    for decisions in (nothing, unchanged):
        with pytest.raises(ValidationError) as refused:
            package_record(actor=worker, case=case, decided_on=_today(), decisions=decisions)
        assert refused.value.code == "nothing"
    assert ServiceOffer.objects.count() == 1


def test_package_is_all_or_nothing(cast: Any, case: Case) -> None:
    worker = cast.user(Role.CASE_WORKER)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        package_record(actor=worker, case=case, decided_on=_today(), decisions={
            StandardService.WELCOME: OfferStatus.ACCEPTED,
            StandardService.HOUSING: "Maybe",
        })

    assert "status" in refused.value.message_dict
    assert not ServiceOffer.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_package_refuses_a_change_dated_before_the_decision_in_force(
    cast: Any, case: Case
) -> None:
    worker = cast.user(Role.CASE_WORKER)
    _offer(worker, case, service=StandardService.HOUSING, status=OfferStatus.ACCEPTED,
           decided_on=_days_ago(1))

    with pytest.raises(ValidationError) as refused:
        package_record(actor=worker, case=case, decided_on=_days_ago(5),
                       decisions={StandardService.HOUSING: OfferStatus.REFUSED})

    assert "decided_on" in refused.value.message_dict
    assert ServiceOffer.objects.count() == 1


def test_package_refuses_who_may_not_record_before_anything_else(
    cast: Any, case: Case
) -> None:
    with pytest.raises(PermissionDenied):
        package_record(actor=cast.user(Role.CASE_WORKER, "away"), case=case,
                       decided_on=_today(), decisions={})


def test_refuses_records_in_a_closed_case(cast: Any, case: Case) -> None:
    worker = cast.user(Role.CASE_WORKER)
    case_services.case_close(actor=worker, case=case, closed_on=_today(),
                             reason="Assistance completed (demo)")
    case.refresh_from_db()

    with pytest.raises(TransitionRefused):
        _offer(worker, case)
    with pytest.raises(TransitionRefused):
        _session(worker, case)


# --- the service log ----------------------------------------------------------


def test_records_a_session_with_a_colleague_as_provider(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case
) -> None:
    stay = _stay(case, kzn_shelter)
    staff = kzn.user(Role.SHELTER_STAFF)

    session = _session(staff, case, provider_name="", provided_by=kzn.user(Role.MEDICAL),
                       kind=SessionKind.PSYCHOLOGICAL_GROUP, duration_minutes=90,
                       notes="Group session (demo)", stay=stay)

    assert (session.stay, session.duration_minutes, session.provided_by) == (
        stay, 90, kzn.user(Role.MEDICAL))
    entry = AuditEntry.objects.get(action=Action.CREATE, target_type="shelters.ServiceSession")
    assert entry.fields == ["duration_minutes", "held_on", "kind", "notes", "provided_by",
                            "stay"]
    assert "Group session" not in str(entry.detail)


def test_refuses_a_session_without_a_provider(cast: Any, case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        _session(cast.user(Role.CASE_WORKER), case, provider_name="  ")
    assert "provider_name" in refused.value.message_dict
    assert not ServiceSession.objects.exists()


def test_refuses_a_provider_from_an_unrelated_organisation(cast: Any, case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        _session(cast.user(Role.CASE_WORKER), case,
                 provided_by=cast.user(Role.CASE_WORKER, "away"))
    assert "provided_by" in refused.value.message_dict


def test_the_case_team_may_name_a_provider_of_the_shelter_s_organisation(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case
) -> None:
    _stay(case, kzn_shelter)
    # The shelter's psychologist is of KZN; the HOME case worker records.
    session = _session(cast.user(Role.CASE_WORKER), case,
                       provided_by=kzn.user(Role.SHELTER_STAFF))
    assert (session.organisation, session.provided_by) == (
        cast.home, kzn.user(Role.SHELTER_STAFF))


def test_refuses_a_stay_of_another_case(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case
) -> None:
    _stay(case, kzn_shelter)
    other_stay = _stay(open_case(cast), kzn_shelter)

    with pytest.raises(ValidationError) as refused:
        _session(kzn.user(Role.SHELTER_STAFF), case, stay=other_stay)
    assert "stay" in refused.value.message_dict


def test_refuses_a_stay_in_a_shelter_the_actor_does_not_run(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case
) -> None:
    earlier = _stay(case, make_shelter(cast.home), admitted_days_ago=40, discharged=True)
    earlier.discharged_on = _days_ago(20)
    earlier.save()
    _stay(case, kzn_shelter)

    with pytest.raises(PermissionDenied):
        _session(kzn.user(Role.SHELTER_STAFF), case, stay=earlier, held_on=_days_ago(30))
    # The case's team may file it under any of the case's stays.
    assert _session(cast.user(Role.CASE_WORKER), case, stay=earlier,
                    held_on=_days_ago(30)).stay == earlier


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"held_on": timezone.localdate() + datetime.timedelta(days=1)}, "held_on"),
        ({"held_on": timezone.localdate() - datetime.timedelta(days=11)}, "held_on"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"kind": "Karaoke"}, "kind"),
    ],
)
def test_refuses_a_bad_session(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case,
    values: dict[str, Any], field: str,
) -> None:
    stay = _stay(case, kzn_shelter, admitted_days_ago=10)
    with pytest.raises(ValidationError) as refused:
        _session(kzn.user(Role.SHELTER_STAFF), case, stay=stay, **values)
    assert field in refused.value.message_dict
    assert not ServiceSession.objects.exists()


def test_refuses_a_session_after_the_person_left(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case
) -> None:
    stay = _stay(case, kzn_shelter, discharged=True)  # left yesterday
    with pytest.raises(ValidationError) as refused:
        _session(cast.user(Role.CASE_WORKER), case, stay=stay, held_on=_today())
    assert "held_on" in refused.value.message_dict


def test_the_log_shows_newest_first_to_the_case_and_the_shelter_side_only(
    cast: Any, kzn: ShelterOrganisation, kzn_shelter: Shelter, case: Case
) -> None:
    _stay(case, kzn_shelter)
    older = _session(cast.user(Role.CASE_WORKER), case, held_on=_days_ago(5))
    newer = _session(kzn.user(Role.SHELTER_STAFF), case, held_on=_days_ago(1))

    assert list(sessions_of_case(user=cast.user(Role.COORDINATOR), case=case)) == [
        newer, older]
    assert list(sessions_of_case(user=kzn.user(Role.SHELTER_STAFF), case=case)) == [
        newer, older]
    for outsider in (cast.user(Role.CASE_WORKER, "away"), cast.user(Role.RESEARCHER),
                     kzn.user(Role.ORG_ADMIN), cast.site_admin):
        assert not sessions_of_case(user=outsider, case=case).exists()
        assert not offers_of_case(user=outsider, case=case).exists()
