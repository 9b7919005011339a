"""The resource library: uploads, downloads, visibility and files on disk."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from homeward import settings as project_settings
from homeward.accounts import sudo
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import OrganisationFactory
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.directory import library
from homeward.directory.forms_library import DocumentForm
from homeward.directory.library import (
    MAX_UPLOAD_BYTES,
    check_upload,
    sanitise_filename,
    seed_library_demo,
)
from homeward.directory.models import Visibility
from homeward.directory.models_library import Document, library_storage
from homeward.directory.services_library import (
    document_create,
    document_delete,
    document_update,
)

PDF_BYTES = b"%PDF-1.4\n% demo\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SECRET_MARKER = "SAFE-HOUSE-ROUTE-7731"


@pytest.fixture(autouse=True)
def library_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path / "library"


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _document(cast: Any, *, visibility: str = Visibility.PUBLIC, roles: tuple[str, ...] = (),
              name: str = "protocol.txt", content: bytes = b"A public protocol.\n",
              title_en: str = "Public protocol", category: str = "protocol",
              language: str = "en") -> Document:
    return document_create(
        actor=cast.user(Role.COORDINATOR), owner=cast.home, upload=_upload(name, content),
        title_en=title_en, title_ru="", category=category, language=language,
        visibility=visibility, restricted_roles=list(roles),
    )


def _path_of(document: Document) -> Path:
    return Path(library_storage().path(document.file.name))


def _with_sudo(client: Client) -> Client:
    session = client.session
    session[sudo.SESSION_KEY] = time.time() + 300
    session.save()
    return client


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# --- upload and download -------------------------------------------------


def test_coordinator_uploads_a_pdf_and_anyone_downloads_the_same_bytes(cast, login) -> None:
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(reverse("directory:document-create"), {
        "owner": cast.home.pk, "title_en": "Victim Assistance Protocol",
        "title_ru": "Протокол помощи", "description": "", "category": "protocol",
        "language": "RU", "year": "2004", "visibility": Visibility.PUBLIC,
        "file": _upload("../../Протокол помощи.PDF", PDF_BYTES),
    })
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_filename == "Протокол помощи.pdf"
    assert document.language == "ru"
    assert document.size == len(PDF_BYTES)
    assert document.content_type == "application/pdf"
    assert len(document.sha256) == 64
    assert document.uploaded_by == cast.user(Role.COORDINATOR)
    assert not document.file.name.startswith("..")
    assert "Протокол" not in document.file.name  # random name on disk
    assert AuditEntry.objects.filter(
        action=Action.CREATE, target_type="directory.Document", target_id=str(document.pk)
    ).exists()

    download = Client().get(reverse("directory:document-download", kwargs={"pk": document.pk}))
    assert download.status_code == 200
    assert _body(download) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_downloads_of_documents_that_are_not_public_are_audited(cast, login) -> None:
    public = _document(cast)
    coalition = _document(cast, visibility=Visibility.COALITION, title_en="Coalition notes")
    client = login(cast.user(Role.CASE_WORKER, "away"))
    for document in (public, coalition):
        response = client.get(reverse("directory:document-download", kwargs={"pk": document.pk}))
        assert response.status_code == 200
        _body(response)
    views = AuditEntry.objects.filter(action=Action.VIEW, target_type="directory.Document")
    assert [(e.target_id, e.detail, e.actor_name) for e in views] == [
        (str(coalition.pk), {"download": True}, "case_worker@away")
    ]
    assert response["Cache-Control"] == "private, no-store"


def test_a_missing_file_is_404_and_leaves_no_audit_row(cast, login) -> None:
    document = _document(cast, visibility=Visibility.COALITION)
    _path_of(document).unlink()
    client = login(cast.user(Role.CASE_WORKER))
    response = client.get(reverse("directory:document-download", kwargs={"pk": document.pk}))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=Action.VIEW).exists()


# --- visibility ----------------------------------------------------------


def test_restricted_document_is_404_for_anonymous_and_other_roles(cast, login) -> None:
    document = _document(
        cast, visibility=Visibility.RESTRICTED, roles=(Role.HOTLINE_OPERATOR,),
        title_en=f"Route {SECRET_MARKER}",
        content=f"Meeting point: {SECRET_MARKER}\n".encode(), name="route.txt",
    )
    urls = [
        reverse("directory:document-detail", kwargs={"pk": document.pk}),
        reverse("directory:document-download", kwargs={"pk": document.pk}),
    ]
    outsiders = [None, cast.user(Role.CASE_WORKER), cast.user(Role.COORDINATOR, "away"),
                 cast.user(Role.ORG_ADMIN, "away")]
    for user in outsiders:
        client = login(user) if user is not None else Client()
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        page = client.get(reverse("directory:document-list"))
        assert SECRET_MARKER.encode() not in page.content
        assert client.get(reverse("directory:document-list"), {"q": "Route"}).context[
            "page"
        ].paginator.count == 0

    named = login(cast.user(Role.HOTLINE_OPERATOR, "away"))
    assert named.get(urls[0]).status_code == 200
    assert SECRET_MARKER.encode() in _body(named.get(urls[1]))
    # The owning organisation's editors always see what they maintain.
    editor = login(cast.user(Role.ORG_ADMIN))
    assert editor.get(urls[0]).status_code == 200


def test_coalition_documents_are_hidden_from_anonymous_visitors(cast, login) -> None:
    document = _document(cast, visibility=Visibility.COALITION, title_en="Coalition notes")
    anonymous = Client()
    assert anonymous.get(
        reverse("directory:document-detail", kwargs={"pk": document.pk})
    ).status_code == 404
    assert b"Coalition notes" not in anonymous.get(reverse("directory:document-list")).content
    member = login(cast.user(Role.RESEARCHER, "away"))
    assert b"Coalition notes" in member.get(reverse("directory:document-list")).content


def test_list_filters_by_category_language_and_title_words(cast) -> None:
    _document(cast, title_en="Repatriation Protocol", category="protocol", language="en")
    _document(cast, title_en="Indicators card", category="indicators", language="ru")
    client = Client()
    url = reverse("directory:document-list")

    def titles(**params: str) -> list[str]:
        return [d.title_en for d in client.get(url, params).context["page"]]

    assert titles() == ["Indicators card", "Repatriation Protocol"]
    assert titles(category="indicators") == ["Indicators card"]
    assert titles(language="EN") == ["Repatriation Protocol"]
    assert titles(q="repatriation protocol") == ["Repatriation Protocol"]
    assert titles(q="repatriation card") == []


# --- upload checks -------------------------------------------------------


def test_refuses_a_pdf_that_is_really_a_png(cast, login) -> None:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(_upload("scan.pdf", PNG_BYTES))
    assert excinfo.value.code == "mismatch"

    client = login(cast.user(Role.ORG_ADMIN))
    response = client.post(reverse("directory:document-create"), {
        "owner": cast.home.pk, "title_en": "Scan", "category": "other", "language": "en",
        "visibility": Visibility.PUBLIC, "file": _upload("scan.pdf", PNG_BYTES),
    })
    assert response.status_code == 200
    assert "does not match its extension (.pdf)" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", PDF_BYTES),  # a PDF renamed to .txt
        ("notes.txt", b"\xff\xfe broken utf-8 \x00"),
        ("photo.jpg", PNG_BYTES),
        ("letter.docx", b"PK\x03\x04 not really a zip"),
        ("tool.exe", b"MZ\x90\x00"),
        ("page.html", b"<script>alert(1)</script>"),
        ("image.svg", b"<svg onload='alert(1)'/>"),
    ],
)
def test_refuses_files_whose_type_is_not_allowed_or_does_not_match(name, content) -> None:
    with pytest.raises(ValidationError):
        check_upload(_upload(name, content))


def test_accepts_genuine_office_png_and_jpeg_files() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert check_upload(_upload("letter.docx", buffer.getvalue())).content_type.endswith(
        "wordprocessingml.document"
    )
    assert check_upload(_upload("a.png", PNG_BYTES)).content_type == "image/png"
    assert check_upload(_upload("a.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20)).filename == "a.jpg"
    assert check_upload(_upload("notes.md", "# Заметки\n".encode())).content_type.startswith(
        "text/markdown"
    )


def test_refuses_files_over_twenty_megabytes(cast) -> None:
    too_big = _upload("big.pdf", PDF_BYTES + b"0" * (MAX_UPLOAD_BYTES - len(PDF_BYTES) + 1))
    with pytest.raises(ValidationError) as excinfo:
        check_upload(too_big)
    assert excinfo.value.code == "size"
    form = DocumentForm(
        {"owner": cast.home.pk, "title_en": "Big", "category": "other", "language": "en",
         "visibility": Visibility.PUBLIC},
        {"file": too_big}, owners=type(cast.home).objects.all(),
    )
    assert not form.is_valid()
    assert "at most 20 MB" in str(form.errors["file"])
    with pytest.raises(ValidationError):
        _document(cast, name="big.pdf", content=too_big.read())
    assert not Document.objects.exists()
    assert not any(p.is_file() for p in (Path(settings.VAR_DIR) / "library").rglob("*"))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\Отчёт 2024.PDF", "Отчёт 2024.pdf"),
        ("evil\u202etxt.exe", "eviltxt.exe"),
        ('a"b;c\r\n.pdf', "a_b_c.pdf"),
        ("...pdf", "pdf"),
        (".pdf", "pdf"),
        ("x" * 300 + ".txt", "x" * 120 + ".txt"),
    ],
)
def test_file_names_are_sanitised(raw: str, clean: str) -> None:
    assert sanitise_filename(raw) == clean


# --- storage on disk -----------------------------------------------------


def test_files_are_stored_outside_any_url_served_directory(cast, library_dir) -> None:
    document = _document(cast)
    path = _path_of(document)
    assert path.is_file()
    assert path.is_relative_to(library_dir)
    with pytest.raises(ValueError, match="not accessible via a URL"):
        library_storage().url(document.file.name)
    for served in (settings.STATIC_ROOT, getattr(settings, "MEDIA_ROOT", "")):
        if served:
            assert not path.resolve().is_relative_to(Path(served).resolve())
    for prefix in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "") or "/media/"):
        assert Client().get(f"{prefix}{document.file.name}").status_code == 404


def test_the_default_library_directory_is_not_under_static_or_media(settings) -> None:
    settings.VAR_DIR = project_settings.VAR_DIR
    location = Path(library_storage().location)
    assert location == Path(project_settings.VAR_DIR).resolve() / "library"
    assert not location.is_relative_to(Path(settings.STATIC_ROOT))
    if getattr(settings, "MEDIA_ROOT", ""):
        assert not location.is_relative_to(Path(settings.MEDIA_ROOT))


def test_deleting_a_document_removes_its_file(
    cast, login, django_capture_on_commit_callbacks
) -> None:
    document = _document(cast)
    path = _path_of(document)
    client = login(cast.user(Role.ORG_ADMIN))
    url = reverse("directory:document-delete", kwargs={"pk": document.pk})
    assert client.get(url)["Location"].startswith(reverse("accounts:sudo"))
    assert client.post(url).status_code == 302  # still asks for the password
    assert Document.objects.filter(pk=document.pk).exists()
    _with_sudo(client)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    assert AuditEntry.objects.filter(
        action=Action.DELETE, target_type="directory.Document", target_id=str(document.pk)
    ).exists()


def test_replacing_the_file_removes_the_old_one_and_audits_the_fields(
    cast, django_capture_on_commit_callbacks
) -> None:
    document = _document(cast)
    old_path = _path_of(document)
    with django_capture_on_commit_callbacks(execute=True):
        updated = document_update(
            actor=cast.user(Role.COORDINATOR), document=document,
            upload=_upload("protocol-v2.pdf", PDF_BYTES), title_en="Protocol, second edition",
        )
    assert not old_path.exists()
    assert _path_of(updated).read_bytes() == PDF_BYTES
    assert updated.original_filename == "protocol-v2.pdf"
    entry = AuditEntry.objects.filter(action=Action.UPDATE).get()
    assert {"title_en", "file", "sha256"} <= set(entry.fields)


def test_the_file_is_removed_only_once_the_deletion_commits(
    cast, django_capture_on_commit_callbacks
) -> None:
    document = _document(cast)
    path = _path_of(document)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_delete(actor=cast.user(Role.COORDINATOR), document=document)
    assert path.exists()  # not committed yet: a rollback would keep row and file
    for callback in callbacks:
        callback()
    assert not path.exists()


# --- editing rights ------------------------------------------------------


def test_editors_of_another_organisation_get_404_and_other_roles_403(cast, login) -> None:
    document = _document(cast)
    url = reverse("directory:document-edit", kwargs={"pk": document.pk})
    assert login(cast.user(Role.COORDINATOR, "away")).get(url).status_code == 404
    assert login(cast.user(Role.CASE_WORKER)).get(url).status_code == 403
    assert login(cast.user(Role.CASE_WORKER)).get(
        reverse("directory:document-create")
    ).status_code == 403


def test_coordinator_edits_metadata_without_replacing_the_file(cast, login) -> None:
    document = _document(cast)
    sha = document.sha256
    client = login(cast.user(Role.COORDINATOR))
    response = client.post(reverse("directory:document-edit", kwargs={"pk": document.pk}), {
        "title_en": "Public protocol", "title_ru": "Открытый протокол", "category": "law",
        "language": "ru", "year": "", "visibility": Visibility.RESTRICTED,
        "restricted_roles": [Role.COORDINATOR],
    })
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title_ru, document.category, document.sha256) == (
        "Открытый протокол", "law", sha
    )
    assert document.restricted_roles == ",coordinator,"
    entry = AuditEntry.objects.filter(action=Action.UPDATE).get()
    assert set(entry.fields) == {"title_ru", "category", "language", "visibility",
                                 "restricted_roles"}


def test_restricted_upload_must_name_a_role(cast) -> None:
    with pytest.raises(ValidationError):
        _document(cast, visibility=Visibility.RESTRICTED)
    assert not any(p.is_file() for p in (Path(settings.VAR_DIR) / "library").rglob("*"))


# --- demo data -----------------------------------------------------------


def test_seed_library_demo_creates_marked_documents_once(db) -> None:
    assert seed_library_demo() == []  # no coalition office yet
    OrganisationFactory(code=library.DEMO_OWNER_CODE)
    first = seed_library_demo()
    second = seed_library_demo()
    assert len(first) == len(library.DEMO_DOCUMENTS) == 6
    assert [d.pk for d in first] == [d.pk for d in second]
    assert Document.objects.count() == 6
    for document in first:
        assert document.is_demo
        assert _path_of(document).read_bytes().startswith(b"DEMO DOCUMENT")
    restricted = Document.objects.get(visibility=Visibility.RESTRICTED)
    assert restricted.title_en == "Embassy training handout"
