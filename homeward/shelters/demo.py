"""Demo shelters: one safe house per safe-house organisation of the demo
network and IOM Moscow's Rehabilitation Center, with a year of invented
stays, so that the shelter pages, the placement search and the occupancy
dashboard have something to show.

* The shelters follow the seed documents where they say something: the
  Rehabilitation Center "can only welcome individuals of legal adult age
  (18), and/or minors accompanied by adults" — here from 18, children from
  1 year (a mother with a 6-month-old cannot be placed there); the other
  houses have varied, invented rules (women, minors 10–17, mothers with
  babies, men). Addresses are invented and say so.
* The history: about 40 persons, all invented (their surnames mean "tall
  tale", "riddle", "mirage"…; every note says so), in TVAC cases written
  through the services like ``cases.demo``: consent to share data with the
  shelter's organisation, the request, the shelter's answer, the admission
  (with children), the standard package and the service log for some, the
  discharge with its reason. Some stays are current; Kazan keeps free beds
  and one request waiting for its answer (the demo journey: sign in as
  ``shelter``); one mother with a 6-month-old who needs a wheelchair-
  accessible house is on the waiting list, since nothing fits.
* The shelter organisations other than Kazan have no demo login; their
  history is recorded by one shelter-staff account each (``staff-sh-ptz``
  …) that cannot sign in (no usable password).

The services stamp requests and answers with the time of the seed; the
demo moves those two timestamps back to the invented dates afterwards, so
that the inbox reads like a year of work.

Used by ``homeward seed-demo`` after the organisations, users, directory and
demo cases exist; refuses to run in production. Idempotent: missing
shelters are added; the history only when no demo shelter has any request.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from homeward.accounts.demo import DemoRefused
from homeward.accounts.models import Membership, Organisation, User
from homeward.accounts.roles import Role
from homeward.audit.services import Action, audit_record
from homeward.cases import services as case_services
from homeward.cases.choices import (
    CaseStatus,
    ConsentDecision,
    ConsentForm,
    ConsentGivenBy,
    ConsentPurpose,
    ReferralSource,
    Step,
)
from homeward.cases.demo import DEMO_CASE_WORKER, DEMO_ORGANISATION, INVENTED
from homeward.cases.models import Case
from homeward.directory.models import Entry
from homeward.shelters.choices import (
    Facility,
    LeaveReason,
    OfferStatus,
    SessionKind,
    ShelterKind,
    StandardService,
)
from homeward.shelters.models import Shelter, ShelterReferral, ShelterStay
from homeward.shelters.services.package import service_offer_record, service_session_record
from homeward.shelters.services.referrals import referral_accept, referral_send
from homeward.shelters.services.stays import ChildIn, stay_admit, stay_discharge
from homeward.shelters.services.waiting import waiting_add

F = Facility
ALL_FACILITIES = [choice.value for choice in Facility]
WOMAN = "Feminine"
MAN = "Masculine"
DEMO_ADDRESS = "demo address, not a real house"


@dataclasses.dataclass(frozen=True)
class ShelterSpec:
    organisation: str
    entry: str  # English name of the directory entry ("" when there is none)
    name_en: str
    name_ru: str
    kind: str
    region: str
    city: str
    street: str  # invented
    contact: str  # a demo number
    beds: int
    cots: int = 0
    min_age: int | None = 18
    max_age: int | None = None
    genders: tuple[str, ...] = (WOMAN,)
    children_from_months: int | None = None  # None: no accompanying children
    wheelchair: bool = False
    facilities: tuple[str, ...] = (F.ROOM_AND_BOARD, F.PSYCHOLOGICAL_HELP, F.LEGAL_CONSULTATION)
    notes: str = ""


SHELTERS: list[ShelterSpec] = [
    ShelterSpec("SH-KZN", "Safe house, Kazan", "Kazan safe house for women",
                "Убежище для женщин, Казань", ShelterKind.WOMEN, "Republic of Tatarstan",
                "Kazan", "ul. Primernaya 12", "+7 843 200-01-01", beds=12, cots=2,
                children_from_months=12,
                facilities=(F.ROOM_AND_BOARD, F.PSYCHOLOGICAL_HELP, F.LEGAL_CONSULTATION,
                            F.VOCATIONAL_TRAINING, F.MEDICAL_SCREENING, F.CHILDCARE),
                notes="Women from 18, with children from 1 year."),
    ShelterSpec("IOM-MOW", "IOM Rehabilitation Center", "IOM Rehabilitation Center",
                "Реабилитационный центр МОМ", ShelterKind.REHABILITATION_CENTER, "Moscow",
                "Moscow", "Vymyshlennyi proezd 5", "+7 495 000-01-05", beds=20, cots=2,
                genders=(), children_from_months=12, wheelchair=True,
                facilities=tuple(ALL_FACILITIES),
                notes="Can only welcome individuals of legal adult age (18), and/or minors "
                      "accompanied by adults: children from 1 year."),
    ShelterSpec("SH-SPB-W", "", "St Petersburg safe house for women",
                "Убежище для женщин, Санкт-Петербург", ShelterKind.WOMEN, "St Petersburg",
                "St Petersburg", "ul. Uslovnaya 3", "+7 812 000-01-10", beds=10,
                children_from_months=36, wheelchair=True,
                facilities=(F.ROOM_AND_BOARD, F.PSYCHOLOGICAL_HELP, F.LEGAL_CONSULTATION,
                            F.VOCATIONAL_TRAINING)),
    ShelterSpec("SH-SPB-M", "", "St Petersburg safe house for minors",
                "Убежище для несовершеннолетних, Санкт-Петербург", ShelterKind.MINORS,
                "St Petersburg", "St Petersburg", "ul. Skazochnaya 8", "+7 812 000-01-11",
                beds=8, min_age=10, max_age=17, genders=(),
                facilities=(F.ROOM_AND_BOARD, F.PSYCHOLOGICAL_HELP, F.MEDICAL_SCREENING),
                notes="Children from 10 to 17 years, placed with the guardian's consent."),
    ShelterSpec("SH-NNV", "Safe house, Nizhny Novgorod", "Nizhny Novgorod house for mothers",
                "Дом для матерей с детьми, Нижний Новгород", ShelterKind.MOTHERS_WITH_CHILDREN,
                "Nizhny Novgorod Oblast", "Nizhny Novgorod", "ul. Primernaya 40",
                "+7 831 200-01-01", beds=6, cots=6, min_age=16, children_from_months=0,
                facilities=(F.ROOM_AND_BOARD, F.PSYCHOLOGICAL_HELP, F.CHILDCARE,
                            F.MEDICAL_SCREENING),
                notes="Mothers from 16 with their babies, from birth."),
    ShelterSpec("SH-PTZ", "Safe house, Petrozavodsk", "Petrozavodsk safe house",
                "Убежище, Петрозаводск", ShelterKind.WOMEN, "Republic of Karelia",
                "Petrozavodsk", "ul. Nebyvalaya 2", "+7 814 200-01-01", beds=3),
    ShelterSpec("SH-MMK", "Safe house, Murmansk", "Murmansk safe house",
                "Убежище, Мурманск", ShelterKind.WOMEN, "Murmansk Oblast", "Murmansk",
                "ul. Polyarnaya Skazka 7", "+7 815 200-01-01", beds=6, cots=1,
                children_from_months=6),
    ShelterSpec("SH-IKT", "Safe house, Irkutsk", "Irkutsk safe house",
                "Убежище, Иркутск", ShelterKind.WOMEN, "Irkutsk Oblast", "Irkutsk",
                "ul. Vydumannaya 21", "+7 395 200-01-01", beds=6, cots=1,
                children_from_months=12),
    ShelterSpec("SH-CHE", "Safe house, Chelyabinsk", "Chelyabinsk house for men",
                "Убежище для мужчин, Челябинск", ShelterKind.MEN, "Chelyabinsk Oblast",
                "Chelyabinsk", "ul. Mirazhnaya 9", "+7 351 200-01-01", beds=8, genders=(MAN,),
                facilities=(F.ROOM_AND_BOARD, F.LEGAL_CONSULTATION, F.VOCATIONAL_TRAINING),
                notes="Men after forced labour."),
    ShelterSpec("SH-YAR", "Safe house, Yaroslavl", "Yaroslavl safe house",
                "Убежище, Ярославль", ShelterKind.WOMEN, "Yaroslavl Oblast", "Yaroslavl",
                "ul. Basennaya 4", "+7 485 200-01-01", beds=5, wheelchair=True),
]

# The shelter-staff account that records each house's history. Kazan's is
# the demo login ``shelter``; the others cannot sign in.
KAZAN_STAFF = "shelter"


@dataclasses.dataclass(frozen=True)
class StaySpec:
    shelter: str  # organisation code of the shelter
    name: str  # invented: "Имя Фамилия|Latin Name"
    age: int  # today
    origin: str  # home region
    destination: str  # country where exploited
    admitted: int  # days ago
    stayed: int | None = None  # days; None: still there
    reason: str = LeaveReason.REINTEGRATED
    children: tuple[int, ...] = ()  # ages in months on admission
    gender: str = WOMAN
    care: bool = False  # the standard package and a few sessions


S = StaySpec
R = LeaveReason
STAYS: list[StaySpec] = [
    # Closed stays, oldest first, across the network.
    S("SH-KZN", "Зарина Небылицына|Zarina Nebylitsyna", 27, "Republic of Dagestan", "TR",
      350, 64, care=True),
    S("IOM-MOW", "Елена Баснина|Elena Basnina", 30, "Astrakhan Oblast", "TR", 340, 21, R.MOVED),
    S("SH-NNV", "Кристина Грёзова|Kristina Gryozova", 21, "Samara Oblast", "GR", 322, 90,
      children=(4,)),
    S("SH-SPB-M", "Алина Сказкина|Alina Skazkina", 17, "Leningrad Oblast", "FI", 300, 45),
    S("SH-CHE", "Руслан Миражов|Ruslan Mirazhov", 39, "Republic of Bashkortostan", "RU",
      290, 30, gender=MAN),
    S("SH-KZN", "Диляра Загадкина|Dilyara Zagadkina", 24, "Republic of Tatarstan", "AE",
      275, 40, R.LEFT_VOLUNTARILY),
    S("IOM-MOW", "Ксения Фантомова|Ksenia Fantomova", 25, "Volgograd Oblast", "CY", 260, 35,
      care=True),
    S("SH-SPB-W", "Людмила Побасенкина|Lyudmila Pobasenkina", 41, "Pskov Oblast", "DE",
      245, 75, R.MOVED),
    S("SH-PTZ", "Яна Байкина|Yana Baykina", 23, "Republic of Karelia", "FI", 230, 28),
    S("SH-KZN", "Виктория Сновидцева|Viktoria Snovidtseva", 29, "Ulyanovsk Oblast", "TR",
      215, 55, children=(30,), care=True),
    S("SH-MMK", "Полина Небывальцева|Polina Nebyvaltseva", 26, "Murmansk Oblast", "NO",
      200, 33, children=(20,)),
    S("IOM-MOW", "Олег Выдумщиков|Oleg Vydumshchikov", 44, "Omsk Oblast", "RU", 185, 40,
      gender=MAN),
    S("SH-IKT", "Марина Химерова|Marina Khimerova", 32, "Irkutsk Oblast", "CN", 170, 60,
      R.OTHER),
    S("SH-KZN", "Алсу Мечтаева|Alsu Mechtaeva", 22, "Republic of Mari El", "IL", 150, 18,
      R.LEFT_VOLUNTARILY),
    S("SH-YAR", "Ольга Легендова|Olga Legendova", 36, "Yaroslavl Oblast", "ES", 135, 50),
    S("SH-SPB-M", "Егор Сочинёнов|Egor Sochinyonov", 16, "Novgorod Oblast", "RU", 120, 60,
      R.MOVED, gender=MAN),
    S("SH-NNV", "Анастасия Примерова|Anastasia Primerova", 20, "Penza Oblast", "TR", 110, 45,
      children=(2, 26)),
    S("IOM-MOW", "Наталья Невероятнова|Natalya Neveroyatnova", 28, "Rostov Oblast", "GR",
      95, 30, care=True),
    S("SH-KZN", "Гульнара Условнова|Gulnara Uslovnova", 34, "Republic of Tatarstan", "AE",
      80, 45, children=(60,), care=True),
    S("SH-SPB-W", "Екатерина Сказочникова|Ekaterina Skazochnikova", 27, "St Petersburg", "IT",
      70, 40, R.OTHER),
    # Still there.
    S("SH-PTZ", "Вера Небывалкина|Vera Nebyvalkina", 30, "Arkhangelsk Oblast", "FI", 70),
    S("SH-SPB-W", "Мария Небыличкина|Maria Nebylichkina", 33, "Kaliningrad Oblast", "DE", 50,
      children=(48,), care=True),
    S("SH-NNV", "Анна Грёзина|Anna Gryozina", 19, "Nizhny Novgorod Oblast", "TR", 45,
      children=(5,)),
    S("SH-KZN", "Ирина Придумкина|Irina Pridumkina", 28, "Chuvash Republic", "TR", 40,
      care=True),
    S("SH-SPB-M", "Дарина Легендина|Darina Legendina", 16, "Vologda Oblast", "RU", 35),
    S("SH-PTZ", "Регина Чудесникова|Regina Chudesnikova", 38, "Murmansk Oblast", "NO", 33),
    S("IOM-MOW", "Эльмира Загадочная|Elmira Zagadochnaya", 29, "Republic of Dagestan", "TR",
      30, care=True),
    S("SH-KZN", "Лейсан Былинкина|Leysan Bylinkina", 31, "Republic of Tatarstan", "AE", 25,
      children=(26,)),
    S("SH-CHE", "Иван Сказкин|Ivan Skazkin", 45, "Kurgan Oblast", "RU", 20, gender=MAN),
    S("SH-SPB-W", "Софья Притчина|Sofya Pritchina", 27, "Pskov Oblast", "EE", 20),
    S("SH-SPB-M", "Артём Фантазиев|Artyom Fantaziev", 15, "Tver Oblast", "RU", 18,
      gender=MAN),
    S("IOM-MOW", "Светлана Примерная|Svetlana Primernaya", 22, "Krasnodar Krai", "GR", 15,
      children=(18,)),
    S("SH-KZN", "Оксана Фантазёрова|Oksana Fantazyorova", 35, "Udmurt Republic", "TR", 12,
      children=(62,)),
    S("SH-NNV", "Юлия Химерина|Yulia Khimerina", 24, "Kirov Oblast", "AE", 10,
      children=(10, 40)),
    S("IOM-MOW", "Андрей Небылицын|Andrey Nebylitsyn", 41, "Perm Krai", "RU", 9, gender=MAN),
    S("SH-PTZ", "Татьяна Выдумщикова|Tatyana Vydumshchikova", 26, "Republic of Karelia", "FI",
      8),
]

# Waits for the Kazan shelter's answer (the demo journey).
PENDING_TO_KAZAN = S("SH-KZN", "Лилия Мечтательная|Liliya Mechtatelnaya", 26,
                     "Republic of Bashkortostan", "TR", 0)
# Nothing fits a mother with a 6-month-old who needs a wheelchair-accessible
# house (the Rehabilitation Center takes children from 1 year only).
WAITING = S("", "Камила Выдумова|Kamila Vydumova", 23, "Republic of Dagestan", "TR", 0,
            children=(6,))

# The package offered on arrival; each person refuses one of the last two
# services (participation is voluntary), in turn.
PACKAGE = [
    StandardService.WELCOME,
    StandardService.HOUSING,
    StandardService.SOCIAL_LEGAL,
    StandardService.PSYCHOLOGICAL,
    StandardService.MATERIAL_HELP,
]
REFUSABLE = PACKAGE[-2:]
SESSIONS = [
    (SessionKind.PSYCHOLOGICAL_INDIVIDUAL, 2, 50),
    (SessionKind.LEGAL_CONSULTATION, 9, 45),
]


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour),
                                     tzinfo=timezone.get_current_timezone())


def _create_shelters() -> dict[str, Shelter]:
    """The shelters that are missing, as configuration (audited like the
    demo organisations)."""
    organisations = {o.code: o for o in Organisation.objects.filter(
        code__in=[spec.organisation for spec in SHELTERS])}
    shelters: dict[str, Shelter] = {}
    for spec in SHELTERS:
        organisation = organisations.get(spec.organisation)
        if organisation is None:
            continue
        shelter = Shelter.objects.filter(organisation=organisation, name_en=spec.name_en).first()
        if shelter is None:
            shelter = Shelter.objects.create(
                organisation=organisation,
                entry=Entry.objects.filter(name_en=spec.entry).first() if spec.entry else None,
                name_en=spec.name_en, name_ru=spec.name_ru, kind=spec.kind, country="RU",
                region=spec.region, city=spec.city,
                address=f"{spec.street}, {spec.city} ({DEMO_ADDRESS})",
                contact=f"{spec.contact} (demo)", min_age=spec.min_age, max_age=spec.max_age,
                genders=list(spec.genders),
                children_allowed=spec.children_from_months is not None,
                children_min_age_months=spec.children_from_months,
                wheelchair_accessible=spec.wheelchair, beds=spec.beds, cots=spec.cots,
                facilities=list(spec.facilities), notes=spec.notes,
            )
            audit_record(action=Action.CREATE, organisation=organisation, target=shelter,
                         detail={"source": "seed-demo"})
        shelters[spec.organisation] = shelter
    return shelters


def _staff(shelter: Shelter) -> User:
    """Who runs the house: the demo login in Kazan; elsewhere a recording
    account without a usable password."""
    code = shelter.organisation.code
    if code == "SH-KZN":
        kazan = User.objects.filter(username=KAZAN_STAFF).first()
        if kazan is not None:
            return kazan
    username = f"staff-{code.lower()}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name="Demo", last_name=f"Staff {code}",
                    email=f"{username}@demo.homeward.invalid")
        user.set_unusable_password()
        user.save()
        audit_record(action=Action.CREATE, target=user, detail={"source": "seed-demo"})
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=shelter.organisation, defaults={"role": Role.SHELTER_STAFF}
    )
    if created:
        audit_record(action=Action.CREATE, target=membership, detail={"source": "seed-demo"})
    return user


def _open_case(actor: User, organisation: Organisation, spec: StaySpec, opened_on: datetime.date,
               shelter: Shelter | None) -> Case:
    """An invented person's case, with consent to assistance and — before any
    request — to sharing data with the shelter's organisation."""
    today = timezone.localdate()
    (first, last), (first_latin, last_latin) = (
        part.split(" ", 1) for part in spec.name.split("|")
    )
    minor = spec.age < 18
    given_by: dict[str, str] = (
        {"given_by": ConsentGivenBy.SOCIAL_SUPPORT, "given_by_name": "Duty inspector (demo)"}
        if minor else {}
    )
    consents = [{"purpose": ConsentPurpose.ASSISTANCE, "decision": ConsentDecision.GIVEN,
                 "decided_on": opened_on, "form": ConsentForm.ORAL, **given_by}]
    if shelter is not None and shelter.organisation_id != organisation.pk:
        consents.append({"purpose": ConsentPurpose.DATA_SHARING,
                         "decision": ConsentDecision.GIVEN, "decided_on": opened_on,
                         "form": ConsentForm.SIGNED, "organisation": shelter.organisation,
                         **given_by})
    return case_services.case_open(
        actor=actor, organisation=organisation,
        referral_source=ReferralSource.CITY_AUTHORITIES if minor else ReferralSource.NGO,
        opened_on=opened_on, incoming_referral_date=opened_on,
        referral_details=f"Needs a safe place to stay. {INVENTED}",
        destination_country=spec.destination, current_country="RU",
        person_fields={
            "first_name": first, "last_name": last,
            "first_name_latin": first_latin, "last_name_latin": last_latin,
            # The next birthday six weeks away: ``age`` today, and a minor of 17
            # does not turn 18 in the middle of the demo.
            "birth_date": datetime.date(today.year - spec.age - 1, today.month,
                                        min(today.day, 28)) + datetime.timedelta(days=42),
            "gender": spec.gender, "primary_language": "ru", "citizenships": ["RU"],
            "origin_country": "RU", "origin_region": spec.origin,
        },
        consents=consents,
    )


