"""Import and export of the coalition directory as CSV or XLSX.

File format
===========

One row per entry; the first row is the header. CSV files are UTF-8 (a
byte-order mark is tolerated), separated by commas or semicolons (the header
decides); XLSX files are read from their first sheet. Columns, in this order
when exported (on import, order does not matter; unknown columns are an error;
a missing column keeps the stored value of an updated entry)::

    external_id       stable id: "homeward:<pk>" when exported from Homeward
    owner             code of the organisation that maintains the entry
    kind              ngo, shelter, embassy, … (EntryKind values)
    name_ru, name_en  both required
    country           ISO 3166 alpha-2 (RU, TR, …)
    region, city, address
    latitude, longitude   decimal degrees, "." as the decimal point
    services          service codes separated by ";"
    languages         ISO 639-1 codes separated by ";"
    is_24_7           yes/no (also true/false, 1/0, да/нет)
    hours, website
    emails            separated by ";"
    notes
    visibility        public, coalition or restricted
    restricted_roles  role codes separated by ";" (required when restricted)
    last_verified_on  ISO date (YYYY-MM-DD); empty keeps the stored date
    contactN_label_en, contactN_label_ru, contactN_phone, contactN_email,
    contactN_24_7, contactN_visibility, contactN_roles      for N = 1, 2, 3

Contact points: group N of a row is the N-th contact point (by position) the
importer can see on the matched entry. An empty group leaves an existing
contact point alone: imports never delete. An empty contact visibility means
"as the entry". Only the first three contact points are exported.

Matching (idempotent re-imports): the model has no column for external ids,
so an ``external_id`` of the form ``homeward:<pk>`` matches that entry when
its owner is the row's owner; any other row is matched by (owner code,
English name, country), case-insensitively. A match makes the row an update
(or "unchanged" when nothing differs), no match a creation.

CSV cells that a spreadsheet would run as a formula (starting with "=", "@",
or "+"/"-" when not a number) are written with a leading apostrophe, which
the importer removes again.

Imports validate every row first (:func:`import_parse`, which changes
nothing), then :func:`import_apply` writes the whole batch in one transaction
through the directory services, so every change is audited; any error rolls
everything back.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Role
from homeward.audit.services import Action, audit_record
from homeward.core import access, tabular
from homeward.directory import services as directory_services
from homeward.directory.models import (
    VISIBILITY_RANK,
    ContactPoint,
    Entry,
    EntryKind,
    Service,
    Visibility,
    roles_from_text,
    roles_to_text,
)
from homeward.directory.phones import to_e164
from homeward.directory.selectors import entry_list_for_user

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
CONTACT_GROUPS = 3
FORMATS = ("csv", "xlsx")

ENTRY_COLUMNS = (
    "external_id", "owner", "kind", "name_ru", "name_en", "country", "region", "city",
    "address", "latitude", "longitude", "services", "languages", "is_24_7", "hours",
    "website", "emails", "notes", "visibility", "restricted_roles", "last_verified_on",
)
CONTACT_SUFFIXES = ("label_en", "label_ru", "phone", "email", "24_7", "visibility", "roles")
COLUMNS = ENTRY_COLUMNS + tuple(
    f"contact{n}_{suffix}" for n in range(1, CONTACT_GROUPS + 1) for suffix in CONTACT_SUFFIXES
)
EXTERNAL_PREFIX = "homeward:"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

_TRUE = {"yes", "y", "true", "1", "да", "д"}
_FALSE = {"no", "n", "false", "0", "нет", "н", ""}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-]?[\d .()-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_ROW_FIELDS = ("region", "city", "address", "hours", "website", "notes")


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, size, header, too many rows)."""


@dataclasses.dataclass
class ContactPlan:
    """What one contact group of a row will do."""

    position: int
    values: dict[str, Any]
    contact: ContactPoint | None = None
    changed: bool = True


@dataclasses.dataclass
class RowResult:
    """One data row: its spreadsheet line number, what it would do, and why not."""

    number: int
    name: str = ""
    action: str = ""
    errors: list[str] = dataclasses.field(default_factory=list)
    entry: Entry | None = None
    owner: Organisation | None = None
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    services: list[Service] | None = None
    verified_on: date | None = None
    contacts: list[ContactPlan] = dataclasses.field(default_factory=list)

    @property
    def action_label(self) -> str:
        labels = {CREATE: _("Create"), UPDATE: _("Update"), UNCHANGED: _("Unchanged")}
        return labels.get(self.action, "") if not self.errors else _("Error")


