"""Reports of the hotline family (being written)."""

from __future__ import annotations
