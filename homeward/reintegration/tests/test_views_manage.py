"""The Reintegration landing page, the coordinators' totals (with their
audited CSV download) and the overdue monitoring list: who may open them,
and that they list cases by code, never by name."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import open_case
from homeward.reintegration.choices import (
    EntryType,
    MonitoringPeriod,
    PlanStatus,
    ReferralStatus,
    ReportStatus,
)
from homeward.reintegration.models import (
    LedgerEntry,
    MonitoringReport,
    MonitoringSchedule,
    Plan,
)
from homeward.reintegration.tests.factories import (
    make_kind,
    make_programme,
    make_referral,
    partner_organisation,
)

pytestmark = pytest.mark.django_db

HOME = reverse("reintegration:home")
TOTALS = reverse("reintegration:totals")
OVERDUE = reverse("reintegration:overdue")


def _report(case, organisation, *, due_on, assignee=None):
    schedule = MonitoringSchedule.objects.create(
        case=case, organisation=organisation, period=MonitoringPeriod.THREE_MONTHS,
        starts_on=due_on - datetime.timedelta(days=90), assignee=assignee,
    )
    return MonitoringReport.objects.create(
        schedule=schedule, case=case, organisation=organisation, due_on=due_on, months=3,
    )


def _entry(case, *, entry_type=EntryType.GRANT, amount="150", currency="EUR", programme=None,
           kind=None, entry_on=None, approved_by, corrects=None):
    return LedgerEntry.objects.create(
        case=case, organisation=case.organisation, entry_type=entry_type,
        kind=kind or make_kind(), programme=programme, amount=Decimal(amount),
        currency=currency, entry_on=entry_on or timezone.localdate(),
        approved_by=approved_by, recorded_by=approved_by, corrects=corrects,
    )


# --- who may --------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    for url in (HOME, TOTALS, OVERDUE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_landing_is_for_those_who_work_on_reintegration_or_referrals(cast, login):
    for role in (Role.CASE_WORKER, Role.REINTEGRATION_WORKER, Role.COORDINATOR):
        assert login(cast.user(role)).get(HOME).status_code == 200
    for role in (Role.SHELTER_STAFF, Role.RESEARCHER, Role.ORG_ADMIN):
        assert login(cast.user(role)).get(HOME).status_code == 403


def test_totals_and_overdue_are_for_coordinators_only(cast, login):
    for role in (Role.CASE_WORKER, Role.REINTEGRATION_WORKER, Role.ORG_ADMIN):
        client = login(cast.user(role))
        assert client.get(TOTALS).status_code == 403
        assert client.get(f"{TOTALS}?format=csv").status_code == 403
        assert client.get(OVERDUE).status_code == 403
    assert login(cast.site_admin).get(TOTALS).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_pages_answer_405_to_other_methods(cast, login):
    client = login(cast.user(Role.COORDINATOR))
    for url in (HOME, TOTALS, OVERDUE):
        assert client.post(url).status_code == 405


def test_main_navigation_shows_reintegration_to_those_who_use_it(cast, login):
    link = f'href="{HOME}"'
    for role in (Role.REINTEGRATION_WORKER, Role.CASE_WORKER, Role.COORDINATOR):
        assert link in login(cast.user(role)).get(reverse("accounts:dashboard")).content.decode()
    for role in (Role.RESEARCHER, Role.SHELTER_STAFF):
        assert link not in login(cast.user(role)).get(
            reverse("accounts:dashboard")).content.decode()


# --- the landing page -----------------------------------------------------------------


def test_landing_lists_my_due_reports_and_pending_referrals_by_code_not_name(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, worker, first_name="Olga", last_name="Petrova")
    today = timezone.localdate()
    _report(case, cast.home, due_on=today - datetime.timedelta(days=3), assignee=worker)
    partner = partner_organisation("YAR")
    referral = make_referral(case, partner.organisation, status=ReferralStatus.PENDING,
                             sent_by=worker)

    mine = login(worker).get(HOME).content.decode()
    assert case.code in mine
    assert "3 days overdue" in mine
    assert "Petrova" not in mine
    assert "Olga" not in mine

    theirs = login(partner.user(Role.REINTEGRATION_WORKER)).get(HOME).content.decode()
    assert case.code in theirs
    assert "Petrova" not in theirs
    assert reverse("reintegration:referral-detail", kwargs={"pk": referral.pk}) in theirs


def test_landing_lists_plans_due_for_review_within_a_week(cast, login):
    worker = cast.user(Role.CASE_WORKER)
    today = timezone.localdate()
    soon, later = open_case(cast, worker), open_case(cast, worker)
    for case, review in ((soon, today + datetime.timedelta(days=2)),
                         (later, today + datetime.timedelta(days=30))):
        Plan.objects.create(case=case, responsible_organisation=cast.home,
                            starts_on=today - datetime.timedelta(days=30),
                            next_review_on=review, status=PlanStatus.ACTIVE)
    response = login(worker).get(HOME)
    assert [plan.case for plan in response.context["plans"]] == [soon]
    assert later.code not in response.content.decode()


# --- totals ----------------------------------------------------------------------------


def test_totals_group_by_programme_per_currency_with_corrections(cast, login):
    coordinator = cast.user(Role.COORDINATOR)
    case = open_case(cast, cast.user(Role.CASE_WORKER))
    programme = make_programme(name_en="New life", name_ru="Новая жизнь")
    grant = _entry(case, amount="500", programme=programme, approved_by=coordinator)
    _entry(case, entry_type=EntryType.PAYMENT, amount="150", programme=programme,
           approved_by=coordinator)
    _entry(case, entry_type=EntryType.CORRECTION, amount="-100", programme=programme,
           approved_by=coordinator, corrects=grant)
    _entry(case, amount="1000", currency="RUB", programme=programme, approved_by=coordinator)
    away_case = open_case(cast.away, cast.user(Role.CASE_WORKER, "away"))
    _entry(away_case, amount="999", approved_by=cast.user(Role.COORDINATOR, "away"))

    response = login(coordinator).get(TOTALS, {"group_by": "programme"})
    assert response.status_code == 200
    lines = {(line.label, line.currency): line for line in response.context["lines"]}
    assert set(lines) == {("New life", "EUR"), ("New life", "RUB")}
    eur = lines[("New life", "EUR")]
    assert (eur.granted, eur.paid, eur.balance, eur.entries) == (
        Decimal("400"), Decimal("150"), Decimal("250"), 3)
    assert "999" not in response.content.decode()


def test_totals_date_range_and_grouping_by_month(cast, login):
    coordinator = cast.user(Role.COORDINATOR)
    case = open_case(cast, cast.user(Role.CASE_WORKER))
    _entry(case, amount="100", entry_on=datetime.date(2025, 1, 15), approved_by=coordinator)
    _entry(case, amount="200", entry_on=datetime.date(2025, 3, 2), approved_by=coordinator)
    response = login(coordinator).get(TOTALS, {
        "group_by": "month", "date_from": "2025-02-01", "date_to": "2025-12-31",
    })
    assert [(line.label, line.granted) for line in response.context["lines"]] == [
        ("2025-03", Decimal("200"))]


def test_totals_refuse_a_period_that_ends_before_it_starts(cast, login):
    response = login(cast.user(Role.COORDINATOR)).get(TOTALS, {
        "group_by": "year", "date_from": "2025-05-01", "date_to": "2025-01-01",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    assert response.context["lines"] == []


def test_totals_csv_download_is_audited_as_an_export(cast, login):
    coordinator = cast.user(Role.COORDINATOR)
    case = open_case(cast, cast.user(Role.CASE_WORKER))
    kind = make_kind(name_en="Clothing")
    _entry(case, amount="75", kind=kind, approved_by=coordinator)
    response = login(coordinator).get(TOTALS, {"group_by": "kind", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "Clothing,EUR,75.00,0.00,75.00,1" in body.replace("\r", "")
    entry = AuditEntry.objects.get(action=Action.EXPORT, actor_id=coordinator.pk)
    assert entry.detail["group_by"] == "kind"
    assert "75" not in str(entry.detail)


# --- overdue ---------------------------------------------------------------------------


def test_overdue_lists_code_organisation_due_date_days_and_assignee(cast, login):
    case = open_case(cast, cast.user(Role.CASE_WORKER), first_name="Olga",
                     last_name="Petrova")
    partner = partner_organisation("YAR")
    make_referral(case, partner.organisation)
    assignee = partner.user(Role.REINTEGRATION_WORKER)
    assignee.first_name, assignee.last_name = "Irina", "Worker"
    assignee.save()
    today = timezone.localdate()
    _report(case, partner.organisation, due_on=today - datetime.timedelta(days=5),
            assignee=assignee)
    _report(case, partner.organisation, due_on=today + datetime.timedelta(days=5))
    submitted = _report(case, cast.home, due_on=today - datetime.timedelta(days=9))
    MonitoringReport.objects.filter(pk=submitted.pk).update(status=ReportStatus.SUBMITTED)

    response = login(cast.user(Role.COORDINATOR)).get(OVERDUE)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.report.case.code, row.days_overdue) for row in rows] == [(case.code, 5)]
    page = response.content.decode()
    assert partner.organisation.code in page
    assert "Irina Worker" in page
    assert "Petrova" not in page

    # The partner's coordinator sees it too (they monitor); AWAY's does not.
    assert len(login(partner.user(Role.COORDINATOR)).get(OVERDUE).context["rows"]) == 1
    assert login(cast.user(Role.COORDINATOR, "away")).get(OVERDUE).context["rows"] == []


def test_totals_csv_does_not_let_a_programme_name_run_as_a_formula(cast, login):
    coordinator = cast.user(Role.COORDINATOR)
    case = open_case(cast, cast.user(Role.CASE_WORKER))
    programme = make_programme(name_en="=HYPERLINK(1)", name_ru="=HYPERLINK(1)")
    _entry(case, amount="10", programme=programme, approved_by=coordinator)
    body = login(coordinator).get(TOTALS, {"format": "csv"}).content.decode()
    assert "'=HYPERLINK(1),EUR,10.00" in body
