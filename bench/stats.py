"""Statistics at scale: publishing nationality-by-destination (the service
and the API), a differentially private release, the statistical abstract
PDF, and the HTCDS export and import of 1,000 rows, over 2,000 cases of one
organisation. Import only after ``django.setup()``."""

from __future__ import annotations

import dataclasses
import datetime
import random
import statistics
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.measure import progress, signed_in_client, timed
from bench.report import Benchmark, milliseconds
from homeward.accounts.models import Membership, Organisation, OrganisationType, User
from homeward.accounts.roles import Role
from homeward.cases.choices import (
    CaseStatus,
    ExploitationType,
    Gender,
    RecruitmentChannel,
    ReferralSource,
    Step,
)
from homeward.cases.models import Case, Person
from homeward.stats import reports
from homeward.stats.choices import Format, Mechanism
from homeward.stats.filters import ReportFilter
from homeward.stats.htcds.export import htcds_export_file
from homeward.stats.htcds.importer import htcds_check, htcds_import
from homeward.stats.services.abstracts import abstract_make, abstract_reports, abstract_request
from homeward.stats.services.figures import figures_view
from homeward.stats.services.releases import release_create

CASES = 2_000
EXCHANGE_ROWS = 1_000
REPORT = "nationality-by-destination"
GETS = 7
PUBLISH_TARGET = 0.300  # one table for a page or the API
QUERY_TARGET = 15  # whatever the number of cases (BEGIN, SAVEPOINT and COMMIT included)
RELEASE_TARGET = 1.0
ABSTRACT_TARGET = 30.0  # every report, charts and the PDF, in the background
EXPORT_TARGET = 5.0
CHECK_TARGET = 10.0
IMPORT_TARGET = 60.0  # 1,000 new cases through the case services, all or nothing
REIMPORT_TARGET = 20.0
ORGANISATION = "ST-BENCH"
RECEIVER = "ST-RECV"
COORDINATOR = "bench-stats-coordinator"
CITIZENSHIPS = ["RU", "RU", "RU", "UA", "KZ", "UZ", "KG", "MD", "BY", "TJ"]
DESTINATIONS = ["TR", "AE", "GR", "DE", "IL", "CY", "JP", "KR", "CN", "RU", "FI", "NO"]
CITIES = ["Москва", "Казань", "Самара", "Пермь", "Омск", "Тверь", "Курган", "Чита"]


@dataclasses.dataclass
class World:
    organisation: Organisation
    receiver: Organisation
    coordinator: User
    filter: ReportFilter


def _organisation(code: str, name: str) -> Organisation:
    return Organisation.objects.create(
        code=code, name_en=name, name_ru=name, org_type=OrganisationType.NGO, country="RU",
        region="Bench region", city="Bench city", is_coalition_member=True,
    )


