"""Reading an HTCDS exchange file into cases (see :mod:`.profile`).

:func:`htcds_check` reads and validates every row and says what importing
would do — create, update or leave unchanged — changing nothing (the dry
run). :func:`htcds_import` writes a file without errors in one transaction:
any failure rolls everything back. Rows are matched on ``x_ExternalId``
through :class:`~homeward.stats.models.ImportedCase`, so importing the same
file twice changes nothing the second time.

Imported cases belong to the importing organisation. A new case gets a
person (names only from an identifying file), its registration date from
``x_RegistrationDate``, else ``cas_IncomingReferralDate``, else the import
date; its referral source from ``x_ReferralSource``, else "Other"; an
"Identification" step on ``x_IdentificationDate`` (else the registration
date), and a "Transit" trafficking event holding ``x_TransportModes``. The
case services' ``case_open`` is not used: it needs a name and a case worker
opening the case, and an exchange file has neither. The same rules and
audit rows apply here: every case created or changed is audited with the
names of its fields (never values), the import as a whole with its counts.

An empty cell means "unknown" and never erases a stored value. A date of
reduced precision (a year) that agrees with the stored date keeps it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation
from homeward.audit.services import Action, audit_record
from homeward.cases import matching, selectors
from homeward.cases.choices import (
    CLOSED_STATUSES,
    CaseKind,
    CaseStatus,
    EventType,
    IdentityDocumentKind,
    ReferralSource,
    Step,
)
from homeward.cases.models import Case, CaseStep, Person, TraffickingEvent
from homeward.cases.services.cases import case_code_next
from homeward.core import tabular
from homeward.directory.phones import to_e164
from homeward.stats.htcds import profile
from homeward.stats.models import ImportedCase

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20000
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
Progress = Callable[[int, int], None]

# Columns copied to one model field as they are.
PERSON_FIELDS = {
    "prs_Gender": "gender",
    "prs_MaritalStatus": "marital_status",
    "prs_NumberOfChildren": "number_of_children",
    "prs_PrimaryLanguage": "primary_language",
    "prs_SecondaryLanguage": "secondary_language",
    "prs_HighestLevelOfEducation": "education",
    "prs_Deceased": "deceased",
    "x_OriginCountry": "origin_country",
    "x_OriginRegion": "origin_region",
    "x_OriginCity": "origin_city",
    "prs_FirstName": "first_name",
    "prs_MiddleName": "middle_name",
    "prs_SecondName": "last_name",
    "prs_Email": "email",
}
CASE_FIELDS = {
    "cas_Status": "status",
    "x_Step": "step",
    "x_ReferralSource": "referral_source",
    "vic_TraffickingStatus": "trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "trafficking_status_decided_by",
    "vic_RelationshipToTrafficker": "relationship_to_trafficker",
    "vic_AgeWhenTrafficked": "age_when_trafficked",
    "vic_MethodOfRecruitment": "recruitment_methods",
    "x_RecruitmentChannels": "recruitment_channels",
    "vic_MethodsOfControl": "methods_of_control",
    "vic_TypeOfExploitation": "exploitation_types",
    "vic_ForcedLabourIndustry": "forced_labour_industry",
    "vic_TypeOfSexExploitation": "sex_exploitation_types",
}
# Person fields that rebuild the duplicate-search keys.
IDENTIFIER_FIELDS = {
    "first_name", "middle_name", "last_name", "birth_date", "birth_year", "email", "phones",
    "identity_documents",
}


class HtcdsFileError(Exception):
    """The file as a whole cannot be read (format, size, header)."""


@dataclasses.dataclass
class RowPlan:
    """One data row: its line number, its id, what it would do, and why not."""

    number: int
    external_id: str = ""
    action: str = ""
    errors: list[str] = dataclasses.field(default_factory=list)
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    # The fields an update would change.
    changes: list[str] = dataclasses.field(default_factory=list)

    @property
    def action_label(self) -> str:
        if self.errors:
            return _("Error")
        return {CREATE: _("Create"), UPDATE: _("Update"), UNCHANGED: _("Unchanged")}.get(
            self.action, ""
        )


@dataclasses.dataclass
class Plan:
    filename: str
    organisation_id: int
    rows: list[RowPlan]
    # Standard or x_ columns present in the file that Homeward does not store.
    ignored_columns: list[str] = dataclasses.field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if row.errors]

    @property
    def counts(self) -> dict[str, int]:
        return {
            action: sum(1 for row in self.rows if row.action == action and not row.errors)
            for action in (CREATE, UPDATE, UNCHANGED)
        }


# --- reading the file -------------------------------------------------------------


def detect_format(data: bytes, filename: str = "") -> str:
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_file(
    data: bytes, filename: str = ""
) -> tuple[list[str], list[str], list[tuple[int, dict[str, str]]]]:
    """(known columns, ignored columns, rows as (line number, {column: text})).

    Header names are matched to the profile's columns ignoring case. Columns
    of the standard that Homeward does not store, and unknown ``x_``
    columns, are ignored; any other column is an error.
    """
    if len(data) > MAX_FILE_BYTES:
        raise HtcdsFileError(_("The file is larger than 20 MB. Split it into smaller files."))
    if detect_format(data, filename) == "xlsx":
        lines = tabular.xlsx_rows(data, error=HtcdsFileError, cell_text=_cell_text)
    else:
        lines = (
            [profile.csv_unsafe(cell) for cell in cells]
            for cells in tabular.csv_rows(data, error=HtcdsFileError)
        )
    known = {name.lower(): name for name in profile.BY_NAME}
    standard = {name.lower() for name in profile.standard_fields()}
    header: list[str] | None = None
    ignored: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(lines, start=1):
        if header is None:
            raw = [cell.strip() for cell in cells]
            while raw and not raw[-1]:
                raw.pop()
            header = []
            unknown = []
            for name in raw:
                canonical = known.get(name.lower())
                if canonical is not None:
                    header.append(canonical)
                elif name.lower() in standard or name.lower().startswith("x_"):
                    header.append("")
                    ignored.append(name)
                else:
                    header.append("")
                    unknown.append(name or "?")
            named = [name for name in header if name]
            # Checked first: a file without its header line would otherwise
            # have its first row — names, numbers — quoted back as columns.
            if profile.EXTERNAL_ID not in named:
                raise HtcdsFileError(
                    _("The column %(column)s is missing: every row needs the sender's "
                      "stable id.") % {"column": profile.EXTERNAL_ID}
                )
            if unknown:
                raise HtcdsFileError(
                    _("Columns that are neither HTCDS fields nor x_ columns: %(columns)s.")
                    % {"columns": ", ".join(unknown)}
                )
            twice = sorted({name for name in named if named.count(name) > 1})
            if twice:
                raise HtcdsFileError(
                    _("Columns named twice: %(columns)s.") % {"columns": ", ".join(twice)}
                )
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise HtcdsFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
        rows.append((number, {
            name: cells[index].strip() if index < len(cells) else ""
            for index, name in enumerate(header)
            if name
        }))
    if header is None:
        raise HtcdsFileError(_("The file is empty."))
    return [name for name in header if name], ignored, rows


# --- validating rows --------------------------------------------------------------


def _parse_row(row: RowPlan, cells: dict[str, str], today: datetime.date) -> None:
    for name, text in cells.items():
        if not text:
            continue
        column = profile.BY_NAME[name]
        try:
            value = profile.parse_cell(column, text)
        except profile.CellError as exc:
            row.errors.append(f"{name}: {exc}")
            continue
        if isinstance(value, profile.PartialDate) and value.first_day() > today:
            row.errors.append(f"{name}: {_('the date is in the future')}")
            continue
        row.values[name] = value
    row.external_id = str(row.values.get(profile.EXTERNAL_ID, ""))
    if not row.external_id and not any(e.startswith(profile.EXTERNAL_ID) for e in row.errors):
        row.errors.append(f"{profile.EXTERNAL_ID}: {_('required')}")
    values = row.values
    birth = values.get("prs_Birthdate")
    year = values.get("x_BirthYear")
    if isinstance(birth, profile.PartialDate) and year is not None and birth.year != year:
        row.errors.append(f"x_BirthYear: {_('does not agree with prs_Birthdate')}")
    status = values.get("cas_Status")
    if values.get("x_Step") == Step.CLOSED and status is not None and (
        status not in CLOSED_STATUSES
    ):
        row.errors.append(f"x_Step: {_('a case in the step Closed needs a closed status')}")
    if status in CLOSED_STATUSES and values.get("x_Step") not in (None, Step.CLOSED):
        row.errors.append(f"x_Step: {_('a closed case is in the step Closed')}")
    if values.get("prs_Email"):
        try:
            validate_email(values["prs_Email"])
        except ValidationError:
            row.errors.append(f"prs_Email: {_('not an e-mail address')}")
    phones = []
    for phone in profile.split(str(values.get("prs_MobilePhone", ""))):
        try:
            phones.append(to_e164(phone, region="RU"))
        except ValidationError:
            row.errors.append(f"prs_MobilePhone: {_('not a phone number')}")
    if phones:
        values["prs_MobilePhone"] = list(dict.fromkeys(phones))


def _date(partial: profile.PartialDate | None, current: datetime.date | None) -> (
    datetime.date | None
):
    """The date to store: the stored one when ``partial`` agrees with it."""
    if partial is None:
        return current
    if partial.matches(current):
        return current
    return partial.first_day()


@dataclasses.dataclass
class _Target:
    """What one row writes: model field values and the case's extras."""

    person: dict[str, Any]
    case: dict[str, Any]
    identification: datetime.date | None
    transport_modes: list[str] | None


