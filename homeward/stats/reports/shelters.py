"""Reports of the shelters family (being written)."""

from __future__ import annotations