def _fill() -> World:
    """2,000 victim cases of this year in one organisation, written in bulk,
    with 1 or 2 citizenships, a destination, exploitation types and
    recruitment channels (multi-valued), a sex, a birth year and a city."""
    rng = random.Random(2026)
    today = timezone.localdate()
    year_start = datetime.date(today.year, 1, 1)
    with transaction.atomic():
        organisation = _organisation(ORGANISATION, "Bench statistics NGO")
        receiver = _organisation(RECEIVER, "Bench receiving NGO")
        coordinator = User.objects.create(
            username=COORDINATOR, password=make_password(None),
            email=f"{COORDINATOR}@bench.homeward.invalid",
        )
        TOTPDevice.objects.create(user=coordinator, name="bench", confirmed=True)
        Membership.objects.bulk_create([
            Membership(user=coordinator, organisation=org, role=Role.COORDINATOR)
            for org in (organisation, receiver)
        ])
        persons = Person.objects.bulk_create([
            Person(
                organisation=organisation, birth_year=rng.randint(1965, 2011),
                gender=rng.choice([Gender.FEMININE, Gender.FEMININE, Gender.MASCULINE]),
                citizenships=",".join(["", *dict.fromkeys(
                    rng.sample(CITIZENSHIPS, rng.choice([1, 1, 1, 2]))), ""]),
                origin_country="RU", origin_city=rng.choice(CITIES),
            )
            for _ in range(CASES)
        ], batch_size=1000)
        days = max((today - year_start).days, 1)
        Case.objects.bulk_create([
            Case(
                code=f"STB-{n:05d}", organisation=organisation, person=person,
                status=CaseStatus.ACTIVE, step=Step.REHABILITATION, step_since=today,
                opened_on=year_start + datetime.timedelta(days=rng.randint(0, days - 1)),
                referral_source=rng.choice(ReferralSource.values),
                destination_country=rng.choice(DESTINATIONS),
                exploitation_types=rng.sample(
                    [ExploitationType.FORCED_LABOUR, ExploitationType.SEXUAL_EXPLOITATION,
                     ExploitationType.SERVITUDE, ExploitationType.FORCED_BEGGING],
                    rng.choice([1, 1, 2])),
                recruitment_channels=rng.sample(RecruitmentChannel.values[:5], 1),
            )
            for n, person in enumerate(persons)
        ], batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return World(
        organisation=organisation, receiver=receiver, coordinator=coordinator,
        filter=ReportFilter(organisations=(organisation.pk,),
                            date_from=year_start, date_to=datetime.date(today.year, 12, 31)),
    )


def _publish(bench: Benchmark, world: World) -> None:
    report = reports.get(REPORT)

    def view() -> None:
        figures_view(actor=world.coordinator, report=report, filter=world.filter, k=11)

    view()
    with CaptureQueriesContext(connection) as queries:
        view()
    seconds = statistics.median(timed(view) for _ in range(GETS))
    table = figures_view(actor=world.coordinator, report=report, filter=world.filter, k=11)
    bench.add(
        f"`figures_view` of {REPORT}, k = 11 (count, suppress, audit)",
        f"≤ {PUBLISH_TARGET * 1000:.0f} ms, ≤ {QUERY_TARGET} SQL queries",
        f"{milliseconds(seconds)}, {len(queries)} queries ({len(table.rows)} × "
        f"{len(table.columns)} table, total {table.total.display}, "
        f"{table.suppressed} figures hidden)",
        seconds <= PUBLISH_TARGET and len(queries) <= QUERY_TARGET,
    )
    client = signed_in_client(world.coordinator)
    url = reverse("api:stats-report-detail", kwargs={"name": REPORT})
    query = {"organisation": ORGANISATION, "date_from": str(world.filter.date_from),
             "date_to": str(world.filter.date_to)}

    def get() -> None:
        response = client.get(url, query)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered HTTP {response.status_code}")

    get()
    seconds = statistics.median(timed(get) for _ in range(GETS))
    bench.add(f"API `GET {url}`: server time", f"≤ {PUBLISH_TARGET * 1000:.0f} ms",
              milliseconds(seconds), seconds <= PUBLISH_TARGET)


def _release(bench: Benchmark, world: World) -> None:
    report = reports.get(REPORT)
    seconds = timed(lambda: release_create(
        actor=world.coordinator, report=report, filter=world.filter,
        epsilon=Decimal("0.5"), mechanism=Mechanism.GEOMETRIC, note="bench",
    ))
    bench.add(f"`release_create` of {REPORT}, geometric, ε = 0.5 (count, noise, ledger)",
              f"≤ {RELEASE_TARGET * 1000:.0f} ms", milliseconds(seconds),
              seconds <= RELEASE_TARGET)


def _abstract(bench: Benchmark, world: World) -> None:
    abstract = abstract_request(actor=world.coordinator, filter=world.filter,
                                language="ru", k=11)
    seconds = timed(lambda: abstract_make(abstract=abstract))
    abstract.refresh_from_db()
    size = len(bytes(abstract.pdf))
    ok = bytes(abstract.pdf).startswith(b"%PDF") and seconds <= ABSTRACT_TARGET
    bench.add(
        f"`abstract_make`: the statistical abstract in Russian "
        f"({len(abstract_reports())} reports with charts)",
        f"≤ {ABSTRACT_TARGET:.0f} s", f"{seconds:.1f} s ({size / 1024:.0f} KB PDF)", ok,
    )


def _exchange(bench: Benchmark, world: World) -> None:
    ids = list(Case.objects.filter(organisation=world.organisation)
               .order_by("pk").values_list("pk", flat=True)[:EXCHANGE_ROWS])
    result: list[bytes] = []

    def export() -> None:
        exported = htcds_export_file(actor=None, fmt=Format.CSV,
                                     cases=Case.objects.filter(pk__in=ids))
        result.append(exported.content)

    seconds = timed(export)
    content = result[-1]
    rows = content.count(b"\n") - 1
    bench.add(f"HTCDS export of {EXCHANGE_ROWS:,} cases (CSV, de-identified)",
              f"≤ {EXPORT_TARGET:.0f} s", f"{seconds:.2f} s ({rows:,} rows, "
              f"{len(content) / 1024:.0f} KB)",
              rows == EXCHANGE_ROWS and seconds <= EXPORT_TARGET)

    plans = []
    seconds = timed(lambda: plans.append(htcds_check(
        data=content, filename="bench.csv", organisation=world.receiver)))
    plan = plans[-1]
    bench.add(f"HTCDS check (dry run) of {EXCHANGE_ROWS:,} rows",
              f"≤ {CHECK_TARGET:.0f} s, no row errors",
              f"{seconds:.2f} s ({len(plan.error_rows)} rows with errors)",
              not plan.has_errors and seconds <= CHECK_TARGET)
    counts: list[dict[str, int]] = []
    seconds = timed(lambda: counts.append(htcds_import(
        organisation=world.receiver, actor=None, plan=plan)))
    created = counts[-1].get("create", 0) if counts else 0
    bench.add(f"HTCDS import of {EXCHANGE_ROWS:,} new rows (all or nothing)",
              f"≤ {IMPORT_TARGET:.0f} s", f"{seconds:.1f} s ({counts[-1]})",
              seconds <= IMPORT_TARGET and sum(counts[-1].values()) == EXCHANGE_ROWS)
    seconds = timed(lambda: counts.append(htcds_import(
        organisation=world.receiver, actor=None, data=content, filename="bench.csv")))
    bench.add(f"HTCDS import of the same {EXCHANGE_ROWS:,} rows again (idempotent)",
              f"≤ {REIMPORT_TARGET:.0f} s, nothing created",
              f"{seconds:.1f} s ({counts[-1]})",
              seconds <= REIMPORT_TARGET and created == EXCHANGE_ROWS
              and counts[-1].get("create", 0) == 0)


def bench_stats() -> Benchmark:
    progress(f"writing {CASES:,} cases for the statistics")
    world = _fill()
    bench = Benchmark(
        "Statistics at scale",
        f"{CASES:,} victim cases of this year in one organisation, written in bulk (1 or 2 "
        "citizenships, 12 destinations, 1 or 2 exploitation types, a recruitment channel, "
        "sex, birth year, city of origin), measured as that organisation's coordinator. "
        f"`figures_view` and the API: median of {GETS} calls after a warm-up, SQL queries "
        "counted on one call. The abstract: every report but CTDC's over the same cases, "
        "counted, suppressed (k = 11) and rendered to one PDF with its charts, as the "
        f"background job does. HTCDS: the first {EXCHANGE_ROWS:,} cases exported "
        "(de-identified CSV), checked and imported into a second organisation through the "
        "case services, then imported again (every row unchanged).",
    )
    progress("publishing nationality-by-destination")
    _publish(bench, world)
    _release(bench, world)
    progress("making the statistical abstract")
    _abstract(bench, world)
    progress(f"exporting and importing {EXCHANGE_ROWS:,} HTCDS rows")
    _exchange(bench, world)
    return bench
