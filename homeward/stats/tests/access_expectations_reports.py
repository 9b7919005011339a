"""Access expectations (being written)."""

from __future__ import annotations

from homeward.core.tests.access_matrix import Expect

EXPECTATIONS: list[Expect] = []
