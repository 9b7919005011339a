"""A case's assistance ledger and monitoring, from the reintegration
workspace (:mod:`homeward.reintegration.views_work` says who sees what and
how pages are audited).

A ledger entry is never edited: a mistake is put right by a correction.
A new entry starts from the kind of assistance, which shows what the person
is eligible for (the catalogue's rules, as data) and fills the amount in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from homeward.accounts.models import Organisation, User
from homeward.accounts.selectors import holds_role_in
from homeward.cases.forms_common import today
from homeward.cases.views_common import GET_POST, refuse_unless
from homeward.core import access as gate
from homeward.reintegration import selectors_referrals
from homeward.reintegration.choices import (
    EntryType,
    ReferralStatus,
    ReportStatus,
    RetraffickingSign,
)
from homeward.reintegration.eligibility import eligible_amount
from homeward.reintegration.forms_work import (
    CorrectionForm,
    KindChoiceForm,
    LedgerForm,
    ReportForm,
    ScheduleForm,
    ServiceForm,
    members_of,
)
from homeward.reintegration.models import (
    AssistanceKind,
    LedgerEntry,
    MonitoringReport,
    MonitoringSchedule,
    Programme,
    Referral,
)
from homeward.reintegration.selectors import MANAGE_ROLES, WORK_ROLES, CaseAccess
from homeward.reintegration.services import assistance, monitoring
from homeward.reintegration.views_work import (
    case_access_for,
    labels,
    posted,
    require_write,
    saved,
    workspace_page,
    workspace_url,
)


class ConfirmForm(ServiceForm):
    """An empty form: the POST is the confirmation."""


def _organisation(access: CaseAccess) -> Organisation:
    require_write(access)
    assert access.organisation is not None  # noqa: S101 - require_write
    return access.organisation


# --- the ledger ---------------------------------------------------------------------


def _kinds(user: User) -> Any:
    return gate.for_user(user, AssistanceKind).filter(is_active=True)


def _chosen_kind(request: HttpRequest, kinds: Any) -> AssistanceKind | None:
    source = request.POST if request.method == "POST" else request.GET
    value = source.get("kind", "")
    return kinds.filter(pk=int(value)).first() if value.isdigit() else None


@login_required
@require_http_methods(GET_POST)
def ledger_new(request: HttpRequest, code: str) -> HttpResponse:
    """Record a grant or a payment: first the kind (which shows what the
    person is eligible for, unless a receiving organisation was not shared
    the origin and children the rules read), then the entry, its amount
    filled in."""
    user, access = case_access_for(request, code)
    organisation = _organisation(access)
    kinds = _kinds(user)
    kind = _chosen_kind(request, kinds)
    chooser = KindChoiceForm(initial={"kind": kind.pk if kind else None}, kinds=kinds)
    eligibility = None
    form = None
    if kind is not None:
        initial: dict[str, Any] = {"kind": kind.pk, "currency": kind.currency}
        if access.reads_eligibility:
            eligibility = eligible_amount(kind=kind, person=access.case.person, on=today())
            initial.update(amount=eligibility.amount,
                           currency=eligibility.currency or kind.currency)
        form = LedgerForm(
            posted(request),
            initial=initial,
            kinds=kinds,
            programmes=gate.for_user(user, Programme).filter(is_active=True),
            approvers=members_of([organisation.pk], MANAGE_ROLES),
            payers=members_of([organisation.pk], WORK_ROLES),
            grants=gate.for_user(user, LedgerEntry).filter(
                case=access.case, organisation=organisation, entry_type=EntryType.GRANT,
            ).select_related("kind"),
        )
        if saved(request, form, assistance.ledger_record, actor=user, access=access):
            messages.success(request, _("The entry was added to the ledger."))
            return HttpResponseRedirect(workspace_url(access, "assistance"))
    return workspace_page(request, user, access, template="reintegration/ledger_form.html",
                          context={"chooser": chooser, "kind": kind, "form": form,
                                   "eligibility": eligibility})


@login_required
@require_http_methods(GET_POST)
def ledger_correct(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Put an entry right with a correction entry (the entry stays as it was)."""
    user, access = case_access_for(request, code)
    entry = gate.get_for_user(user, LedgerEntry.objects.select_related("kind"), pk=pk,
                              case=access.case)
    organisation = _organisation(access)
    form = CorrectionForm(posted(request),
                          approvers=members_of([organisation.pk], MANAGE_ROLES))
    if saved(request, form, assistance.ledger_record, actor=user, access=access,
             entry_type=EntryType.CORRECTION, kind=entry.kind, currency=entry.currency,
             corrects=entry):
        messages.success(request, _("The correction was added to the ledger."))
        return HttpResponseRedirect(workspace_url(access, "assistance"))
    return workspace_page(request, user, access, template="reintegration/ledger_correct.html",
                          context={"form": form, "entry": entry})


