"""The medical tab of a case and its guardians: examinations, locked until
the consent to medical care is in force (for a minor, the guardian's), the
emergency path that overrides the lock with a written justification, and
recording a guardian.

The tab is for the roles that arrange or perform examinations (403 for
others), recording a guardian for those who manage the case; outsiders get
404. Every page is audited (:func:`~homeward.cases.views_common.case_page`).
Every write goes through one service; a refusal is shown on the form with
nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.accounts.models import User
from homeward.cases import selectors, services
from homeward.cases.choices import ConsentPurpose
from homeward.cases.forms_records import EmergencyExamForm, GuardianForm, MedicalExamForm
from homeward.cases.models import Case, Guardian, MedicalExam
from homeward.cases.views_common import (
    GET_POST,
    case_for,
    case_page,
    records_of,
    tab_url,
    visible_entries,
)
from homeward.core.forms import form_saved
from homeward.directory.models import EntryKind
from homeward.directory.selectors import entry_list_for_user


def _medical_state(user: User, case: Case) -> dict[str, Any]:
    """What the medical pages say about the lock: consent in force, guardians."""
    return {
        "unlocked": services.medical_unlocked(case),
        "medical_consent": selectors.consent_in_force(
            case=case, purpose=ConsentPurpose.MEDICAL
        ),
        "guardians": records_of(user, Guardian, case).order_by("-recorded_on", "-id"),
        "consent_url": tab_url("cases:consent-create", case,
                               {"purpose": ConsentPurpose.MEDICAL}),
    }


@login_required
@require_GET
def case_medical(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="medical")
    exams = list(records_of(user, MedicalExam, case).order_by("-planned_on", "-id"))
    clinics = visible_entries(user, {exam.facility_id for exam in exams})
    rows = [{"exam": exam, "clinic": clinics.get(exam.facility_id or 0)} for exam in exams]
    return case_page(request, user, case, tab="medical", template="cases/case_medical.html",
                     context={"exams": rows, **_medical_state(user, case)})


@login_required
@require_http_methods(GET_POST)
def medical_create(request: HttpRequest, code: str) -> HttpResponse:
    """An examination; while the medical consent is missing only through the
    emergency path (``?emergency=1``), which needs a written justification."""
    user, case = case_for(request, code, need="medical")
    emergency = request.GET.get("emergency") == "1"
    form_class = EmergencyExamForm if emergency else MedicalExamForm
    clinics = entry_list_for_user(user=user, kind=EntryKind.MEDICAL)
    form = form_class(request.POST or None, clinics=clinics)
    if form_saved(
        request, form, services.medical_exam_record, actor=user, case=case, emergency=emergency
    ):
        if emergency:
            messages.warning(request, _(
                "The examination was recorded as an emergency. The coordinator is "
                "notified and the override is recorded in the audit log."
            ))
        else:
            messages.success(request, _("The examination was recorded."))
        return HttpResponseRedirect(tab_url("cases:case-medical", case))
    return case_page(request, user, case, tab="medical", template="cases/medical_form.html",
                     context={"form": form, "emergency": emergency,
                              **_medical_state(user, case)})


@login_required
@require_http_methods(GET_POST)
def guardian_create(request: HttpRequest, code: str) -> HttpResponse:
    user, case = case_for(request, code, need="manage")
    form = GuardianForm(request.POST or None)
    if form_saved(request, form, services.guardian_record, actor=user, case=case):
        messages.success(request, _("The guardian was recorded."))
        if selectors.is_minor(case) and not services.medical_unlocked(case):
            # The usual next step: the guardian's consent to medical care.
            return HttpResponseRedirect(tab_url(
                "cases:consent-create", case, {"purpose": ConsentPurpose.MEDICAL}
            ))
        return HttpResponseRedirect(tab_url("cases:case-consents", case))
    return case_page(request, user, case, tab="consents", template="cases/guardian_form.html",
                     context={"form": form})
