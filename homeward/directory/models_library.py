"""The coalition's resource library: protocols, laws, training material.

A document has the same visibility rules as a directory entry (public,
coalition members, or restricted to named roles). Its file lives in
``VAR_DIR/library``, a directory no URL serves: the bytes are only ever sent
by the download view, after the access gate.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Organisation
from homeward.directory.models import Visibility


class LibraryStorage(FileSystemStorage):
    """Files under ``settings.VAR_DIR / "library"``, read when used (so tests
    can point ``VAR_DIR`` elsewhere), with no URL and owner-only permissions."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self) -> Path:
        return Path(settings.VAR_DIR) / "library"

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        # No URL: FileSystemStorage.url() refuses ("not accessible via a URL").
        return None


_storage = LibraryStorage()


def library_storage() -> LibraryStorage:
    """The storage of library files (a callable, so migrations name it)."""
    return _storage


def library_upload_to(instance: Document, filename: str) -> str:
    """A random name: nothing of the original name reaches the disk."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class DocumentCategory(models.TextChoices):
    PROTOCOL = "protocol", _("Protocol")
    LAW = "law", _("Law")
    TRAINING = "training", _("Training material")
    INDICATORS = "indicators", _("Indicators card")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Document(models.Model):
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="library_documents",
        verbose_name=_("maintained by"),
        help_text=_("The member organisation that keeps this document up to date."),
    )
    title_ru = models.CharField(_("title in Russian"), max_length=300, blank=True)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=16, choices=DocumentCategory.choices,
        default=DocumentCategory.OTHER,
    )
    language = models.CharField(
        _("language of the document"), max_length=2, default="ru",
        validators=[RegexValidator(r"^[a-z]{2}$", _("Use a two-letter ISO 639-1 code."))],
        help_text=_("ISO 639-1 code, for example ru, en, tr."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    file = models.FileField(
        _("file"), storage=library_storage, upload_to=library_upload_to, max_length=200
    )
    original_filename = models.CharField(_("file name"), max_length=160)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.COALITION
    )
    # ",role,role," like Entry.restricted_roles (see selectors.visible_to).
    restricted_roles = models.CharField(
        _("roles that may see it"), max_length=300, blank=True,
        help_text=_("Only for restricted visibility."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("uploaded by"),
    )
    is_demo = models.BooleanField(
        _("demo document"), default=False, help_text=_("Invented for the demonstration.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title_en", "title_ru", "id"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if (get_language() or "en").startswith("ru"):
            return self.title_ru or self.title_en
        return self.title_en or self.title_ru