# What comparing a row with its stored case reads, loaded with the cases
# (``_with_history``) so that checking a file is not a query per row.
_IDENTIFICATION_STEPS = "htcds_identification_steps"
_EVENTS = "htcds_events"


def _with_history(imported: QuerySet[ImportedCase]) -> QuerySet[ImportedCase]:
    """``imported`` with each case's person, identification steps and
    trafficking events loaded in a fixed number of queries."""
    return imported.select_related("case__person").prefetch_related(
        Prefetch("case__steps", to_attr=_IDENTIFICATION_STEPS,
                 queryset=CaseStep.objects.filter(step=Step.IDENTIFICATION)
                 .order_by("happened_on", "id")),
        Prefetch("case__events", to_attr=_EVENTS,
                 queryset=TraffickingEvent.objects.order_by("id")),
    )


def _earliest_identification(case: Case) -> CaseStep | None:
    loaded: list[CaseStep] | None = getattr(case, _IDENTIFICATION_STEPS, None)
    if loaded is not None:
        return loaded[0] if loaded else None
    return (
        case.steps.filter(step=Step.IDENTIFICATION).order_by("happened_on", "id").first()
    )


def _transport_union(case: Case) -> list[str]:
    loaded: list[TraffickingEvent] | None = getattr(case, _EVENTS, None)
    stored = (
        [event.transport_modes for event in loaded] if loaded is not None
        else case.events.order_by("id").values_list("transport_modes", flat=True)
    )
    union: list[str] = []
    for modes in stored:
        for mode in modes or []:
            if mode not in union:
                union.append(mode)
    return union