@dataclasses.dataclass
class ImportPlan:
    rows: list[RowResult]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in (CREATE, UPDATE, UNCHANGED)}


# Reading files ---------------------------------------------------------------


def detect_format(data: bytes, filename: str = "") -> str:
    """``"xlsx"`` for a zip container or an .xlsx name, else ``"csv"``."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def _escaped(value: str) -> bool:
    """True for a CSV cell written with a protective apostrophe (see _csv_safe)."""
    return value.startswith("'") and value[1:2] != "" and (
        value[1] in _FORMULA_START or _escaped(value[1:])
    )


def _unescape(value: str) -> str:
    return value[1:] if _escaped(value) else value


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes, filename: str = "") -> list[tuple[int, dict[str, str]]]:
    """The data rows as ``(line number, {column: text})``, skipping empty lines.

    Raises :class:`ImportFileError` for a file too large, unreadable, without a
    usable header, or with more than :data:`MAX_ROWS` rows.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into smaller files."))
    fmt = detect_format(data, filename)
    lines = (
        tabular.xlsx_rows(data, error=ImportFileError, cell_text=_cell_text) if fmt == "xlsx"
        else tabular.csv_rows(data, error=ImportFileError)
    )
    clean = _unescape if fmt == "csv" else str
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(lines, start=1):
        if header is None:
            header = [cell.strip().lower() for cell in cells]
            while header and not header[-1]:
                header.pop()
            _check_header(header)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
        rows.append((number, {
            name: clean(cells[index].strip()) if index < len(cells) else ""
            for index, name in enumerate(header)
            if name
        }))
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return rows


def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. Use the column names of an exported file.")
            % {"columns": ", ".join(unknown)}
        )
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        raise ImportFileError(
            _("Columns named twice: %(columns)s.") % {"columns": ", ".join(duplicates)}
        )
    missing = [name for name in ("name_ru", "name_en", "country", "kind") if name not in header]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )


# Validating rows -------------------------------------------------------------


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _boolean(text: str, column: str, errors: list[str]) -> bool:
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        errors.append(
            _("%(column)s: “%(value)s” is not yes or no.") % {"column": column, "value": text}
        )
    return False


def _coordinate(text: str, column: str, limit: int, errors: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value) > limit:
        errors.append(
            _("%(column)s: “%(value)s” is not a number between -%(limit)s and %(limit)s.")
            % {"column": column, "value": text, "limit": limit}
        )
        return None
    return value.quantize(Decimal("0.00001"))


def _visibility(text: str, column: str, errors: list[str]) -> str | None:
    value = text.strip().lower()
    if value not in Visibility.values:
        errors.append(
            _("%(column)s: unknown visibility “%(value)s” (use public, coalition or "
              "restricted).") % {"column": column, "value": text}
        )
        return None
    return value


def _roles(text: str, column: str, visibility: str | None, errors: list[str]) -> str:
    roles = [role.lower() for role in _split(text)]
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        errors.append(
            _("%(column)s: unknown roles: %(roles)s.")
            % {"column": column, "roles": ", ".join(unknown)}
        )
    if visibility == Visibility.RESTRICTED and not roles:
        errors.append(
            _("%(column)s: name at least one role that may see a restricted record.")
            % {"column": column}
        )
    return roles_to_text(roles) if visibility == Visibility.RESTRICTED else ""


