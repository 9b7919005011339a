"""The hotline analysis at scale: its pages, export and API over 20,000
contacts in one organisation. Import only after ``django.setup()``."""

from __future__ import annotations

import datetime
import gzip
import random
import statistics

from django.contrib.staticfiles import finders
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bench.measure import add_weight, progress, signed_in_client, timed
from bench.report import Benchmark, kilobytes, milliseconds
from homeward.accounts.models import Organisation, User
from homeward.hotline.choices import CallerType, Channel, Outcome, Topic
from homeward.hotline.models import Campaign, Contact, Line

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
        for _ in range(CONTACTS):
            country, region, city = rng.choice(PLACES)
            contacts.append(Contact(
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
    return bench