# --- monitoring ---------------------------------------------------------------------


def _monitors(user: User, access: CaseAccess) -> tuple[list[Organisation], dict[int, Referral]]:
    """Who may monitor: the case's organisation (from the case side) and the
    organisations that accepted a referral of the case."""
    if not access.full:
        assert access.referral is not None  # noqa: S101
        assert access.organisation is not None  # noqa: S101
        return [access.organisation], {access.organisation.pk: access.referral}
    accepted = [
        referral for referral in selectors_referrals.case_referrals(user=user, case=access.case)
        if referral.status == ReferralStatus.ACCEPTED
    ]
    referrals = {referral.receiver_id: referral for referral in reversed(accepted)}
    organisations = [access.case.organisation] + [
        referral.receiver for referral in referrals.values()
    ]
    return organisations, referrals


@login_required
@require_http_methods(GET_POST)
def monitoring_new(request: HttpRequest, code: str) -> HttpResponse:
    """Schedule monitoring: 3, 6 or 12 months, or custom dates."""
    user, access = case_access_for(request, code)
    require_write(access)
    organisations, referrals = _monitors(user, access)
    form = ScheduleForm(
        posted(request), organisations=organisations, referrals=referrals,
        assignees=members_of([org.pk for org in organisations], WORK_ROLES),
    )
    if saved(request, form, monitoring.schedule_create, actor=user, access=access):
        messages.success(request, _("Monitoring was scheduled."))
        return HttpResponseRedirect(workspace_url(access, "monitoring"))
    return workspace_page(request, user, access, template="reintegration/monitoring_form.html",
                          context={"form": form})


@login_required
@require_http_methods(GET_POST)
def monitoring_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Stop monitoring: the reports still due are cancelled."""
    user, access = case_access_for(request, code)
    schedule = gate.get_for_user(
        user, MonitoringSchedule.objects.select_related("organisation"), pk=pk,
        case=access.case,
    )
    require_write(access)
    form = ConfirmForm(posted(request))
    if saved(request, form, monitoring.schedule_cancel, actor=user, access=access,
             schedule=schedule):
        messages.success(request, _("Monitoring was stopped."))
        return HttpResponseRedirect(workspace_url(access, "monitoring"))
    return workspace_page(request, user, access, template="reintegration/monitoring_cancel.html",
                          context={"form": form, "schedule": schedule})


@login_required
@require_http_methods(GET_POST)
def report_submit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """File a monitoring report (the monitoring organisation's workers); a
    submitted report is shown as it was filed."""
    user, access = case_access_for(request, code)
    report = gate.get_for_user(
        user, MonitoringReport.objects.select_related("schedule", "organisation",
                                                      "submitted_by"),
        pk=pk, case=access.case,
    )
    form: forms.Form | None = None
    if report.status == ReportStatus.DUE or request.method == "POST":
        refuse_unless(holds_role_in(user, report.organisation_id, WORK_ROLES))
        form = ReportForm(posted(request))
        if saved(request, form, monitoring.report_submit, actor=user, access=access,
                 report=report):
            messages.success(request, _("The monitoring report was submitted."))
            return HttpResponseRedirect(workspace_url(access, "monitoring"))
    return workspace_page(request, user, access, template="reintegration/report_form.html",
                          context={"form": form, "report": report,
                                   "signs": labels(report.retrafficking_signs,
                                                   RetraffickingSign.choices)})
