"""Demo cases: four invented journeys in the demo TVAC organisation, written
through the services by the demo case worker, so that every page has
something to show. The persons are invented (their surnames mean "made-up",
"unheard-of"…), every phone is a demo number and every note says so.

Used by ``homeward seed-demo`` after the organisations, users and directory
exist; refuses to run in production. Idempotent: when the demo case worker
has already opened cases in TVAC, nothing is created.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from homeward.accounts.demo import DemoRefused
from homeward.accounts.models import Organisation, User
from homeward.cases import services
from homeward.cases.choices import (
    Article,
    CaseKind,
    ConsentDecision,
    ConsentForm,
    ConsentGivenBy,
    ConsentPurpose,
    DecisionMaker,
    DestinationKind,
    GuardianKind,
    MoveKind,
    ProceedingRole,
    ProceedingStage,
    ReferralSource,
    RescueOutcome,
    Step,
    TraffickingStatus,
    TravelDocumentStatus,
)
from homeward.cases.models import Case
from homeward.directory.models import Entry

DEMO_ORGANISATION = "TVAC"
DEMO_CASE_WORKER = "caseworker"
INVENTED = "Invented for the demo; any resemblance to real persons is coincidental."


def _entry(name_en: str) -> Entry | None:
    """A demo directory entry, when the directory demo was loaded."""
    return Entry.objects.filter(name_en=name_en).first()


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _at(days: int, hour: int) -> datetime.datetime:
    """A moment ``days`` ago at ``hour`` o'clock, local time."""
    return datetime.datetime.combine(_ago(days), datetime.time(hour),
                                     tzinfo=timezone.get_current_timezone())


def _consent(actor: User, case: Case, purpose: str, days: int, **values: Any) -> None:
    """A consent given ``days`` ago (orally, unless told otherwise)."""
    values = {"decision": ConsentDecision.GIVEN, "form": ConsentForm.ORAL, **values}
    services.consent_record(actor=actor, case=case, purpose=purpose, decided_on=_ago(days),
                            **values)


def _istanbul_referral(actor: User, organisation: Organisation) -> Case:
    """A young woman held in Istanbul, referred by the IOM mission in Turkey:
    rescued by the Turkish task force, new travel document from the consulate,
    met at Sheremetyevo with an escort; now in rehabilitation."""
    task_force = _entry("Anti-trafficking police task force, Istanbul (demo)")
    consulate = _entry("Consulate of Russia, Istanbul (demo)")
    iom = Organisation.objects.filter(code="IOM-MOW").first()
    case = services.case_open(
        actor=actor, organisation=organisation, referral_source=ReferralSource.IOM_MISSION,
        opened_on=_ago(60), incoming_referral_date=_ago(61),
        referring_organisation_name="IOM mission in Turkey (demo)",
        referring_worker="Counter-trafficking officer (demo)",
        referral_details=f"Held in a flat in Istanbul, passport taken by the employer. {INVENTED}",
        trafficking_status=TraffickingStatus.ACTUAL,
        trafficking_status_decided_by=DecisionMaker.NGO,
        relationship_to_trafficker="Unaquainted", age_when_trafficked=21,
        recruitment_methods=["ThroughAnOnlineAdvertisement"], recruitment_channels=["Internet"],
        methods_of_control=["WithholdsDocuments", "DebtBondage", "PhysicalThreats"],
        exploitation_types=["SexualExploitation"], sex_exploitation_types=["Prostitution"],
        destination_country="TR", destination_city="Istanbul",
        current_country="RU", current_city="Moscow", review_due_on=_ago(-14),
        person_fields={
            "first_name": "Алиса", "last_name": "Выдумкина", "middle_name": "Петровна",
            "first_name_latin": "Alisa", "last_name_latin": "Vydumkina",
            "birth_year": timezone.localdate().year - 22, "birth_year_estimated": False,
            "gender": "Feminine", "marital_status": "Single", "primary_language": "ru",
            "secondary_language": "en", "education": "UpperSecondaryEducation",
            "citizenships": ["RU"], "phones": ["+79000000101"],
            "origin_country": "RU", "origin_region": "Tver Oblast", "origin_city": "Tver",
        },
    )
    _consent(actor, case, ConsentPurpose.ASSISTANCE, 60)
    if iom is not None:
        _consent(actor, case, ConsentPurpose.DATA_SHARING, 60, organisation=iom,
                 form=ConsentForm.SIGNED)
    _consent(actor, case, ConsentPurpose.PHONE_CONTACT, 60)
    _consent(actor, case, ConsentPurpose.MEDICAL, 58)
    services.event_create(
        actor=actor, case=case, type="Recruitment", date=_ago(200), country="RU",
        city="Tver", recruitment_methods=["ThroughAnOnlineAdvertisement"],
        recruitment_channels=["Internet"], recruiter_relationship="Unaquainted",
        description=f"Answered an online advert for hotel work abroad. {INVENTED}",
    )
    services.event_create(
        actor=actor, case=case, type="Transit", date=_ago(190), country="TR", city="Istanbul",
        transport_modes=["Plane"], worked_in_transit=False, official_checkpoint_crossed=True,
    )
    services.event_create(
        actor=actor, case=case, type="Exploitation", date=_ago(189), end_date=_ago(62),
        country="TR", city="Istanbul", exploitation_types=["SexualExploitation"],
        sex_exploitation_types=["Prostitution"],
        methods_of_control=["WithholdsDocuments", "DebtBondage", "PhysicalThreats"],
    )
    services.rescue_record(
        actor=actor, case=case, country="TR", city="Istanbul", contacted_at=_at(58, 10),
        outcome=RescueOutcome.RESCUED, location=f"A flat in the Fatih district. {INVENTED}",
        contacted=[task_force] if task_force else [],
        contacted_other="" if task_force else "Turkish police task force (demo)",
    )
    services.repatriation_record(
        actor=actor, case=case, document_status=TravelDocumentStatus.ISSUED,
        document_authority=consulate, document_applied_on=_ago(56),
        document_issued_on=_ago(40), itinerary="Istanbul IST → Moscow SVO, direct flight",
        departure_on=_ago(38), arrival_on=_ago(38),
        arrival_place="Sheremetyevo airport, terminal F", met_by="TVAC case worker",
        escort_name="IOM escort (demo)", escort_organisation="IOM Moscow",
        destination_kind=DestinationKind.HOME_REGION, destination_region="Tver Oblast",
        destination_city="Tver", cost=Decimal("310.00"), cost_currency="EUR",
    )
    services.case_advance(actor=actor, case=case, step=Step.REHABILITATION,
                          happened_on=_ago(37), done_by="IOM Rehabilitation Center",
                          notes=f"Medical and psychological care. {INVENTED}")
    services.proceeding_create(
        actor=actor, case=case, jurisdiction="RU", authority="Investigative Committee (demo)",
        article=Article.TRAFFICKING, stage=ProceedingStage.INVESTIGATION,
        person_role=ProceedingRole.VICTIM, reported_on=_ago(35), stage_since=_ago(30),
        protection_measures="Address kept confidential.",
        allegation=f"Recruited through a fake job advert and sold on. {INVENTED}",
    )
    return case


