"""The Russian catalogue: complete, up to date with the source, compiled, loaded.

Russian is a first-class language of Homeward, so a string that is marked for
translation but missing from ``homeward/locale/ru`` (or left untranslated,
fuzzy, or not compiled into the committed ``.mo``) fails the suite. The fix
is always the same: ``make messages``, translate, ``make messages`` again.
"""

from __future__ import annotations

import gettext
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

import homeward

PACKAGE_DIR = Path(homeward.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
RU_DJANGO_PO = LOCALE_DIR / "ru" / "LC_MESSAGES" / "django.po"
# The standard Russian rule: 1, 21, 101 · 2-4, 22-24 · 0, 5-20, 25-30, 111.
RU_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
FIX = "run `make messages` and translate"
# What makemessages reads for each domain (Django's defaults).
SOURCE_SUFFIXES = {"django": {".py", ".html", ".txt"}, "djangojs": {".js"}}


def ru_catalogues() -> list[Path]:
    """Every committed Russian ``.po``: the project one and any app-level one."""
    return sorted(PACKAGE_DIR.glob("**/locale/ru/LC_MESSAGES/*.po"))


def _id(path: Path) -> str:
    return str(path.relative_to(PACKAGE_DIR)) if path.is_relative_to(PACKAGE_DIR) else str(path)


CATALOGUES = ru_catalogues()


def live_entries(po: polib.POFile) -> Iterator[polib.POEntry]:
    return (entry for entry in po if not entry.obsolete)


def ru_plural_index(n: int) -> int:
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def describe(entry: polib.POEntry) -> str:
    where = ", ".join(sorted({path for path, _line in entry.occurrences}))
    context = f" [context {entry.msgctxt!r}]" if entry.msgctxt else ""
    return f"{entry.msgid!r}{context}" + (f" ({where})" if where else "")


def test_russian_catalogue_is_committed():
    assert RU_DJANGO_PO.is_file(), f"{RU_DJANGO_PO} is missing: {FIX}"
    assert RU_DJANGO_PO.with_suffix(".mo").is_file(), (
        f"{RU_DJANGO_PO.with_suffix('.mo')} is missing: run `make messages`"
    )


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_id)
def test_header_is_russian(po_path: Path):
    po = polib.pofile(str(po_path))
    assert not po.metadata_is_fuzzy, f"{_id(po_path)}: remove `#, fuzzy` from the header"
    assert po.metadata.get("Language") == "ru"
    assert po.metadata.get("Content-Type") == "text/plain; charset=UTF-8"
    assert po.metadata.get("Plural-Forms") == RU_PLURAL_FORMS


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_id)
def test_every_entry_is_translated(po_path: Path):
    po = polib.pofile(str(po_path))
    fuzzy, untranslated = [], []
    for entry in live_entries(po):
        if entry.fuzzy:
            fuzzy.append(describe(entry))
        elif entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(3)]
            if len(entry.msgstr_plural) != 3 or not all(form.strip() for form in forms):
                untranslated.append(describe(entry) + " needs all 3 plural forms")
        elif not entry.msgstr.strip():
            untranslated.append(describe(entry))
    problems = [f"untranslated: {item}" for item in untranslated]
    problems += [f"fuzzy (check it, then remove the flag): {item}" for item in fuzzy]
    assert not problems, (
        f"{_id(po_path)} has {len(problems)} entries to translate ({FIX}):\n  "
        + "\n  ".join(problems)
    )


_PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[#0 +-]*(?:\*|\d+)?(?:\.\d+)?([diouxXeEfFgGcrs%])")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def placeholders(text: str) -> list[str]:
    return sorted(
        f"%({name}){kind}" if name else f"%{kind}"
        for name, kind in _PYTHON_FORMAT.findall(text)
        if kind != "%"
    )


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_id)
def test_placeholders_and_markup_are_kept(po_path: Path):
    po = polib.pofile(str(po_path))
    problems = []
    for entry in live_entries(po):
        if entry.fuzzy:
            continue
        if entry.msgid_plural:
            # Every Russian form serves several numbers (form 0 is 1, 21, 31...):
            # each must carry every placeholder of the source.
            source = sorted(set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural)))
            translations = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
            source_tags = sorted(_TAG.findall(entry.msgid_plural))
        else:
            source = placeholders(entry.msgid)
            translations = [entry.msgstr]
            source_tags = sorted(_TAG.findall(entry.msgid))
        for text in translations:
            if not text:
                continue  # reported by test_every_entry_is_translated
            is_python_format = "python-format" in entry.flags
            if is_python_format and sorted(set(placeholders(text))) != sorted(set(source)):
                problems.append(f"{describe(entry)}: placeholders {source} -> {text!r}")
            if sorted(_TAG.findall(text)) != source_tags:
                problems.append(f"{describe(entry)}: HTML tags {source_tags} -> {text!r}")
    assert not problems, "\n  ".join(["Translations must keep the source's", *problems])


def _ignore_for(domain: str):
    suffixes = SOURCE_SUFFIXES[domain]

    def ignore(directory: str, names: list[str]) -> set[str]:
        ignored = set()
        for name in names:
            path = Path(directory) / name
            if path.is_dir():
                if name in {"locale", "__pycache__"} or name.startswith("."):
                    ignored.add(name)
            elif path.suffix not in suffixes:
                ignored.add(name)
        return ignored

    return ignore


