"""The assistance catalogue, programmes and donors.

Every member reads the catalogue — kinds of assistance with their default
amounts and their eligibility rules, shown as sentences ("Citizens of
Russia: 150 EUR (base)") — and the programmes with their donors.
Coordinators add and change kinds, add, reorder and remove rules, and add
programmes and donors; the services check and audit it.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import User
from homeward.cases.views_common import GET_POST, request_user
from homeward.core import access
from homeward.core.forms import form_saved
from homeward.reintegration.choices import RuleCondition, RuleMode
from homeward.reintegration.forms_manage import (
    DonorForm,
    KindEditForm,
    KindForm,
    MoveForm,
    ProgrammeEditForm,
    ProgrammeForm,
    RuleForm,
    kind_initial,
    programme_initial,
)
from homeward.reintegration.models import AssistanceKind, Donor, EligibilityRule, Programme
from homeward.reintegration.selectors import may_manage
from homeward.reintegration.services import assistance as services
from homeward.reintegration.views_manage import require_manager, show_refusal


def amount_text(amount: Decimal | None, currency: str) -> str:
    """ "150 EUR", "12.50 EUR"; whole amounts without the cents."""
    if amount is None:
        return ""
    text = f"{amount:.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{text} {currency}"


def _who(rule: EligibilityRule) -> str:
    country = rule.country.name if rule.country else "?"
    if rule.condition == RuleCondition.CITIZEN_OF:
        return _("Citizens of %(country)s") % {"country": country}
    if rule.condition == RuleCondition.NOT_CITIZEN_OF:
        return _("Not citizens of %(country)s") % {"country": country}
    if rule.condition == RuleCondition.MOTHER_WITH_SMALL_CHILDREN:
        return _("Mothers with small children")
    if rule.condition == RuleCondition.MINOR:
        return _("Under 18")
    return _("Everyone")


def rule_sentence(rule: EligibilityRule, currency: str) -> str:
    """A rule as a coordinator reads it: "Citizens of Russia: 150 EUR (base)",
    "Mothers with small children: +350 EUR (supplement)"."""
    values = {"who": _who(rule), "amount": amount_text(rule.amount, currency)}
    if rule.mode == RuleMode.SUPPLEMENT:
        return _("%(who)s: +%(amount)s (supplement)") % values
    return _("%(who)s: %(amount)s (base)") % values


def _kinds(user: object) -> list[AssistanceKind]:
    kinds = list(
        access.for_user(user, AssistanceKind).prefetch_related(
            Prefetch("rules", queryset=EligibilityRule.objects.order_by("position", "pk"))
        )
    )
    for kind in kinds:
        kind.rule_lines = [  # type: ignore[attr-defined]
            (rule, rule_sentence(rule, kind.currency)) for rule in kind.rules.all()
        ]
        kind.default_text = amount_text(  # type: ignore[attr-defined]
            kind.default_amount, kind.currency
        )
    return kinds


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(request, "reintegration/catalogue.html", {
        "kinds": _kinds(user), "can_edit": may_manage(user),
    })


def _catalogue_url(kind: AssistanceKind | None = None) -> str:
    url = reverse("reintegration:catalogue")
    return f"{url}#kind-{kind.pk}" if kind is not None else url


@login_required
@require_http_methods(GET_POST)
def kind_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_manager(user)
    form = KindForm(request.POST or None)
    if form_saved(request, form, services.kind_create, actor=user):
        messages.success(request, _("The kind of assistance was added."))
        return HttpResponseRedirect(reverse("reintegration:catalogue"))
    return render(request, "reintegration/kind_form.html", {"form": form, "kind": None})


@login_required
@require_http_methods(GET_POST)
def kind_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    kind = access.get_for_user(user, AssistanceKind, pk=pk)
    require_manager(user)
    form = KindEditForm(request.POST or None, initial=kind_initial(kind))
    if form_saved(request, form, services.kind_update, actor=user, kind=kind):
        messages.success(request, _("The kind of assistance was saved."))
        return HttpResponseRedirect(_catalogue_url(kind))
    rules = [
        (rule, rule_sentence(rule, kind.currency))
        for rule in kind.rules.order_by("position", "pk")
    ]
    return render(request, "reintegration/kind_form.html", {
        "form": form, "kind": kind, "rules": rules,
    })


@login_required
@require_http_methods(GET_POST)
def rule_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    kind = access.get_for_user(user, AssistanceKind, pk=pk)
    require_manager(user)
    form = RuleForm(request.POST or None)
    if form_saved(request, form, services.rule_add, actor=user, kind=kind):
        messages.success(request, _("The rule was added."))
        return HttpResponseRedirect(_catalogue_url(kind))
    return render(request, "reintegration/rule_form.html", {"form": form, "kind": kind})


def _rule(request: HttpRequest, pk: int) -> tuple[User, EligibilityRule]:
    """The rule through the gate (404), for a coordinator (403 for others)."""
    user = request_user(request)
    rule = access.get_for_user(user, EligibilityRule.objects.select_related("kind"), pk=pk)
    require_manager(user)
    return user, rule


@login_required
@require_POST
def rule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user, rule = _rule(request, pk)
    kind = rule.kind
    try:
        services.rule_remove(actor=user, rule=rule)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The rule was removed."))
    return HttpResponseRedirect(_catalogue_url(kind))


@login_required
@require_POST
def rule_move(request: HttpRequest, pk: int) -> HttpResponse:
    """One place up or down: the first base rule that matches applies."""
    user, rule = _rule(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to move the rule up or down."))
    else:
        try:
            services.rule_move(actor=user, rule=rule, up=form.up)
        except ValidationError as error:
            show_refusal(request, error)
    return HttpResponseRedirect(_catalogue_url(rule.kind))


# --- programmes and donors ---------------------------------------------------------------


@login_required
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(request, "reintegration/programme_list.html", {
        "programmes": access.for_user(user, Programme).select_related("donor").order_by("code"),
        "donors": access.for_user(user, Donor).order_by("name"),
        "can_edit": may_manage(user),
    })


@login_required
@require_http_methods(GET_POST)
def programme_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_manager(user)
    form = ProgrammeForm(request.POST or None)
    if form_saved(request, form, services.programme_create, actor=user):
        messages.success(request, _("The programme was added."))
        return HttpResponseRedirect(reverse("reintegration:programme-list"))
    return render(request, "reintegration/programme_form.html", {
        "form": form, "programme": None, "has_donors": Donor.objects.exists(),
    })


@login_required
@require_http_methods(GET_POST)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    programme = access.get_for_user(user, Programme, pk=pk)
    require_manager(user)
    form = ProgrammeEditForm(request.POST or None, initial=programme_initial(programme))
    if form_saved(request, form, services.programme_update, actor=user, programme=programme):
        messages.success(request, _("The programme was saved."))
        return HttpResponseRedirect(reverse("reintegration:programme-list"))
    return render(request, "reintegration/programme_form.html", {
        "form": form, "programme": programme, "has_donors": True,
    })


@login_required
@require_http_methods(GET_POST)
def donor_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_manager(user)
    form = DonorForm(request.POST or None)
    if form_saved(request, form, services.donor_create, actor=user):
        messages.success(request, _("The donor was added."))
        return HttpResponseRedirect(reverse("reintegration:programme-list"))
    return render(request, "reintegration/donor_form.html", {"form": form})