def _model_errors(instance: Any, exclude: Sequence[str], prefix: str, errors: list[str]) -> None:
    """Length limits, e-mail and URL syntax, as the model itself checks them."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                errors.append(f"{prefix}{field}: {message}")


class _Context:
    """What validation looks up, loaded once per file."""

    def __init__(self, *, user: User | None, owners: Iterable[Organisation]) -> None:
        self.user = user
        self.owners = {owner.code.casefold(): owner for owner in owners}
        self.services = {service.code: service for service in Service.objects.all()}
        self.countries = {str(code) for code, _name in countries}
        entries = Entry.objects.all() if user is None else access.for_user(user, Entry)
        contacts = ContactPoint.objects.all() if user is None else access.for_user(
            user, ContactPoint
        )
        loaded = list(
            entries.filter(owner__in=[owner.pk for owner in self.owners.values()])
            .select_related("owner")
            .prefetch_related(
                "services", Prefetch("contact_points", queryset=contacts.order_by("position", "id"))
            )
        )
        self.by_pk = {entry.pk: entry for entry in loaded}
        self.by_key: dict[tuple[str, str, str], list[Entry]] = {}
        for entry in loaded:
            self.by_key.setdefault(_key(entry.owner.code, entry.name_en, entry.country.code),
                                   []).append(entry)
        self.claimed: dict[int, int] = {}
        self.new_keys: dict[tuple[str, str, str], int] = {}


def _key(owner: str, name_en: str, country: Any) -> tuple[str, str, str]:
    return (owner.casefold(), " ".join(name_en.split()).casefold(), str(country or "").upper())


def _match(row: RowResult, cells: dict[str, str], context: _Context) -> Entry | None:
    assert row.owner is not None  # noqa: S101
    external = cells.get("external_id", "")
    if external.startswith(EXTERNAL_PREFIX):
        pk_text = external.removeprefix(EXTERNAL_PREFIX)
        entry = context.by_pk.get(int(pk_text)) if pk_text.isdigit() else None
        if entry is not None and entry.owner_id == row.owner.pk:
            return entry
    key = _key(row.owner.code, row.values.get("name_en", ""), row.values.get("country", ""))
    found = context.by_key.get(key, [])
    if len(found) > 1:
        row.errors.append(
            _("Several entries of %(owner)s have this English name in this country; "
              "this row cannot say which one to update.") % {"owner": row.owner.code}
        )
        return None
    return found[0] if found else None


def _entry_values(cells: dict[str, str], row: RowResult, context: _Context) -> None:
    errors = row.errors
    values = row.values
    for name in ("name_ru", "name_en"):
        values[name] = " ".join(cells.get(name, "").split())
    if not values["name_en"] or not values["name_ru"]:
        errors.append(_("The name in Russian and the name in English are both required."))
    kind = cells.get("kind", "").strip().lower()
    if kind not in EntryKind.values:
        errors.append(_("kind: unknown kind “%(value)s”.") % {"value": cells.get("kind", "")})
    values["kind"] = kind
    country = cells.get("country", "").strip().upper()
    if country not in context.countries:
        errors.append(
            _("country: “%(value)s” is not an ISO 3166 country code such as RU or TR.")
            % {"value": cells.get("country", "")}
        )
    values["country"] = country
    for name in _ROW_FIELDS:
        if name in cells:
            values[name] = cells[name]
    for name, limit in (("latitude", 90), ("longitude", 180)):
        if name in cells:
            values[name] = _coordinate(cells[name], name, limit, errors)
    if "is_24_7" in cells:
        values["is_24_7"] = _boolean(cells["is_24_7"], "is_24_7", errors)
    if "languages" in cells:
        languages = [code.lower() for code in _split(cells["languages"])]
        bad = [code for code in languages if not _LANGUAGE.fullmatch(code)]
        if bad:
            errors.append(
                _("languages: not language codes: %(codes)s.") % {"codes": ", ".join(bad)}
            )
        values["languages"] = languages
    if "emails" in cells:
        emails = _split(cells["emails"])
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("emails: “%(value)s” is not an e-mail address.") % {"value": email})
        values["emails"] = emails
    if "visibility" in cells:
        visibility = _visibility(cells["visibility"] or Visibility.COALITION, "visibility", errors)
        values["visibility"] = visibility or Visibility.COALITION
        values["restricted_roles"] = _roles(
            cells.get("restricted_roles", ""), "restricted_roles", visibility, errors
        )
    if "services" in cells:
        codes = _split(cells["services"])
        unknown = [code for code in codes if code not in context.services]
        if unknown:
            errors.append(
                _("services: unknown service codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        row.services = [context.services[code] for code in codes if code in context.services]
    if cells.get("last_verified_on"):
        try:
            row.verified_on = date.fromisoformat(cells["last_verified_on"])
        except ValueError:
            errors.append(
                _("last_verified_on: “%(value)s” is not a date written as YYYY-MM-DD.")
                % {"value": cells["last_verified_on"]}
            )


def _contact_values(
    cells: dict[str, str], n: int, row: RowResult, entry_visibility: str, entry_roles: str
) -> dict[str, Any] | None:
    prefix = f"contact{n}_"
    group = {suffix: cells.get(prefix + suffix, "") for suffix in CONTACT_SUFFIXES}
    if not any(group.values()):
        return None
    errors: list[str] = []
    values: dict[str, Any] = {
        "label_en": group["label_en"], "label_ru": group["label_ru"], "email": group["email"],
        "is_24_7": _boolean(group["24_7"], prefix + "24_7", errors),
    }
    if not values["label_en"] or not values["label_ru"]:
        errors.append(
            _("%(prefix)slabel_en, %(prefix)slabel_ru: a contact point needs a label in both "
              "languages.") % {"prefix": prefix}
        )
    try:
        values["phone"] = to_e164(group["phone"], region=row.values.get("country", ""))
    except ValidationError as exc:
        values["phone"] = ""
        errors.extend(f"{prefix}phone: {message}" for message in exc.messages)
    if group["visibility"]:
        visibility = _visibility(group["visibility"], prefix + "visibility", errors)
        values["visibility"] = visibility or entry_visibility
        values["restricted_roles"] = _roles(group["roles"], prefix + "roles", visibility, errors)
    else:
        values["visibility"], values["restricted_roles"] = entry_visibility, entry_roles
    if VISIBILITY_RANK[Visibility(values["visibility"])] < VISIBILITY_RANK[
        Visibility(entry_visibility)
    ]:
        errors.append(
            _("%(column)s: a contact point cannot be more visible than its entry.")
            % {"column": prefix + "visibility"}
        )
    exclude = ["entry", "phone"] + [name for name in ("label_en", "label_ru") if not values[name]]
    _model_errors(
        ContactPoint(**{k: v for k, v in values.items() if k != "restricted_roles"}),
        exclude, prefix, errors,
    )
    row.errors.extend(errors)
    return values


def _differs(obj: Any, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        current = getattr(obj, name)
        if name == "country":
            current = str(current.code or "")
        elif name in ("latitude", "longitude") and current is not None:
            current = Decimal(current).quantize(Decimal("0.00001"))
        if current != value:
            return True
    return False


def _plan_row(
    number: int, cells: dict[str, str], context: _Context, default_owner: Organisation | None
) -> RowResult:
    row = RowResult(number=number)
    owner_code = cells.get("owner", "").strip()
    if owner_code:
        row.owner = context.owners.get(owner_code.casefold())
        if row.owner is None:
            row.errors.append(
                _("owner: you cannot import entries of “%(code)s” (unknown organisation, or "
                  "not one whose entries you edit).") % {"code": owner_code}
            )
    elif default_owner is not None:
        row.owner = default_owner
    else:
        row.errors.append(_("owner: the organisation code is missing."))
    _entry_values(cells, row, context)
    row.name = row.values.get("name_en") or row.values.get("name_ru") or ""
    if row.owner is None:
        return row
    row.values["owner"] = row.owner
    entry = _match(row, cells, context)
    if entry is not None:
        if entry.pk in context.claimed:
            row.errors.append(
                _("Row %(other)s already updates the same entry.")
                % {"other": context.claimed[entry.pk]}
            )
        context.claimed.setdefault(entry.pk, number)
    else:
        key = _key(row.owner.code, row.values["name_en"], row.values["country"])
        if key in context.new_keys:
            row.errors.append(
                _("Row %(other)s already creates an entry with this owner, English name and "
                  "country.") % {"other": context.new_keys[key]}
            )
        context.new_keys.setdefault(key, number)
    row.entry = entry
    visibility = row.values.get("visibility") or (
        entry.visibility if entry is not None else Visibility.COALITION
    )
    roles = row.values.get("restricted_roles", entry.restricted_roles if entry else "")
    if visibility != Visibility.RESTRICTED:
        roles = ""
    existing = list(entry.contact_points.all()) if entry is not None else []
    for n in range(1, CONTACT_GROUPS + 1):
        values = _contact_values(cells, n, row, visibility, roles)
        if values is None:
            continue
        contact = existing[n - 1] if n - 1 < len(existing) else None
        changed = contact is None or _differs(contact, values)
        row.contacts.append(ContactPlan(position=n - 1, values=values, contact=contact,
                                        changed=changed))
    # Blank names, kind and country are reported above, in plainer words.
    probe = Entry(**{k: v for k, v in row.values.items() if k != "restricted_roles"})
    exclude = ["owner", "latitude", "longitude", "search_text", "kind", "country"]
    exclude += [name for name in ("name_ru", "name_en") if not row.values[name]]
    _model_errors(probe, exclude, "", row.errors)
    if entry is None:
        row.action = CREATE
    else:
        changed = _differs(entry, row.values) or any(plan.changed for plan in row.contacts)
        if row.services is not None and {s.pk for s in row.services} != {
            s.pk for s in entry.services.all()
        }:
            changed = True
        if row.verified_on is not None and row.verified_on != entry.last_verified_on:
            changed = True
        row.action = UPDATE if changed else UNCHANGED
    return row


def import_parse(
    *,
    data: bytes,
    filename: str = "",
    user: User | None,
    owners: Iterable[Organisation],
    default_owner: Organisation | None = None,
) -> ImportPlan:
    """Read and validate a whole file. Changes nothing.

    ``owners`` are the organisations whose entries may be imported (for a
    user: :func:`homeward.directory.selectors.editable_owners`); ``user`` is
    the importer whose view of the directory the rows are matched against
    (``None``: the system, which sees everything). Errors are in the active
    language. Raises :class:`ImportFileError` when the file cannot be read.
    """
    table = read_table(data, filename)
    context = _Context(user=user, owners=owners)
    return ImportPlan(rows=[
        _plan_row(number, cells, context, default_owner) for number, cells in table
    ])


# Applying --------------------------------------------------------------------


def _apply_row(row: RowResult, actor: User | None) -> None:
    if row.entry is None:
        entry = directory_services.entry_create(
            actor=actor, services=row.services or (), **row.values
        )
    else:
        entry = directory_services.entry_update(
            actor=actor, entry=row.entry, services=row.services, **row.values
        )
    if row.verified_on is not None and row.verified_on != entry.last_verified_on:
        entry = directory_services.entry_update(
            actor=actor, entry=entry, last_verified_on=row.verified_on
        )
    for plan in row.contacts:
        if plan.contact is None:
            directory_services.contact_point_create(
                actor=actor, entry=entry, position=plan.position, **plan.values
            )
        elif plan.changed:
            directory_services.contact_point_update(
                actor=actor, contact=plan.contact, **plan.values
            )


@transaction.atomic
def import_apply(
    *,
    plan: ImportPlan,
    actor: User | None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Write every row of ``plan`` in one transaction, through the audited
    services. Refuses a plan with errors; if any row fails, nothing is saved.
    ``progress(done, total)`` is called after each row.

    Returns the number of rows created, updated and unchanged.
    """
    if plan.has_errors:
        raise ValidationError(_("The file has errors; nothing was imported."))
    total = len(plan.rows)
    for done, row in enumerate(plan.rows, start=1):
        if row.action in (CREATE, UPDATE):
            try:
                _apply_row(row, actor)
            except ValidationError as exc:
                raise ValidationError(
                    _("Row %(number)s: %(errors)s")
                    % {"number": row.number, "errors": " ".join(exc.messages)}
                ) from exc
        if progress is not None:
            progress(done, total)
    return plan.counts


