"""Case work at scale: the case list, the duplicate check and opening a case
with 20,000 cases in one organisation. Import only after ``django.setup()``."""

from __future__ import annotations

import datetime
import functools
import random
import statistics

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bench.measure import add_weight, progress, signed_in_client, timed
from bench.report import Benchmark, milliseconds
from homeward.accounts.models import Organisation, User
from homeward.cases import matching, services
from homeward.cases.choices import CaseStatus, ReferralSource, Step
from homeward.cases.models import Case, CaseAssignment, Person, PersonMatchKey

CASES = 20_000
PAGE_GETS = 15
FIRST_NAMES = ["Мария", "Анна", "Ольга", "Елена", "Наталья", "Ирина", "Светлана", "Дарья",
               "Алексей", "Иван", "Сергей", "Тимур"]
LAST_NAMES = ["Смирнова", "Иванова", "Кузнецова", "Попова", "Соколова", "Лебедева",
              "Козлова", "Новикова", "Морозова", "Петрова", "Волкова", "Соловьёва"]
CITIZENSHIPS = ["RU", "UA", "KZ", "UZ", "KG", "MD", "BY", "TJ"]
DESTINATIONS = ["TR", "AE", "GR", "DE", "IL", "CY", "JP", "KR", "CN", "RU"]


def _fill(organisation: Organisation, worker: User) -> None:
    """20,000 synthetic persons and cases, written in bulk (the services would
    take minutes; what is measured is reading them)."""
    rng = random.Random(2026)
    today = timezone.localdate()
    with transaction.atomic():
        persons = [
            Person(
                organisation=organisation, first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)}-{n}", birth_year=rng.randint(1970, 2011),
                citizenships=f",{rng.choice(CITIZENSHIPS)},", phones=[f"+7912{n:07d}"],
            )
            for n in range(CASES)
        ]
        Person.objects.bulk_create(persons, batch_size=1000)
        keys = [
            PersonMatchKey(person=person, kind=kind, digest=digest)
            for person in persons
            for kind, digest in matching.Identifiers.of(person).match_keys()
        ]
        PersonMatchKey.objects.bulk_create(keys, batch_size=5000)
        cases = [
            Case(
                code=f"BENCH-{2000 + n // 5000}-{n % 5000:04d}", organisation=organisation,
                person=person, status=CaseStatus.ACTIVE, step=rng.choice(Step.values[:6]),
                step_since=today, opened_on=today - datetime.timedelta(days=n % 3000),
                referral_source=rng.choice(ReferralSource.values),
                destination_country=rng.choice(DESTINATIONS), case_owner=worker,
                review_due_on=today + datetime.timedelta(days=rng.randint(-60, 60)),
            )
            for n, person in enumerate(persons)
        ]
        Case.objects.bulk_create(cases, batch_size=1000)
        CaseAssignment.objects.bulk_create(
            [CaseAssignment(case=case, user=worker, role="CaseWorker", assigned_on=today)
             for case in cases],
            batch_size=2000,
        )


def bench_cases(worker: User, organisation: Organisation) -> Benchmark:
    progress(f"writing {CASES:,} synthetic cases")
    _fill(organisation, worker)
    bench = Benchmark(
        "Case work at scale",
        f"{CASES:,} synthetic cases (with their persons and blind-index match keys) in "
        "the demo case worker's organisation. Page times: Django's test `Client`, whole "
        f"middleware stack, median of {PAGE_GETS} GETs after 2 warm-ups, signed in as "
        "the case worker (each case page GET also writes its audit row); weight as in the "
        "section above. The duplicate "
        "check and opening a case call the services directly (median of 15).",
    )
    client = signed_in_client(worker)
    url = reverse("cases:case-list")
    pages = [
        ("Case list, first page", f"{url}"),
        ("Case list, page 300", f"{url}?page=300"),
        ("Case list, open minors from KZ", f"{url}?status=open&minor=yes&nationality=KZ"),
        ("Case list, overdue", f"{url}?overdue=1"),
        ("Case list, search by surname", f"{url}?q=Иванова-1234"),
    ]
    code = Case.objects.filter(organisation=organisation).order_by("-id").first()
    pages.append(("Intake wizard", reverse("cases:case-create")))
    if code is not None:
        for name, view in (("Case page", "cases:case-detail"),
                           ("Trafficking story tab", "cases:case-story")):
            pages.append((name, reverse(view, kwargs={"code": code.code})))
    for name, path in pages:
        def get(path: str = path) -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered HTTP {response.status_code}")

        add_weight(bench, name, client, client.get(path))
        for _ in range(2):
            get()
        seconds = statistics.median(timed(get) for _ in range(PAGE_GETS))
        bench.add(f"{name}: server time", "≤ 150 ms", milliseconds(seconds), seconds <= 0.150)

    identifiers = matching.Identifiers(
        first_name="Mariya", last_name="Ivanova-1234", birth_year=1990,
        phones=("+79120001234",),
    )
    check = functools.partial(
        services.person_match_check, actor=worker, organisation=organisation,
        identifiers=identifiers,
    )
    check()
    seconds = statistics.median(timed(check) for _ in range(15))
    bench.add("Duplicate check across the coalition", "≤ 100 ms", milliseconds(seconds),
              seconds <= 0.100)

    counter = iter(range(10_000))

    def open_case() -> None:
        n = next(counter)
        services.case_open(
            actor=worker, organisation=organisation, referral_source=ReferralSource.HOTLINE,
            person_fields={"first_name": "Анна", "last_name": f"Тестова-{n}",
                           "birth_year": 1995, "citizenships": ["RU"],
                           "phones": [f"+7913{n:07d}"]},
        )

    open_case()
    seconds = statistics.median(timed(open_case) for _ in range(15))
    bench.add("Opening a case (person, keys, case, audit)", "≤ 100 ms", milliseconds(seconds),
              seconds <= 0.100)
    return bench
