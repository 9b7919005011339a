"""Demo data: the organisations named in the seed documents and one user per role.

Used by ``homeward seed-demo``; refuses to run in production. Running it
again changes nothing and creates no duplicates.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.models import Membership, Organisation, OrganisationType, User
from homeward.accounts.roles import Role
from homeward.accounts.two_factor import TOTP_DEVICE_NAME, totp_secret_base32
from homeward.audit.services import Action, audit_record

DEMO_PASSWORD = "Homeward-demo-2026"  # noqa: S105 - demo only; seed-demo refuses production

T = OrganisationType
# code, English name, Russian name, type, region, city, coalition member
ORGANISATIONS: list[tuple[str, str, str, str, str, str, bool]] = [
    ("TVAC", "Trafficking Victim Assistance Center", "Центр помощи жертвам торговли людьми",
     T.NGO, "Moscow", "Moscow", True),
    ("AC-MOW", "Angel Coalition", "Ангельская коалиция", T.NGO, "Moscow", "Moscow", True),
    ("MIRAMED", "MiraMed Institute", "Институт «МираМед»", T.NGO, "Moscow", "Moscow", True),
    ("PCC-SPB", "Psychological Crisis Center St Petersburg",
     "Психологический кризисный центр, Санкт-Петербург", T.NGO,
     "St Petersburg", "St Petersburg", True),
    ("AO-AST", "Angel Oratorium Astrakhan", "«Ангел Ораториум», Астрахань", T.NGO,
     "Astrakhan Oblast", "Astrakhan", True),
    ("IOM-MOW", "IOM Moscow", "МОМ, Москва", T.INTERNATIONAL, "Moscow", "Moscow", False),
    ("SH-KZN", "Safe house NGO, Kazan", "НКО-убежище, Казань", T.SHELTER,
     "Republic of Tatarstan", "Kazan", True),
    ("SH-PTZ", "Safe house NGO, Petrozavodsk", "НКО-убежище, Петрозаводск", T.SHELTER,
     "Republic of Karelia", "Petrozavodsk", True),
    ("SH-MMK", "Safe house NGO, Murmansk", "НКО-убежище, Мурманск", T.SHELTER,
     "Murmansk Oblast", "Murmansk", True),
    ("SH-SPB-W", "Safe house for women, St Petersburg", "Убежище для женщин, Санкт-Петербург",
     T.SHELTER, "St Petersburg", "St Petersburg", True),
    ("SH-SPB-M", "Safe house for minors, St Petersburg",
     "Убежище для несовершеннолетних, Санкт-Петербург", T.SHELTER,
     "St Petersburg", "St Petersburg", True),
    ("SH-IKT", "Safe house NGO, Irkutsk", "НКО-убежище, Иркутск", T.SHELTER,
     "Irkutsk Oblast", "Irkutsk", True),
    ("SH-CHE", "Safe house NGO, Chelyabinsk", "НКО-убежище, Челябинск", T.SHELTER,
     "Chelyabinsk Oblast", "Chelyabinsk", True),
    ("SH-YAR", "Safe house NGO, Yaroslavl", "НКО-убежище, Ярославль", T.SHELTER,
     "Yaroslavl Oblast", "Yaroslavl", True),
    ("SH-NNV", "Safe house NGO, Nizhny Novgorod", "НКО-убежище, Нижний Новгород", T.SHELTER,
     "Nizhny Novgorod Oblast", "Nizhny Novgorod", True),
]

# username, first name, last name, organisation, role (None: site administrator)
USERS: list[tuple[str, str, str, str | None, str | None]] = [
    ("operator", "Olga", "Operator", "AC-MOW", Role.HOTLINE_OPERATOR),
    ("caseworker", "Katya", "Caseworker", "TVAC", Role.CASE_WORKER),
    ("shelter", "Svetlana", "Shelter", "SH-KZN", Role.SHELTER_STAFF),
    ("nurse", "Nadezhda", "Nurse", "SH-KZN", Role.MEDICAL),
    ("medical", "Marina", "Medic", "PCC-SPB", Role.MEDICAL),
    ("reintegration", "Roza", "Reintegration", "AO-AST", Role.REINTEGRATION_WORKER),
    ("yaroslavl", "Yana", "Yaroslavl", "SH-YAR", Role.REINTEGRATION_WORKER),
    ("yarcoordinator", "Yuri", "Coordinator", "SH-YAR", Role.COORDINATOR),
    ("coordinator", "Kirill", "Coordinator", "AC-MOW", Role.COORDINATOR),
    ("tvaccoordinator", "Tatiana", "Coordinator", "TVAC", Role.COORDINATOR),
    ("researcher", "Irina", "Researcher", "AC-MOW", Role.RESEARCHER),
    ("orgadmin", "Anna", "Admin", "TVAC", Role.ORG_ADMIN),
    ("siteadmin", "Sergei", "Siteadmin", None, None),
]


@dataclasses.dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    totp_secret: str


class DemoRefused(RuntimeError):
    pass


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create what is missing; leave everything that exists untouched."""
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused("seed-demo refuses to run with HOMEWARD_ENV=production")
    organisations: dict[str, Organisation] = {}
    for code, name_en, name_ru, org_type, region, city, member in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en, "name_ru": name_ru, "org_type": org_type, "country": "RU",
                "region": region, "city": city, "is_coalition_member": member,
            },
        )
        if created:
            audit_record(action=Action.CREATE, target=organisation, detail={"source": "seed-demo"})
        organisations[code] = organisation

    logins: list[DemoLogin] = []
    for username, first, last, org_code, role in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last,
                        email=f"{username}@demo.homeward.invalid",
                        is_superuser=role is None, is_staff=False)
            user.set_password(DEMO_PASSWORD)
            user.save()
            audit_record(action=Action.CREATE, target=user, detail={"source": "seed-demo"})
        if org_code is not None and role is not None:
            membership, created = Membership.objects.get_or_create(
                user=user, organisation=organisations[org_code], defaults={"role": role}
            )
            if created:
                audit_record(
                    action=Action.CREATE, target=membership, detail={"source": "seed-demo"}
                )
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        logins.append(
            DemoLogin(
                username=username,
                role=str(Role(role).label) if role else "Site administrator",
                organisation=org_code or "—",
                totp_secret=totp_secret_base32(device),
            )
        )
    return logins
