"""Reads of the assistance ledger: a case's entries (through the gate) and
totals per case, programme, donor, kind and period — each currency kept
apart, never converted."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case as When_
from django.db.models import CharField, Count, DecimalField, F, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from homeward.cases.models import Case
from homeward.core import access
from homeward.reintegration.choices import EntryType
from homeward.reintegration.models import AssistanceKind, LedgerEntry, Programme
from homeward.reintegration.selectors import managed_organisation_ids

GROUPS = ("programme", "donor", "month", "year", "kind")


@dataclasses.dataclass(frozen=True)
class CurrencyTotals:
    currency: str
    granted: Decimal
    paid: Decimal
    balance: Decimal  # granted - paid


@dataclasses.dataclass(frozen=True)
class TotalRow:
    label: str
    currency: str
    granted: Decimal
    paid: Decimal
    entries: int


def case_ledger(*, user: Any, case: Case) -> list[LedgerEntry]:
    """The case's ledger entries the user may read, oldest first."""
    return list(
        access.for_user(user, LedgerEntry).filter(case=case)
        .select_related("kind", "programme", "programme__donor", "organisation", "approved_by",
                        "paid_by", "recorded_by", "corrects", "grant")
        .order_by("entry_on", "id")
    )


def effective_type(entry: LedgerEntry) -> str:
    """Grant or Payment: a correction counts toward the type it corrects."""
    if entry.entry_type == EntryType.CORRECTION and entry.corrects is not None:
        return entry.corrects.entry_type
    return entry.entry_type


def ledger_totals(entries: Iterable[LedgerEntry]) -> list[CurrencyTotals]:
    """Granted, paid and the balance per currency (currencies in order)."""
    granted: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    for entry in entries:
        granted.setdefault(entry.currency, Decimal(0))
        paid.setdefault(entry.currency, Decimal(0))
        kind = effective_type(entry)
        if kind == EntryType.GRANT:
            granted[entry.currency] += entry.amount
        elif kind == EntryType.PAYMENT:
            paid[entry.currency] += entry.amount
    return [
        CurrencyTotals(currency=currency, granted=granted[currency], paid=paid[currency],
                       balance=granted[currency] - paid[currency])
        for currency in sorted(granted)
    ]


def _sum_of(entry_type: str) -> Sum:
    return Sum(
        When_(When(effective=Value(entry_type), then=F("amount")),
              default=Value(Decimal(0)), output_field=DecimalField(max_digits=14,
                                                                   decimal_places=2)),
    )


def managed_entries(*, user: Any) -> QuerySet[LedgerEntry]:
    """Ledger entries of the organisations the user coordinates."""
    return LedgerEntry.objects.filter(organisation_id__in=managed_organisation_ids(user))


def totals(
    *, user: Any, group_by: str, date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[TotalRow]:
    """Granted and paid per group and currency over the entries of the
    organisations the user coordinates, dated within the range (both ends
    included). ``group_by``: programme, donor, month, year or kind."""
    if group_by not in GROUPS:
        raise ValidationError({"group_by": _("Choose how to group the totals.")})
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError({"date_to": _("The end of the period is before its start.")})
    entries = managed_entries(user=user)
    if date_from is not None:
        entries = entries.filter(entry_on__gte=date_from)
    if date_to is not None:
        entries = entries.filter(entry_on__lte=date_to)
    entries = entries.annotate(effective=When_(
        When(entry_type=EntryType.CORRECTION, then=F("corrects__entry_type")),
        default=F("entry_type"), output_field=CharField(),
    ))
    # Months and years: summed per day by the database and folded here — no
    # date function run on every entry (SQLite runs those in Python).
    key = {
        "programme": F("programme_id"), "donor": F("programme__donor__name"),
        "month": F("entry_on"), "year": F("entry_on"), "kind": F("kind_id"),
    }[group_by]
    rows: list[dict[str, Any]] = list(
        entries.annotate(group=key).order_by().values("group", "currency")
        .annotate(granted=_sum_of(EntryType.GRANT), paid=_sum_of(EntryType.PAYMENT),
                  entries=Count("id"))
    )
    if group_by in _PERIOD_START:
        rows = _fold(rows, _PERIOD_START[group_by])
    labels = _labels(group_by, {row["group"] for row in rows})
    result = [
        (_sort_key(row["group"]), TotalRow(
            label=labels.get(row["group"], str(row["group"])), currency=row["currency"],
            granted=Decimal(row["granted"] or 0), paid=Decimal(row["paid"] or 0),
            entries=row["entries"],
        ))
        for row in rows
    ]
    result.sort(key=lambda item: (item[0], item[1].label, item[1].currency))
    return [row for _key, row in result]


_PERIOD_START: dict[str, Callable[[datetime.date], datetime.date]] = {
    "month": lambda day: day.replace(day=1),
    "year": lambda day: day.replace(month=1, day=1),
}


def _fold(rows: list[dict[str, Any]],
          start: Callable[[datetime.date], datetime.date]) -> list[dict[str, Any]]:
    """Per-day sums added up per period (the period's first day) and currency."""
    folded: dict[tuple[datetime.date, str], dict[str, Any]] = {}
    for row in rows:
        period = (start(row["group"]), row["currency"])
        total = folded.setdefault(period, {
            "group": period[0], "currency": period[1], "granted": Decimal(0),
            "paid": Decimal(0), "entries": 0,
        })
        total["granted"] += Decimal(row["granted"] or 0)
        total["paid"] += Decimal(row["paid"] or 0)
        total["entries"] += row["entries"]
    return list(folded.values())


def _sort_key(group: Any) -> tuple[int, str]:
    # The "none" group (no programme, no donor) last; dates in order.
    if group is None:
        return (1, "")
    if isinstance(group, (datetime.date, datetime.datetime)):
        return (0, group.isoformat())
    return (0, "")


def _labels(group_by: str, groups: set[Any]) -> dict[Any, str]:
    labels: dict[Any, str] = {None: _("No programme") if group_by == "programme"
                              else _("No donor")}
    if group_by == "programme":
        for programme in Programme.objects.filter(pk__in=[g for g in groups if g is not None]):
            labels[programme.pk] = programme.name
    elif group_by == "kind":
        for kind in AssistanceKind.objects.filter(pk__in=[g for g in groups if g is not None]):
            labels[kind.pk] = kind.name
    elif group_by == "donor":
        labels.update({group: str(group) for group in groups if group is not None})
    else:
        for group in groups:
            if isinstance(group, (datetime.date, datetime.datetime)):
                labels[group] = (f"{group:%Y-%m}" if group_by == "month" else f"{group:%Y}")
    return labels
