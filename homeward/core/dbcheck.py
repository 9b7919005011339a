"""Is a PostgreSQL server there? Used by `make test` and `make bench`."""

from __future__ import annotations

import psycopg


def postgres_reachable(url: str) -> bool:
    """True when the server in ``url`` accepts connections.

    Connects to the maintenance database: the named one may not exist yet.
    """
    conninfo = psycopg.conninfo.conninfo_to_dict(url)
    conninfo["dbname"] = "postgres"
    try:
        with psycopg.connect(**conninfo, connect_timeout=3) as conn:  # type: ignore[arg-type]
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True