def _care(staff: User, case: Case, stay: ShelterStay, last_day: datetime.date) -> None:
    """The standard package on arrival (one service refused) and a few sessions."""
    refused = REFUSABLE[case.pk % len(REFUSABLE)]
    for service in PACKAGE:
        status = OfferStatus.REFUSED if service == refused else OfferStatus.ACCEPTED
        service_offer_record(actor=staff, case=case, service=service, status=status,
                             decided_on=stay.admitted_on)
    for kind, after, minutes in SESSIONS:
        held_on = stay.admitted_on + datetime.timedelta(days=after)
        if held_on > last_day:
            break
        service_session_record(actor=staff, case=case, kind=kind, held_on=held_on,
                               duration_minutes=minutes, provided_by=staff, stay=stay,
                               notes=f"Demo session. {INVENTED}")


def _backdate(referral: ShelterReferral, requested_on: datetime.date,
              decided_on: datetime.date | None) -> None:
    ShelterReferral.objects.filter(pk=referral.pk).update(
        requested_at=_moment(requested_on, 10),
        decided_at=_moment(decided_on, 15) if decided_on else None,
    )


def _stay(actor: User, organisation: Organisation, shelter: Shelter, spec: StaySpec,
          case: Case | None = None) -> ShelterStay:
    staff = _staff(shelter)
    admitted_on = _ago(spec.admitted)
    requested_on = admitted_on - datetime.timedelta(days=2)
    if case is None:
        case = _open_case(actor, organisation, spec, admitted_on - datetime.timedelta(days=5),
                          shelter)
    referral = referral_send(actor=actor, case=case, shelter=shelter, needed_from=admitted_on,
                             children_months=spec.children,
                             note=f"Needs a place from the date given. {INVENTED}")
    referral = referral_accept(actor=staff, referral=referral)
    stay = stay_admit(
        actor=staff, shelter=shelter, case=case, admitted_on=admitted_on, referral=referral,
        children=[ChildIn(age_months=months) for months in spec.children],
    )
    _backdate(referral, requested_on, requested_on + datetime.timedelta(days=1))
    left_on = None if spec.stayed is None else admitted_on + datetime.timedelta(days=spec.stayed)
    if spec.care:
        _care(staff, case, stay, left_on or timezone.localdate())
    if left_on is not None:
        stay = stay_discharge(actor=staff, stay=stay, discharged_on=left_on, reason=spec.reason,
                              note=f"Demo departure. {INVENTED}")
        closed_on = left_on + datetime.timedelta(days=14)
        if spec.reason == LeaveReason.REINTEGRATED and closed_on <= timezone.localdate():
            case_services.case_close(actor=actor, case=case, closed_on=closed_on,
                                     reason=f"Reintegrated at home. {INVENTED}")
    return stay


