"""The hotline reports: contacts by region and by caller type."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from homeward.hotline.choices import CallerType, Channel, Outcome
from homeward.hotline.models import Contact
from homeward.hotline.tests.factories import log_contact
from homeward.stats import reports
from homeward.stats.choices import OTHERS, UNKNOWN, Family
from homeward.stats.filters import ReportFilter
from homeward.stats.reports.hotline import CONTACTS, caller_type_label, region_label, region_of

JAN = datetime.date(2026, 1, 1)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def contact(cast: Any, org: str = "home", *, day: datetime.date = JAN, **values: Any) -> Contact:
    """A contact with plain columns only (the reports read nothing else)."""
    fields: dict[str, Any] = {
        "organisation": cast.home if org == "home" else cast.away,
        "operator": cast.user("hotline_operator", org),
        "channel": Channel.CALL, "started_at": at(day), "outcome": Outcome.ADVICE_GIVEN,
        "caller_type": CallerType.RELATIVE_OR_FRIEND, "caller_country": "RU",
        **values,
    }
    return Contact.objects.create(**fields)


@pytest.fixture
def contacts(cast):
    # HOME, January 2026.
    contact(cast, caller_type=CallerType.POSSIBLE_VICTIM, caller_region="Moscow")
    contact(cast, caller_type=CallerType.POSSIBLE_VICTIM, caller_region="moscow ",
            day=datetime.date(2026, 1, 31))
    contact(cast, caller_region="Moscow", concern_country="RU")  # same country: caller's region
    contact(cast, caller_region="Astrakhan oblast", concern_country="TR")  # concerns Turkey
    contact(cast, caller_type=CallerType.PROFESSIONAL, caller_region="Astrakhan oblast")
    contact(cast, caller_country="", caller_region="")  # nothing recorded
    # Outside the period, or another organisation's.
    contact(cast, caller_region="Moscow", day=datetime.date(2025, 12, 31))
    contact(cast, caller_region="Moscow", day=datetime.date(2026, 2, 1))
    contact(cast, "away", caller_region="Moscow")
    return cast


def january(cast: Any, **filters: Any) -> ReportFilter:
    return ReportFilter(organisations=(cast.home.pk,), date_from=JAN,
                        date_to=datetime.date(2026, 1, 31), **filters)


def test_contacts_by_region_count_the_region_the_contact_concerns(contacts) -> None:
    counts = reports.get("hotline-by-region").count(january(contacts))

    assert counts.columns == [CONTACTS]
    assert counts.cells == {
        ("RU|Moscow", CONTACTS): 3, ("RU|Astrakhan oblast", CONTACTS): 1,
        ("TR|", CONTACTS): 1, (UNKNOWN, CONTACTS): 1,
    }
    assert counts.rows == ["RU|Moscow", "RU|Astrakhan oblast", "TR|", UNKNOWN]
    assert counts.units == 6


def test_contacts_by_caller_type(contacts) -> None:
    counts = reports.get("hotline-by-caller-type").count(january(contacts))

    assert counts.cells == {
        (CallerType.RELATIVE_OR_FRIEND.value, CONTACTS): 3,
        (CallerType.POSSIBLE_VICTIM.value, CONTACTS): 2,
        (CallerType.PROFESSIONAL.value, CONTACTS): 1,
    }
    assert counts.rows[0] == CallerType.RELATIVE_OR_FRIEND


def test_only_the_counted_organisations_contacts_are_counted(contacts) -> None:
    both = ReportFilter(organisations=(contacts.home.pk, contacts.away.pk), date_from=JAN,
                        date_to=datetime.date(2026, 1, 31))
    away = ReportFilter(organisations=(contacts.away.pk,))

    assert reports.get("hotline-by-caller-type").count(both).units == 7
    assert reports.get("hotline-by-region").count(away).cells == {("RU|Moscow", CONTACTS): 1}
    assert reports.get("hotline-by-region").count(ReportFilter(organisations=())).cells == {}


def test_without_dates_every_contact_counts(contacts) -> None:
    counts = reports.get("hotline-by-region").count(ReportFilter(organisations=(contacts.home.pk,)))
    assert counts.cells[("RU|Moscow", CONTACTS)] == 5


def test_the_region_filter_keeps_one_region(contacts) -> None:
    by_region = reports.get("hotline-by-region").count(january(contacts, region="MOSCOW"))
    by_caller = reports.get("hotline-by-caller-type").count(
        january(contacts, region="astrakhan oblast")
    )

    assert by_region.cells == {("RU|Moscow", CONTACTS): 3}
    assert by_caller.cells == {
        (CallerType.RELATIVE_OR_FRIEND.value, CONTACTS): 1,
        (CallerType.PROFESSIONAL.value, CONTACTS): 1,
    }


def test_sex_and_age_filters_do_not_apply_to_contacts(contacts) -> None:
    spec = reports.get("hotline-by-caller-type")
    assert spec.count(january(contacts, sex="Feminine", age_band="20-24", minority="minor")) \
        == spec.count(january(contacts))
    assert "no sex or age" in str(spec.method)


def test_contacts_logged_through_the_service_are_counted(cast) -> None:
    log_contact(cast, caller_region="Kazan region", concern_country="")

    counts = reports.get("hotline-by-region").count(ReportFilter(organisations=(cast.home.pk,)))

    assert counts.cells == {("RU|Kazan region", CONTACTS): 1}


def test_region_of_follows_the_person_of_concern() -> None:
    assert region_of(caller_country="RU", caller_region="Tver", concern_country="") == "RU|Tver"
    assert region_of(caller_country="RU", caller_region="Tver", concern_country="RU") == "RU|Tver"
    assert region_of(caller_country="RU", caller_region="Tver", concern_country="AE") == "AE|"


def test_labels_are_translated() -> None:
    with translation.override("en"):
        assert region_label("RU|Tver") == "Tver, Russia"
        assert region_label("AE|") == "United Arab Emirates, place not recorded"
        assert region_label(UNKNOWN) == "Not recorded"
        assert caller_type_label("PossibleVictim") == "Possible victim"
    with translation.override("ru"):
        assert caller_type_label("PossibleVictim") != "Possible victim"


def test_both_reports_are_in_the_hotline_family() -> None:
    assert {spec.name for spec in reports.all_reports(Family.HOTLINE)} == {
        "hotline-by-region", "hotline-by-caller-type",
    }


def test_published_with_small_counts_hidden(contacts) -> None:
    from homeward.stats.publication import publish

    table = publish(report=reports.get("hotline-by-region"), filter=january(contacts), k=2)

    assert table.cell("RU|Moscow", CONTACTS).value == 3
    # A region below k is never named: it is counted with the other small ones.
    assert "TR|" not in table.rows
    assert OTHERS in table.rows
