"""Access expectations of reintegration (work)."""

from __future__ import annotations

from typing import Any

EXPECTATIONS: list[Any] = []
