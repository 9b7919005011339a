"""Reports of the ctdc family (being written)."""

from __future__ import annotations
