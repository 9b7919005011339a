"""The justice tab of a case: the criminal proceedings the person takes part
in, with the forms that record and edit one. Editing uses optimistic
locking: when someone saved the proceeding meanwhile, their changes are
shown and the user's input kept.

Every page fetches the case through the gate (404 for outsiders), checks
what the user may do with it (403: the forms are for those who manage the
case), and audits the view (:func:`~homeward.cases.views_common.case_page`).
Every write goes through one service; a refusal is shown on the form with
nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import User
from homeward.cases import services
from homeward.cases.errors import EditConflict
from homeward.cases.forms_records import ProceedingForm, proceeding_initial
from homeward.cases.models import Case, CriminalProceeding
from homeward.cases.views_common import GET_POST, case_for, case_page, facts, records_of, tab_url
from homeward.core import access
from homeward.core.forms import add_service_errors


@login_required
@require_GET
def case_justice(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code)
    proceedings = records_of(user, CriminalProceeding, case).order_by("reported_on", "id")
    rows = [{
        "proceeding": proceeding,
        "facts": facts(proceeding, (
            "jurisdiction", "authority", "reference", "person_role", "reported_on",
            "stage_since", "verdict_on", "verdict", "protection_measures",
        )),
    } for proceeding in proceedings]
    return case_page(request, user, case, tab="justice", template="cases/case_justice.html",
                     context={"proceedings": rows})


def _proceeding_page(
    request: HttpRequest, user: User, case: Case, form: ProceedingForm,
    proceeding: CriminalProceeding | None, conflict: EditConflict | None = None,
) -> HttpResponse:
    return case_page(request, user, case, tab="justice", template="cases/proceeding_form.html",
                     context={"form": form, "proceeding": proceeding, "conflict": conflict})


@login_required
@require_http_methods(GET_POST)
def proceeding_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    form = ProceedingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proceeding_create(actor=user, case=case, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The criminal proceeding was recorded."))
            return HttpResponseRedirect(tab_url("cases:case-justice", case))
    return _proceeding_page(request, user, case, form, None)


@login_required
@require_http_methods(GET_POST)
def proceeding_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Optimistic locking: the form carries the version it was opened at; if
    someone saved since, their changes are shown and the user's input kept."""
    user, case = case_for(request, code, need="manage")
    proceeding = access.get_for_user(user, CriminalProceeding, pk=pk, case=case)
    form = ProceedingForm(request.POST or None, initial=proceeding_initial(proceeding))
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["version"] or proceeding.version
        try:
            services.proceeding_update(
                actor=user, proceeding=proceeding, expected_version=expected, **form.values()
            )
        except EditConflict as conflict:
            data = QueryDict(mutable=True)
            data.update(request.POST)
            data[form.add_prefix("version")] = str(conflict.version)
            form = ProceedingForm(data, initial=proceeding_initial(proceeding))
            form.is_valid()
            return _proceeding_page(request, user, case, form, proceeding, conflict)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The criminal proceeding was saved."))
            return HttpResponseRedirect(tab_url("cases:case-justice", case))
    return _proceeding_page(request, user, case, form, proceeding)
