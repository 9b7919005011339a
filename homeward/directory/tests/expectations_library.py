"""Access expectations of the resource library (/directory/library/)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import OK, Expect
from homeward.directory.models import Visibility
from homeward.directory.models_library import Document, library_storage

EDITORS = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})

# One fixed file shared by every run, so the matrix leaves nothing else behind.
MATRIX_FILE = "access-matrix/public-demo.txt"
MATRIX_BYTES = b"DEMO: a public library document for the access matrix.\n"


def _public_document(cast: Any) -> dict[str, Any]:
    storage = library_storage()
    if not storage.exists(MATRIX_FILE):
        storage.save(MATRIX_FILE, ContentFile(MATRIX_BYTES))
    document = Document.objects.create(
        owner=cast.home, title_en="Matrix protocol", title_ru="Протокол для матрицы",
        category="protocol", language="en", file=MATRIX_FILE, original_filename="matrix.txt",
        size=len(MATRIX_BYTES), content_type="text/plain; charset=utf-8", sha256="0" * 64,
        visibility=Visibility.PUBLIC,
    )
    return {"pk": document.pk}


EXPECTATIONS: list[Expect] = [
    Expect("directory:document-list", anonymous=OK, public=True),
    Expect("directory:document-detail", kwargs=_public_document, anonymous=OK, public=True),
    Expect("directory:document-download", kwargs=_public_document, anonymous=OK, public=True),
    Expect("directory:document-create", allowed=EDITORS),
    Expect("directory:document-edit", kwargs=_public_document, scoped=True, allowed=EDITORS),
    # GET asks for the password again (sudo) once the access checks pass.
    Expect("directory:document-delete", kwargs=_public_document, scoped=True, allowed=EDITORS),
]
