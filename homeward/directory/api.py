"""REST API for the directory (entries, contact points, "who can help")."""

from __future__ import annotations
