"""The hotline at scale: the operator's desk (contact form, repeat-caller
look-up, saving a contact, lists) and the analysis pages, export and API over
20,000 contacts in one organisation. Import only after ``django.setup()``."""

from __future__ import annotations

import datetime
import gzip
import random
import statistics

from django.contrib.staticfiles import finders
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.measure import add_weight, progress, signed_in_client, timed
from bench.report import Benchmark, kilobytes, milliseconds
from homeward.accounts.models import Organisation, User
from homeward.hotline.choices import CallerType, Channel, Outcome, Topic
from homeward.hotline.models import Campaign, Contact, Line
from homeward.hotline.phones import phone_index

CONTACTS = 20_000
DAYS = 730
PAGE_GETS = 9
SERVER_TIME_TARGET = 0.300
# The map draws this file, fetched by its script (so not in the page's HTML).
MAP_SHAPES = "hotline/countries-110m-iso.geojson"
PLACES = [("RU", "Astrakhan Oblast", "Astrakhan"), ("RU", "Moscow", "Moscow"),
          ("RU", "Tatarstan", "Kazan"), ("RU", "Sverdlovsk Oblast", "Yekaterinburg"),
          ("KZ", "Almaty", "Almaty"), ("UZ", "Tashkent", "Tashkent"), ("TR", "", "Istanbul"),
          ("AE", "", "Dubai"), ("KG", "Osh Region", "Osh"), ("RU", "Dagestan", "Makhachkala")]
CONCERNS = ["TR", "AE", "DE", "IL", "CY", "GR", "JP", "", "", ""]
# One contact in ten leaves a number; 500 numbers, so repeat callers abound.
PHONES = [f"+7900000{n:04d}" for n in range(500)]
REPEAT_CALLER = PHONES[7]


