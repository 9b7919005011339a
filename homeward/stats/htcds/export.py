"""Writing cases as an HTCDS exchange file (see :mod:`.profile`).

De-identified by default: no names, contacts, document numbers or free-text
notes; dates only as years; the birth as ``x_BirthYear`` and ``x_AgeBand``.
Only victim cases whose person did not refuse or withdraw the "Statistics"
consent are written (the statistics cohort rule).

An identifying export goes to one recipient organisation: it adds the
identifying columns and exact dates for the cases whose person may share
their data with it (``cases.selectors.may_share_with``: the case's own
organisation, or a "data sharing" consent for the recipient); their rows are
written even when the person refused the statistics use, because the
legal ground is the sharing consent. Other cases stay de-identified.

Every export is audited (format, rows, identifying rows, recipient,
organisations); the file itself is never stored.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

from homeward.accounts.models import Organisation
from homeward.audit.services import Action, audit_record
from homeward.cases.choices import (
    CaseKind,
    ConsentDecision,
    ConsentPurpose,
    Step,
)
from homeward.cases.models import Case, CaseStep, Consent, Person, TraffickingEvent
from homeward.core.crypto import blind_index
from homeward.core.fields import EncryptedFieldMixin
from homeward.stats import scope
from homeward.stats.cohort import EXCLUDING_DECISIONS, age_band_of, statistics_decision
from homeward.stats.htcds import profile

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTERNAL_ID_PURPOSE = "stats-htcds-external-id"
EXTERNAL_ID_PREFIX = "HW-"


@dataclasses.dataclass(frozen=True)
class ExportResult:
    content: bytes
    rows: int
    identifying_rows: int
    filename: str
    content_type: str


def external_id(case: Case) -> str:
    """The case's stable id in exchange files: the sender's id of an imported
    case, else ``HW-`` and a keyed hash of its primary key (stable, reveals
    nothing without the server's key)."""
    imported = getattr(case, "imported_as", None)
    if imported is not None:
        return str(imported.external_id)
    digest = blind_index(str(case.pk), purpose=EXTERNAL_ID_PURPOSE)
    return EXTERNAL_ID_PREFIX + digest[:24].upper()


def _joined(values: Iterable[str]) -> str:
    return profile.SEPARATOR.join(values)


def case_row(
    case: Case,
    *,
    identifying: bool,
    identification_date: datetime.date | None,
    transport_modes: Sequence[str],
) -> dict[str, str]:
    """One row of the file (column → text). With ``identifying`` the
    identifying columns are filled and dates are exact; otherwise dates are
    years and the identifying columns stay empty."""
    person = case.person
    exact = identifying
    band = ""
    if person.birth_year is not None:
        band = age_band_of(case.opened_on.year - person.birth_year)
    location = ""
    if case.destination_country:
        location = str(case.destination_country.code)
        if case.destination_city:
            location += profile.LOCATION_SEPARATOR + case.destination_city
    row = {
        "x_ExternalId": external_id(case),
        "cas_Status": case.status,
        "x_Step": case.step,
        "x_RegistrationDate": profile.date_text(case.opened_on, exact=exact),
        "x_IdentificationDate": profile.date_text(identification_date, exact=exact),
        "x_ClosedDate": profile.date_text(case.closed_on, exact=exact),
        "cas_IncomingReferralDate": profile.date_text(case.incoming_referral_date, exact=exact),
        "x_ReferralSource": case.referral_source,
        "prs_Gender": person.gender,
        "x_BirthYear": str(person.birth_year) if person.birth_year is not None else "",
        "x_AgeBand": band,
        "prs_Citizenship": _joined(person.citizenship_list),
        "prs_MaritalStatus": person.marital_status,
        "prs_NumberOfChildren": (
            str(person.number_of_children) if person.number_of_children is not None else ""
        ),
        "prs_PrimaryLanguage": person.primary_language,
        "prs_SecondaryLanguage": person.secondary_language,
        "prs_HighestLevelOfEducation": person.education,
        "prs_Deceased": "true" if person.deceased else "",
        "x_OriginCountry": str(person.origin_country.code or ""),
        "x_OriginRegion": person.origin_region,
        "x_OriginCity": person.origin_city,
        "vic_TraffickingStatus": case.trafficking_status,
        "vic_TraffickingStatusDecisionMakingOrg": case.trafficking_status_decided_by,
        "vic_RelationshipToTrafficker": case.relationship_to_trafficker,
        "vic_AgeWhenTrafficked": (
            str(case.age_when_trafficked) if case.age_when_trafficked is not None else ""
        ),
        "vic_MethodOfRecruitment": _joined(case.recruitment_methods),
        "x_RecruitmentChannels": _joined(case.recruitment_channels),
        "vic_MethodsOfControl": _joined(case.methods_of_control),
        "vic_TypeOfExploitation": _joined(case.exploitation_types),
        "vic_ForcedLabourIndustry": case.forced_labour_industry,
        "vic_TypeOfSexExploitation": _joined(case.sex_exploitation_types),
        "vic_LocationOfExploitation": location,
        "x_TransportModes": _joined(transport_modes),
    }
    if identifying:
        row.update({
            "prs_FirstName": person.first_name,
            "prs_MiddleName": person.middle_name,
            "prs_SecondName": person.last_name,
            "prs_Birthdate": person.birth_date.isoformat() if person.birth_date else "",
            "prs_Email": person.email,
            "prs_MobilePhone": _joined(str(phone) for phone in person.phones or []),
            "prs_IdentityNumber": _joined(
                str(document.get("number", "")) for document in person.identity_documents or []
                if isinstance(document, dict) and document.get("number")
            ),
        })
    return row


def _shareable(case_ids: list[int], recipient: Organisation) -> set[int]:
    """The cases whose newest "data sharing" decision for ``recipient`` is
    "given" (in one query; see ``cases.selectors.may_share_with``)."""
    newest: dict[int, str] = {}
    for case_id, decision in (
        Consent.objects.filter(case_id__in=case_ids, purpose=ConsentPurpose.DATA_SHARING,
                               organisation=recipient)
        .order_by("-decided_on", "-id").values_list("case_id", "decision")
    ):
        newest.setdefault(case_id, decision)
    return {pk for pk, decision in newest.items() if decision == ConsentDecision.GIVEN}


def _identification_dates(case_ids: list[int]) -> dict[int, datetime.date]:
    dates: dict[int, datetime.date] = {}
    for case_id, day in (
        CaseStep.objects.filter(case_id__in=case_ids, step=Step.IDENTIFICATION)
        .order_by("happened_on", "id").values_list("case_id", "happened_on")
    ):
        dates.setdefault(case_id, day)
    return dates


def _transport_modes(case_ids: list[int]) -> dict[int, list[str]]:
    modes: dict[int, list[str]] = {}
    for case_id, values in (
        TraffickingEvent.objects.filter(case_id__in=case_ids)
        .order_by("id").values_list("case_id", "transport_modes")
    ):
        current = modes.setdefault(case_id, [])
        for value in values or []:
            if value not in current:
                current.append(value)
    order = list(profile.BY_NAME["x_TransportModes"].allowed)
    return {
        pk: sorted(values, key=lambda v: order.index(v) if v in order else len(order))
        for pk, values in modes.items()
    }


def _write(rows: list[dict[str, str]], columns: Sequence[str], fmt: str) -> bytes:
    if fmt == "xlsx":
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("cases")
        sheet.append(list(columns))
        for row in rows:
            line = []
            for name in columns:
                cell = WriteOnlyCell(sheet, value=row.get(name, ""))
                cell.data_type = "s"  # text, never a formula or a number
                line.append(cell)
            sheet.append(line)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([profile.csv_safe(row.get(name, "")) for name in columns])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def _encrypted(model: type[models.Model]) -> list[str]:
    return [
        field.name for field in model._meta.concrete_fields
        if isinstance(field, EncryptedFieldMixin)
    ]


def _base_cases(
    actor: Any, cases: QuerySet[Case] | None, organisations: Sequence[Organisation] | None
) -> QuerySet[Case]:
    queryset = Case.objects.all() if actor is None else scope.exportable_cases(actor)
    if cases is not None:
        queryset = queryset.filter(pk__in=cases.values("pk"))
    if organisations is not None:
        queryset = queryset.filter(organisation__in=[org.pk for org in organisations])
    return queryset.filter(kind=CaseKind.VICTIM)


def htcds_export_file(
    *,
    actor: Any,
    fmt: str,
    identifying: bool = False,
    recipient: Organisation | None = None,
    cases: QuerySet[Case] | None = None,
    organisations: Sequence[Organisation] | None = None,
) -> ExportResult:
    """The cases ``actor`` may export (``scope.exportable_cases``; ``None``:
    the command line, every case), optionally narrowed to ``cases`` and
    ``organisations``, as an HTCDS file; audited as an export.

    ``identifying`` needs a ``recipient`` (``ValidationError`` otherwise);
    callers check the sudo mode (pages) or the explicit flags (CLI).
    """
    if fmt not in FORMATS:
        raise ValidationError(_("Choose CSV or XLSX."))
    if identifying and recipient is None:
        raise ValidationError(
            _("An export with identifying data needs the organisation it is sent to.")
        )
    # Encrypted columns are decrypted as rows load: a de-identified export
    # never loads them (an identifying one loads the person's).
    deferred = _encrypted(Case)
    if not identifying:
        deferred += [f"person__{name}" for name in _encrypted(Person)]
    queryset = (
        _base_cases(actor, cases, organisations)
        .annotate(statistics_decision=statistics_decision())
        .select_related("person", "organisation", "imported_as")
        .defer(*deferred)
        .order_by("opened_on", "id")
    )
    chosen = list(queryset)
    ids = [case.pk for case in chosen]
    shareable: set[int] = set()
    if identifying and recipient is not None:
        shareable = _shareable(ids, recipient) | {
            case.pk for case in chosen if case.organisation_id == recipient.pk
        }
    chosen = [
        case for case in chosen
        if case.pk in shareable or case.statistics_decision not in EXCLUDING_DECISIONS
    ]
    ids = [case.pk for case in chosen]
    identification = _identification_dates(ids)
    modes = _transport_modes(ids)
    rows = [
        case_row(
            case, identifying=case.pk in shareable,
            identification_date=identification.get(case.pk),
            transport_modes=modes.get(case.pk, []),
        )
        for case in chosen
    ]
    columns = profile.IDENTIFYING_COLUMNS if identifying else profile.DEIDENTIFIED_COLUMNS
    content = _write(rows, columns, fmt)
    identifying_rows = len(shareable & set(ids))
    with transaction.atomic():
        audit_record(
            action=Action.EXPORT, actor=actor,
            organisation=recipient if identifying else None,
            target_type="stats.htcds", target_id="htcds",
            detail={
                "format": fmt, "rows": len(rows), "identifying": identifying,
                "identifying_rows": identifying_rows,
                "recipient": recipient.code if recipient is not None else None,
                "organisations": ",".join(
                    sorted({case.organisation.code for case in chosen})
                ),
                "source": "cli" if actor is None else "web",
            },
        )
    stamp = timezone.localdate().isoformat()
    return ExportResult(
        content=content, rows=len(rows), identifying_rows=identifying_rows,
        filename=f"homeward-htcds-{stamp}.{fmt}", content_type=CONTENT_TYPES[fmt],
    )


def htcds_export(
    *,
    actor: Any,
    fmt: str,
    identifying: bool = False,
    recipient: Organisation | None = None,
    cases: QuerySet[Case] | None = None,
) -> bytes:
    """The file's bytes (see :func:`htcds_export_file`)."""
    return htcds_export_file(
        actor=actor, fmt=fmt, identifying=identifying, recipient=recipient, cases=cases
    ).content
