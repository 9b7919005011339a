"""Calls around each information campaign: N weeks before, during, N weeks after.

Each phase is cut into weeks counted from its first day (the last week of a
phase may be shorter). Weeks are suppressed against their phase's total,
phase totals on their own (no grand total is shown, so no phase total can
be worked out from the others); a daily average comes from a shown total
only. The weeks after a campaign stop at today.
"""

from __future__ import annotations

import dataclasses
import datetime
import operator
from functools import reduce

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import pgettext

from homeward.hotline.analysis.period import Period, aware_start
from homeward.hotline.analysis.scope import Scope
from homeward.hotline.analysis.suppression import (
    Cell,
    average,
    min_cell_count,
    suppress,
    suppress_one,
)
from homeward.hotline.models import Campaign

WEEKS_AROUND = 4
CAMPAIGN_LIMIT = 20
PHASES = ("before", "during", "after")


def phase_label(phase: str) -> str:
    return {
        "before": pgettext("campaign phase", "Before"),
        "during": pgettext("campaign phase", "During"),
        "after": pgettext("campaign phase", "After"),
    }[phase]


@dataclasses.dataclass(frozen=True)
class Week:
    phase: str
    starts_on: datetime.date
    ends_on: datetime.date
    count: Cell

    @property
    def label(self) -> str:
        return phase_label(self.phase)


@dataclasses.dataclass(frozen=True)
class Phase:
    phase: str
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    days: int
    total: Cell
    daily_average: float | None


@dataclasses.dataclass(frozen=True)
class CampaignAnalysis:
    campaign: Campaign
    cities: list[str]
    # Counted only callers from the campaign's cities.
    cities_only: bool
    weeks: list[Week]
    phases: list[Phase]
    # The daily average during against before, in per cent (None when hidden).
    change_during_percent: int | None

    def chart_data(self) -> dict[str, object]:
        return {
            "labels": [
                f"{phase_label(week.phase)} · {week.starts_on.isoformat()}" for week in self.weeks
            ],
            "values": [week.count.value for week in self.weeks],
            "phases": [week.phase for week in self.weeks],
        }


def campaign_cities(campaign: Campaign) -> list[str]:
    return [city.strip() for city in campaign.cities.split(",") if city.strip()]


def _spans(campaign: Campaign, weeks_around: int,
           today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    around = datetime.timedelta(weeks=weeks_around)
    one_day = datetime.timedelta(days=1)
    spans = [
        ("before", campaign.starts_on - around, campaign.starts_on - one_day),
        ("during", campaign.starts_on, min(campaign.ends_on, today)),
        ("after", campaign.ends_on + one_day, min(campaign.ends_on + around, today)),
    ]
    return [(phase, start, end) for phase, start, end in spans if start <= end]


def _weeks(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    weeks = []
    while start <= end:
        weeks.append((start, min(start + datetime.timedelta(days=6), end)))
        start += datetime.timedelta(days=7)
    return weeks


def campaign_analysis(
    scope: Scope, campaign: Campaign, *, weeks_around: int = WEEKS_AROUND,
    cities_only: bool = False, today: datetime.date | None = None,
) -> CampaignAnalysis:
    """Contacts per week around ``campaign``: the scope's contacts of the
    campaign's organisation, only callers from its cities when ``cities_only``
    (and the campaign names any)."""
    k = min_cell_count()
    today = today or timezone.localdate()
    spans = _spans(campaign, weeks_around, today)
    cities = campaign_cities(campaign)
    per_day: dict[datetime.date, int] = {}
    if spans:
        # The campaign's own organisation's contacts: another one's hotline
        # did not run it.
        contacts = scope.contacts().filter(
            organisation_id=campaign.organisation_id,
            started_at__gte=aware_start(spans[0][1]),
            started_at__lt=aware_start(spans[-1][2] + datetime.timedelta(days=1)),
        )
        if cities_only and cities:
            contacts = contacts.filter(reduce(
                operator.or_, (Q(caller_city__iexact=city) for city in cities), Q(pk__in=[])
            ))
        per_day = {
            row["day"]: row["n"] for row in contacts.annotate(
                day=TruncDate("started_at", tzinfo=timezone.get_current_timezone())
            ).values("day").annotate(n=Count("id")).order_by()
        }
    weeks: list[Week] = []
    phases: list[Phase] = []
    for phase, start, end in spans:
        raw = [
            sum(count for day, count in per_day.items() if week_start <= day <= week_end)
            for week_start, week_end in _weeks(start, end)
        ]
        cells = suppress(raw, k, total=sum(raw))
        weeks += [Week(phase, week_start, week_end, cell) for (week_start, week_end), cell
                  in zip(_weeks(start, end), cells, strict=True)]
        total = suppress_one(sum(raw), k)
        days = (end - start).days + 1
        phases.append(Phase(phase=phase, label=phase_label(phase), starts_on=start, ends_on=end,
                            days=days, total=total, daily_average=average(total, days)))
    by_phase = {phase.phase: phase for phase in phases}
    change = None
    if "before" in by_phase and "during" in by_phase:
        before, during = by_phase["before"].daily_average, by_phase["during"].daily_average
        if before and during is not None:
            change = round(100 * (during - before) / before)
    return CampaignAnalysis(
        campaign=campaign, cities=cities, cities_only=cities_only and bool(cities),
        weeks=weeks, phases=phases, change_during_percent=change,
    )


def campaigns_in(scope: Scope, period: Period) -> list[Campaign]:
    """The scope's organisations' campaigns that overlap ``period``, newest first."""
    return list(
        Campaign.objects.filter(
            organisation__in=[org.pk for org in scope.organisations],
            starts_on__lte=period.end, ends_on__gte=period.start,
        ).select_related("organisation").order_by("-starts_on", "name")[:CAMPAIGN_LIMIT]
    )


def campaigns(
    scope: Scope, period: Period, *, weeks_around: int = WEEKS_AROUND, cities_only: bool = False,
    today: datetime.date | None = None,
) -> list[CampaignAnalysis]:
    return [
        campaign_analysis(scope, campaign, weeks_around=weeks_around, cities_only=cities_only,
                          today=today)
        for campaign in campaigns_in(scope, period)
    ]

