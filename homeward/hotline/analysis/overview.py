"""Contacts over time and by line, caller type, topic and channel."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from typing import Any

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from homeward.hotline.analysis.period import Period
from homeward.hotline.analysis.scope import Scope
from homeward.hotline.analysis.suppression import Cell, min_cell_count, suppress_one
from homeward.hotline.analysis.tables import Table, build_table
from homeward.hotline.choices import CallerType, Channel, Topic
from homeward.hotline.models import Line


@dataclasses.dataclass(frozen=True)
class Overview:
    period: Period
    total: Cell
    over_time: Table
    lines: Table
    caller_types: Table
    topics: Table
    channels: Table

    @property
    def tables(self) -> list[Table]:
        return [self.over_time, self.lines, self.caller_types, self.topics, self.channels]


def bucket_label(period: Period, bucket: datetime.date) -> str:
    if period.grain == "month":
        return date_format(bucket, "YEAR_MONTH_FORMAT")
    if period.grain == "week":
        return _("week of %(day)s") % {"day": date_format(bucket, "SHORT_DATE_FORMAT")}
    return date_format(bucket, "SHORT_DATE_FORMAT")


def _as_date(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def overview(scope: Scope, period: Period) -> Overview:
    """Every table of the overview page, suppressed (see ``suppression``)."""
    k = min_cell_count()
    start, end = period.bounds()
    contacts = scope.contacts().filter(started_at__gte=start, started_at__lt=end)

    # Three grouped passes with small answers: per bucket, per partition
    # (line, caller type, channel), per set of topics (a contact's topics are
    # one text value, with few distinct combinations).
    per_bucket: Counter[datetime.date] = Counter({
        _as_date(row["bucket"]): row["n"]
        for row in contacts.annotate(bucket=period.trunc("started_at"))
        .values("bucket").annotate(n=Count("id")).order_by()
    })
    per_line: Counter[int | None] = Counter()
    per_type: Counter[str] = Counter()
    per_channel: Counter[str] = Counter()
    for row in (contacts.values("line", "caller_type", "channel")
                .annotate(n=Count("id")).order_by()):
        per_line[row["line"]] += row["n"]
        per_type[row["caller_type"]] += row["n"]
        per_channel[row["channel"]] += row["n"]
    per_topic: Counter[str] = Counter()
    for row in contacts.values("topics").annotate(n=Count("id")).order_by():
        for topic in row["topics"]:
            per_topic[topic] += row["n"]

    total = sum(per_bucket.values())
    over_time = build_table(
        name="over-time", title=_("Contacts over time"), column=_("Period"), k=k, total=total,
        keyed=[(bucket.isoformat(), bucket_label(period, bucket), per_bucket.get(bucket, 0))
               for bucket in period.buckets()],
    )

    line_ids = {pk for pk in per_line if pk is not None}
    if scope.line is None:
        line_ids |= set(Line.objects.filter(
            organisation__in=[org.pk for org in scope.organisations], is_active=True
        ).values_list("pk", flat=True))
    else:
        line_ids.add(scope.line.pk)
    lines = sorted(Line.objects.filter(pk__in=line_ids).select_related("organisation"),
                   key=lambda line: (line.organisation.code, line.label))
    line_rows = [(str(line.pk), line.label, per_line.get(line.pk, 0)) for line in lines]
    if per_line.get(None):
        line_rows.append(("", pgettext("hotline analysis", "No line"), per_line[None]))
    by_line = build_table(name="lines", title=_("Contacts per line"), column=_("Line"),
                          keyed=line_rows, total=total, k=k)

    caller_types = build_table(
        name="caller-types", title=_("Contacts per caller type"), column=_("Caller"),
        keyed=[(value, str(label), per_type.get(value, 0)) for value, label in
               CallerType.choices], total=total, k=k,
    )

    channels = build_table(
        name="channels", title=_("Contacts per channel"), column=_("Channel"),
        keyed=[(value, str(label), per_channel.get(value, 0)) for value, label in
               Channel.choices], total=total, k=k,
    )

    # A contact about several topics counts once under each: the column does
    # not add up to the total, which is shown all the same (suppressed alike).
    topics = build_table(
        name="topics", title=_("Contacts per topic"), column=_("Topic"),
        keyed=[(value, str(label), per_topic.get(value, 0)) for value, label in Topic.choices],
        total=total, k=k,
    )
    return Overview(
        period=period, total=suppress_one(total, k), over_time=over_time, lines=by_line,
        caller_types=caller_types, topics=topics, channels=channels,
    )
