"""Medical screening of a person in the shelter network: examinations,
diagnoses (grouped as in the seeds' Table 2, with an optional ICD-10 code),
treatment and clinic.

Recorded and seen by medical staff only (role ``medical`` on the case's team
or at the person's shelter) — no other role, not even coordinators. Like
every medical examination in a case, a screening needs consent to medical
care in force (``homeward.cases.services.medical_unlocked``): for a minor,
given by a parent, a guardian or the social support department; there is no
emergency override here — a screening is never an emergency. The audit row
names the fields and counts the diagnoses; it never holds a code or a text.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.audit.services import Action
from homeward.cases.errors import ConsentRequired
from homeward.cases.models import Case
from homeward.cases.services._common import (
    audit,
    clean,
    not_in_future,
    require_visible_entries,
)
from homeward.cases.services.consents import medical_unlocked
from homeward.directory.models import Entry
from homeward.shelters.choices import DiagnosisGroup
from homeward.shelters.errors import TransitionRefused
from homeward.shelters.models import Diagnosis, MedicalScreening, ShelterStay
from homeward.shelters.selectors_care import medical_organisation

# ICD-10 (WHO; МКБ-10 in Russia): a letter, two digits, and optionally a dot
# and up to four more characters (N70, A51.0, B18.2, T74.1, O09.A1 in
# national extensions), with the dagger/asterisk marks of the dual system.
ICD10_PATTERN = re.compile(r"^[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,4})?[*†]?$")
# Cyrillic letters that look like the Latin ones of ICD-10 codes, as typed on
# a Russian keyboard (А51.0 is A51.0).
_LOOKALIKES = str.maketrans("АВЕКМНОРСТХУ", "ABEKMHOPCTXY")
MAX_DIAGNOSES = 30


@dataclasses.dataclass(frozen=True)
class DiagnosisIn:
    """One diagnosis of a screening: its group (Table 2), and optionally the
    ICD-10 code and the diagnosis in words."""

    group: str
    icd10: str = ""
    detail: str = ""


def normalise_icd10(code: str) -> str:
    """The code as stored: trimmed, upper case, Latin letters, a dot for a
    comma. Empty stays empty."""
    return code.strip().upper().translate(_LOOKALIKES).replace(",", ".").replace(" ", "")


def validate_icd10(code: str) -> str:
    """The normalised code, or ValidationError when it is not an ICD-10 code."""
    normalised = normalise_icd10(code)
    if normalised and not ICD10_PATTERN.match(normalised):
        raise ValidationError(
            _("“%(code)s” is not an ICD-10 code. Write it like N70, A51.0 or B18.2.")
            % {"code": code.strip()[:20]}, code="icd10",
        )
    return normalised


def _clean_diagnoses(diagnoses: Sequence[DiagnosisIn]) -> list[DiagnosisIn]:
    if len(diagnoses) > MAX_DIAGNOSES:
        raise ValidationError(
            {"diagnoses": _("Too many diagnoses for one screening (the limit is %(count)d).")
             % {"count": MAX_DIAGNOSES}}
        )
    cleaned: list[DiagnosisIn] = []
    for number, diagnosis in enumerate(diagnoses, start=1):
        if diagnosis.group not in DiagnosisGroup.values:
            raise ValidationError(
                {"diagnoses": _("Diagnosis %(number)d: choose a diagnosis group.")
                 % {"number": number}}
            )
        try:
            icd10 = validate_icd10(diagnosis.icd10)
        except ValidationError as exc:
            raise ValidationError(
                {"diagnoses": _("Diagnosis %(number)d: %(problem)s")
                 % {"number": number, "problem": exc.messages[0]}}
            ) from exc
        detail = diagnosis.detail.strip()
        if diagnosis.group == DiagnosisGroup.OTHER and not (icd10 or detail):
            raise ValidationError(
                {"diagnoses": _("Diagnosis %(number)d: in the group “Other”, give the "
                                "ICD-10 code or the diagnosis in words.")
                 % {"number": number}}
            )
        cleaned.append(DiagnosisIn(group=diagnosis.group, icd10=icd10, detail=detail))
    return cleaned


def require_medical_consent(case: Case) -> None:
    """ConsentRequired unless consent to medical care is in force (the rule of
    ``homeward.cases.services.medical_unlocked``); the message says where the
    consent is recorded."""
    if medical_unlocked(case):
        return
    where = {"organisation": case.organisation.name}
    if case.person.is_minor_on(timezone.localdate()):
        raise ConsentRequired(
            _("The person is a minor: a medical screening needs the consent of a parent, a "
              "guardian or the city's social support department. The case's organisation "
              "(%(organisation)s) records it on the case's Consents tab.") % where
        )
    raise ConsentRequired(
        _("A medical screening needs the person's consent to medical care. The case's "
          "organisation (%(organisation)s) records it on the case's Consents tab.") % where
    )


@transaction.atomic
def screening_record(
    *, actor: User, case: Case, examined_on: datetime.date,
    diagnoses: Sequence[DiagnosisIn] = (), clinic: Entry | None = None,
    clinic_other: str = "", examinations: str = "", treatment: str = "", notes: str = "",
    stay: ShelterStay | None = None,
) -> MedicalScreening:
    """A medical screening with its diagnoses.

    Only medical staff who may see the case's screenings record one
    (PermissionDenied otherwise), on behalf of the case's organisation when
    on its team, else of the person's shelter's organisation. Refused with
    ConsentRequired unless consent to medical care is in force (minors: from
    a parent, guardian or the social support department). ICD-10 codes are
    checked. Audited on the case with the names of the fields given and the
    number of diagnoses — never a code or a text.
    """
    organisation = medical_organisation(actor, case)
    if organisation is None:
        raise PermissionDenied
    if not case.is_open:
        raise TransitionRefused(_("The case is closed. Reopen it to add records."))
    require_medical_consent(case)
    if stay is not None and stay.case_id != case.pk:
        raise ValidationError({"stay": _("This stay is not one of this case.")})
    not_in_future(examined_on, "examined_on")
    if stay is not None and examined_on < stay.admitted_on:
        raise ValidationError(
            {"examined_on": _("This date is before the admission (%(date)s).")
             % {"date": stay.admitted_on.isoformat()}}
        )
    require_visible_entries(actor, [clinic], "clinic")
    cleaned = _clean_diagnoses(diagnoses)
    screening = MedicalScreening(
        case=case, organisation=organisation, stay=stay, examined_on=examined_on,
        clinic=clinic, clinic_other=clinic_other.strip(), examinations=examinations.strip(),
        treatment=treatment.strip(), notes=notes.strip(), recorded_by=actor,
    )
    if not (cleaned or screening.examinations or screening.treatment or screening.notes):
        raise ValidationError(
            _("Record what was examined, a diagnosis or the treatment.")
        )
    clean(screening, exclude=["case", "organisation", "recorded_by", "stay", "clinic"])
    screening.save()
    Diagnosis.objects.bulk_create(
        Diagnosis(screening=screening, group=d.group, icd10=d.icd10, detail=d.detail)
        for d in cleaned
    )
    given: dict[str, Any] = {
        "examined_on": examined_on, "clinic": clinic, "clinic_other": screening.clinic_other,
        "examinations": screening.examinations, "treatment": screening.treatment,
        "notes": screening.notes, "stay": stay, "diagnoses": cleaned,
    }
    audit(
        action=Action.CREATE, actor=actor, case=case, target=screening,
        fields=[name for name, value in given.items() if value not in (None, "", [])],
        detail={"diagnoses": len(cleaned)},
    )
    return screening


@transaction.atomic
def screening_view_record(*, actor: User, case: Case) -> None:
    """Audit that ``actor`` read the case's medical screenings (a page or the
    API showing them calls this); PermissionDenied for anyone who may not."""
    if medical_organisation(actor, case) is None:
        raise PermissionDenied
    audit(action=Action.VIEW, actor=actor, case=case, fields=["medical_screenings"])