# Exporting -------------------------------------------------------------------


def export_entries(*, user: User | None, filters: dict[str, str] | None = None) -> QuerySet[Entry]:
    """Entries to export, with the contact points the exporter may see.

    ``user=None`` is the system (the export command): everything.
    """
    if user is None:
        entries = Entry.objects.order_by("name_en", "pk")
        contacts = ContactPoint.objects.all()
    else:
        entries = entry_list_for_user(user=user, **(filters or {}))
        contacts = access.for_user(user, ContactPoint)
    return entries.select_related("owner").prefetch_related(
        "services", Prefetch("contact_points", queryset=contacts.order_by("position", "id"))
    )


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def entry_row(entry: Entry) -> list[str]:
    """One entry as the cells of :data:`COLUMNS`."""
    cells = [
        f"{EXTERNAL_PREFIX}{entry.pk}", entry.owner.code, entry.kind, entry.name_ru,
        entry.name_en, str(entry.country.code or ""), entry.region, entry.city, entry.address,
        "" if entry.latitude is None else str(entry.latitude),
        "" if entry.longitude is None else str(entry.longitude),
        ";".join(sorted(service.code for service in entry.services.all())),
        ";".join(entry.languages or []), _yes_no(entry.is_24_7), entry.hours, entry.website,
        ";".join(entry.emails or []), entry.notes, entry.visibility,
        ";".join(roles_from_text(entry.restricted_roles)),
        entry.last_verified_on.isoformat() if entry.last_verified_on else "",
    ]
    contacts = list(entry.contact_points.all())[:CONTACT_GROUPS]
    for contact in contacts:
        cells += [
            contact.label_en, contact.label_ru, contact.phone, contact.email,
            _yes_no(contact.is_24_7), contact.visibility,
            ";".join(roles_from_text(contact.restricted_roles)),
        ]
    cells += [""] * (len(COLUMNS) - len(cells))
    return cells