def _target(values: dict[str, Any], case: Case | None, today: datetime.date) -> _Target:
    """The field values the row sets, given the stored case (None: a new one)."""
    person = case.person if case is not None else None
    person_values: dict[str, Any] = {}
    case_values: dict[str, Any] = {}
    for column, field in PERSON_FIELDS.items():
        if column in values:
            person_values[field] = values[column]
    for column, field in CASE_FIELDS.items():
        if column in values:
            case_values[field] = values[column]
    if values.get("prs_Citizenship"):
        person_values["citizenships"] = ",".join(["", *values["prs_Citizenship"], ""])
    if "prs_MobilePhone" in values:
        person_values["phones"] = values["prs_MobilePhone"]
    if "prs_IdentityNumber" in values:
        numbers = profile.split(values["prs_IdentityNumber"])
        stored = person.identity_documents if person is not None else []
        if sorted(numbers) != sorted(d.get("number", "") for d in stored or []):
            person_values["identity_documents"] = [
                {"kind": IdentityDocumentKind.OTHER, "number": number} for number in numbers
            ]
    # Birth: a full date, else a year (from the date, x_BirthYear, or estimated
    # from the age band when nothing better is known).
    birth = values.get("prs_Birthdate")
    opened_year = (
        values["x_RegistrationDate"].year if "x_RegistrationDate" in values
        else case.opened_on.year if case is not None else today.year
    )
    if isinstance(birth, profile.PartialDate) and birth.day is not None:
        day = birth.first_day()
        if person is None or person.birth_date != day:
            person_values.update(birth_date=day, birth_year=day.year,
                                 birth_year_estimated=False)
    elif isinstance(birth, profile.PartialDate) or "x_BirthYear" in values:
        year = values.get("x_BirthYear") or (birth.year if birth else None)
        if person is None or person.birth_year != year:
            person_values.update(birth_year=year, birth_year_estimated=False)
    elif "x_AgeBand" in values and (person is None or person.birth_year is None):
        person_values.update(
            birth_year=opened_year - profile.band_middle_age(values["x_AgeBand"]),
            birth_year_estimated=True,
        )
    if "vic_LocationOfExploitation" in values:
        country, city = values["vic_LocationOfExploitation"]
        case_values["destination_country"] = country
        if city or case is None or case.destination_country.code != country:
            case_values["destination_city"] = city
    # Dates.
    registration = values.get("x_RegistrationDate") or values.get("cas_IncomingReferralDate")
    opened_on = _date(registration, case.opened_on if case is not None else None) or today
    case_values["opened_on"] = opened_on
    if "cas_IncomingReferralDate" in values:
        case_values["incoming_referral_date"] = _date(
            values["cas_IncomingReferralDate"],
            case.incoming_referral_date if case is not None else None,
        )
    status = case_values.get("status") or (case.status if case is not None else CaseStatus.ACTIVE)
    case_values["status"] = status
    if status in CLOSED_STATUSES:
        case_values["step"] = Step.CLOSED
        closed = _date(values.get("x_ClosedDate"), case.closed_on if case is not None else None)
        case_values["closed_on"] = closed or opened_on
    else:
        case_values["closed_on"] = None
        if case_values.get("step") is None:
            step = case.step if case is not None else Step.IDENTIFICATION
            case_values["step"] = Step.IDENTIFICATION if step == Step.CLOSED else step
    if case is None:
        case_values.setdefault("referral_source", ReferralSource.OTHER)
    identification: datetime.date | None = None
    if "x_IdentificationDate" in values:
        current = None
        if case is not None:
            earliest = _earliest_identification(case)
            current = earliest.happened_on if earliest is not None else None
        identification = _date(values["x_IdentificationDate"], current)
    modes = values.get("x_TransportModes")
    return _Target(person_values, case_values, identification, modes)


