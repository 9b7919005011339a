"""Demo directory: the organisations and places named in the seed documents,
plus invented police task forces and consulates in the main destination
countries, marked as demo. Every phone number is a demo number (…-00-01xx
style), every e-mail ends in ``.invalid``: nothing here reaches a real line.

Idempotent: entries are matched by English name and country.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from homeward.accounts.models import Organisation
from homeward.accounts.roles import Role
from homeward.directory import services
from homeward.directory.models import Entry, Service

OPERATORS = [Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.COORDINATOR]

# (owner code, kind, name_en, name_ru, country, region, city, lat, lon, services,
#  languages, 24/7, visibility, demo, contacts)
# contact: (label_en, label_ru, phone, 24/7, visibility)
Contact = tuple[str, str, str, bool, str]
ENTRIES: list[tuple[Any, ...]] = [
    ("AC-MOW", "coalition_member", "Angel Coalition, Moscow", "Ангельская коалиция, Москва",
     "RU", "Moscow", "Moscow", "55.7558", "37.6173", ["hotline", "repatriation", "legal"],
     ["ru", "en"], False, "public", False,
     [("Office", "Офис", "+74950000101", False, "public")]),
    ("AC-MOW", "coalition_member", "Angel Coalition, St Petersburg",
     "Ангельская коалиция, Санкт-Петербург", "RU", "St Petersburg", "St Petersburg",
     "59.9343", "30.3351", ["psychological", "legal"], ["ru", "en"], False, "public", False,
     [("Office", "Офис", "+78120000101", False, "public")]),
    ("TVAC", "ngo", "Trafficking Victim Assistance Center (TVAC)",
     "Центр помощи жертвам торговли людьми (TVAC)", "RU", "Moscow", "Moscow",
     "55.7600", "37.6200", ["repatriation", "documents", "legal", "hotline"], ["ru", "en"],
     True, "public", False,
     [("Case desk", "Дежурный куратор", "+74950000102", True, "coalition")]),
    ("MIRAMED", "ngo", "MiraMed Institute", "Институт «МираМед»", "RU", "Moscow", "Moscow",
     "55.7500", "37.6000", ["child", "vocational"], ["ru", "en"], False, "public", False,
     [("Office", "Офис", "+74950000103", False, "public")]),
    ("PCC-SPB", "shelter", "Psychological Crisis Center, St Petersburg",
     "Психологический кризисный центр, Санкт-Петербург", "RU", "St Petersburg",
     "St Petersburg", "59.9400", "30.3100", ["shelter", "psychological"], ["ru"], True,
     "public", False,
     [("Crisis line", "Кризисная линия", "+78120000102", True, "public"),
      ("Shelter admissions", "Приём в убежище", "+78120000103", False, "coalition")]),
    ("AO-AST", "ngo", "Angel Oratorium, Astrakhan", "«Ангел Ораториум», Астрахань", "RU",
     "Astrakhan Oblast", "Astrakhan", "46.3497", "48.0408", ["migrant", "legal"],
     ["ru", "kk"], False, "public", False,
     [("Office", "Офис", "+78512000101", False, "public")]),
    ("IOM-MOW", "international", "IOM Moscow", "МОМ, Москва", "RU", "Moscow", "Moscow",
     "55.7700", "37.5900", ["repatriation", "documents", "medical"], ["ru", "en"], False,
     "public", False,
     [("Counter-trafficking team", "Отдел противодействия торговле людьми", "+74950000104",
       False, "coalition")]),
    ("IOM-MOW", "medical", "IOM Rehabilitation Center", "Реабилитационный центр МОМ", "RU",
     "Moscow", "Moscow", "55.7300", "37.5800", ["medical", "psychological", "shelter"],
     ["ru", "en"], True, "restricted", False,
     [("Head doctor", "Главный врач", "+74950000105", True, "restricted")]),
    ("TVAC", "shelter", "Altufievo shelter for minors", "Приют для несовершеннолетних «Алтуфьево»",
     "RU", "Moscow", "Moscow", "55.8800", "37.5800", ["shelter", "child"], ["ru"], True,
     "coalition", False,
     [("Duty teacher", "Дежурный воспитатель", "+74950000106", True, "coalition")]),
    ("TVAC", "medical", "Moscow Children's Clinical Hospital #3",
     "Детская клиническая больница № 3, Москва", "RU", "Moscow", "Moscow", "55.7900",
     "37.6500", ["medical", "child"], ["ru"], True, "public", False,
     [("Reception", "Приёмное отделение", "+74950000107", True, "public")]),
    ("TVAC", "medical", "Morozov Children's Hospital", "Морозовская детская больница",
     "RU", "Moscow", "Moscow", "55.7200", "37.6200", ["medical", "child"], ["ru"], True,
     "public", False,
     [("Reception", "Приёмное отделение", "+74950000108", True, "public")]),
    ("TVAC", "medical", "Children's Hospital #21", "Детская больница № 21", "RU", "Moscow",
     "Moscow", "55.8100", "37.7000", ["medical", "child"], ["ru"], True, "public", False,
     [("Reception", "Приёмное отделение", "+74950000109", True, "public")]),
    ("IOM-MOW", "medical", "Hospital #38", "Больница № 38", "RU", "Moscow", "Moscow",
     "55.6900", "37.5500", ["medical"], ["ru"], True, "coalition", False,
     [("Mother and baby ward", "Отделение для матерей с детьми", "+74950000110", True,
       "coalition")]),
]

SAFE_HOUSES = [
    ("SH-KZN", "Kazan", "Казань", "Republic of Tatarstan", "55.7961", "49.1064",
     "+78432000101"),
    ("SH-PTZ", "Petrozavodsk", "Петрозаводск", "Republic of Karelia", "61.7849", "34.3469",
     "+78142000101"),
    ("SH-MMK", "Murmansk", "Мурманск", "Murmansk Oblast", "68.9585", "33.0827", "+78152000101"),
    ("SH-IKT", "Irkutsk", "Иркутск", "Irkutsk Oblast", "52.2870", "104.3050", "+73952000101"),
    ("SH-CHE", "Chelyabinsk", "Челябинск", "Chelyabinsk Oblast", "55.1644", "61.4368",
     "+73512000101"),
    ("SH-YAR", "Yaroslavl", "Ярославль", "Yaroslavl Oblast", "57.6261", "39.8845",
     "+74852000101"),
    ("SH-NNV", "Nizhny Novgorod", "Нижний Новгород", "Nizhny Novgorod Oblast", "56.2965",
     "43.9361", "+78312000101"),
]

# The international hotline: one toll-free line per country.
HOTLINES = [
    ("RU", "Russia", "Россия", "+78000000101", "55.7558", "37.6173"),
    ("US", "USA", "США", "+18005550101", "38.9072", "-77.0369"),
    ("NL", "Netherlands", "Нидерланды", "+31800000101", "52.3676", "4.9041"),
    ("BE", "Belgium", "Бельгия", "+3280012345", "50.8503", "4.3517"),
    ("DE", "Germany", "Германия", "+498000000101", "52.5200", "13.4050"),
    ("CH", "Switzerland", "Швейцария", "+41800000101", "46.9480", "7.4474"),
]

# Invented, clearly marked: police task forces and Russian consulates abroad.
DESTINATIONS = [
    ("TR", "Istanbul", "Стамбул", "41.0082", "28.9784", "+902120000101"),
    ("GR", "Athens", "Афины", "37.9838", "23.7275", "+302100000101"),
    ("AE", "Dubai", "Дубай", "25.2048", "55.2708", "+97143000101"),
    ("DE", "Berlin", "Берлин", "52.5200", "13.4050", "+4930000101"),
    ("ES", "Madrid", "Мадрид", "40.4168", "-3.7038", "+34910000101"),
    ("IT", "Rome", "Рим", "41.9028", "12.4964", "+39060000101"),
    ("CY", "Nicosia", "Никосия", "35.1856", "33.3823", "+35722000101"),
    ("IL", "Tel Aviv", "Тель-Авив", "32.0853", "34.7818", "+97230000101"),
]


def _with_last_digits(phone: str, step: int) -> str:
    return phone[:-2] + f"{int(phone[-2:]) + step:02d}"


def _all_rows() -> list[tuple[Any, ...]]:
    rows = list(ENTRIES)
    for code, city_en, city_ru, region, lat, lon, phone in SAFE_HOUSES:
        rows.append(
            (code, "shelter", f"Safe house, {city_en}", f"Убежище, {city_ru}", "RU", region,
             city_en, lat, lon, ["shelter", "psychological", "legal", "vocational"], ["ru"],
             True, "coalition", False,
             [("Admissions", "Приём", phone, True, "coalition")]))
    for country, name_en, name_ru, phone, lat, lon in HOTLINES:
        rows.append(
            ("AC-MOW", "hotline", f"Angel Coalition hotline, {name_en}",
             f"Горячая линия Ангельской коалиции, {name_ru}", country, "", "", lat, lon,
             ["hotline", "migrant"], ["ru"], True, "public", False,
             [("Toll-free line", "Бесплатная линия", phone, True, "public")]))
    for country, city_en, city_ru, lat, lon, phone in DESTINATIONS:
        rows.append(
            ("TVAC", "task_force", f"Anti-trafficking police task force, {city_en} (demo)",
             f"Полицейская группа по борьбе с торговлей людьми, {city_ru} (демо)", country, "",
             city_en, lat, lon, ["repatriation"], ["en"], True, "coalition", True,
             [("Duty officer — direct line", "Дежурный — прямая линия", phone, True,
               "restricted"),
              ("Switchboard", "Коммутатор", _with_last_digits(phone, 1), False, "coalition")]))
        rows.append(
            ("TVAC", "embassy", f"Consulate of Russia, {city_en} (demo)",
             f"Консульство России, {city_ru} (демо)", country, "", city_en,
             str(Decimal(lat) + Decimal("0.01")), str(Decimal(lon) + Decimal("0.01")),
             ["documents", "repatriation"], ["ru", "en"], False, "public", True,
             [("Consular section", "Консульский отдел", _with_last_digits(phone, 2), False,
               "public")]))
    return rows


@transaction.atomic
def seed_directory_demo() -> int:
    """Create the demo entries that are missing; returns how many were created."""
    owners = {o.code: o for o in Organisation.objects.all()}
    all_services = {s.code: s for s in Service.objects.all()}
    created = 0
    for row in _all_rows():
        (owner, kind, name_en, name_ru, country, region, city, lat, lon, codes, languages,
         round_the_clock, visibility, demo, contacts) = row
        if owner not in owners or Entry.objects.filter(name_en=name_en, country=country).exists():
            continue
        entry = services.entry_create(
            actor=None, owner=owners[owner], kind=kind, name_en=name_en, name_ru=name_ru,
            country=country, region=region, city=city, latitude=Decimal(lat),
            longitude=Decimal(lon), languages=languages, is_24_7=round_the_clock,
            visibility=visibility, restricted_roles=OPERATORS, is_demo=demo,
            emails=[f"{owner.lower()}@demo.homeward.invalid"],
            notes="Demo entry: the phone numbers are not real." if demo else "",
            services=[all_services[c] for c in codes if c in all_services],
        )
        for position, (label_en, label_ru, phone, always, contact_visibility) in enumerate(
            contacts
        ):
            services.contact_point_create(
                actor=None, entry=entry, label_en=label_en, label_ru=label_ru, phone=phone,
                is_24_7=always, visibility=contact_visibility, restricted_roles=OPERATORS,
                position=position, notes="Demo number.",
            )
        created += 1
    return created