def _istanbul_case(organisation: Organisation, actor: User) -> Case | None:
    """The demo case of the young woman back from Istanbul (cases.demo), who
    is in the Rehabilitation Center."""
    for case in Case.objects.filter(organisation=organisation, created_by=actor,
                                    status=CaseStatus.ACTIVE).select_related("person"):
        if case.person.last_name_latin == "Vydumkina":
            return case
    return None


def _history(actor: User, organisation: Organisation, shelters: dict[str, Shelter]) -> int:
    created = 0
    for spec in STAYS:
        if spec.shelter in shelters:
            _stay(actor, organisation, shelters[spec.shelter], spec)
            created += 1
    center = shelters.get("IOM-MOW")
    istanbul = _istanbul_case(organisation, actor)
    if center is not None and istanbul is not None:
        rehabilitation = istanbul.steps.filter(step=Step.REHABILITATION).first()
        days = (timezone.localdate() - rehabilitation.happened_on).days if rehabilitation else 30
        _stay(actor, organisation, center, dataclasses.replace(STAYS[0], shelter="IOM-MOW",
                                                                admitted=days, stayed=None,
                                                                care=True),
              case=istanbul)
        created += 1
    kazan = shelters.get("SH-KZN")
    if kazan is not None:
        case = _open_case(actor, organisation, PENDING_TO_KAZAN, _ago(2), kazan)
        referral = referral_send(actor=actor, case=case, shelter=kazan,
                                 needed_from=timezone.localdate(),
                                 note=f"Back from Istanbul yesterday; no children. {INVENTED}")
        _backdate(referral, _ago(1), None)
    waiting = _open_case(actor, organisation, WAITING, _ago(6), None)
    waiting_add(actor=actor, case=waiting, children_months=WAITING.children,
                needs_accessibility=True, avoid_region=WAITING.origin,
                note=f"With her 6-month-old son; uses a wheelchair. {INVENTED}")
    return created


@transaction.atomic
def seed_shelters_demo() -> int:
    """Create the missing demo shelters and, the first time, their history;
    returns how many stays were created (0 when they exist or the demo
    users are missing)."""
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused("seed-demo refuses to run with HOMEWARD_ENV=production")
    shelters = _create_shelters()
    organisation = Organisation.objects.filter(code=DEMO_ORGANISATION).first()
    actor = User.objects.filter(username=DEMO_CASE_WORKER).first()
    if organisation is None or actor is None or not shelters:
        return 0
    if ShelterReferral.objects.filter(shelter__in=shelters.values()).exists():
        return 0
    return _history(actor, organisation, shelters)