def _changes(target: _Target, case: Case) -> list[str]:
    """The names of the fields ``target`` would change on ``case``."""
    changed = []
    for owner, fields in ((case.person, target.person), (case, target.case)):
        for name, value in fields.items():
            current = getattr(owner, name)
            if hasattr(current, "code") and not isinstance(current, str):
                current = current.code or ""
            if current != value:
                changed.append(name)
    if target.identification is not None:
        step = _earliest_identification(case)
        if step is None or step.happened_on != target.identification:
            changed.append("identification_date")
    if target.transport_modes is not None and sorted(target.transport_modes) != sorted(
        _transport_union(case)
    ):
        changed.append("transport_modes")
    return changed


def htcds_check(*, data: bytes, filename: str, organisation: Organisation) -> Plan:
    """Read and validate ``data`` for ``organisation``; what importing would do.

    Changes nothing. Raises :class:`HtcdsFileError` when the file as a whole
    cannot be read; row problems are listed on their rows, each naming the
    column.
    """
    _columns, ignored, lines = read_file(data, filename)
    today = timezone.localdate()
    plan = Plan(filename=filename, organisation_id=organisation.pk, rows=[],
                ignored_columns=ignored)
    seen: dict[str, int] = {}
    for number, cells in lines:
        row = RowPlan(number=number)
        _parse_row(row, cells, today)
        plan.rows.append(row)
        if row.external_id:
            if row.external_id in seen:
                row.errors.append(
                    f"{profile.EXTERNAL_ID}: "
                    + _("the same id as row %(row)s") % {"row": seen[row.external_id]}
                )
            else:
                seen[row.external_id] = number
    existing = {
        imported.external_id: imported.case
        for imported in _with_history(ImportedCase.objects.filter(
            organisation=organisation, external_id__in=list(seen)
        ))
    }
    for row in plan.rows:
        if row.errors:
            continue
        case = existing.get(row.external_id)
        target = _target(row.values, case, today)
        if case is None:
            row.action = CREATE
            continue
        row.changes = _changes(target, case)
        row.action = UPDATE if row.changes else UNCHANGED
    return plan


# --- writing -------------------------------------------------------------------------