def _minor_from_dubai(actor: User, organisation: Organisation) -> Case:
    """A 16-year-old brought back from Dubai: the city's social support
    department acts as guardian; consent to medical care is still pending, so
    the medical tab stays locked."""
    consulate = _entry("Consulate of Russia, Dubai (demo)")
    shelter = _entry("Altufievo shelter for minors")
    today = timezone.localdate()
    case = services.case_open(
        actor=actor, organisation=organisation, referral_source=ReferralSource.EMBASSY,
        opened_on=_ago(12), incoming_referral_date=_ago(12), referring_entry=consulate,
        referring_organisation_name="" if consulate else "Consulate of Russia, Dubai (demo)",
        referral_details=f"Promised work as a model; kept as a domestic worker. {INVENTED}",
        age_when_trafficked=16, recruitment_channels=["ModellingAgency"],
        methods_of_control=["WithholdsDocuments", "ExcessiveWorkingHours"],
        exploitation_types=["ForcedLabour", "Servitude"],
        forced_labour_industry="T_ActivitiesOfHouseholdsAsEmployers",
        destination_country="AE", destination_city="Dubai", current_country="RU",
        current_city="Moscow", review_due_on=_ago(-3),
        person_fields={
            "first_name": "Дарья", "last_name": "Небывалова", "first_name_latin": "Darya",
            "last_name_latin": "Nebyvalova",
            "birth_date": today - datetime.timedelta(days=16 * 365 + 100),
            "gender": "Feminine", "primary_language": "ru", "education": "LowerSecondaryEducation",
            "citizenships": ["RU"], "origin_country": "RU", "origin_region": "Moscow",
            "origin_city": "Moscow",
        },
    )
    services.guardian_record(
        actor=actor, case=case, kind=GuardianKind.SOCIAL_SUPPORT, name="Duty inspector (demo)",
        department="Social support department, Moscow (demo)", contact="+7 900 000-01-03",
        recorded_on=_ago(11),
    )
    _consent(actor, case, ConsentPurpose.ASSISTANCE, 11, given_by=ConsentGivenBy.SOCIAL_SUPPORT,
             given_by_name="Duty inspector (demo)", form=ConsentForm.SIGNED)
    services.rescue_record(
        actor=actor, case=case, country="AE", city="Dubai", contacted_at=_at(12, 9),
        outcome=RescueOutcome.RESCUED, contacted=[consulate] if consulate else [],
        notes=f"The consulate took her in after she ran away. {INVENTED}",
    )
    services.repatriation_record(
        actor=actor, case=case, document_status=TravelDocumentStatus.ISSUED,
        document_authority=consulate, document_applied_on=_ago(10),
        document_issued_on=_ago(7), departure_on=_ago(5),
        arrival_on=_ago(5), itinerary="Dubai DXB → Moscow SVO",
        arrival_place="Sheremetyevo airport, terminal D", met_by="TVAC case worker",
        escort_name="Social worker (demo)", escort_organisation="TVAC",
        destination_kind=DestinationKind.HOME_REGION, destination_region="Moscow",
    )
    services.move_record(
        actor=actor, case=case, kind=MoveKind.TRANSFER_TO_SHELTER, moved_on=_ago(5),
        from_place="Sheremetyevo airport",
        to_place=shelter.name_en if shelter else "Shelter for minors (demo)",
        escort_name="Social worker (demo)", escort_organisation="TVAC",
    )
    return case


