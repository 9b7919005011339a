"""The hotline's lines and information campaigns.

Every member of the coalition reads both lists (they identify nobody).
Adding and changing them is for the coordinators of the owning organisation
(:func:`~homeward.hotline.selectors.can_manage_hotline`): a record comes
through the access gate first (404), then that rule decides (403).
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import Organisation, User
from homeward.core.forms import form_saved
from homeward.directory.phones import display
from homeward.hotline import services
from homeward.hotline.choices import CampaignChannel, LineLanguage
from homeward.hotline.forms_manage import CampaignForm, LineForm, campaign_initial, line_initial
from homeward.hotline.models import Campaign, Line
from homeward.hotline.selectors import (
    campaign_get_for_user,
    campaign_list,
    can_manage_hotline,
    line_get_for_user,
    line_list,
    managing_organisations,
)
from homeward.hotline.views_common import request_user

CAMPAIGNS_PER_PAGE = 50


def _managed_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations the user manages the hotline of; 403 when none."""
    organisations = managing_organisations(user).order_by("code")
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def _require_manage(user: User, organisation: Organisation) -> None:
    if not can_manage_hotline(user, organisation):
        raise PermissionDenied


# --- lines --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LineRow:
    line: Line
    number: str
    languages: list[str]
    can_edit: bool


def _language_labels(codes: list[str]) -> list[str]:
    return [str(LineLanguage(code).label) for code in codes if code in LineLanguage.values]


@login_required
@require_GET
def line_list_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    managed = set(managing_organisations(user).values_list("pk", flat=True))
    rows = [
        LineRow(
            line=line, number=display(line.number), languages=_language_labels(line.languages),
            can_edit=line.organisation_id in managed,
        )
        for line in line_list(user=user, active_only=False)
    ]
    return render(
        request, "hotline/line_list.html", {"rows": rows, "can_add": bool(managed)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = LineForm(request.POST or None, organisations=_managed_organisations(user))
    if form_saved(request, form, services.line_create, actor=user):
        messages.success(request, _("The line was added."))
        return HttpResponseRedirect(reverse("hotline:line-list"))
    return render(request, "hotline/line_form.html", {"form": form, "line": None})


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    line = line_get_for_user(user=user, pk=pk)
    _require_manage(user, line.organisation)
    form = LineForm(request.POST or None, initial=line_initial(line))
    if form_saved(request, form, services.line_update, actor=user, line=line):
        messages.success(request, _("The line was saved."))
        return HttpResponseRedirect(reverse("hotline:line-list"))
    return render(request, "hotline/line_form.html", {"form": form, "line": line})


# --- campaigns ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    channels: list[str]
    can_edit: bool


@login_required
@require_GET
def campaign_list_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    managed = set(managing_organisations(user).values_list("pk", flat=True))
    page = Paginator(campaign_list(user=user), CAMPAIGNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        CampaignRow(
            campaign=campaign,
            channels=[str(CampaignChannel(code).label) for code in campaign.channels
                      if code in CampaignChannel.values],
            can_edit=campaign.organisation_id in managed,
        )
        for campaign in page.object_list
    ]
    return render(
        request, "hotline/campaign_list.html",
        {"page": page, "rows": rows, "can_add": bool(managed)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = CampaignForm(request.POST or None, organisations=_managed_organisations(user))
    if form_saved(request, form, services.campaign_create, actor=user):
        messages.success(request, _("The campaign was added."))
        return HttpResponseRedirect(reverse("hotline:campaign-list"))
    return render(request, "hotline/campaign_form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    campaign: Campaign = campaign_get_for_user(user=user, pk=pk)
    _require_manage(user, campaign.organisation)
    form = CampaignForm(request.POST or None, initial=campaign_initial(campaign))
    if form_saved(request, form, services.campaign_update, actor=user, campaign=campaign):
        messages.success(request, _("The campaign was saved."))
        return HttpResponseRedirect(reverse("hotline:campaign-list"))
    return render(
        request, "hotline/campaign_form.html", {"form": form, "campaign": campaign}
    )