def extract_messages(domain: str, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> polib.POFile:
    """Run ``makemessages -l ru`` over a copy of the package; return its catalogue.

    The copy leaves out every ``locale`` directory and makemessages runs with
    LOCALE_PATHS pointing into the copy, so the committed files are never
    touched. Returns an empty catalogue when the source has no such strings.
    """
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        pytest.fail(
            "GNU gettext (xgettext, msguniq) is not installed, so the catalogue cannot be "
            "checked against the source. Install it: `make install-test` "
            "(or `apt-get install gettext`)."
        )
    source = workdir / "homeward"
    shutil.copytree(PACKAGE_DIR, source, ignore=_ignore_for(domain))
    locale_dir = source / "locale"
    locale_dir.mkdir()
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[str(locale_dir)]):
        call_command(
            "makemessages",
            locale=["ru"],
            domain=domain,
            verbosity=0,
            no_obsolete=True,
            add_location="file",
        )
    extracted = locale_dir / "ru" / "LC_MESSAGES" / f"{domain}.po"
    return polib.pofile(str(extracted)) if extracted.exists() else polib.POFile()


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.mark.parametrize("domain", sorted(SOURCE_SUFFIXES))
def test_catalogue_is_up_to_date_with_source(
    domain: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    extracted = extract_messages(domain, tmp_path, monkeypatch)
    committed: set[tuple[str, str, str]] = set()
    for po_path in ru_catalogues():
        if po_path.stem == domain:
            committed.update(_key(entry) for entry in live_entries(polib.pofile(str(po_path))))
    missing = [entry for entry in live_entries(extracted) if _key(entry) not in committed]
    assert not missing, (
        f"{len(missing)} translatable strings in the source are not in the committed "
        f"Russian {domain} catalogue: {FIX}.\n  " + "\n  ".join(describe(e) for e in missing)
    )


def _load_mo(mo_path: Path) -> gettext.GNUTranslations:
    with mo_path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_id)
def test_mo_matches_po(po_path: Path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.is_file(), f"{_id(mo_path)} is missing: run `make messages`"
    po = polib.pofile(str(po_path))
    expected: dict[str | tuple[str, int], str] = {}
    for entry in po.translated_entries():  # never fuzzy, obsolete or incomplete
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                expected[(msgid, int(index))] = text
        else:
            expected[msgid] = entry.msgstr

    mo = _load_mo(mo_path)
    actual = dict(mo._catalog)  # type: ignore[attr-defined]
    actual.pop("", None)  # the header
    keys = expected.keys() | actual.keys()
    stale = sorted(repr(key) for key in keys if expected.get(key) != actual.get(key))
    assert not stale, (
        f"{_id(mo_path)} does not match {_id(po_path)}: run `python scripts/compile_messages.py`."
        "\n  " + "\n  ".join(stale)
    )
    assert mo.info().get("plural-forms") == po.metadata.get("Plural-Forms")
    assert (mo.charset() or "").lower() == "utf-8"


def _ru_entries() -> list[polib.POEntry]:
    return list(polib.pofile(str(RU_DJANGO_PO)).translated_entries())


def test_dashboard_is_served_in_russian():
    """Proves Django loads the committed .mo: the UI is Russian under ``ru``."""
    # A variable, not a literal: xgettext would list this file as a source.
    msgid = "Dashboard"
    expected = polib.pofile(str(RU_DJANGO_PO)).find(msgid)
    assert expected is not None, f"{msgid!r} is not in the catalogue"
    assert expected.msgstr
    with translation.override("ru"):
        assert translation.gettext(msgid) == expected.msgstr
        assert translation.gettext(msgid) != msgid
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_every_translation_wins_over_django_catalogues():
    """Project strings such as "Password" also exist in Django's own ru catalogue:
    the project's (LOCALE_PATHS) must be the one used."""
    wrong = []
    with translation.override("ru"):
        for entry in _ru_entries():
            if entry.msgid_plural:
                continue
            if entry.msgctxt:
                got = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                got = translation.gettext(entry.msgid)
            if got != entry.msgstr:
                wrong.append(f"{entry.msgid!r}: expected {entry.msgstr!r}, got {got!r}")
    assert not wrong, "\n  ".join(["Django serves other translations:", *wrong])


def test_russian_plural_forms_are_chosen_by_number():
    plurals = [entry for entry in _ru_entries() if entry.msgid_plural and not entry.msgctxt]
    if not plurals:
        pytest.skip("the catalogue has no plural strings")
    entry = plurals[0]
    with translation.override("ru"):
        for n in (0, 1, 2, 4, 5, 11, 12, 14, 20, 21, 22, 25, 101, 111, 112, 1001):
            got = translation.ngettext(entry.msgid, entry.msgid_plural, n)
            assert got == entry.msgstr_plural[ru_plural_index(n)], f"n={n}"


def test_templates_render_russian():
    entry = polib.pofile(str(RU_DJANGO_PO)).find("Sign out")
    assert entry is not None, "'Sign out' is not in the catalogue"
    assert entry.msgstr
    template = Template('{% load i18n %}{% translate "Sign out" %}')
    with translation.override("ru"):
        assert template.render(Context()) == entry.msgstr
