"""Where the calls come from and where the people of concern are, ranked,
with the change against the previous period of equal length.

The **destination** of a contact is the country of the person of concern
when it was recorded; when it was not, the person of concern is where the
caller is (the field's own definition), which is a destination only when
the caller is the possible victim: then the caller's country counts. Any
other contact without a country of concern has no known destination.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.hotline.analysis.period import Period
from homeward.hotline.analysis.scope import Scope
from homeward.hotline.analysis.suppression import (
    Cell,
    change,
    change_percent,
    min_cell_count,
    suppress,
    suppress_one,
)
from homeward.hotline.choices import CallerType
from homeward.hotline.models import Contact

RANK_LIMIT = 30
SEPARATOR = "|"


@dataclasses.dataclass(frozen=True)
class RankRow:
    key: str
    label: str
    count: Cell
    previous: Cell
    change: int | None
    change_percent: int | None
    # "up", "down", "same", "new" (none before), or "" when a hidden cell hides it.
    trend: str

    @property
    def decrease(self) -> int | None:
        return -self.change if self.change is not None else None


@dataclasses.dataclass(frozen=True)
class Ranking:
    name: str
    title: str
    column: str
    rows: list[RankRow]
    total: Cell
    previous_total: Cell
    # Rows left out past RANK_LIMIT.
    more: int

    def chart_data(self) -> dict[str, object]:
        shown = [row for row in self.rows if row.count.value]
        return {
            "labels": [row.label for row in shown],
            "values": [row.count.value for row in shown],
            "previous": [row.previous.value for row in shown],
        }


@dataclasses.dataclass(frozen=True)
class Regions:
    period: Period
    previous_period: Period
    caller_regions: Ranking
    caller_cities: Ranking
    destinations: Ranking

    @property
    def rankings(self) -> list[Ranking]:
        return [self.caller_regions, self.caller_cities, self.destinations]

    def map_data(self) -> list[dict[str, object]]:
        """Destination countries for the map: ISO code, name, value or hidden."""
        return [
            {"iso": row.key, "name": row.label, "value": row.count.value,
             "display": row.count.display}
            for row in self.destinations.rows if row.key and row.count.value != 0
        ]


def destination_of(*, concern_country: str, caller_type: str, caller_country: str) -> str:
    """The destination rule of the module docstring ("" when not known)."""
    if concern_country:
        return concern_country
    return caller_country if caller_type == CallerType.POSSIBLE_VICTIM else ""


def _trend(count: Cell, previous: Cell) -> str:
    difference = change(count, previous)
    if difference is None:
        return ""
    if previous.value == 0 and difference > 0:
        return "new"
    return "up" if difference > 0 else "down" if difference < 0 else "same"


def build_ranking(
    *, name: str, title: str, column: str, current: dict[str, int], previous: dict[str, int],
    label: Callable[[str], str], k: int, limit: int = RANK_LIMIT,
) -> Ranking:
    """Rows ranked by shown count; hidden rows after them by name (their order
    would tell their raw counts apart), then rows with none this period."""
    keys = sorted(set(current) | set(previous))
    now = dict(zip(keys, suppress([current.get(key, 0) for key in keys], k,
                                  total=sum(current.values())), strict=True))
    before = dict(zip(keys, suppress([previous.get(key, 0) for key in keys], k,
                                     total=sum(previous.values())), strict=True))
    rows = [
        RankRow(key=key, label=label(key), count=now[key], previous=before[key],
                change=change(now[key], before[key]),
                change_percent=change_percent(now[key], before[key]),
                trend=_trend(now[key], before[key]))
        for key in keys
    ]
    rows.sort(key=lambda row: (
        0 if row.count.value else 1 if row.count.hidden else 2,
        -(row.count.value or 0), row.label,
    ))
    return Ranking(
        name=name, title=title, column=column, rows=rows[:limit],
        total=suppress_one(sum(current.values()), k),
        previous_total=suppress_one(sum(previous.values()), k),
        more=max(0, len(rows) - limit),
    )


def _country_name(code: str) -> str:
    return str(countries.name(code)) or code


def place_label(key: str) -> str:
    country, _sep, place = key.partition(SEPARATOR)
    if not country and not place:
        return _("Not recorded")
    if not place:
        return _("%(country)s, place not recorded") % {"country": _country_name(country)}
    if not country:
        return place
    return f"{place}, {_country_name(country)}"


def _destination_label(key: str) -> str:
    return _country_name(key) if key else _("Not known")


def _counts(contacts: QuerySet[Contact]) -> dict[str, Counter[str]]:
    """Contacts per caller region, caller city and destination, in one grouped pass."""
    counts: dict[str, Counter[str]] = {
        "caller-regions": Counter(), "caller-cities": Counter(), "destinations": Counter(),
    }
    for row in contacts.values(
        "caller_country", "caller_region", "caller_city", "concern_country", "caller_type",
    ).annotate(n=Count("id")).order_by():
        country = str(row["caller_country"] or "")
        counts["caller-regions"][f"{country}{SEPARATOR}{row['caller_region']}"] += row["n"]
        counts["caller-cities"][f"{country}{SEPARATOR}{row['caller_city']}"] += row["n"]
        counts["destinations"][destination_of(
            concern_country=str(row["concern_country"] or ""), caller_type=row["caller_type"],
            caller_country=country,
        )] += row["n"]
    return counts


def regions(scope: Scope, period: Period) -> Regions:
    """The three rankings for ``period``, each against the previous period."""
    k = min_cell_count()
    previous_period = period.previous()

    def contacts_in(span: Period) -> QuerySet[Contact]:
        start, end = span.bounds()
        return scope.contacts().filter(started_at__gte=start, started_at__lt=end)

    current, previous = _counts(contacts_in(period)), _counts(contacts_in(previous_period))
    rankings = {}
    for name, title, column, label in (
        ("caller-regions", _("Callers' regions"), _("Region"), place_label),
        ("caller-cities", _("Callers' cities"), _("City"), place_label),
        ("destinations", _("Destination countries"), _("Country"), _destination_label),
    ):
        rankings[name] = build_ranking(
            name=name, title=title, column=column, label=label, k=k,
            current=dict(current[name]), previous=dict(previous[name]),
        )
    return Regions(
        period=period, previous_period=previous_period,
        caller_regions=rankings["caller-regions"], caller_cities=rankings["caller-cities"],
        destinations=rankings["destinations"],
    )