def _missing_in_athens(actor: User, organisation: Organisation) -> Case:
    """A mother called the hotline: her daughter stopped answering in Athens."""
    hotline = _entry("Angel Coalition hotline, Russia")
    return services.case_open(
        actor=actor, organisation=organisation, referral_source=ReferralSource.HOTLINE,
        kind=CaseKind.MISSING_PERSON, opened_on=_ago(7), incoming_referral_date=_ago(7),
        referring_entry=hotline, destination_country="GR", destination_city="Athens",
        person_fields={
            "first_name": "Елена", "last_name": "Придуманова", "first_name_latin": "Elena",
            "last_name_latin": "Pridumanova", "birth_year": timezone.localdate().year - 25,
            "birth_year_estimated": True, "gender": "Feminine", "citizenships": ["RU"],
            "origin_country": "RU", "origin_region": "Yaroslavl Oblast",
            "origin_city": "Rybinsk",
        },
        missing_report={
            "reporter_name": "Mother (demo)", "reporter_relationship": "Parent",
            "reporter_contact": "+7 900 000-01-02", "last_seen_on": _ago(40),
            "last_seen_country": "GR", "last_seen_city": "Athens",
            "circumstances": f"Went to work as a waitress; stopped answering. {INVENTED}",
            "police_report_country": "GR", "police_report_authority": "Athens police (demo)",
            "police_reported_on": _ago(6),
        },
    )


def _construction_site(actor: User, organisation: Organisation) -> Case:
    """Forced labour on a construction site; closed and referred to the
    partner in his home region for reintegration."""
    astrakhan = Organisation.objects.filter(code="AO-AST").first()
    case = services.case_open(
        actor=actor, organisation=organisation, referral_source=ReferralSource.LAW_ENFORCEMENT,
        opened_on=_ago(150), incoming_referral_date=_ago(150),
        referring_organisation_name="Regional police (demo)",
        referral_details=f"Found during a labour inspection of a building site. {INVENTED}",
        trafficking_status=TraffickingStatus.ACTUAL,
        trafficking_status_decided_by=DecisionMaker.POLICE,
        relationship_to_trafficker="Acquainted", age_when_trafficked=38,
        recruitment_channels=["PersonalContact"],
        methods_of_control=["WithholdsDocuments", "TakesEarnings", "ExcessiveWorkingHours"],
        exploitation_types=["ForcedLabour"], forced_labour_industry="F_Construction",
        destination_country="RU", destination_city="Moscow Oblast",
        person_fields={
            "first_name": "Пётр", "last_name": "Вымыслов", "first_name_latin": "Pyotr",
            "last_name_latin": "Vymyslov", "birth_year": timezone.localdate().year - 40,
            "gender": "Masculine", "marital_status": "Married", "number_of_children": 2,
            "citizenships": ["RU"], "origin_country": "RU", "origin_region": "Astrakhan Oblast",
            "origin_city": "Astrakhan",
        },
    )
    _consent(actor, case, ConsentPurpose.ASSISTANCE, 150)
    _consent(actor, case, ConsentPurpose.STATISTICS, 150)
    services.event_create(
        actor=actor, case=case, type="Exploitation", date=_ago(400), end_date=_ago(151),
        country="RU", state="Moscow Oblast", exploitation_types=["ForcedLabour"],
        forced_labour_industry="F_Construction",
        methods_of_control=["WithholdsDocuments", "TakesEarnings"],
    )
    services.rescue_record(
        actor=actor, case=case, country="RU", city="Moscow Oblast", contacted_at=_at(150, 14),
        outcome=RescueOutcome.RESCUED, contacted_other="Regional police (demo)",
    )
    services.case_advance(actor=actor, case=case, step=Step.REHABILITATION,
                          happened_on=_ago(140), done_by="TVAC")
    services.case_close(
        actor=actor, case=case, closed_on=_ago(100), referred_to=astrakhan,
        reason=f"Referred to the partner in his home region for reintegration. {INVENTED}",
    )
    return case


@transaction.atomic
def seed_cases_demo() -> int:
    """Open the demo cases if the demo case worker has none yet; returns how
    many were created (0 when they exist or the demo users are missing)."""
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused("seed-demo refuses to run with HOMEWARD_ENV=production")
    organisation = Organisation.objects.filter(code=DEMO_ORGANISATION).first()
    actor = User.objects.filter(username=DEMO_CASE_WORKER).first()
    if organisation is None or actor is None:
        return 0
    if Case.objects.filter(organisation=organisation, created_by=actor).exists():
        return 0
    makers = (_istanbul_referral, _minor_from_dubai, _missing_in_athens, _construction_site)
    for make in makers:
        make(actor, organisation)
    return len(makers)
