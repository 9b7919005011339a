"""HTCDS 2.0 exchange files (Homeward's flat profile, CSV or XLSX).

- :mod:`.profile` — the columns Homeward reads and writes, their picklists
  (checked against the standard's own field list) and how each maps onto
  the case and person models.
- :mod:`.export` — ``htcds_export``: de-identified by default, audited.
- :mod:`.importer` — ``htcds_check`` (a dry run naming every bad row and
  field) and ``htcds_import`` (all or nothing, idempotent on
  ``x_ExternalId``), audited.
"""

from __future__ import annotations
