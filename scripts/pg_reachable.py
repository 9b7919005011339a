"""Exit 0 when the PostgreSQL server in the given URL accepts connections."""

from __future__ import annotations

import sys

import psycopg


def main() -> int:
    url = sys.argv[1]
    # Connect to the maintenance database: the named one may not exist yet.
    conninfo = psycopg.conninfo.conninfo_to_dict(url)
    conninfo["dbname"] = "postgres"
    try:
        with psycopg.connect(**conninfo, connect_timeout=3) as conn:  # type: ignore[arg-type]
            conn.execute("SELECT 1")
    except psycopg.Error:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
