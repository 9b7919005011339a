"""One benchmark run against one fresh database, in its own process.

``python -m bench.worker --database sqlite|postgres --json PATH [--only TEXT]``

* ``sqlite``: a throwaway file ``<HOMEWARD_VAR_DIR>/bench.sqlite3``, removed
  before and after the run.
* ``postgres``: the server named by ``DATABASE_URL``, but a dedicated database
  ``homeward_bench`` on it, created before and dropped after the run; the
  database named in the URL is never touched.

Django is set up here (``DJANGO_SETTINGS_MODULE=homeward.settings``) with the
development settings (production refuses demo data) and ``DEBUG`` off, so the
production password hasher is used and no queries are kept in memory. The
results are written as JSON to ``PATH``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench.report import Section

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "homeward_bench"


def var_dir() -> Path:
    path = Path(os.environ.get("HOMEWARD_VAR_DIR") or ROOT / "var" / "bench").resolve()
    os.environ["HOMEWARD_VAR_DIR"] = str(path)
    return path


# --- SQLite --------------------------------------------------------------------


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def prepare_sqlite() -> Path:
    path = var_dir() / "bench.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for item in _sqlite_files(path):
        item.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"  # absolute path: sqlite:////...
    return path


def drop_sqlite(path: Path) -> None:
    for item in _sqlite_files(path):
        item.unlink(missing_ok=True)


# --- PostgreSQL ----------------------------------------------------------------


def _maintenance_connect(url: str) -> psycopg.Connection[Any]:
    conninfo = psycopg.conninfo.conninfo_to_dict(url)
    conninfo["dbname"] = "postgres"
    return psycopg.connect(**conninfo, autocommit=True, connect_timeout=5)  # type: ignore[arg-type]


def prepare_postgres(url: str) -> str:
    """Create an empty ``homeward_bench`` and point ``DATABASE_URL`` at it."""
    with _maintenance_connect(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(BENCH_DATABASE)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DATABASE)))
    parts = urlsplit(url)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))
    return url


def drop_postgres(url: str) -> None:
    with _maintenance_connect(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(BENCH_DATABASE)))


# --- the run -------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, str]:
    import django
    from django.db import connection

    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    if connection.vendor == "sqlite":
        db_version = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db_version = f"{connection.display_name} {cursor.fetchone()[0].split()[0]}"
    return {
        "CPU": f"{_cpu_model()} ({platform.machine()})",
        "cores": f"{cores} ({usable} usable by this process)",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Django": django.get_version(),
        "database": db_version,
    }


def run(kind: str, only: str = "") -> Section:
    started = time.perf_counter()
    os.environ["HOMEWARD_ENV"] = "development"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    server_url = ""
    sqlite_path: Path | None = None
    if kind == "sqlite":
        sqlite_path = prepare_sqlite()
    else:
        server_url = os.environ.get("DATABASE_URL", "")
        if not server_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("bench.worker --database postgres needs a PostgreSQL DATABASE_URL")
        var_dir()
        prepare_postgres(server_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    section = Section(database=kind)
    try:
        print(f"== {kind}: migrating a fresh database", file=sys.stderr, flush=True)
        call_command("migrate", verbosity=0, interactive=False)
        section.machine = machine()
        section.database = section.machine["database"]

        from bench.measure import run_all

        section.benchmarks = run_all(only)
    finally:
        connections.close_all()
        if sqlite_path is not None:
            drop_sqlite(sqlite_path)
        if server_url:
            drop_postgres(server_url)
    section.seconds = time.perf_counter() - started
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker", description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--json", type=Path, required=True, help="where to write the results")
    parser.add_argument("--only", default="", help="only the measurements whose label has this")
    args = parser.parse_args(argv)
    section = run(args.database, args.only)
    args.json.write_text(section.to_json(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
