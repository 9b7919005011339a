"""Reintegration's entries on the case timeline: referrals sent and answered,
and monitoring reports filed — each only as far as the viewing user may
see them (the access gate)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.cases import timeline
from homeward.cases.models import Case
from homeward.cases.timeline import TimelineItem
from homeward.core import access
from homeward.reintegration.choices import ReferralStatus, ReportStatus
from homeward.reintegration.models import MonitoringReport, Referral


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username() if user is not None else ""


@timeline.register
def reintegration_items(user: Any, case: Case) -> Iterable[TimelineItem]:
    referrals = access.for_user(user, Referral.objects.filter(case=case)).select_related(
        "receiver", "sent_by", "answered_by", "revoked_by"
    )
    for referral in referrals:
        names = {"organisation": referral.receiver.name}
        title = (_("Transfer sent to %(organisation)s") if referral.is_transfer
                 else _("Referral sent to %(organisation)s")) % names
        yield TimelineItem(on=timezone.localdate(referral.sent_at), kind="referral",
                           title=title, by=_name(referral.sent_by))
        if referral.answered_at is not None:
            answer = (_("%(organisation)s accepted the referral")
                      if referral.status != ReferralStatus.DECLINED
                      else _("%(organisation)s declined the referral")) % names
            yield TimelineItem(on=timezone.localdate(referral.answered_at), kind="referral",
                               title=answer, by=_name(referral.answered_by))
        if referral.revoked_at is not None:
            yield TimelineItem(
                on=timezone.localdate(referral.revoked_at), kind="referral",
                title=_("Referral to %(organisation)s revoked") % names,
                by=_name(referral.revoked_by),
            )
    reports = access.for_user(
        user, MonitoringReport.objects.filter(case=case, status=ReportStatus.SUBMITTED)
    ).select_related("organisation", "submitted_by")
    for report in reports:
        title = _("Monitoring report by %(organisation)s") % {
            "organisation": report.organisation.name
        }
        detail = report.get_outcome_display() if report.outcome else ""
        if report.retrafficking_signs:
            detail = ", ".join(filter(None, [detail, _("signs of re-trafficking")]))
        on = report.contacted_on or timezone.localdate(report.submitted_at or timezone.now())
        yield TimelineItem(on=on, kind="monitoring", title=title, detail=detail,
                           by=_name(report.submitted_by))
