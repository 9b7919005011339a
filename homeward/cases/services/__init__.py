"""Writes of the case family. Every function is keyword-only, runs in one
transaction, and writes its audit row in it (values never, field names yes).
Bad input raises ``ValidationError`` in the user's language; rule refusals
raise the subclasses in :mod:`homeward.cases.errors`. Nothing is changed
when a service refuses."""

from __future__ import annotations

from homeward.cases.services.cases import (
    STEP_TRANSITIONS,
    STEPS_NEEDING_ASSISTANCE_CONSENT,
    allowed_next_steps,
    case_advance,
    case_assign,
    case_close,
    case_open,
    case_reopen,
    case_unassign,
    case_update,
    case_view_record,
    missing_person_found,
    missing_report_update,
)
from homeward.cases.services.consents import (
    consent_record,
    consent_scan_read,
    medical_unlocked,
    require_consent,
)
from homeward.cases.services.export import case_export
from homeward.cases.services.persons import (
    MatchReport,
    person_create,
    person_match_check,
    person_update,
    person_view_record,
)
from homeward.cases.services.records import (
    event_create,
    event_delete,
    event_update,
    guardian_record,
    medical_exam_record,
    move_record,
    proceeding_create,
    proceeding_update,
    repatriation_record,
    repatriation_update,
    rescue_record,
)

__all__ = [
    "STEPS_NEEDING_ASSISTANCE_CONSENT",
    "STEP_TRANSITIONS",
    "MatchReport",
    "allowed_next_steps",
    "case_advance",
    "case_assign",
    "case_close",
    "case_export",
    "case_open",
    "case_reopen",
    "case_unassign",
    "case_update",
    "case_view_record",
    "consent_record",
    "consent_scan_read",
    "event_create",
    "event_delete",
    "event_update",
    "guardian_record",
    "medical_exam_record",
    "medical_unlocked",
    "missing_person_found",
    "missing_report_update",
    "move_record",
    "person_create",
    "person_match_check",
    "person_update",
    "person_view_record",
    "proceeding_create",
    "proceeding_update",
    "repatriation_record",
    "repatriation_update",
    "require_consent",
    "rescue_record",
]