def _create(
    *, organisation: Organisation, actor: Any, external_id: str, target: _Target
) -> Case:
    person = Person(organisation=organisation, created_by=actor, **target.person)
    person.save()
    if IDENTIFIER_FIELDS & set(target.person):
        matching.person_match_keys_rebuild(person)
    opened_on = target.case["opened_on"]
    case = Case(
        organisation=organisation, person=person, kind=CaseKind.VICTIM,
        step_since=opened_on, created_by=actor,
        code=case_code_next(organisation, opened_on.year), **target.case,
    )
    case.save()
    CaseStep.objects.create(
        case=case, step=Step.IDENTIFICATION,
        happened_on=target.identification or opened_on, recorded_by=actor,
    )
    if target.transport_modes:
        TraffickingEvent.objects.create(
            case=case, type=EventType.TRANSIT, transport_modes=target.transport_modes,
            recorded_by=actor,
        )
    ImportedCase.objects.create(organisation=organisation, external_id=external_id, case=case)
    audit_record(
        action=Action.CREATE, actor=actor, organisation=organisation, target=case,
        fields=sorted({*target.person, *target.case}),
        detail={"case": case.code, "source": "htcds"},
    )
    return case


def _update(*, case: Case, actor: Any, target: _Target, changes: list[str]) -> None:
    person = case.person
    person_changed = [name for name in target.person if name in changes]
    if person_changed:
        for name in person_changed:
            setattr(person, name, target.person[name])
        person.version += 1
        person.save()
        if IDENTIFIER_FIELDS & set(person_changed):
            matching.person_match_keys_rebuild(person)
    case_changed = [name for name in target.case if name in changes]
    for name in case_changed:
        setattr(case, name, target.case[name])
    if "step" in case_changed:
        case.step_since = timezone.localdate()
    if "identification_date" in changes and target.identification is not None:
        step = _earliest_identification(case)
        if step is None:
            CaseStep.objects.create(case=case, step=Step.IDENTIFICATION,
                                    happened_on=target.identification, recorded_by=actor)
        else:
            step.happened_on = target.identification
            step.save(update_fields=["happened_on"])
    if "transport_modes" in changes and target.transport_modes is not None:
        event = case.events.filter(type=EventType.TRANSIT).order_by("id").first()
        if event is None:
            TraffickingEvent.objects.create(
                case=case, type=EventType.TRANSIT, transport_modes=target.transport_modes,
                recorded_by=actor,
            )
        else:
            event.transport_modes = target.transport_modes
            event.save(update_fields=["transport_modes"])
    case.version += 1
    case.save()
    ImportedCase.objects.filter(case=case).update(updated_at=timezone.now())
    audit_record(
        action=Action.UPDATE, actor=actor, organisation=case.organisation, target=case,
        fields=sorted(changes), detail={"case": case.code, "source": "htcds",
                                        "version": case.version},
    )


@transaction.atomic
def htcds_import(
    *,
    organisation: Organisation,
    actor: Any,
    plan: Plan | None = None,
    data: bytes | None = None,
    filename: str = "",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Import a checked ``plan`` (or check ``data`` first) into
    ``organisation``, all or nothing; the counts created/updated/unchanged.

    A file with row errors is refused (``ValidationError``) and nothing is
    written. ``actor`` None means the command line.
    """
    if plan is None:
        if data is None:
            raise TypeError("give plan or data")
        plan = htcds_check(data=data, filename=filename, organisation=organisation)
    if plan.organisation_id != organisation.pk:
        raise TypeError("the plan was checked for another organisation")
    if plan.has_errors:
        raise ValidationError(
            _("%(rows)s rows have errors. Nothing was imported.")
            % {"rows": len(plan.error_rows)}
        )
    today = timezone.localdate()
    counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
    total = len(plan.rows)
    # The stored cases, locked until the end (read again: the plan may be old).
    stored = {
        imported.external_id: imported.case
        for imported in _with_history(ImportedCase.objects.select_for_update().filter(
            organisation=organisation, external_id__in=[row.external_id for row in plan.rows]
        ))
    }
    for index, row in enumerate(plan.rows, start=1):
        case = stored.get(row.external_id)
        target = _target(row.values, case, today)
        if case is None:
            _create(organisation=organisation, actor=actor, external_id=row.external_id,
                    target=target)
            counts[CREATE] += 1
        else:
            changes = _changes(target, case)
            if changes:
                _update(case=case, actor=actor, target=target, changes=changes)
                counts[UPDATE] += 1
            else:
                counts[UNCHANGED] += 1
        if progress is not None:
            progress(index, total)
    audit_record(
        action=Action.CREATE, actor=actor, organisation=organisation,
        target_type="stats.htcds", target_id="import",
        detail={"rows": total, "created": counts[CREATE], "updated": counts[UPDATE],
                "unchanged": counts[UNCHANGED], "source": "cli" if actor is None else "web"},
    )
    transaction.on_commit(selectors.case_countries_changed)
    return counts
