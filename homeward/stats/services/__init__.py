"""Writes of the statistics app (one module per concept)."""
