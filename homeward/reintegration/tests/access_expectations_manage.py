"""Access expectations of reintegration (manage)."""

from __future__ import annotations

from typing import Any

EXPECTATIONS: list[Any] = []
