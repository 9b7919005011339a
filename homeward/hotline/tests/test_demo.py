"""The demo hotline (hotline/demo) and its place in ``seed-demo``.

Seeding a year takes seconds, so the tests that only read it share one
seeded year per class (rolled back after the class); the others seed their own.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from homeward.accounts.demo import DemoRefused, seed_demo
from homeward.accounts.models import Membership, User
from homeward.audit.models import AuditEntry
from homeward.core.multichoice import has_value
from homeward.directory.demo import HOTLINES, seed_directory_demo
from homeward.hotline import selectors
from homeward.hotline.choices import CallerType, Topic
from homeward.hotline.demo import seed_hotline_demo
from homeward.hotline.demo.mix import SURNAMES
from homeward.hotline.models import Campaign, Contact, EscalationCall, Line
from homeward.hotline.phones import phone_index

pytestmark = pytest.mark.django_db

AIRPORT = "Airport brochures — Sheremetyevo and Domodedovo"


@pytest.fixture(scope="class")
def year(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo organisations, directory and hotline, once for a class of tests
    (each test still runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo()
        seed_directory_demo()
        seed_hotline_demo()
        yield
        transaction.set_rollback(True)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _moscow_job_offer_checks(first: datetime.date, last: datetime.date) -> int:
    return Contact.objects.filter(
        has_value("topics", Topic.JOB_OFFER_CHECK), caller_city="Moscow",
        started_at__date__range=(first, last),
    ).count()


@pytest.mark.usefixtures("year")
class TestDemoYear:
    def test_seeds_the_six_directory_lines_and_three_campaigns(self) -> None:
        lines = {str(line.country): line for line in Line.objects.all()}
        assert {country: line.number for country, line in lines.items()} == {
            country: number for country, _en, _ru, number, _lat, _lon in HOTLINES}
        assert all(line.is_24_7 and line.languages[0] == "ru" for line in lines.values())
        assert lines["DE"].languages == ["ru", "de"]
        assert lines["RU"].label_ru == "Горячая линия Ангельской коалиции, Россия"
        assert {line.organisation.code for line in lines.values()} == {"AC-MOW"}

        airport = Campaign.objects.get(name=AIRPORT)
        assert airport.channels == ["AirportBrochures"]
        assert airport.cities == "Moscow"
        assert (airport.ends_on - airport.starts_on).days + 1 == 42
        assert 140 <= (timezone.localdate() - airport.starts_on).days <= 160
        assert Campaign.objects.count() == 3

    def test_a_year_of_contacts_russias_line_busiest(self) -> None:
        today = timezone.localdate()
        contacts = Contact.objects.all()
        assert 2_500 <= contacts.count() <= 4_000
        year_ago = timezone.now() - datetime.timedelta(days=366)
        assert not contacts.filter(started_at__lt=year_ago).exists()
        assert not contacts.filter(started_at__gt=timezone.now()).exists()
        assert contacts.filter(started_at__date__gte=today - datetime.timedelta(days=7)).exists()

        per_line = Counter(contacts.exclude(line=None).values_list("line__country", flat=True))
        assert set(per_line) == {"RU", "US", "NL", "BE", "DE", "CH"}
        assert per_line.most_common(1)[0][0] == "RU"
        assert per_line["RU"] > 5 * sum(n for country, n in per_line.items() if country != "RU")

        callers = Counter(contacts.values_list("caller_type", flat=True))
        assert callers.most_common(1)[0][0] == CallerType.PLANNING_TO_WORK_ABROAD
        destinations = Counter(contacts.exclude(concern_country="")
                               .values_list("concern_country", flat=True))
        assert destinations.most_common(1)[0][0] == "TR"
        assert {"GR", "AE", "DE", "ES", "IT", "CY", "IL", "CN", "JP"} <= set(destinations)
        cities = set(contacts.values_list("caller_city", flat=True))
        assert {"Makhachkala", "Astrakhan", "Ufa", "Tuapse", "Moscow", "St Petersburg"} <= cities

    def test_contacts_keep_the_rules_of_contact_log(self) -> None:
        members = set(Membership.objects.filter(organisation__code="AC-MOW")
                      .values_list("user_id", flat=True))
        contacts = list(Contact.objects.all())
        for contact in contacts[::25]:
            contact.full_clean(validate_unique=False)
        for contact in contacts:
            is_professional = contact.caller_type == CallerType.PROFESSIONAL
            assert bool(contact.professional_kind) == is_professional
            assert contact.operator_id in members
            assert contact.ended_at is None or contact.ended_at >= contact.started_at
            if contact.follow_up_due is not None:
                assert contact.follow_up_assignee_id in members
            if contact.caller_phone:
                assert re.fullmatch(r"\+\d{10,14}", contact.caller_phone)
                assert contact.caller_phone_index == phone_index(contact.caller_phone)
        rescues = [c for c in contacts if Topic.RESCUE_REQUEST in c.topics]
        assert sum(1 for c in rescues if c.indicators) > 0.7 * len(rescues)
        checks = [c for c in contacts if c.topics == [Topic.JOB_OFFER_CHECK]]
        assert sum(1 for c in checks if not c.indicators) > 0.8 * len(checks)
        assert EscalationCall.objects.filter(entry__name_en__contains="task force").exists()

    def test_airport_brochures_bring_a_spike_of_moscow_job_offer_checks(self) -> None:
        airport = Campaign.objects.get(name=AIRPORT)
        during = _moscow_job_offer_checks(airport.starts_on, airport.ends_on)
        before = _moscow_job_offer_checks(airport.starts_on - datetime.timedelta(days=42),
                                          airport.starts_on - datetime.timedelta(days=1))
        assert during >= 1.5 * before > 0
        first_fortnight = _moscow_job_offer_checks(
            airport.starts_on, airport.starts_on + datetime.timedelta(days=13))
        last_fortnight = _moscow_job_offer_checks(
            airport.ends_on - datetime.timedelta(days=13), airport.ends_on)
        assert first_fortnight > last_fortnight  # the effect fades

    def test_the_demo_operator_has_open_and_overdue_follow_ups(self) -> None:
        operator = _user("operator")
        queue = selectors.follow_up_queue_for_user(user=operator, assignee=operator)
        today = timezone.localdate()
        overdue = [contact.follow_up_due is not None and contact.follow_up_due < today
                   for contact in queue]
        assert 3 <= len(overdue) <= 20
        assert overdue.count(True) >= 2
        assert False in overdue
        assert Contact.objects.filter(follow_up_done_at__isnull=False).count() > len(overdue)

    def test_some_callers_call_again_from_the_same_number(self) -> None:
        repeated = (Contact.objects.exclude(caller_phone_index="").values("caller_phone_index")
                    .annotate(n=Count("id")).filter(n__gte=2))
        assert len(repeated) >= 5
        assert max(row["n"] for row in repeated) <= 4
        contact = Contact.objects.filter(
            caller_phone_index=repeated[0]["caller_phone_index"]).latest("started_at")
        earlier = selectors.earlier_contacts_from_phone(
            user=_user("operator"), phone=contact.caller_phone, exclude=contact)
        assert earlier.exists()

    def test_identifying_details_are_encrypted_and_invented(self) -> None:
        contacts = list(Contact.objects.all())
        names = [c.caller_name for c in contacts if c.caller_name]
        phones = [c.caller_phone for c in contacts if c.caller_phone]
        emails = [c.caller_email for c in contacts if c.caller_email]
        assert 0 < len(names) < 0.1 * len(contacts)
        assert all(name.endswith("(демо)") for name in names)
        assert all(phone.startswith(("+7900000", "+1202555", "+493023125")) for phone in phones)
        assert all(email.endswith("@example.invalid") for email in emails)

        encrypted = ["caller_name", "caller_phone", "caller_email", "advice_given", "notes",
                     "follow_up_note"]
        columns = [f.column for f in Contact._meta.concrete_fields
                   if f.column != "caller_phone_index"]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(encrypted)} FROM hotline_contact")
            raw_values = [value for row in cursor.fetchall() for value in row if value]
            cursor.execute(f"SELECT {', '.join(columns)} FROM hotline_contact")
            raw = " ".join(str(value) for row in cursor.fetchall() for value in row)
        assert raw_values
        assert all(value.startswith("hw1:") for value in raw_values)
        assert not set(re.findall(r"\d{10,}", raw)) & {phone[1:] for phone in phones}
        for secret in [*SURNAMES, "демо", "example.invalid", "Called back"]:
            assert secret not in raw, secret

    def test_one_audit_row_summarises_the_import(self) -> None:
        rows = AuditEntry.objects.filter(target_type="hotline.Contact")
        assert rows.count() == 1
        row = rows.get()
        assert row.actor_name == "coordinator"
        assert row.detail["contacts"] == Contact.objects.count()
        assert row.detail["escalation_calls"] == EscalationCall.objects.count()
        assert AuditEntry.objects.filter(target_type="hotline.Line").count() == 6
        assert AuditEntry.objects.filter(target_type="hotline.Campaign").count() == 3

    def test_seeding_twice_changes_nothing(self) -> None:
        counts = (Line.objects.count(), Campaign.objects.count(), Contact.objects.count(),
                  EscalationCall.objects.count(), AuditEntry.objects.count())
        seed_hotline_demo()
        assert counts == (Line.objects.count(), Campaign.objects.count(), Contact.objects.count(),
                          EscalationCall.objects.count(), AuditEntry.objects.count())


def test_the_same_seed_and_day_give_the_same_contacts() -> None:
    seed_demo()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    def fingerprint() -> list[tuple[Any, ...]]:
        return list(Contact.objects.order_by("started_at", "id").values_list(
            "started_at", "caller_type", "caller_city", "concern_country", "topics", "outcome"))

    seed_hotline_demo(today=yesterday, seed=7)
    first = fingerprint()
    Contact.objects.all().delete()
    seed_hotline_demo(today=yesterday, seed=7)
    assert fingerprint() == first


def test_seeds_nothing_without_the_demo_users() -> None:
    seed_hotline_demo()
    assert not Line.objects.exists()
    assert not Contact.objects.exists()


def test_refuses_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused):
        seed_hotline_demo()


def test_seed_demo_command_reports_the_hotline() -> None:
    out = StringIO()
    call_command("seed-demo", stdout=out)
    count = Contact.objects.count()
    assert f"Hotline: 6 lines, {count} contacts (invented)." in out.getvalue()
    call_command("seed-demo", stdout=StringIO())
    assert Contact.objects.count() == count
