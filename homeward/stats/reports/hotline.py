"""Reports of the hotline family: contacts of the counted organisations in
the period (by the day the contact started, local time).

They read plain columns only (caller type, countries, region) — never a
name, phone or note. A contact has no sex or age columns: those filters do
not apply to hotline reports (the method notes say so).
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.hotline.analysis.period import aware_start
from homeward.hotline.analysis.regions import SEPARATOR, place_label
from homeward.hotline.choices import CallerType
from homeward.hotline.models import Contact
from homeward.stats import categories
from homeward.stats.choices import OTHERS, UNKNOWN, Family
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report, report
from homeward.stats.reports.cases import others_label
from homeward.stats.tables import Counts, Dimension

CONTACTS = "Contacts"


def contacts_in(filter: ReportFilter) -> QuerySet[Contact]:
    """The contacts of ``filter.organisations`` that started in the period."""
    contacts = Contact.objects.filter(organisation__in=filter.organisations).order_by()
    if filter.date_from is not None:
        contacts = contacts.filter(started_at__gte=aware_start(filter.date_from))
    if filter.date_to is not None:
        contacts = contacts.filter(
            started_at__lt=aware_start(filter.date_to + datetime.timedelta(days=1))
        )
    return contacts


def region_of(*, caller_country: str, caller_region: str, concern_country: str) -> str:
    """The region a contact concerns, as ``"<country>|<region>"``.

    The person of concern is where the caller is unless the contact records
    another country for them (the field's definition, as in the hotline's
    analysis): then the caller's region counts; a person of concern in
    another country counts under that country, region not recorded.
    """
    if concern_country and concern_country != caller_country:
        return f"{concern_country}{SEPARATOR}"
    return f"{caller_country}{SEPARATOR}{caller_region.strip()}"


def _region_counts(filter: ReportFilter) -> Counter[str]:
    counts: Counter[str] = Counter()
    wanted = filter.region.strip().casefold()
    for row in contacts_in(filter).values(
        "caller_country", "caller_region", "concern_country"
    ).annotate(n=Count("id")):
        key = region_of(
            caller_country=str(row["caller_country"] or ""),
            caller_region=str(row["caller_region"] or ""),
            concern_country=str(row["concern_country"] or ""),
        )
        if wanted and key.partition(SEPARATOR)[2].casefold() != wanted:
            continue
        counts[key if key != SEPARATOR else UNKNOWN] += row["n"]
    # One spelling per region: the same region typed in another case is one row.
    merged: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for key in sorted(counts):
        canonical = spelling.setdefault(key.casefold(), key)
        merged[canonical] += counts[key]
    return merged


def _one_column(counts: Counter[str]) -> Counts:
    rows = sorted(counts, key=lambda key: (-counts[key], key == UNKNOWN, key))
    return Counts(
        rows=rows, columns=[CONTACTS],
        cells={(key, CONTACTS): counts[key] for key in rows}, units=sum(counts.values()),
    )


def count_by_region(filter: ReportFilter) -> Counts:
    return _one_column(_region_counts(filter))


def count_by_caller_type(filter: ReportFilter) -> Counts:
    contacts = contacts_in(filter)
    if filter.region:
        # The region filter reads the caller's region (as recorded, any case).
        contacts = contacts.filter(caller_region__iexact=filter.region.strip())
    counts: Counter[str] = Counter()
    for row in contacts.values("caller_type").annotate(n=Count("id")):
        counts[row["caller_type"] or UNKNOWN] += row["n"]
    return _one_column(counts)


def region_label(key: str) -> str:
    if key == UNKNOWN:
        return _("Not recorded")
    if key == OTHERS:
        return others_label()
    return place_label(key)


def caller_type_label(key: str) -> str:
    if key == UNKNOWN:
        return _("Not recorded")
    return str(CallerType(key).label) if key in CallerType.values else key


def contacts_label(key: str) -> str:
    return _("Contacts") if key == CONTACTS else key


_UNITS = Dimension(gettext_lazy("Contacts"), contacts_label,
                   categories=categories.fixed([CONTACTS], unknown=False))

BY_REGION = report(Report(
    name="hotline-by-region",
    title=gettext_lazy("Hotline contacts by region"),
    family=Family.HOTLINE,
    rows=Dimension(gettext_lazy("Region the contact concerns"), region_label),
    columns=_UNITS,
    count=count_by_region,
    unit=gettext_lazy("contacts"),
    method=gettext_lazy(
        "Contacts (calls, messages, visits) logged by the counted organisations' hotlines, by "
        "the day they started. The region is where the person of concern is: the caller's "
        "region, unless the contact records another country for the person of concern — then "
        "that country, region not recorded. Regions are grouped as typed, ignoring case. The "
        "region filter keeps one region; contacts have no sex or age, so those filters do "
        "not apply."
    ),
    order=700,
))

BY_CALLER_TYPE = report(Report(
    name="hotline-by-caller-type",
    title=gettext_lazy("Hotline contacts by caller type"),
    family=Family.HOTLINE,
    rows=Dimension(gettext_lazy("Caller"), caller_type_label,
                   categories=categories.picklist(CallerType)),
    columns=_UNITS,
    count=count_by_caller_type,
    unit=gettext_lazy("contacts"),
    method=gettext_lazy(
        "Contacts (calls, messages, visits) logged by the counted organisations' hotlines, by "
        "the day they started, by who contacted the hotline; each contact counts once. The "
        "region filter reads the caller's region; contacts have no sex or age, so those "
        "filters do not apply."
    ),
    order=710,
))
