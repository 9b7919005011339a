"""Access expectations of the hotline's contact pages and follow-up queues."""

from __future__ import annotations

from homeward.core.tests.access_matrix import Expect

EXPECTATIONS: list[Expect] = []