def _fill(organisation: Organisation, operator: User) -> None:
    """Synthetic contacts written in bulk (what is measured is counting them)."""
    rng = random.Random(2026)
    now = timezone.now()
    with transaction.atomic():
        lines = [
            Line.objects.create(organisation=organisation, country="RU", number=f"+7800{n}",
                                languages=["ru"], label_en=f"Bench line {n}")
            for n in range(3)
        ]
        contacts = []
        indexes = {phone: phone_index(phone) for phone in PHONES}
        for n in range(CONTACTS):
            country, region, city = rng.choice(PLACES)
            phone = PHONES[n // 10 % len(PHONES)] if n % 10 == 0 else ""
            contacts.append(Contact(
                caller_phone=phone, caller_phone_index=indexes.get(phone, ""),
                organisation=organisation, line=rng.choice(lines), operator=operator,
                channel=rng.choice(Channel.values),
                started_at=now - datetime.timedelta(minutes=rng.randint(0, DAYS * 24 * 60)),
                caller_type=rng.choice(CallerType.values), caller_country=country,
                caller_region=region, caller_city=city, concern_country=rng.choice(CONCERNS),
                topics=rng.sample(Topic.values, rng.randint(1, 3)),
                outcome=rng.choice(Outcome.values),
            ))
        Contact.objects.bulk_create(contacts, batch_size=1000)
        today = timezone.localdate()
        for n, weeks_ago in enumerate((30, 12)):
            starts = today - datetime.timedelta(weeks=weeks_ago)
            Campaign.objects.create(
                organisation=organisation, name=f"Bench campaign {n}", cities="Astrakhan, Kazan",
                starts_on=starts, ends_on=starts + datetime.timedelta(days=27),
            )


def _analyze() -> None:
    """Fresh planner statistics after the bulk load, as PostgreSQL's autovacuum
    (or SQLite's ``PRAGMA optimize``) keeps them in a running system."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _with_map_shapes(bench: Benchmark, name: str, page_weight: int) -> None:
    found = finders.find(MAP_SHAPES)
    assert isinstance(found, str)
    with open(found, "rb") as handle:
        shapes = len(gzip.compress(handle.read()))
    total = page_weight + shapes
    bench.add(f"{name}: weight with the map's country shapes, gzip", "≤ 150.0 kB",
              f"{kilobytes(total)} (shapes {kilobytes(shapes)})", total <= 150_000)


def bench_hotline(coordinator: User, organisation: Organisation) -> Benchmark:
    progress(f"writing {CONTACTS:,} synthetic hotline contacts")
    _fill(organisation, coordinator)
    _analyze()
    bench = Benchmark(
        "Hotline analysis at scale",
        f"{CONTACTS:,} synthetic hotline contacts over {DAYS} days on 3 lines of the "
        "demo coordinator's organisation, and 2 campaigns. Page times: Django's test "
        f"`Client`, median of {PAGE_GETS} GETs after 2 warm-ups, signed in as the "
        "coordinator (the export also writes its audit row); weight as in the section "
        "above, and for the problem-regions page also with the country shapes its map "
        "script fetches.",
    )
    client = signed_in_client(coordinator)
    day_filter = f"date_from={timezone.localdate() - datetime.timedelta(days=365)}&grain=day"
    pages = [
        ("Analysis overview, 12 months per month", reverse("hotline:analysis")),
        ("Analysis overview, a year per day", f"{reverse('hotline:analysis')}?{day_filter}"),
        ("Problem regions", reverse("hotline:analysis-regions")),
        ("Campaigns and calls", reverse("hotline:analysis-campaigns")),
        ("Export of the destinations (XLSX)",
         f"{reverse('hotline:analysis-export')}?table=destinations&format=xlsx"),
        ("API: analysis overview", reverse("api:hotline-analysis-overview")),
    ]
    for name, path in pages:
        def get(path: str = path) -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered HTTP {response.status_code}")

        response = client.get(path)
        if "html" in response.get("Content-Type", ""):
            weight = add_weight(bench, name, client, response)
            if path == reverse("hotline:analysis-regions"):
                _with_map_shapes(bench, name, weight)
        for _ in range(2):
            get()
        seconds = statistics.median(timed(get) for _ in range(PAGE_GETS))
        bench.add(f"{name}: server time", f"≤ {SERVER_TIME_TARGET * 1000:.0f} ms",
                  milliseconds(seconds), seconds <= SERVER_TIME_TARGET)
    _bench_desk(bench, client)
    return bench


def _bench_desk(bench: Benchmark, client: Client) -> None:
    """The operator's side, among the same 20,000 contacts."""
    line = Line.objects.filter(label_en__startswith="Bench line").first()
    assert line is not None
    for name, path in [
        ("Contact form", reverse("hotline:contact-create")),
        ("Contacts list", reverse("hotline:contact-list")),
        ("Follow-up queue", reverse("hotline:follow-up-list")),
    ]:
        response = client.get(path)
        add_weight(bench, name, client, response)
        def get(path: str = path) -> None:
            client.get(path)

        seconds = statistics.median(timed(get) for _ in range(PAGE_GETS))
        bench.add(f"{name}: server time", f"≤ {SERVER_TIME_TARGET * 1000:.0f} ms",
                  milliseconds(seconds), seconds <= SERVER_TIME_TARGET)

    def lookup() -> None:
        response = client.post(reverse("hotline:contact-phone-check"),
                               {"caller_phone": "8 900 000-00-07"})
        if response.status_code != 200 or b"<table" not in response.content:
            raise RuntimeError("the repeat caller was not found")

    seconds = statistics.median(timed(lookup) for _ in range(PAGE_GETS))
    bench.add(f"Repeat-caller look-up ({CONTACTS // 10:,} contacts with a number, "
              "blind index): server time", "≤ 100 ms", milliseconds(seconds), seconds <= 0.100)

    started = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "channel": Channel.CALL, "line": str(line.pk), "caller_type": CallerType.RELATIVE_OR_FRIEND,
        "caller_country": "RU", "caller_city": "Astrakhan", "concern_country": "TR",
        "concern_city": "Istanbul", "topics": ["RescueRequest"], "outcome": Outcome.REFERRED,
        "caller_phone": REPEAT_CALLER, "started_at": started.strftime("%Y-%m-%dT%H:%M"),
        "then": "detail",
    }

    def save() -> None:
        response = client.post(reverse("hotline:contact-create"), data)
        if response.status_code != 302:
            raise RuntimeError(f"saving a contact answered HTTP {response.status_code}")

    save()
    seconds = statistics.median(timed(save) for _ in range(PAGE_GETS))
    bench.add("Saving a contact (encryption, blind index, audit row): server time",
              "≤ 300 ms", milliseconds(seconds), seconds <= SERVER_TIME_TARGET)