def _csv_safe(value: str) -> str:
    if _escaped(value) or (
        value.startswith(_FORMULA_START) and not _NUMBER_LIKE.fullmatch(value)
    ):
        return "'" + value
    return value


def export_file(entries: Iterable[Entry], fmt: str) -> tuple[bytes, int]:
    """The file's bytes and its number of data rows."""
    rows = [entry_row(entry) for entry in entries]
    if fmt == "xlsx":
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("directory")
        sheet.append(list(COLUMNS))
        for cells in rows:
            line = []
            for value in cells:
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, never a formula
                line.append(cell)
            sheet.append(line)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), len(rows)
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    for cells in rows:
        writer.writerow([_csv_safe(value) for value in cells])
    return ("\ufeff" + text.getvalue()).encode("utf-8"), len(rows)


# vCard -----------------------------------------------------------------------


def _vcard_escape(value: str) -> str:
    """TEXT value escaping of RFC 2426 §4 / RFC 6350 §3.4."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def contact_vcard(contact: ContactPoint) -> str:
    """A vCard 3.0 for one contact point, named in the active language."""
    entry = contact.entry
    esc = _vcard_escape
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{esc(f'{entry.name} — {contact.label}')}",
        "N:;;;;",
        f"ORG:{esc(entry.name)};{esc(contact.label)}",
    ]
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{esc(contact.phone)}")
    emails = [contact.email] if contact.email else list(entry.emails or [])[:1]
    lines += [f"EMAIL;TYPE=INTERNET:{esc(email)}" for email in emails]
    if entry.address or entry.city or entry.region:
        parts = ["", "", entry.address, entry.city, entry.region, "", str(entry.country.name)]
        lines.append("ADR;TYPE=WORK:" + ";".join(esc(part) for part in parts))
    if entry.website:
        lines.append(f"URL:{esc(entry.website)}")
    notes = []
    if contact.is_24_7 or (entry.is_24_7 and not contact.hours):
        notes.append(_("Open 24/7"))
    if contact.hours or entry.hours:
        notes.append(contact.hours or entry.hours)
    if notes:
        lines.append(f"NOTE:{esc('. '.join(notes))}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


# Uploads waiting for confirmation ----------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
UPLOAD_MAX_AGE_SECONDS = 24 * 3600


def _upload_dir() -> Path:
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _upload_path(token: str) -> Path:
    if not _TOKEN.fullmatch(token):
        raise FileNotFoundError(token)
    return _upload_dir() / token


def upload_store(data: bytes) -> str:
    """Keep an uploaded file until it is confirmed; returns its random token.

    The file is readable by the server's user only (mode 0600). Files older
    than a day (abandoned previews) are removed on the way.
    """
    upload_sweep()
    token = secrets.token_urlsafe(24)
    descriptor = os.open(_upload_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return token


def upload_read(token: str) -> bytes:
    """The stored file; FileNotFoundError when it is gone or the token is malformed."""
    return _upload_path(token).read_bytes()


def upload_discard(token: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        _upload_path(token).unlink()


def upload_sweep(max_age: int = UPLOAD_MAX_AGE_SECONDS) -> None:
    cutoff = time.time() - max_age
    for path in _upload_dir().iterdir():
        with contextlib.suppress(FileNotFoundError):
            if _TOKEN.fullmatch(path.name) and path.stat().st_mtime < cutoff:
                path.unlink()


# The export, audited -----------------------------------------------------------


def directory_export(
    *, actor: User | None, fmt: str, filters: dict[str, str] | None = None
) -> tuple[bytes, int]:
    """The entries ``actor`` may see (``None``: the system, everything) as a
    file; the export is audited with its format and number of rows."""
    content, rows = export_file(export_entries(user=actor, filters=filters), fmt)
    with transaction.atomic():
        audit_record(
            action=Action.EXPORT, actor=actor, target_type=Entry._meta.label,
            detail={"format": fmt, "rows": rows},
        )
    return content, rows
