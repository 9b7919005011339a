"""Access expectations of the notifications pages."""

from __future__ import annotations

from typing import Any

EXPECTATIONS: list[Any] = []
