"""The mix of the demo hotline: its lines, who calls from where about what,
what they are told, and the information campaigns. The weights follow the
seed documents (see the package's docstring for which says what).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import TypeVar

from homeward.cases.choices import MethodOfControl, TraffickingStatus
from homeward.hotline.choices import (
    RESTRICTED_MOVEMENT,
    CallerType,
    CampaignChannel,
    Channel,
    Outcome,
    ProfessionalKind,
    Topic,
)

DEMO = "(demo)"

# A year of contacts. The seeds give no call volume; ~8–9 contacts a day
# (about 3 200 a year) is what a specialist national NGO line with a few
# operators per shift plausibly handles, and keeps the demo seeding fast.
DAYS = 365
DAILY_CONTACTS = 8.5

T = TypeVar("T")
Weighted = Sequence[tuple[T, float]]

# --- lines --------------------------------------------------------------------

# country: (languages besides Russian, time zone, cities callers name)
LINE_DETAILS: dict[str, tuple[list[str], str, list[str]]] = {
    "RU": ([], "Europe/Moscow", []),
    "US": (["en"], "America/New_York", ["New York", "Miami", "Chicago", "Los Angeles"]),
    "NL": (["nl", "en"], "Europe/Amsterdam", ["Amsterdam", "Rotterdam", "The Hague"]),
    "BE": (["nl", "fr"], "Europe/Brussels", ["Brussels", "Antwerp", "Liège"]),
    "DE": (["de"], "Europe/Berlin", ["Berlin", "Munich", "Frankfurt", "Hamburg", "Cologne"]),
    "CH": (["de", "fr"], "Europe/Zurich", ["Zurich", "Geneva", "Basel"]),
}
# Calls per line: Russia's line carries most; abroad, Germany's large
# Russian-speaking population makes its line the next busiest.
LINE_WEIGHTS: dict[str, float] = {
    "RU": 85, "DE": 5, "US": 3, "NL": 2.5, "CH": 2.5, "BE": 2,
}

# --- where callers are, and where the person of concern is -------------------

# (region, city): weight. IOM's cities of origin (Figure 4) first, Moscow and
# St Petersburg for their size and the hotline's advertising there.
ORIGINS: Weighted[tuple[str, str]] = [
    (("Moscow", "Moscow"), 18),
    (("St Petersburg", "St Petersburg"), 7),
    (("Republic of Dagestan", "Makhachkala"), 8),
    (("Republic of Dagestan", "Derbent"), 3),
    (("Astrakhan Oblast", "Astrakhan"), 7),
    (("Republic of Bashkortostan", "Ufa"), 6),
    (("Krasnodar Krai", "Tuapse"), 4),
    (("Krasnodar Krai", "Krasnodar"), 3),
    (("Volgograd Oblast", "Volgograd"), 4),
    (("Rostov Oblast", "Rostov-on-Don"), 4),
    (("Rostov Oblast", "Novocherkassk"), 1),
    (("Samara Oblast", "Samara"), 3),
    (("Republic of Tatarstan", "Kazan"), 3),
    (("Republic of Tatarstan", "Naberezhnye Chelny"), 1),
    (("Chechen Republic", "Grozny"), 2),
    (("Stavropol Krai", "Stavropol"), 2),
    (("Voronezh Oblast", "Voronezh"), 2),
    (("Perm Krai", "Perm"), 2),
    (("Omsk Oblast", "Omsk"), 1),
    (("Kemerovo Oblast", "Kemerovo"), 1),
    (("Khabarovsk Krai", "Khabarovsk"), 1),
    (("Irkutsk Oblast", "Irkutsk"), 1),
    (("Udmurt Republic", "Izhevsk"), 1),
    (("Mari El Republic", "Yoshkar-Ola"), 1),
    (("Republic of Karelia", "Petrozavodsk"), 2),
    (("Yaroslavl Oblast", "Yaroslavl"), 2),
    (("Nizhny Novgorod Oblast", "Nizhny Novgorod"), 2),
    (("Chelyabinsk Oblast", "Chelyabinsk"), 1),
    (("Sverdlovsk Oblast", "Yekaterinburg"), 2),
    (("Kursk Oblast", "Kursk"), 1),
    (("Belgorod Oblast", "Belgorod"), 1),
    (("Tambov Oblast", "Tambov"), 1),
]
MOSCOW = ("Moscow", "Moscow")
ST_PETERSBURG = ("St Petersburg", "St Petersburg")
DAGESTAN = ("Republic of Dagestan", "Makhachkala")

# country: (weight, cities). Turkey far ahead, then Greece (IOM Table 1, the
# thesis); the Emirates, Israel, Cyprus, Spain, Italy (the seeds' missing-
# person and victim destinations); Germany, China, Japan, South Korea (TIP).
DESTINATIONS: dict[str, tuple[float, list[str]]] = {
    "TR": (28, ["Istanbul", "Istanbul", "Antalya", "Antalya", "Alanya"]),
    "GR": (12, ["Athens", "Athens", "Thessaloniki"]),
    "AE": (10, ["Dubai", "Dubai", "Abu Dhabi"]),
    "DE": (7, ["Berlin", "Munich", "Frankfurt"]),
    "ES": (5, ["Madrid", "Barcelona"]),
    "CY": (4, ["Nicosia", "Limassol"]),
    "IL": (4, ["Tel Aviv"]),
    "IT": (4, ["Rome", "Milan"]),
    "CN": (4, ["Beijing", "Shanghai", "Guangzhou"]),
    "JP": (3, ["Tokyo"]),
    "KR": (3, ["Seoul", "Busan"]),
    "US": (3, ["New York", "Miami"]),
    "AM": (2, ["Yerevan"]),
    "GE": (2, ["Tbilisi"]),
    "AZ": (1, ["Baku"]),
    "BY": (1, ["Minsk"]),
    "PT": (1, ["Lisbon"]),
    "CH": (1, ["Zurich"]),
    "TH": (1, ["Pattaya"]),
}
# Where airport travellers at risk were heading (the thesis: "Greece or Turkey").
AIRPORT_DESTINATIONS: Weighted[str] = [
    ("TR", 40), ("GR", 25), ("AE", 20), ("CY", 6), ("IL", 4), ("ES", 5),
]
DOMESTIC_CITIES = ["Moscow", "Moscow", "Moscow Oblast", "St Petersburg"]

# --- who calls, about what -----------------------------------------------------

C = CallerType
CALLERS_RUSSIA: Weighted[str] = [
    (C.PLANNING_TO_WORK_ABROAD, 45), (C.RELATIVE_OR_FRIEND, 25), (C.POSSIBLE_VICTIM, 14),
    (C.PROFESSIONAL, 8), (C.OTHER, 8),
]
CALLERS_ABROAD: Weighted[str] = [
    (C.POSSIBLE_VICTIM, 32), (C.RELATIVE_OR_FRIEND, 28), (C.PLANNING_TO_WORK_ABROAD, 10),
    (C.PROFESSIONAL, 17), (C.OTHER, 13),
]
CALLERS_WRITING: Weighted[str] = [
    (C.RELATIVE_OR_FRIEND, 35), (C.PLANNING_TO_WORK_ABROAD, 30), (C.POSSIBLE_VICTIM, 25),
    (C.PROFESSIONAL, 10),
]
PROFESSIONALS: Weighted[str] = [
    (ProfessionalKind.NGO, 40), (ProfessionalKind.POLICE, 30), (ProfessionalKind.EMBASSY, 15),
    (ProfessionalKind.OTHER, 15),
]
CHANNELS: Weighted[str] = [
    (Channel.CALL, 84), (Channel.MESSAGE, 9), (Channel.EMAIL, 6), (Channel.WALK_IN, 1),
]

P = Topic
# caller type: (main topic with weights, other topics with their chance)
TOPICS: dict[str, tuple[Weighted[str], list[tuple[str, float]]]] = {
    C.PLANNING_TO_WORK_ABROAD: (
        [(P.JOB_OFFER_CHECK, 88), (P.MIGRANT_WORKER_RIGHTS, 7), (P.DOCUMENTS, 5)],
        [(P.DOCUMENTS, 0.12), (P.LEGAL, 0.10), (P.MIGRANT_WORKER_RIGHTS, 0.08)],
    ),
    C.RELATIVE_OR_FRIEND: (
        [(P.MISSING_PERSON, 38), (P.RESCUE_REQUEST, 34), (P.RETURN_HOME, 12),
         (P.JOB_OFFER_CHECK, 8), (P.LEGAL, 8)],
        [(P.PSYCHOLOGICAL, 0.12), (P.LEGAL, 0.10), (P.DOCUMENTS, 0.08)],
    ),
    C.POSSIBLE_VICTIM: (
        [(P.RESCUE_REQUEST, 40), (P.RETURN_HOME, 22), (P.DOCUMENTS, 14), (P.LEGAL, 10),
         (P.MIGRANT_WORKER_RIGHTS, 8), (P.PSYCHOLOGICAL, 6)],
        [(P.PSYCHOLOGICAL, 0.25), (P.DOCUMENTS, 0.2), (P.LEGAL, 0.15), (P.RETURN_HOME, 0.15)],
    ),
    C.PROFESSIONAL: (
        [(P.RESCUE_REQUEST, 30), (P.RETURN_HOME, 20), (P.DOCUMENTS, 20), (P.LEGAL, 15),
         (P.MISSING_PERSON, 15)],
        [(P.LEGAL, 0.15), (P.DOCUMENTS, 0.1)],
    ),
    C.OTHER: (
        [(P.OTHER, 50), (P.PSYCHOLOGICAL, 20), (P.LEGAL, 20), (P.JOB_OFFER_CHECK, 10)],
        [],
    ),
}

M = MethodOfControl
# What people held abroad report most: the passport taken, a debt to pay off,
# threats, being locked in.
INDICATORS: Weighted[str] = [
    (M.WITHHOLDS_DOCUMENTS, 30), (M.DEBT_BONDAGE, 16), (RESTRICTED_MOVEMENT, 16),
    (M.PHYSICAL_THREATS, 12), (M.TAKES_EARNINGS, 10), (M.EXCESSIVE_WORKING_HOURS, 8),
    (M.FALSE_PROMISES, 8), (M.THREATENS_FAMILY, 5), (M.PSYCHOLOGICAL_ABUSE, 5),
    (M.PHYSICAL_ABUSE, 4), (M.SEXUAL_ABUSE, 4), (M.THREATS_LAW_ENFORCEMENT, 4),
]

Out = Outcome
S = TraffickingStatus
OUTCOMES: dict[str, Weighted[str]] = {
    P.JOB_OFFER_CHECK: [(Out.ADVICE_GIVEN, 85), (Out.REFERRED, 8), (Out.DROPPED, 4),
                        (Out.OTHER, 3)],
    P.RESCUE_REQUEST: [(Out.RESCUE_STARTED, 35), (Out.REFERRED, 30), (Out.ADVICE_GIVEN, 20),
                       (Out.CASE_OPENED, 10), (Out.DROPPED, 5)],
    P.MISSING_PERSON: [(Out.REFERRED, 45), (Out.ADVICE_GIVEN, 35), (Out.CASE_OPENED, 10),
                       (Out.RESCUE_STARTED, 5), (Out.DROPPED, 5)],
}
OTHER_OUTCOMES: Weighted[str] = [
    (Out.ADVICE_GIVEN, 68), (Out.REFERRED, 22), (Out.DROPPED, 5), (Out.OTHER, 5),
]

ADVICE: dict[str, list[str]] = {
    P.JOB_OFFER_CHECK: [
        "Checked the agency: not licensed. Advised not to sign and not to pay a fee.",
        "Explained that a tourist visa does not allow work; gave the consulate's number.",
        "The offer has the marks of a fake vacancy: no experience needed, high pay, "
        "tickets paid by the employer. Advised not to go.",
        "Advised a written contract in Russian, never to hand over the passport, and to "
        "leave the hotline number with the family.",
    ],
    P.RESCUE_REQUEST: [
        "Agreed a safe time to call back; contacted the police task force.",
        "Explained how to reach the consulate; kept in touch until help arrived.",
        "Advised to stay where it is safe and keep the phone hidden; called the task force.",
    ],
    P.MISSING_PERSON: [
        "Explained how to report the person missing to the police abroad through the "
        "consulate; collected what is known of the last contact.",
        "Advised the family to report at the local police station and send us the report.",
    ],
    P.RETURN_HOME: [
        "Explained the certificate of return from the consulate and the help with tickets.",
        "Agreed a meeting at the airport on arrival.",
    ],
    P.DOCUMENTS: ["Explained how to replace a passport taken by the employer."],
    P.LEGAL: ["Explained the rights of a victim under articles 127.1 and 127.2."],
    P.PSYCHOLOGICAL: ["Listened; offered sessions with the crisis centre's psychologist."],
    P.MIGRANT_WORKER_RIGHTS: ["Explained the rights of migrant workers and where to complain."],
    P.OTHER: ["Gave general information about the hotline and the coalition."],
}
NOTES = [
    "Invented contact for the demo.",
    "Caller asked us not to call back on this number.",
    "Caller will write again by e-mail.",
    "Line was bad; caller called back later.",
]
FOLLOW_UP_NOTES = [
    "Called back: the caller is safe.",
    "Called back: no answer; sent a message.",
    "Consulate confirmed the new travel document.",
    "Family confirms the person is back home.",
    "Task force confirmed the visit; the person was taken to a shelter.",
]
# Made-up surnames ("tall tale", "fairy tale", "imaginary", "pretend",
# "dreamer"), always marked as demo.
FIRST_NAMES = [("Анна", "f"), ("Марина", "f"), ("Ольга", "f"), ("Зарема", "f"),
               ("Гульнара", "f"), ("Светлана", "f"), ("Игорь", "m"), ("Руслан", "m"),
               ("Алексей", "m"), ("Магомед", "m")]
SURNAMES = ["Небылицын", "Сказкин", "Мнимов", "Понарошкин", "Фантазёров"]

# Busier on weekdays, quieter at the New Year holidays, busiest in spring
# and early summer, when seasonal jobs abroad are offered.
WEEKDAY = [1.2, 1.1, 1.1, 1.05, 1.0, 0.75, 0.7]
SEASON = {1: 0.75, 2: 0.9, 3: 1.0, 4: 1.15, 5: 1.25, 6: 1.2, 7: 1.05, 8: 0.95, 9: 1.0,
          10: 1.0, 11: 0.95, 12: 0.85}
# Local hour of the call: around the clock, mostly in the working day.
HOURS = [1, 0.7, 0.5, 0.5, 0.5, 0.6, 1, 2, 4, 7, 9, 9, 8, 8, 8, 8, 7, 6, 6, 5, 4, 4, 3, 2]

# --- campaigns ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DemoCampaign:
    name: str
    cities: str
    channel: str
    starts_days_ago: int
    weeks: int
    materials: int | None
    notes: str
    origin: tuple[str, str]  # the callers it reaches
    peak: float  # extra share of those callers' contacts on the first day
    job_seekers: float  # share of the extra contacts that check a job offer


# The airport brochures (a Moscow job seeker's checks, mostly): +160 % of
# Moscow's contacts on the first day, about +90 % over the six weeks, fading
# to +50 % at the end and gone two weeks later. The other two are smaller.
CAMPAIGNS = [
    DemoCampaign(
        "Airport brochures — Sheremetyevo and Domodedovo", "Moscow",
        CampaignChannel.AIRPORT_BROCHURES, 150, 6, 40_000,
        "Brochures with the hotline number at passport control, for women travelling "
        "alone or in groups to Turkey, Greece and the Emirates (invented figures).",
        MOSCOW, 1.6, 0.85,
    ),
    DemoCampaign(
        "Metro posters — St Petersburg", "St Petersburg", CampaignChannel.METRO_POSTERS,
        280, 4, 3_000, "Posters in metro carriages and stations (invented figures).",
        ST_PETERSBURG, 0.6, 0.6,
    ),
    DemoCampaign(
        "Radio spots — Dagestan", "Makhachkala, Derbent", CampaignChannel.RADIO, 60, 3, None,
        "Spots on regional radio in Russian and Avar (invented figures).",
        DAGESTAN, 0.8, 0.5,
    ),
]
TAU_DAYS = 35  # how fast the effect of a campaign fades


def campaign_boost(campaign: DemoCampaign, days_in: int) -> float:
    """Extra share of the reached callers' contacts ``days_in`` days after the
    start: high at once, fading, and gone two weeks after the end."""
    if days_in < 0 or days_in >= campaign.weeks * 7 + 14:
        return 0.0
    return campaign.peak * math.exp(-days_in / TAU_DAYS)


def origin_share(origin: tuple[str, str]) -> float:
    """About the share of all contacts that come from ``origin``: all but the
    calls on the lines abroad, nine in ten of which name their city."""
    calls = dict(CHANNELS)[Channel.CALL] / sum(weight for _c, weight in CHANNELS)
    abroad = 1 - LINE_WEIGHTS["RU"] / sum(LINE_WEIGHTS.values())
    weights = dict(ORIGINS)
    return (1 - calls * abroad) * 0.9 * weights[origin] / sum(weights.values())
