"""Access expectations of reintegration (referrals)."""

from __future__ import annotations

from typing import Any

EXPECTATIONS: list[Any] = []
