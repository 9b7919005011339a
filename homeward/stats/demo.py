"""Demo statistics: a year's caseload to count, and one differentially
private release.

The caseload is the seeds' Table 1 brought into the current year: 85
invented, de-identified persons (nationality × destination exactly as the
seeds' IOM Moscow table, with its one inconsistent cell corrected to 9 —
see ``tests/test_table1.py``), with sex, age, origin, referral source,
recruitment, transport and exploitation spread as the seeds describe them
(mostly women aged 19–25 referred by IOM missions abroad; Russians from
Makhachkala, Astrakhan, Ufa and Tuapse). It arrives the way a partner's
data would: as an HTCDS file imported into TVAC by its coordinator
(``htcds_import``: checked, audited, idempotent on ``x_ExternalId``), so
the report pages, the abstract and the exchange page have a real year to
show. Nothing here is a real person.

TVAC's demo coordinator then releases nationality-by-destination for the
current year with geometric noise, ε = 0.5 charged to TVAC's budget of
case figures. The CTDC reference file is not imported (it lives outside
the repository: ``homeward import ctdc FILE``).

Used by ``homeward seed-demo`` after the organisations, users and cases
exist; refuses to run in production. Idempotent: the caseload is imported
once (re-importing the same file would change nothing anyway), and nothing
is released when the demo coordinator has released that report before.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from homeward.accounts.demo import DemoRefused
from homeward.accounts.models import Organisation, User
from homeward.stats import reports
from homeward.stats.choices import Mechanism
from homeward.stats.filters import ReportFilter
from homeward.stats.htcds.importer import CREATE, htcds_import
from homeward.stats.models import ImportedCase, Release
from homeward.stats.services.releases import release_create

DEMO_COORDINATOR = "tvaccoordinator"
DEMO_ORGANISATION = "TVAC"
DEMO_REPORT = "nationality-by-destination"
DEMO_EPSILON = Decimal("0.5")
DEMO_NOTE = "Demo release over invented cases."
DEMO_PREFIX = "DEMO-T1-"

# The seeds' Table 1: destination → persons by citizenship, in the order of
# CITIZENSHIPS (Russian, Ukrainian, Moldovan, Kyrgyz, Kazakh, Uzbek, Ghanaian,
# Belarusian).
CITIZENSHIPS = ("RU", "UA", "MD", "KG", "KZ", "UZ", "GH", "BY")
TABLE_1: dict[str, tuple[int, ...]] = {
    "BY": (2, 0, 0, 0, 0, 0, 0, 0), "ES": (2, 0, 0, 0, 0, 0, 0, 0),
    "RU": (9, 14, 6, 1, 1, 3, 1, 1), "AE": (1, 0, 0, 0, 0, 0, 0, 0),
    "GT": (0, 0, 0, 0, 0, 1, 0, 0), "CY": (0, 0, 1, 0, 0, 0, 0, 0),
    "KG": (1, 0, 0, 0, 0, 0, 0, 0), "TR": (28, 0, 0, 0, 0, 0, 0, 0),
    "UA": (1, 0, 0, 0, 0, 0, 0, 0), "BA": (1, 0, 0, 0, 0, 0, 0, 0),
    "RS": (1, 0, 0, 0, 0, 0, 0, 0), "GR": (6, 0, 0, 0, 0, 0, 0, 0),
    "IT": (1, 0, 0, 0, 0, 0, 0, 0), "AZ": (2, 0, 0, 0, 0, 0, 0, 0),
    "GE": (1, 0, 0, 0, 0, 0, 0, 0),
}
CITIES = {
    "RU": ("Moscow", "Yaroslavl"), "TR": ("Istanbul", "Antalya"), "GR": ("Athens",),
    "AE": ("Dubai",), "ES": ("Madrid",), "CY": ("Limassol",), "IT": ("Rome",),
}
# Where the Russians came from (the seeds' top four, and one from Moscow).
ORIGINS = (
    ("Makhachkala", "Republic of Dagestan"), ("Astrakhan", "Astrakhan Oblast"),
    ("Ufa", "Republic of Bashkortostan"), ("Tuapse", "Krasnodar Krai"),
)


def _weighted(rng: random.Random, options: dict[str, int]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]


def caseload_rows(year: int, until: datetime.date) -> list[dict[str, str]]:
    """The 85 invented, de-identified HTCDS rows of the demo year."""
    rng = random.Random(year)  # noqa: S311 - invented demo data, not security
    last_day = min(until, datetime.date(year, 12, 31))
    span = max((last_day - datetime.date(year, 1, 1)).days, 1)
    rows: list[dict[str, str]] = []
    for destination, persons in TABLE_1.items():
        for citizenship, count in zip(CITIZENSHIPS, persons, strict=True):
            for _ in range(count):
                n = len(rows)
                registered = datetime.date(year, 1, 1) + datetime.timedelta(days=n * span // 85)
                identified = registered - datetime.timedelta(days=rng.randint(0, 20))
                if identified.year != year:
                    identified = datetime.date(year, 1, 1)
                age = rng.choice((16, 17, 19, 20, 21, 22, 23, 24, 25, 19, 21, 23, 27, 31, 36, 44))
                sexual = destination in ("TR", "GR", "AE", "CY", "ES", "IT") or rng.random() < 0.4
                exploitation = ["SexualExploitation"] if sexual else [
                    _weighted(rng, {"ForcedLabour": 6, "ForcedBegging": 2, "Servitude": 1})
                ]
                city = rng.choice(CITIES.get(destination, ("",)))
                origin_city, origin_region = (
                    rng.choice(ORIGINS) if citizenship == "RU" else ("", "")
                )
                if citizenship == "RU" and n == 40:
                    origin_city, origin_region = "Moscow", "Moscow"
                rows.append({
                    "x_ExternalId": f"{DEMO_PREFIX}{n + 1:03d}",
                    "x_RegistrationDate": registered.isoformat(),
                    "x_IdentificationDate": identified.isoformat(),
                    "x_ReferralSource": _weighted(rng, {
                        "IomMission": 64, "LawEnforcement": 12, "Ngo": 8, "Hotline": 6,
                        "Embassy": 5, "Family": 3, "Self": 2,
                    }),
                    "prs_Gender": "Feminine" if sexual or rng.random() < 0.5 else "Masculine",
                    "x_BirthYear": str(year - age),
                    "prs_Citizenship": citizenship,
                    "x_OriginCountry": citizenship,
                    "x_OriginRegion": origin_region,
                    "x_OriginCity": origin_city,
                    "vic_TraffickingStatus": "ActualVictimOfTrafficking",
                    "x_RecruitmentChannels": _weighted(rng, {
                        "PersonalContact": 9, "NewspaperAdvertisement": 4,
                        "EmploymentAgency": 4, "Internet": 3, "ModellingAgency": 1,
                        "TourAgency": 1,
                    }),
                    "vic_TypeOfExploitation": ";".join(exploitation),
                    "vic_LocationOfExploitation":
                        f"{destination} / {city}" if city else destination,
                    "x_TransportModes": ";".join(sorted(rng.sample(
                        ["Bus", "Train", "Plane", "Car", "Ferry"], rng.choice((1, 1, 2))
                    ))),
                })
    return rows


def caseload_file(rows: list[dict[str, str]]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def seed_caseload(coordinator: User, organisation: Organisation) -> int:
    """Import the demo year's caseload into ``organisation`` (once); how many
    cases it created."""
    if ImportedCase.objects.filter(
        organisation=organisation, external_id__startswith=DEMO_PREFIX
    ).exists():
        return 0
    today = timezone.localdate()
    data = caseload_file(caseload_rows(today.year, today - datetime.timedelta(days=1)))
    counts = htcds_import(organisation=organisation, actor=coordinator, data=data,
                          filename="demo-caseload.csv")
    return counts.get(CREATE, 0)


def seed_stats_demo() -> Release | None:
    """The demo release (made the first time only); None when the demo
    coordinator or organisation is missing."""
    if getattr(settings, "PRODUCTION", False):
        raise DemoRefused("seed-demo refuses to run with HOMEWARD_ENV=production")
    coordinator = User.objects.filter(username=DEMO_COORDINATOR).first()
    organisation = Organisation.objects.filter(code=DEMO_ORGANISATION).first()
    if coordinator is None or organisation is None:
        return None
    seed_caseload(coordinator, organisation)
    existing = Release.objects.filter(report=DEMO_REPORT, created_by=coordinator).first()
    if existing is not None:
        return existing
    year = timezone.localdate().year
    return release_create(
        actor=coordinator,
        report=reports.get(DEMO_REPORT),
        filter=ReportFilter(
            organisations=(organisation.pk,),
            date_from=datetime.date(year, 1, 1),
            date_to=datetime.date(year, 12, 31),
        ),
        epsilon=DEMO_EPSILON,
        mechanism=Mechanism.GEOMETRIC,
        note=DEMO_NOTE,
    )
