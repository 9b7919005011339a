"""The statistics app's background jobs (autodiscovered by the worker):
the statistical abstract, the CTDC import and the HTCDS import."""

from __future__ import annotations
