"""``make bench``: run the measurements and write ``BENCHMARKS.md``.

Always measures on a throwaway SQLite database. When ``DATABASE_URL`` names a
PostgreSQL server (or ``--postgres URL`` is given), measures again on a
dedicated ``homeward_bench`` database on that server and adds a second
section. Each database is measured in its own child process
(:mod:`bench.worker`), since Django is set up once per process.

Exit status: 0 when every target is met, 1 otherwise (or when a run broke).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench import report
from bench.report import Section
from homeward.core.dbcheck import postgres_reachable

ROOT = Path(__file__).resolve().parent.parent
WORKER_TIMEOUT = 600  # seconds; a healthy run takes well under a minute


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _where(url: str) -> str:
    """Host and port only: a URL may hold a password."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"


def _run_worker(kind: str, database_url: str | None, only: str = "") -> Section:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.setdefault("HOMEWARD_VAR_DIR", str(ROOT / "var" / "bench"))
    with tempfile.TemporaryDirectory(prefix="homeward-bench-") as tmp:
        out = Path(tmp) / "section.json"
        command = [sys.executable, "-m", "bench.worker", "--database", kind, "--json", str(out)]
        if only:
            command += ["--only", only]
        try:
            done = subprocess.run(  # noqa: S603 - our own interpreter and module
                command, cwd=ROOT, env=env, timeout=WORKER_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            return Section(database=kind, error=f"timed out after {WORKER_TIMEOUT} s")
        if done.returncode != 0 or not out.exists():
            return Section(
                database=kind,
                error=f"the {kind} run exited with status {done.returncode} (see its output)",
            )
        return Section.from_json(out.read_text(encoding="utf-8"))


def _print_summary(section: Section) -> None:
    print(f"\n{section.database}  ({section.seconds:.0f} s)")
    if section.error:
        print(f"  ERROR: {section.error}")
    for bench in section.benchmarks:
        for check in bench.checks:
            verdict = {None: "info", True: "pass", False: "FAIL"}[check.passed]
            print(f"  [{verdict:4}] {bench.title}: {check.what}: {check.value} "
                  f"(target {check.target})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    env_url = os.environ.get("DATABASE_URL", "")
    parser.add_argument(
        "--postgres", metavar="URL", default=env_url if _is_postgres(env_url) else "",
        help="also measure on this PostgreSQL server (default: DATABASE_URL if PostgreSQL)",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    parser.add_argument(
        "--only", metavar="TEXT", default="",
        help="only the measurements whose label contains TEXT (e.g. reintegration); the "
             "report then goes to var/bench/BENCHMARKS-partial.md unless --output is given",
    )
    parser.add_argument("--output", type=Path, default=None,
                        help="where to write the report (default: BENCHMARKS.md)")
    args = parser.parse_args(argv)
    if args.postgres and not _is_postgres(args.postgres):
        parser.error("--postgres needs a postgres:// URL")
    if args.output is None:
        args.output = (ROOT / "var" / "bench" / "BENCHMARKS-partial.md" if args.only
                       else ROOT / "BENCHMARKS.md")
        args.output.parent.mkdir(parents=True, exist_ok=True)

    sections: list[Section] = []
    notes: list[str] = []
    if not args.no_sqlite:
        sections.append(_run_worker("sqlite", None, args.only))
    if args.postgres:
        if postgres_reachable(args.postgres):
            sections.append(_run_worker("postgres", args.postgres, args.only))
        elif os.environ.get("CI") == "true":
            sections.append(Section(
                database="PostgreSQL",
                error=f"not reachable at {_where(args.postgres)} (required when CI=true)",
            ))
        else:
            notes.append(f"PostgreSQL at {_where(args.postgres)} was not reachable: skipped.")
    else:
        notes.append(
            "Only SQLite was measured; set `DATABASE_URL=postgres://...` (or pass "
            "`--postgres URL`) to add a PostgreSQL section."
        )
    if not sections:
        parser.error("nothing to measure")

    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report.write(args.output, report.render(sections, date=date, notes=notes))
    for section in sections:
        _print_summary(section)
    for note in notes:
        print(f"\nNote: {note}")
    ok = all(section.ok for section in sections)
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"\nWrote {shown}: " + ("all targets met." if ok else "TARGETS MISSED."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
