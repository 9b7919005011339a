"""Access expectations of reintegration (api)."""

from __future__ import annotations

from typing import Any

EXPECTATIONS: list[Any] = []
