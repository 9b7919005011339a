"""The shelter network at scale: occupancy, placement search, the network
dashboard and an admission with 120 shelters and 8,000 stays over two years.
Import only after ``django.setup()``."""

from __future__ import annotations

import datetime
import itertools
import random
import statistics

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from bench.measure import add_weight, progress, signed_in_client, timed
from bench.report import Benchmark, milliseconds
from homeward.accounts.models import Organisation, User
from homeward.cases.choices import CaseStatus, ReferralSource, Step
from homeward.cases.models import Case, Person
from homeward.shelters import selectors
from homeward.shelters.choices import LeaveReason, ShelterKind
from homeward.shelters.eligibility import needs_for_case
from homeward.shelters.models import Shelter, ShelterStay, StayChild
from homeward.shelters.services.stays import stay_admit

SHELTERS = 120
ADMISSIONS = 10  # measured admissions (after one warm-up)
STAYS = 8_000
CURRENT_PER_SHELTER = 5
DAYS = 730
PAGE_GETS = 9
SERVER_TIME_TARGET = 0.300
REGIONS = [f"Bench region {n}" for n in range(40)]


def _fill(organisation: Organisation) -> Case:
    """Synthetic shelters, persons, cases and stays written in bulk; returns
    an open case with no stay, for the placement search and the admission."""
    rng = random.Random(2026)
    today = timezone.localdate()
    with transaction.atomic():
        shelters = Shelter.objects.bulk_create([
            Shelter(
                organisation=organisation, name_en=f"Bench shelter {n}",
                name_ru=f"Убежище {n}", kind=rng.choice(ShelterKind.values),
                region=REGIONS[n % len(REGIONS)], city=f"City {n % 60}",
                min_age=rng.choice([None, 18, 14]), genders=rng.choice([[], ["Feminine"]]),
                children_allowed=n % 3 == 0, children_min_age_months=rng.choice([None, 12]),
                beds=rng.randint(8, 30), cots=rng.randint(0, 4),
            )
            for n in range(SHELTERS)
        ])
        total = STAYS + 1 + ADMISSIONS
        persons = Person.objects.bulk_create([
            Person(organisation=organisation, first_name="Bench", last_name=f"Stay-{n}",
                   birth_year=rng.randint(1970, 2006), gender="Feminine",
                   citizenships=",RU,")
            for n in range(total)
        ], batch_size=1000)
        cases = Case.objects.bulk_create([
            Case(code=f"SHB-{n:05d}", organisation=organisation, person=person,
                 status=CaseStatus.ACTIVE, step=Step.REHABILITATION, step_since=today,
                 opened_on=today - datetime.timedelta(days=DAYS + 30),
                 referral_source=ReferralSource.NGO)
            for n, person in enumerate(persons)
        ], batch_size=1000)
        stays = []
        current = itertools.cycle(shelters)
        for n, case in enumerate(cases[:STAYS]):
            if n < SHELTERS * CURRENT_PER_SHELTER:
                stays.append(ShelterStay(
                    case=case, shelter=next(current),
                    admitted_on=today - datetime.timedelta(days=rng.randint(1, 90))))
                continue
            admitted = today - datetime.timedelta(days=rng.randint(30, DAYS))
            stays.append(ShelterStay(
                case=case, shelter=rng.choice(shelters), admitted_on=admitted,
                discharged_on=min(today, admitted + datetime.timedelta(days=rng.randint(3, 120))),
                leave_reason=rng.choice(LeaveReason.values)))
        ShelterStay.objects.bulk_create(stays, batch_size=1000)
        StayChild.objects.bulk_create([
            StayChild(stay=stay, age_months=rng.randint(2, 120), in_cot=False)
            for stay in stays[::7]
        ], batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return cases[-1]


def bench_shelters(coordinator: User, worker: User, organisation: Organisation) -> Benchmark:
    progress(f"writing {SHELTERS} shelters and {STAYS:,} synthetic stays")
    case = _fill(organisation)
    bench = Benchmark(
        "Shelter network at scale",
        f"{SHELTERS} synthetic shelters in {len(REGIONS)} regions with {STAYS:,} stays over "
        f"{DAYS} days ({SHELTERS * CURRENT_PER_SHELTER} of them current), in the demo "
        "coordinator's organisation. Page times: Django's test `Client`, median of "
        f"{PAGE_GETS} GETs after 2 warm-ups (the dashboard as the coordinator, the "
        "placement search as the case worker); selectors and the admission are called "
        "directly (median of 9).",
    )
    coordinator_client = signed_in_client(coordinator)
    worker_client = signed_in_client(worker)
    shelter = Shelter.objects.filter(name_en="Bench shelter 0").get()
    pages = [
        ("Occupancy dashboard", coordinator_client, reverse("shelters:dashboard")),
        ("Shelter list", coordinator_client, reverse("shelters:shelter-list")),
        ("Shelter page with its residents", coordinator_client,
         reverse("shelters:shelter-detail", kwargs={"pk": shelter.pk})),
        ("Placement search for a case", worker_client,
         reverse("shelters:placement-search", kwargs={"code": case.code})
         + "?children_months=6+months"),
    ]
    for name, client, path in pages:
        def get(client: object = client, path: str = path) -> None:
            response = client.get(path)  # type: ignore[attr-defined]
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered HTTP {response.status_code}")

        add_weight(bench, name, client, client.get(path))
        for _ in range(2):
            get()
        seconds = statistics.median(timed(get) for _ in range(PAGE_GETS))
        bench.add(f"{name}: server time", f"≤ {SERVER_TIME_TARGET * 1000:.0f} ms",
                  milliseconds(seconds), seconds <= SERVER_TIME_TARGET)

    shelters = list(Shelter.objects.all())
    seconds = statistics.median(timed(lambda: selectors.occupancy_of(shelters)) for _ in range(9))
    bench.add(f"Occupancy of all {SHELTERS} shelters (counted from the stays)", "≤ 50 ms",
              milliseconds(seconds), seconds <= 0.050)
    needs = needs_for_case(case, children_months=[6])
    seconds = statistics.median(
        timed(lambda: selectors.placement_search(user=worker, case=case, needs=needs))
        for _ in range(9)
    )
    bench.add("Placement search (eligibility and free beds of every shelter)", "≤ 100 ms",
              milliseconds(seconds), seconds <= 0.100)

    free = [s for s in shelters if not s.genders and (s.min_age or 0) <= 18]
    admissions = iter(Case.objects.filter(code__startswith="SHB-", shelter_stays__isnull=True)
                      .exclude(pk=case.pk).order_by("-id")[:ADMISSIONS])
    targets = itertools.cycle(free or shelters)

    def admit() -> None:
        target = next(targets)
        target.beds += 1  # room for this admission whatever the fill left
        Shelter.objects.filter(pk=target.pk).update(beds=target.beds)
        stay_admit(actor=coordinator, shelter=target, case=next(admissions),
                   admitted_on=timezone.localdate())

    admit()
    seconds = statistics.median(timed(admit) for _ in range(ADMISSIONS - 1))
    bench.add("Admission (row lock, eligibility, occupancy count, audit row)", "≤ 100 ms",
              milliseconds(seconds), seconds <= 0.100)
    return bench
