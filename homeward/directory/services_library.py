"""Writes to the resource library. Each owns its transaction and audit row.

Callers check :func:`homeward.directory.selectors_library.document_get_for_editor`
(or ``require_library_editor``) first. Every upload passes
:func:`homeward.directory.library.check_upload` here too, whatever the form
did. Files are removed from disk only once the deletion has committed.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation, User
from homeward.audit.services import Action, audit_record, changed_fields
from homeward.directory.library import CheckedUpload, check_upload
from homeward.directory.models import Visibility, roles_to_text
from homeward.directory.models_library import Document, library_storage

DOCUMENT_FIELDS = (
    "owner", "title_ru", "title_en", "description", "category", "language", "year",
    "visibility", "restricted_roles",
)
FILE_FIELDS = ("file", "original_filename", "size", "content_type", "sha256")


def _normalise(values: dict[str, Any]) -> None:
    roles = values.get("restricted_roles")
    if isinstance(roles, list | tuple | set):
        values["restricted_roles"] = roles_to_text(roles)
    if values.get("visibility") and values["visibility"] != Visibility.RESTRICTED:
        values["restricted_roles"] = ""
    if isinstance(values.get("language"), str):
        values["language"] = values["language"].strip().lower()


def _check(document: Document) -> None:
    errors: dict[str, str] = {}
    if not (document.title_ru.strip() or document.title_en.strip()):
        errors["title_en"] = _("Give the document a title in Russian or in English.")
    if document.visibility == Visibility.RESTRICTED and not document.restricted_roles.strip(","):
        errors["restricted_roles"] = _("Name at least one role that may see a restricted record.")
    if errors:
        raise ValidationError(errors)
    document.full_clean(exclude=list(FILE_FIELDS))


def _store(document: Document, upload: Any, checked: CheckedUpload) -> None:
    document.original_filename = checked.filename
    document.size = checked.size
    document.content_type = checked.content_type
    document.sha256 = checked.sha256
    upload.seek(0)
    document.file.save(checked.filename, upload, save=False)


def _remove_file(name: str) -> None:
    if name:
        library_storage().delete(name)


def _remove_file_after_commit(name: str) -> None:
    transaction.on_commit(lambda: _remove_file(name))


def _save_or_forget_file(document: Document, name_before: str) -> None:
    """Save the row; if that fails, remove the file just written."""
    try:
        document.save()
    except Exception:
        if document.file.name != name_before:
            _remove_file(document.file.name)
        raise


@transaction.atomic
def document_create(
    *, actor: User | None, owner: Organisation, upload: Any, is_demo: bool = False,
    **values: Any,
) -> Document:
    """Add a document with its file; audited (the field names, never content)."""
    _normalise(values)
    checked = check_upload(upload)
    document = Document(
        owner=owner, uploaded_by=actor, is_demo=is_demo,
        **{k: v for k, v in values.items() if k in DOCUMENT_FIELDS and k != "owner"},
    )
    _check(document)
    _store(document, upload, checked)
    _save_or_forget_file(document, "")
    audit_record(action=Action.CREATE, actor=actor, target=document, organisation=owner)
    return document


@transaction.atomic
def document_update(
    *, actor: User, document: Document, upload: Any = None, **values: Any
) -> Document:
    """Apply ``values`` (and a replacement file, if given); audit the names of
    the fields that changed. The old file goes once the change commits."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _normalise(values)
    before = {name: getattr(document, name) for name in (*DOCUMENT_FIELDS, "sha256")}
    for name, value in values.items():
        if name in DOCUMENT_FIELDS:
            setattr(document, name, value)
    _check(document)
    old_name = document.file.name
    if upload is not None:
        _store(document, upload, check_upload(upload))
    fields = changed_fields(
        before, {name: getattr(document, name) for name in (*DOCUMENT_FIELDS, "sha256")}
    )
    if upload is not None:
        fields = sorted({*fields, *FILE_FIELDS})
    if fields:
        _save_or_forget_file(document, old_name)
        if upload is not None:
            _remove_file_after_commit(old_name)
        audit_record(action=Action.UPDATE, actor=actor, target=document, fields=fields,
                     organisation=document.owner)
    return document


@transaction.atomic
def document_delete(*, actor: User, document: Document) -> None:
    """Remove the document; its file is deleted from disk after the commit."""
    name = document.file.name
    audit_record(action=Action.DELETE, actor=actor, target=document, organisation=document.owner)
    document.delete()
    _remove_file_after_commit(name)


@transaction.atomic
def document_download(*, actor: User | None, document: Document) -> IO[bytes]:
    """Open the document's file for sending. Downloads of documents that are
    not public are audited (a view, with ``{"download": True}``).

    Raises ``FileNotFoundError`` when the file is missing from disk.
    """
    if document.visibility != Visibility.PUBLIC:
        audit_record(
            action=Action.VIEW, actor=actor, target=document, organisation=document.owner,
            detail={"download": True},
        )
    # Opened last: a missing file rolls the audit row back with it.
    handle: IO[bytes] = library_storage().open(document.file.name, "rb")
    return handle
