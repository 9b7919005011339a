"""The time span an analysis covers, and its buckets (day, week or month)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from typing import Literal

from django.db.models import Func
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

Grain = Literal["day", "week", "month"]
GRAINS: tuple[Grain, ...] = ("day", "week", "month")


def aware_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclasses.dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, counted per ``grain``."""

    start: datetime.date
    end: datetime.date
    grain: Grain = "month"

    @classmethod
    def last_months(cls, months: int = 12, *, today: datetime.date | None = None) -> Period:
        """The current month and the ``months - 1`` before it, up to today."""
        today = today or timezone.localdate()
        return cls(start=add_months(month_start(today), 1 - months), end=today, grain="month")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length that ends the day before this one starts."""
        end = self.start - datetime.timedelta(days=1)
        return Period(start=end - datetime.timedelta(days=self.days - 1), end=end,
                      grain=self.grain)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[first instant, first instant after) as aware datetimes."""
        return aware_start(self.start), aware_start(self.end + datetime.timedelta(days=1))

    def bucket_of(self, day: datetime.date) -> datetime.date:
        if self.grain == "day":
            return day
        if self.grain == "week":
            return day - datetime.timedelta(days=day.weekday())
        return month_start(day)

    def buckets(self) -> Iterator[datetime.date]:
        """Every bucket's first day, the first one holding ``start``."""
        bucket = self.bucket_of(self.start)
        while bucket <= self.end:
            yield bucket
            if self.grain == "day":
                bucket += datetime.timedelta(days=1)
            elif self.grain == "week":
                bucket += datetime.timedelta(days=7)
            else:
                bucket = add_months(bucket, 1)

    def trunc(self, field: str) -> Func:
        """The database expression for the bucket of ``field`` (local time)."""
        kind = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}[self.grain]
        return kind(field, tzinfo=timezone.get_current_timezone())
