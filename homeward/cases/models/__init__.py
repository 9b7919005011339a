"""The case family: persons, their cases, and what happens in them."""

from __future__ import annotations

from homeward.cases.models.case import (
    Case,
    CaseAssignment,
    CaseSequence,
    CaseStep,
    Guardian,
    MissingReport,
)
from homeward.cases.models.person import MatchKind, Person, PersonMatchKey
from homeward.cases.models.records import (
    Consent,
    ConsentScan,
    CriminalProceeding,
    MedicalExam,
    Move,
    Repatriation,
    RescueRecord,
    TraffickingEvent,
)

__all__ = [
    "Case",
    "CaseAssignment",
    "CaseSequence",
    "CaseStep",
    "Consent",
    "ConsentScan",
    "CriminalProceeding",
    "Guardian",
    "MatchKind",
    "MedicalExam",
    "MissingReport",
    "Move",
    "Person",
    "PersonMatchKey",
    "Repatriation",
    "RescueRecord",
    "TraffickingEvent",
]
