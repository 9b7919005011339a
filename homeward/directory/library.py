"""The resource library's checks on uploaded files, and its demo documents.

An upload is accepted only when its extension is on the list AND its first
bytes agree with it (a ``.pdf`` that is really a PNG is refused), it is at
most :data:`MAX_UPLOAD_BYTES`, and its name is reduced to something safe to
show and to put in a ``Content-Disposition`` header. The name on disk is
random (see ``models_library.library_upload_to``).
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import os
import re
import unicodedata
import zipfile
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_FILENAME_STEM = 120

# What the first bytes of each kind of file look like.
PDF = "pdf"
ZIP = "zip"  # docx, xlsx, pptx, odt are zip containers
OLE = "ole"  # the old binary .doc
PNG = "png"
JPEG = "jpeg"
TEXT = "text"

SIGNATURES: dict[str, bytes] = {
    PDF: b"%PDF-",
    ZIP: b"PK\x03\x04",
    OLE: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    PNG: b"\x89PNG\r\n\x1a\n",
    JPEG: b"\xff\xd8\xff",
}


@dataclasses.dataclass(frozen=True)
class FileType:
    content_type: str
    kind: str
    # For zip containers: a member name (prefix) every genuine file has.
    zip_member: str = ""


FILE_TYPES: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", PDF),
    ".docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, "word/"
    ),
    ".doc": FileType("application/msword", OLE),
    ".odt": FileType("application/vnd.oasis.opendocument.text", ZIP, "mimetype"),
    ".txt": FileType("text/plain; charset=utf-8", TEXT),
    ".md": FileType("text/markdown; charset=utf-8", TEXT),
    ".xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "xl/"
    ),
    ".pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP, "ppt/"
    ),
    ".jpg": FileType("image/jpeg", JPEG),
    ".jpeg": FileType("image/jpeg", JPEG),
    ".png": FileType("image/png", PNG),
}

ACCEPT = ",".join(FILE_TYPES)

# Characters never kept in a file name: path and shell specials, quotes.
_UNSAFE = re.compile(r'[<>:"/\\|?*;\'`$]')


def sanitise_filename(name: str) -> str:
    """The last path part of ``name``, without control or invisible characters
    (right-to-left overrides included), unsafe punctuation or leading dots;
    Cyrillic and other letters stay. The extension is lower-cased."""
    name = unicodedata.normalize("NFC", str(name))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, extension = os.path.splitext(name)
    stem = stem.strip(" .")[:MAX_FILENAME_STEM].strip(" .") or "document"
    return f"{stem}{extension.lower()}"


@dataclasses.dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content_type: str
    size: int
    sha256: str


def _kind_of(head: bytes) -> str:
    for kind, signature in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return TEXT


def _chunks(upload: Any) -> Any:
    upload.seek(0)
    if hasattr(upload, "chunks"):
        yield from upload.chunks()
        return
    while chunk := upload.read(64 * 1024):
        yield chunk


def _is_utf8_text(upload: Any) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in _chunks(upload):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _zip_has(upload: Any, member: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return any(name.startswith(member) for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _content_matches(upload: Any, file_type: FileType) -> bool:
    upload.seek(0)
    head = upload.read(16)
    if _kind_of(head) != file_type.kind:
        return False
    if file_type.kind == TEXT:
        return _is_utf8_text(upload)
    if file_type.kind == ZIP:
        return _zip_has(upload, file_type.zip_member)
    return True


def check_upload(upload: Any) -> CheckedUpload:
    """Accept ``upload`` (an uploaded file or any Django ``File``) or raise a
    ``ValidationError`` saying why, in the user's language. Leaves the file
    positioned at its start."""
    filename = sanitise_filename(getattr(upload, "name", "") or "")
    extension = os.path.splitext(filename)[1]
    file_type = FILE_TYPES.get(extension)
    if file_type is None:
        raise ValidationError(
            _("Files of this type cannot be added to the library. Allowed: %(allowed)s.")
            % {"allowed": ", ".join(sorted({e.lstrip(".") for e in FILE_TYPES}))},
            code="type",
        )
    size = upload.size
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(limit)d MB.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="size",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if not _content_matches(upload, file_type):
        raise ValidationError(
            _(
                "The content of this file does not match its extension (%(extension)s). "
                "Save it again in that format, or give it the right extension."
            )
            % {"extension": extension},
            code="mismatch",
        )
    digest = hashlib.sha256()
    for chunk in _chunks(upload):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        filename=filename, content_type=file_type.content_type, size=size,
        sha256=digest.hexdigest(),
    )


def open_bytes(name: str, content: bytes) -> IO[bytes]:
    """A named in-memory file, as the services expect an upload."""
    return ContentFile(content, name=name)


# --- demo documents -------------------------------------------------------

DEMO_OWNER_CODE = "AC-MOW"
DEMO_MARK = (
    "DEMO DOCUMENT / ДЕМОНСТРАЦИОННЫЙ ДОКУМЕНТ\n"
    "Invented for the Homeward demonstration. Not an official text; "
    "do not rely on it. / Составлен для демонстрации Homeward, "
    "не является официальным текстом.\n\n"
)

# title_en, title_ru, category, language, year, visibility, roles, file name, description, body
DEMO_DOCUMENTS: list[tuple[str, str, str, str, int | None, str, tuple[str, ...], str, str, str]] = [
    (
        "Victim Assistance Protocol",
        "Протокол помощи пострадавшим",
        "protocol", "ru", None, "coalition", (),
        "victim-assistance-protocol.md",
        "The coalition's agreed steps from first contact to safe accommodation.",
        "# Victim Assistance Protocol (demo)\n\n"
        "1. First contact: listen, assess immediate danger, agree on a safe way to call back.\n"
        "2. Safety: if there is danger now, call the police task force and the hotline "
        "coordinator.\n"
        "3. Needs: shelter, medical care, legal advice, contact with family only with consent.\n"
        "4. Referral: to a coalition member with a written, consented referral.\n"
        "5. Follow-up: a named case worker, a review within 72 hours.\n",
    ),
    (
        "Counter-Trafficking Protocol and Plan of Action for the Russian Federation (2004)",
        "Протокол и план действий по противодействию торговле людьми "
        "в Российской Федерации (2004)",
        "protocol", "ru", 2004, "public", (),
        "counter-trafficking-protocol-plan-2004.md",
        "Summary of the 2004 protocol and plan of action: prevention, protection, prosecution "
        "and partnership.",
        "# Counter-Trafficking Protocol and Plan of Action (2004) — demo summary\n\n"
        "- Prevention: information campaigns in sending regions, school programmes.\n"
        "- Protection: hotline, shelters, medical and psychological help, repatriation.\n"
        "- Prosecution: training of police and prosecutors, victim-witness support.\n"
        "- Partnership: NGOs, government bodies and international organisations.\n",
    ),
    (
        "Repatriation and Rehabilitation Protocol (2005)",
        "Протокол репатриации и реабилитации (2005)",
        "protocol", "en", 2005, "public", (),
        "repatriation-rehabilitation-protocol-2005.md",
        "How a person is brought home safely and supported afterwards.",
        "# Repatriation and Rehabilitation Protocol (2005) — demo summary\n\n"
        "1. Identification and consent abroad (embassy or consulate, IOM).\n"
        "2. Travel documents, escort, reception at the airport or border.\n"
        "3. Shelter placement, medical examination, counselling.\n"
        "4. Reintegration plan: family, education or work, legal support.\n",
    ),
    (
        "Criminal Code of the Russian Federation, articles 127.1 and 127.2: summary",
        "Уголовный кодекс Российской Федерации, статьи 127.1 и 127.2: краткое изложение",
        "law", "ru", 2003, "public", (),
        "criminal-code-127-1-127-2-summary.md",
        "Short orientation on the articles on trafficking in persons and on the use of "
        "slave labour. Always check the current official text.",
        "# Статьи 127.1 и 127.2 УК РФ — краткое изложение (демо)\n\n"
        "- Статья 127.1 «Торговля людьми»: купля-продажа человека, иные сделки в отношении "
        "человека, а также его вербовка, перевозка, передача, укрывательство или получение "
        "в целях эксплуатации.\n"
        "- Статья 127.2 «Использование рабского труда»: использование труда человека, "
        "в отношении которого осуществляются полномочия, присущие праву собственности, "
        "если он по не зависящим от него причинам не может отказаться от работы.\n\n"
        "Статьи введены Федеральным законом от 8 декабря 2003 г. № 162-ФЗ. "
        "Сверяйтесь с действующей редакцией.\n",
    ),
    (
        "Identification indicators card",
        "Карточка признаков торговли людьми",
        "indicators", "ru", None, "public", (),
        "identification-indicators-card.txt",
        "A pocket card for first-line staff: signs that someone may be trafficked.",
        "IDENTIFICATION INDICATORS (demo card)\n\n"
        "- Documents held by someone else\n"
        "- Debt to an employer or recruiter that keeps growing\n"
        "- Not free to leave the workplace or the accommodation\n"
        "- Someone else answers for the person, or listens in\n"
        "- Signs of violence, fear, or instructions on what to say\n"
        "- Does not know their address or the city they are in\n",
    ),
    (
        "Embassy training handout",
        "Раздаточный материал для обучения сотрудников посольств",
        "training", "en", None, "restricted", ("coordinator", "hotline_operator", "case_worker"),
        "embassy-training-handout.md",
        "For consular staff: recognising a possible victim and whom to call.",
        "# Embassy training handout (demo)\n\n"
        "- Speak to the person alone, in their language, through a vetted interpreter.\n"
        "- Do not return documents to the person accompanying them.\n"
        "- Call the coalition hotline; it finds the nearest shelter and escort.\n"
        "- Record what was seen, not what was assumed.\n",
    ),
]


def seed_library_demo() -> list[Any]:
    """Create the demo documents (owned by the coalition office) once.

    Running it again changes nothing. Returns the demo documents; none when
    the coalition office is missing (seed the accounts first).
    """
    from homeward.accounts.models import Organisation
    from homeward.directory.models_library import Document
    from homeward.directory.services_library import document_create

    owner = Organisation.objects.filter(code=DEMO_OWNER_CODE).first()
    if owner is None:
        return []
    documents = []
    for (title_en, title_ru, category, language, year, visibility, roles, filename,
         description, body) in DEMO_DOCUMENTS:
        existing = Document.objects.filter(is_demo=True, title_en=title_en).first()
        if existing is not None:
            documents.append(existing)
            continue
        documents.append(
            document_create(
                actor=None,
                owner=owner,
                upload=open_bytes(filename, (DEMO_MARK + body).encode()),
                title_en=title_en,
                title_ru=title_ru,
                description=description,
                category=category,
                language=language,
                year=year,
                visibility=visibility,
                restricted_roles=list(roles),
                is_demo=True,
            )
        )
    return documents
