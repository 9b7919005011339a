"""Access expectations of the hotline's analysis pages and the analysis API."""

from __future__ import annotations

from homeward.core.tests.access_matrix import Expect

EXPECTATIONS: list[Expect] = []
