"""Reintegration's entries on the case timeline (the case overview)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.cases.tests.factories import open_case
from homeward.cases.views_cases import case_timeline
from homeward.reintegration.choices import (
    MonitoringOutcome,
    MonitoringPeriod,
    ReferralStatus,
    ReportStatus,
    RetraffickingSign,
)
from homeward.reintegration.models import MonitoringReport, MonitoringSchedule
from homeward.reintegration.tests.factories import make_referral, partner_organisation


def _report(case, organisation, *, status=ReportStatus.SUBMITTED, **values):
    schedule = MonitoringSchedule.objects.create(
        case=case, organisation=organisation, period=MonitoringPeriod.THREE_MONTHS,
        starts_on=timezone.localdate() - datetime.timedelta(days=95),
    )
    return MonitoringReport.objects.create(
        schedule=schedule, case=case, organisation=organisation, months=3,
        due_on=timezone.localdate() - datetime.timedelta(days=5), status=status, **values,
    )


def test_a_submitted_monitoring_report_of_a_partner_is_on_the_case_timeline(cast):
    caseworker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, caseworker)
    partner = partner_organisation()
    make_referral(case, partner.organisation, sent_by=caseworker)
    _report(case, partner.organisation, contacted_on=timezone.localdate(),
            outcome=MonitoringOutcome.STABLE)

    titles = [item.title for item in case_timeline(caseworker, case)]

    assert f"Monitoring report by {partner.organisation.name}" in titles
    assert f"Referral sent to {partner.organisation.name}" in titles
    assert f"{partner.organisation.name} accepted the referral" in titles


def test_signs_of_re_trafficking_show_in_the_timeline_entry(cast):
    caseworker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, caseworker)
    _report(case, cast.home, contacted_on=timezone.localdate(),
            outcome=MonitoringOutcome.AT_RISK,
            retrafficking_signs=[RetraffickingSign.JOB_OFFER_ABROAD])

    item = next(i for i in case_timeline(caseworker, case) if i.kind == "monitoring")

    assert "At risk" in item.detail
    assert "signs of re-trafficking" in item.detail


def test_reports_still_due_and_declined_referrals_read_as_such(cast):
    caseworker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, caseworker)
    partner = partner_organisation()
    make_referral(case, partner.organisation, status=ReferralStatus.DECLINED)
    _report(case, partner.organisation, status=ReportStatus.DUE)

    items = case_timeline(caseworker, case)

    assert not [i for i in items if i.kind == "monitoring"]
    assert f"{partner.organisation.name} declined the referral" in [i.title for i in items]


def test_the_timeline_shows_only_what_the_viewer_may_see(cast):
    caseworker = cast.user(Role.CASE_WORKER)
    case = open_case(cast, caseworker)
    partner = partner_organisation()
    make_referral(case, partner.organisation, status=ReferralStatus.DECLINED)
    _report(case, partner.organisation)
    outsider = cast.user(Role.CASE_WORKER, "away")

    assert not [i for i in case_timeline(outsider, case)
                if i.kind in ("monitoring", "referral")]
