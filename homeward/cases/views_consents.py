"""The consents tab of a case: the decision in force for each purpose, the
history of every decision, the guardians, recording a decision (with an
optional scan of the signed form, stored encrypted), and downloading that
scan.

Every page fetches the case through the gate (404 for outsiders), checks
what the user may do with it (403: recording and scans are for those who
manage the case), and audits the view
(:func:`~homeward.cases.views_common.case_page`; the scan download is
audited by its service). A refusal is shown on the form with nothing
changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.cases import selectors, services
from homeward.cases.choices import ConsentPurpose
from homeward.cases.forms_records import ConsentRecordForm, purpose_from_query
from homeward.cases.models import Consent, Guardian
from homeward.cases.views_common import GET_POST, case_for, case_page, records_of, tab_url
from homeward.core import access
from homeward.core.forms import add_service_errors


@login_required
@require_GET
def case_consents(request: HttpRequest, code: str) -> HttpResponse:
    """Every decision, newest first, grouped by purpose; the newest for a
    purpose (and organisation) is the one in force."""
    user, case = case_for(request, code)
    panel = selectors.consent_panel(case=case)
    in_force = {consent.pk for _purpose, _label, consent in panel if consent is not None}
    consents = list(records_of(user, Consent, case).select_related("organisation")
                    .order_by("-decided_on", "-id"))
    history = [
        {"purpose": purpose, "label": label,
         "consents": [c for c in consents if c.purpose == purpose]}
        for purpose, label in ConsentPurpose.choices
    ]
    return case_page(request, user, case, tab="consents", template="cases/case_consents.html",
                     context={
                         "panel": panel, "history": history, "in_force": in_force,
                         "guardians": records_of(user, Guardian, case)
                         .order_by("-recorded_on", "-id"),
                     })


@login_required
@require_http_methods(GET_POST)
def consent_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    purpose = purpose_from_query(request.GET.get("purpose"))
    form = ConsentRecordForm(
        request.POST or None, request.FILES or None, minor=selectors.is_minor(case),
        initial={"purpose": purpose} if purpose else {},
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        scan = values.pop("scan") or None
        try:
            consent = services.consent_record(actor=user, case=case, scan=scan, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent decision was recorded."))
            if (consent.purpose == ConsentPurpose.MEDICAL
                    and selectors.can_see_medical(user, case)):
                return HttpResponseRedirect(tab_url("cases:case-medical", case))
            return HttpResponseRedirect(tab_url("cases:case-consents", case))
    return case_page(request, user, case, tab="consents", template="cases/consent_form.html",
                     context={"form": form})


@login_required
@require_GET
def consent_scan(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The decrypted scan of a signed consent, as a download (audited by the
    service). Only for those who manage the case: it shows signatures."""
    user, case = case_for(request, code, need="manage")
    consent = access.get_for_user(user, Consent, pk=pk, case=case)
    if not consent.scan_content_type:
        raise Http404
    try:
        data, content_type, filename = services.consent_scan_read(actor=user, consent=consent)
    except ValidationError as exc:  # no scan stored
        raise Http404 from exc
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(True, filename) or "attachment"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
