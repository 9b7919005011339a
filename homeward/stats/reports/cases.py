"""Reports of the cases family (being written)."""

from __future__ import annotations
