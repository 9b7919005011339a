"""Access expectations of the hotline's rescue escalation pages."""

from __future__ import annotations

from homeward.core.tests.access_matrix import Expect

EXPECTATIONS: list[Expect] = []
