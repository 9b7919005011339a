"""Rescue escalation: from a contact, who can help where the person is, the
calls made to them, and the urgent case opened in the cases app.

Only the hotline operators and coordinators of an organisation
(``HOTLINE_LOG``) use these pages: other roles get 403; a contact of another
organisation is not found (404). Every look-up of who can help is audited
(:func:`~homeward.hotline.services.helpers_lookup_record`).
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case as DbCase
from django.db.models import IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_countries import countries

from homeward.accounts.models import Organisation, User
from homeward.core.forms import form_saved
from homeward.directory.models import Entry
from homeward.directory.phones import display
from homeward.directory.selectors import Helper, entry_list_for_user, who_can_help
from homeward.hotline import services
from homeward.hotline.choices import INDICATOR_CHOICES, Topic
from homeward.hotline.forms_escalation import EscalationCallForm, WhoCanHelpForm
from homeward.hotline.intake import SOURCE, concern_place
from homeward.hotline.models import Contact
from homeward.hotline.selectors import (
    logging_organisations,
)
from homeward.hotline.views_common import case_link, choice_labels, contact_for_view, request_user


def _logging_organisation(user: User) -> Organisation:
    """The first organisation the user logs contacts in; 403 when none."""
    organisation = logging_organisations(user).order_by("code").first()
    if organisation is None:
        raise PermissionDenied
    return organisation


# --- who can help --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class HelperRow:
    helper: Helper
    phone_display: str


def _helpers_context(
    user: User, organisation: Organisation, form: WhoCanHelpForm, contact: Contact | None
) -> dict[str, Any]:
    """Run the look-up the form asks for (audited); the fragment's context."""
    context: dict[str, Any] = {"form": form, "rows": None, "country_name": "", "city": ""}
    if not form.is_bound or not form.is_valid():
        return context
    country, city = form.cleaned_data["country"], form.cleaned_data["city"].strip()
    helpers = who_can_help(user=user, country=country, city=city)
    services.helpers_lookup_record(
        actor=user, organisation=organisation, country=country, city=city,
        found=len(helpers), contact=contact,
    )
    context.update({
        "rows": [HelperRow(helper, display(helper.contact.phone)) for helper in helpers],
        "country_name": countries.name(country), "city": city,
    })
    return context


@login_required
@require_GET
def who_can_help_fragment(request: HttpRequest) -> HttpResponse:
    """Who can help in ``?country=`` (code or name) and ``city=`` (htmx fragment).

    ``?contact=<id>`` names the contact the look-up is for (its organisation
    is audited); without it, the user's first hotline organisation.
    """
    user = request_user(request)
    organisation = _logging_organisation(user)
    contact = None
    contact_id = request.GET.get("contact", "")
    if contact_id.isdigit():
        contact = contact_for_view(user, int(contact_id))
        organisation = contact.organisation
    form = WhoCanHelpForm(request.GET if "country" in request.GET else None)
    return render(request, "hotline/_who_can_help.html",
                  _helpers_context(user, organisation, form, contact))


# --- the escalation page -------------------------------------------------------


def _entries(user: User, country: str) -> QuerySet[Entry]:
    """Directory entries to choose who was called from: those of ``country``
    first."""
    return (
        entry_list_for_user(user=user).prefetch_related(None)
        .annotate(elsewhere=DbCase(When(country=country, then=Value(0)), default=Value(1),
                                   output_field=IntegerField()))
        .order_by("elsewhere", "name_en", "pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    contact = contact_for_view(user, pk)
    country, city = concern_place(contact)
    call_form = EscalationCallForm(
        request.POST if request.method == "POST" else None, entries=_entries(user, country),
    )
    if form_saved(request, call_form, services.escalation_call_record, actor=user,
                  contact=contact):
        messages.success(request, _("The call was recorded."))
        return HttpResponseRedirect(reverse("hotline:contact-escalate", kwargs={"pk": pk}))
    lookup = QueryDict(mutable=True)
    lookup.update({"country": country, "city": city})
    helpers_form = WhoCanHelpForm(lookup if country else None)
    case_code, case_url = case_link(user, contact.case)
    return render(request, "hotline/contact_escalate.html", {
        "contact": contact,
        "topics": choice_labels(contact.topics, list(Topic.choices)),
        "indicators": choice_labels(contact.indicators, INDICATOR_CHOICES),
        "concern_country": countries.name(country) if country else "",
        "concern_city": city,
        **_helpers_context(user, contact.organisation, helpers_form, contact),
        "call_form": call_form,
        "calls": list(contact.escalation_calls.select_related("entry", "recorded_by")),
        "case_code": case_code,
        "case_url": case_url,
        "open_case_url": reverse("cases:case-create") + "?" + urlencode(
            {"source": SOURCE, "ref": contact.pk}
        ),
        "detail_url": reverse("hotline:contact-detail", kwargs={"pk": contact.pk}),
    })
