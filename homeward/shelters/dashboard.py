"""The network's occupancy at a glance, for coordinators.

Counts only: beds and cots per shelter and per region, admissions and the
average length of the stays that ended, month by month, and how many people
wait for a place. No case, person or stay is ever named or linked here, and
nothing is read that could identify one (only dates and shelter ids).

Occupancy comes from :func:`homeward.shelters.selectors.occupancy_of` (open
stays), so the dashboard and the placement search always agree.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from homeward.shelters import selectors
from homeward.shelters.choices import WaitingStatus
from homeward.shelters.models import Shelter, ShelterStay, WaitingListEntry

MONTHS = 12
_COUNTS = ("beds", "beds_used", "beds_free", "cots", "cots_used", "cots_free")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_months(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The first days of the last ``months`` months, oldest first, this month last."""
    first = add_months(month_start(today), 1 - months)
    return [add_months(first, n) for n in range(months)]


def _shelter_rows() -> list[dict[str, Any]]:
    shelters = list(Shelter.objects.order_by("region", "city", "name_en"))
    occupancy = selectors.occupancy_of(shelters)
    rows = []
    for shelter in shelters:
        used = occupancy[shelter.pk]
        rows.append({
            "id": shelter.pk,
            "name": shelter.name,
            "kind": shelter.kind,
            "kind_label": str(shelter.get_kind_display()),
            "region": shelter.region,
            "city": shelter.city,
            "is_open": shelter.is_open,
            "beds": used.beds,
            "beds_used": used.beds_used,
            "beds_free": used.free_beds,
            "cots": used.cots,
            "cots_used": used.cots_used,
            "cots_free": used.free_cots,
        })
    return rows


def _sum(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {name: sum(row[name] for row in rows) for name in _COUNTS}


def _region_rows(shelters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in shelters:
        by_region[row["region"]].append(row)
    return [
        {"region": region, "shelters": len(rows), **_sum(rows)}
        for region, rows in sorted(by_region.items())
    ]


def _month_rows(today: datetime.date) -> list[dict[str, Any]]:
    """Admissions per month, and the average length (in days) of the stays
    that ended in each month."""
    months = last_months(today)
    first = months[0]
    admissions = Counter(
        month_start(day) for day in ShelterStay.objects.filter(
            admitted_on__gte=first, admitted_on__lte=today,
        ).values_list("admitted_on", flat=True)
    )
    lengths: dict[datetime.date, list[int]] = defaultdict(list)
    for admitted_on, discharged_on in ShelterStay.objects.filter(
        discharged_on__gte=first, discharged_on__lte=today,
    ).values_list("admitted_on", "discharged_on"):
        if discharged_on is not None:  # always: the filter asks for a date
            lengths[month_start(discharged_on)].append((discharged_on - admitted_on).days)
    rows = []
    for month in months:
        ended = lengths.get(month, [])
        rows.append({
            "month": month.strftime("%Y-%m"),
            "label": date_format(month, "YEAR_MONTH_FORMAT"),
            "admissions": admissions.get(month, 0),
            "discharges": len(ended),
            "average_stay_days": round(sum(ended) / len(ended), 1) if ended else None,
        })
    return rows


def network_overview(*, today: datetime.date | None = None) -> dict[str, Any]:
    """The whole network's occupancy: ``shelters`` and ``regions`` (beds and
    cots: total, used, free), ``totals``, ``months`` (the last 12: admissions,
    discharges, average length of stay in days of the stays that ended that
    month, None when none did) and ``waiting`` (people on the waiting list).

    Counts only, never a case. Callers check :func:`selectors.sees_overview`."""
    today = today or timezone.localdate()
    shelters = _shelter_rows()
    return {
        "shelters": shelters,
        "regions": _region_rows(shelters),
        "totals": {"shelters": len(shelters), **_sum(shelters)},
        "months": _month_rows(today),
        "waiting": WaitingListEntry.objects.filter(status=WaitingStatus.WAITING).count(),
    }
