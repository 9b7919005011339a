"""A case's assistance ledger and monitoring, from the workspace."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.choices import ConsentPurpose
from homeward.cases.tests.factories import give_consent, open_case
from homeward.reintegration.choices import (
    ContactMode,
    EntryType,
    MonitoringOutcome,
    MonitoringPeriod,
    ReportStatus,
    RetraffickingSign,
)
from homeward.reintegration.models import LedgerEntry, MonitoringReport, MonitoringSchedule
from homeward.reintegration.selectors import case_access
from homeward.reintegration.services import assistance, monitoring, plans
from homeward.reintegration.tests.factories import (
    make_kind,
    make_programme,
    make_referral,
    partner_organisation,
    standard_cash_kind,
)

pytestmark = pytest.mark.django_db


def _url(name, case, **kwargs):
    return reverse(f"reintegration:{name}", kwargs={"code": case.code, **kwargs})


def _today():
    return timezone.localdate()


@pytest.fixture
def case(cast):
    case = open_case(cast, cast.user(Role.CASE_WORKER), first_name="Marina",
                     last_name="Sokolova")
    give_consent(case, cast.user(Role.CASE_WORKER), purpose=ConsentPurpose.ASSISTANCE)
    return case


@pytest.fixture
def partner():
    return partner_organisation("YAR")


def _grant(cast, case, amount="150"):
    worker = cast.user(Role.CASE_WORKER)
    return assistance.ledger_record(
        actor=worker, access=case_access(user=worker, code=case.code),
        entry_type=EntryType.GRANT, kind=make_kind(), amount=Decimal(amount), currency="EUR",
        entry_on=_today(), approved_by=cast.user(Role.COORDINATOR),
    )


def _schedule(user, case, organisation, **extra):
    return monitoring.schedule_create(
        actor=user, access=case_access(user=user, code=case.code), organisation=organisation,
        period=MonitoringPeriod.THREE_MONTHS,
        starts_on=_today() - datetime.timedelta(days=100), **extra,
    )


def _report_data(**overrides):
    return {
        "contacted_on": _today().isoformat(), "contact_mode": ContactMode.VISIT,
        "living_situation": "WithFamily", "work_situation": "InTraining",
        "feels_safe": "yes", "outcome": MonitoringOutcome.STABLE,
        "narrative": "Attends the sewing course", **overrides,
    }


# --- access -------------------------------------------------------------------------


def test_outsider_gets_404(cast, login, case):
    entry = _grant(cast, case)
    schedule = _schedule(cast.user(Role.CASE_WORKER), case, cast.home)
    report = schedule.reports.get()
    client = login(cast.user(Role.COORDINATOR, "away"))
    for url in (_url("ledger-new", case), _url("ledger-correct", case, pk=entry.pk),
                _url("monitoring-new", case), _url("monitoring-cancel", case, pk=schedule.pk),
                _url("report-submit", case, pk=report.pk)):
        assert client.get(url).status_code == 404, url
    assert client.post(_url("report-submit", case, pk=report.pk),
                       _report_data()).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


def test_wrong_method_is_refused(cast, login, case):
    client = login(cast.user(Role.CASE_WORKER))
    assert client.patch(_url("ledger-new", case)).status_code == 405
    assert client.put(_url("monitoring-new", case)).status_code == 405


def test_receiver_may_not_file_the_senders_report(cast, login, case, partner):
    make_referral(case, partner.organisation)
    schedule = _schedule(cast.user(Role.CASE_WORKER), case, cast.home)
    report = schedule.reports.get()
    client = login(partner.user(Role.REINTEGRATION_WORKER))
    # The receiver does not monitor this schedule: the gate hides it.
    assert client.get(_url("report-submit", case, pk=report.pk)).status_code == 404


def test_case_side_may_not_file_the_partners_report(cast, login, case, partner):
    make_referral(case, partner.organisation)
    schedule = _schedule(cast.user(Role.CASE_WORKER), case, partner.organisation)
    report = schedule.reports.get()
    client = login(cast.user(Role.CASE_WORKER))
    assert client.get(_url("report-submit", case, pk=report.pk)).status_code == 403
    assert client.post(_url("report-submit", case, pk=report.pk),
                       _report_data()).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


# --- the ledger ---------------------------------------------------------------------


def test_ledger_page_asks_for_the_kind_first(cast, login, case):
    kind = standard_cash_kind()
    client = login(cast.user(Role.CASE_WORKER))
    response = client.get(_url("ledger-new", case))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert kind.name in response.content.decode()


def test_eligible_amount_is_shown_and_filled_in(cast, login, case):
    kind = standard_cash_kind()  # the cast's person: a Russian national
    client = login(cast.user(Role.CASE_WORKER))
    response = client.get(_url("ledger-new", case), {"kind": kind.pk})
    assert response.context["eligibility"].amount == Decimal("150")
    form = response.context["form"]
    assert Decimal(form["amount"].value()) == Decimal("150")
    assert form["currency"].value() == "EUR"
    assert "150" in response.content.decode()


def test_a_receiver_without_origin_and_children_shared_sees_no_eligible_amount(
    cast, login, case, partner,
):
    make_referral(case, partner.organisation)
    kind = standard_cash_kind()
    response = login(partner.user(Role.REINTEGRATION_WORKER)).get(
        _url("ledger-new", case), {"kind": kind.pk})
    assert response.status_code == 200
    assert response.context["eligibility"] is None
    assert response.context["form"]["amount"].value() is None
    page = response.content.decode()
    assert "Citizens of Russia" not in page
    assert "did not share the person's origin and children" in page


def test_grant_then_payment_are_recorded_with_totals(cast, login, case):
    kind = standard_cash_kind()
    programme = make_programme()
    client = login(cast.user(Role.CASE_WORKER))
    data = {
        "kind": kind.pk, "entry_type": EntryType.GRANT, "amount": "150", "currency": "EUR",
        "entry_on": _today().isoformat(), "programme": programme.pk,
        "approved_by": cast.user(Role.COORDINATOR).pk, "purpose": "Standard cash",
    }
    assert client.post(_url("ledger-new", case), data).status_code == 302
    grant = LedgerEntry.objects.get()
    payment = {**data, "entry_type": EntryType.PAYMENT, "amount": "100", "grant": grant.pk}
    assert client.post(_url("ledger-new", case), payment).status_code == 302
    assert LedgerEntry.objects.count() == 2
    totals = client.get(_url("case-reintegration", case)).context["totals"]
    assert [(t.currency, t.granted, t.paid, t.balance) for t in totals] == [
        ("EUR", Decimal("150.00"), Decimal("100.00"), Decimal("50.00"))
    ]


def test_approver_must_be_a_coordinator(cast, login, case):
    kind = standard_cash_kind()
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("ledger-new", case), {
        "kind": kind.pk, "entry_type": EntryType.GRANT, "amount": "150", "currency": "EUR",
        "entry_on": _today().isoformat(), "approved_by": cast.user(Role.CASE_WORKER).pk,
    })
    assert response.status_code == 200
    assert response.context["form"].errors["approved_by"]
    assert not LedgerEntry.objects.exists()


def test_correction_is_a_new_entry_and_the_original_stays(cast, login, case):
    grant = _grant(cast, case)
    client = login(cast.user(Role.CASE_WORKER))
    page = client.get(_url("case-reintegration", case)).content.decode()
    assert _url("ledger-correct", case, pk=grant.pk) in page
    response = client.post(_url("ledger-correct", case, pk=grant.pk), {
        "amount": "-50", "entry_on": _today().isoformat(), "purpose": "Typo",
        "approved_by": cast.user(Role.COORDINATOR).pk,
    })
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.amount == Decimal("150.00")
    correction = LedgerEntry.objects.exclude(pk=grant.pk).get()
    assert (correction.entry_type, correction.amount, correction.corrects_id) == (
        EntryType.CORRECTION, Decimal("-50.00"), grant.pk)


def test_zero_correction_is_refused(cast, login, case):
    grant = _grant(cast, case)
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("ledger-correct", case, pk=grant.pk), {
        "amount": "0", "entry_on": _today().isoformat(),
        "approved_by": cast.user(Role.COORDINATOR).pk,
    })
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert LedgerEntry.objects.count() == 1


# --- monitoring ---------------------------------------------------------------------


def test_schedule_by_the_partner_that_accepted(cast, login, case, partner):
    referral = make_referral(case, partner.organisation)
    client = login(cast.user(Role.CASE_WORKER))
    form = client.get(_url("monitoring-new", case)).context["form"]
    assert set(form.fields["organisation"].queryset) == {cast.home, partner.organisation}
    response = client.post(_url("monitoring-new", case), {
        "organisation": partner.organisation.pk, "period": MonitoringPeriod.SIX_MONTHS,
        "starts_on": _today().isoformat(),
        "assignee": partner.user(Role.REINTEGRATION_WORKER).pk,
    })
    assert response.status_code == 302
    schedule = MonitoringSchedule.objects.get()
    assert (schedule.organisation, schedule.referral) == (partner.organisation, referral)
    assert schedule.reports.count() == 2


def test_custom_dates_are_parsed_and_required(cast, login, case):
    client = login(cast.user(Role.CASE_WORKER))
    missing = client.post(_url("monitoring-new", case), {
        "organisation": cast.home.pk, "period": MonitoringPeriod.CUSTOM,
        "starts_on": _today().isoformat(),
    })
    assert missing.context["form"].errors["custom_dates"]
    later = [_today() + datetime.timedelta(days=days) for days in (30, 60)]
    response = client.post(_url("monitoring-new", case), {
        "organisation": cast.home.pk, "period": MonitoringPeriod.CUSTOM,
        "starts_on": _today().isoformat(),
        "custom_dates": ", ".join(day.isoformat() for day in later),
    })
    assert response.status_code == 302
    assert list(MonitoringReport.objects.values_list("due_on", flat=True)) == later


def test_bad_custom_date_is_explained(cast, login, case):
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("monitoring-new", case), {
        "organisation": cast.home.pk, "period": MonitoringPeriod.CUSTOM,
        "starts_on": _today().isoformat(), "custom_dates": "next tuesday",
    })
    assert response.status_code == 200
    assert "YYYY-MM-DD" in str(response.context["form"].errors["custom_dates"])
    assert not MonitoringSchedule.objects.exists()


def test_receiver_files_its_report_and_the_case_side_reads_it(cast, login, case, partner):
    make_referral(case, partner.organisation)
    worker = partner.user(Role.REINTEGRATION_WORKER)
    schedule = _schedule(worker, case, partner.organisation)
    report = schedule.reports.get()
    client = login(worker)
    workspace = client.get(_url("case-reintegration", case)).content.decode()
    assert _url("report-submit", case, pk=report.pk) in workspace
    response = client.post(_url("report-submit", case, pk=report.pk), _report_data(
        retrafficking_signs=[RetraffickingSign.JOB_OFFER_ABROAD],
        outcome=MonitoringOutcome.AT_RISK,
    ))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.feels_safe is True
    assert report.retrafficking_signs == [RetraffickingSign.JOB_OFFER_ABROAD]
    reader = login(cast.user(Role.CASE_WORKER))
    page = reader.get(_url("report-submit", case, pk=report.pk))
    assert page.status_code == 200
    assert page.context["form"] is None
    html = page.content.decode()
    assert "Attends the sewing course" in html
    assert "Considering a job offer abroad" in html


def test_report_without_an_outcome_is_refused(cast, login, case):
    schedule = _schedule(cast.user(Role.CASE_WORKER), case, cast.home)
    report = schedule.reports.get()
    client = login(cast.user(Role.CASE_WORKER))
    response = client.post(_url("report-submit", case, pk=report.pk),
                           _report_data(outcome=""))
    assert response.status_code == 200
    assert response.context["form"].errors["outcome"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DUE


def test_monitoring_is_stopped_and_due_reports_cancelled(cast, login, case):
    schedule = _schedule(cast.user(Role.CASE_WORKER), case, cast.home)
    client = login(cast.user(Role.CASE_WORKER))
    assert client.get(_url("monitoring-cancel", case, pk=schedule.pk)).status_code == 200
    response = client.post(_url("monitoring-cancel", case, pk=schedule.pk))
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert not schedule.is_active
    assert schedule.reports.get().status == ReportStatus.CANCELLED
    again = client.post(_url("monitoring-cancel", case, pk=schedule.pk))
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()


def test_the_workspace_reads_in_the_same_number_of_queries_however_long_its_lists(
    cast, login, case,
):
    worker = cast.user(Role.CASE_WORKER)
    plan = plans.plan_create(actor=worker, access=case_access(user=worker, code=case.code),
                             starts_on=_today() - datetime.timedelta(days=60))
    client = login(worker)

    def add_one_of_each():
        _grant(cast, case)
        _schedule(worker, case, cast.home)
        plans.plan_review(actor=worker, access=case_access(user=worker, code=case.code),
                          plan=plan, reviewed_on=_today())

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url("case-reintegration", case)).status_code == 200
        return len(captured)

    add_one_of_each()
    few = queries()
    for _ in range(3):
        add_one_of_each()
    assert queries() == few
