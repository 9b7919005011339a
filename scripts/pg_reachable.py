"""Exit 0 when the PostgreSQL server in the given URL accepts connections."""

from __future__ import annotations

import sys

from homeward.core.dbcheck import postgres_reachable

if __name__ == "__main__":
    sys.exit(0 if postgres_reachable(sys.argv[1]) else 1)
