"""Compile Homeward's gettext catalogues (``.po``) to ``.mo`` without GNU msgfmt.

Every ``locale/<language>/LC_MESSAGES/<domain>.po`` under the ``homeward``
package (the project catalogue in ``homeward/locale`` and any app-level
``locale`` directory) is compiled next to itself with polib. The ``.mo`` files
are committed, so ``make run`` on a fresh machine needs no gettext at all.

* Fuzzy, obsolete and untranslated entries (including a plural entry with any
  empty form) are left out, as ``msgfmt`` does: the English source shows.
* The output is deterministic: the same ``.po`` always gives the same bytes,
  and a ``.mo`` whose content did not change is not rewritten. As GNU msgfmt
  does, the ``POT-Creation-Date`` header is left out of the ``.mo``, so
  re-running ``makemessages`` alone does not change it.
* A catalogue that does not parse, has duplicate entries, or has a plural
  entry whose number of forms differs from its ``Plural-Forms`` header is an
  error: nothing is written for it and the script exits 1.

Usage::

    python scripts/compile_messages.py            # compile what changed
    python scripts/compile_messages.py --check    # exit 1 if a .mo is stale
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polib

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_ROOT / "homeward"

_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


class CatalogueError(Exception):
    """A ``.po`` file that must not be compiled as it is."""


@dataclass(frozen=True)
class Compiled:
    po_path: Path
    mo_path: Path
    data: bytes
    translated: int
    fuzzy: int
    untranslated: int


def find_catalogues(root: Path = PACKAGE_DIR) -> list[Path]:
    """Every ``.po`` file in a ``locale/<lang>/LC_MESSAGES`` directory under ``root``."""
    return sorted(
        path
        for path in root.glob("**/locale/*/LC_MESSAGES/*.po")
        if not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def _nplurals(po: polib.POFile) -> int | None:
    match = _NPLURALS.search(po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else None


def compile_catalogue(po_path: Path) -> Compiled:
    """Parse and check ``po_path``; return the ``.mo`` bytes and counts."""
    try:
        po = polib.pofile(str(po_path), check_for_duplicates=True)
    except (OSError, ValueError) as exc:  # polib raises IOError/ValueError on bad input
        raise CatalogueError(f"{po_path}: {exc}") from exc

    live = [entry for entry in po if not entry.obsolete]
    nplurals = _nplurals(po)
    problems: list[str] = []
    for entry in live:
        if not entry.msgid_plural:
            continue
        if nplurals is None:
            problems.append(f"plural entry {entry.msgid!r} but no Plural-Forms header")
        elif len(entry.msgstr_plural) != nplurals:
            problems.append(
                f"{entry.msgid!r} has {len(entry.msgstr_plural)} plural forms, "
                f"the header says nplurals={nplurals}"
            )
    if problems:
        raise CatalogueError(f"{po_path}:\n  " + "\n  ".join(problems))

    # polib's to_binary() keeps only translated entries (never fuzzy, obsolete
    # or partly empty ones), sorts them by their bytes like msgfmt, and puts
    # the header first. The header is kept even if marked fuzzy: gettext needs
    # its charset and plural rule.
    po.metadata.pop("POT-Creation-Date", None)
    data: bytes = po.to_binary()
    translated = len(po.translated_entries())
    fuzzy = len(po.fuzzy_entries())
    return Compiled(
        po_path=po_path,
        mo_path=po_path.with_suffix(".mo"),
        data=data,
        translated=translated,
        fuzzy=fuzzy,
        untranslated=len(live) - translated - fuzzy,
    )


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any .mo is missing or differs from its .po",
    )
    parser.add_argument(
        "root",
        nargs="?",
        type=Path,
        default=PACKAGE_DIR,
        help="directory searched for locale/*/LC_MESSAGES/*.po (default: the homeward package)",
    )
    args = parser.parse_args(argv)

    catalogues = find_catalogues(args.root.resolve())
    if not catalogues:
        print(f"No .po files under {_display(args.root.resolve())}", file=sys.stderr)
        return 0

    failed = False
    for po_path in catalogues:
        try:
            result = compile_catalogue(po_path)
        except CatalogueError as exc:
            print(f"ERROR {exc}", file=sys.stderr)
            failed = True
            continue
        current = result.mo_path.read_bytes() if result.mo_path.exists() else None
        up_to_date = current == result.data
        if args.check:
            state = "up to date" if up_to_date else "STALE: run scripts/compile_messages.py"
            failed = failed or not up_to_date
        else:
            if not up_to_date:
                _write_atomically(result.mo_path, result.data)
            state = "unchanged" if up_to_date else "written"
        print(
            f"{_display(result.mo_path)}: {state}; {result.translated} translated, "
            f"{result.fuzzy} fuzzy (skipped), {result.untranslated} untranslated"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
