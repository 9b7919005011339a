"""Opening a case: the intake wizard and its duplicate check.

Case workers and coordinators open cases, in the organisations where they
hold that role; hotline operators open only urgent cases (a rescue escalated
from a contact), which the form forces for them. While the person's names,
year of birth or phones are typed, the page asks :func:`person_matches`
whether the coalition already knows them: persons the worker may see are
shown with their case codes (the worker can open the new case for them),
others only as "a possible match exists at <organisation>" — never anything
about the person.

The wizard opens pre-filled from another record through
:mod:`homeward.cases.intake` (``?source=hotline&ref=…``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from homeward.accounts.models import Organisation, User
from homeward.cases import intake, matching, selectors, services
from homeward.cases.forms_intake import (
    IntakeForm,
    has_identifiers,
    identifiers_from_data,
    organisation_from_data,
)
from homeward.cases.models import Case, Person
from homeward.cases.views_common import refuse_unless, request_user
from homeward.directory.selectors import entry_list_for_user

# Service error names that the intake form calls differently.
FORM_NAMES = {"given_by": "consent_given_by", "given_by_name": "consent_given_by_name"}


@dataclasses.dataclass(frozen=True)
class MatchRow:
    """A person the worker may see who may be the one being recorded."""

    person: Person
    evidence: str  # why it may be them, in words
    cases: list[Case]


def _openers(user: User) -> QuerySet[Organisation]:
    """Where the user may open cases (urgent ones included); 403 when nowhere."""
    organisations = selectors.case_opening_organisations(user=user, urgent=True)
    refuse_unless(organisations.exists())
    return organisations


def _urgent_only(user: User, organisations: QuerySet[Organisation]) -> frozenset[int]:
    return frozenset(
        organisation.pk for organisation in organisations
        if selectors.opens_only_urgent_cases(user, organisation)
    )


def _matches_context(
    user: User, data: QueryDict, organisations: QuerySet[Organisation]
) -> dict[str, Any]:
    """What ``_person_matches.html`` shows for the submitted person fields."""
    identifiers = identifiers_from_data(data)
    organisation = organisation_from_data(data, organisations)
    context: dict[str, Any] = {"checked": False, "rows": [], "elsewhere": [],
                               "selected": data.get("existing_person", "")}
    if organisation is None or not has_identifiers(identifiers):
        return context
    report = services.person_match_check(
        actor=user, organisation=organisation, identifiers=identifiers
    )
    evidence = {
        matching.STRONG: _("same document or e-mail"),
        matching.LIKELY: _("same name and year of birth, or same phone"),
        matching.POSSIBLE: _("a similar name"),
    }
    context["checked"] = True
    context["rows"] = [
        MatchRow(
            person=match.person, evidence=evidence.get(match.strength, ""),
            cases=list(selectors.cases_of_person_for_user(user=user, person=match.person)),
        )
        for match in report.visible
    ]
    context["elsewhere"] = report.elsewhere
    return context


@login_required
@require_POST
def person_matches(request: HttpRequest) -> HttpResponse:
    """The duplicate check of the intake form's person section (htmx fragment)."""
    user = request_user(request)
    organisations = _openers(user)
    return render(request, "cases/_person_matches.html", {
        "matches": _matches_context(user, request.POST, organisations),
    })


def _add_errors(form: IntakeForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        for candidate in (name, FORM_NAMES.get(name, ""), f"missing_{name}"):
            if candidate in form.fields:
                form.add_error(candidate, errors)
                break
        else:
            form.add_error(None, errors)


def _open(user: User, form: IntakeForm) -> Case:
    data = form.cleaned_data
    person: Person | None = None
    person_fields: dict[str, Any] | None = None
    if data["existing_person"]:
        try:
            person = selectors.person_get_for_user(user=user, pk=data["existing_person"])
        except Http404 as exc:
            raise ValidationError(
                _("The person you chose is not available to you. Check the matches again.")
            ) from exc
    else:
        person_fields = form.person_values()
    return services.case_open(
        actor=user, organisation=data["organisation"], referral_source=data["referral_source"],
        person=person, person_fields=person_fields, kind=data["kind"],
        missing_report=form.missing_report_values(), consents=form.consent_values(),
        **form.case_values(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    organisations = _openers(user)
    urgent_only = _urgent_only(user, organisations)
    entries = entry_list_for_user(user=user).prefetch_related(None)
    if request.method == "POST":
        form = IntakeForm(
            request.POST, organisations=organisations, entries=entries, urgent_only=urgent_only
        )
    else:
        source, ref = request.GET.get("source", ""), request.GET.get("ref", "")
        initial = intake.prefill(user, source, ref)
        if initial:
            initial.update({"source": source, "ref": ref})
        form = IntakeForm(
            initial=initial, organisations=organisations, entries=entries,
            urgent_only=urgent_only,
        )
    if request.method == "POST" and form.is_valid():
        try:
            # The source's app links its record in the same transaction: if
            # it refuses (the contact already has a case), nothing is opened.
            with transaction.atomic():
                case = _open(user, form)
                intake.opened(user, form.cleaned_data["source"], form.cleaned_data["ref"], case)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Case %(code)s was opened.") % {"code": case.code}
            )
            return HttpResponseRedirect(reverse("cases:case-detail", kwargs={"code": case.code}))
    matches = (
        _matches_context(user, request.POST, organisations) if request.method == "POST"
        else None
    )
    return render(request, "cases/case_form.html", {
        "form": form, "matches": matches, "cancel_url": reverse("cases:case-list"),
    })
