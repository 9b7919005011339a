"""Models of reintegration, referrals between organisations and monitoring."""

from __future__ import annotations

from homeward.reintegration.models.assistance import (
    AssistanceKind,
    Donor,
    EligibilityRule,
    LedgerEntry,
    LedgerImmutable,
    Programme,
)
from homeward.reintegration.models.monitoring import MonitoringReport, MonitoringSchedule
from homeward.reintegration.models.plan import Goal, Plan, PlanReview
from homeward.reintegration.models.questionnaire import Assessment, Question, Questionnaire
from homeward.reintegration.models.referral import Referral

__all__ = [
    "Assessment", "AssistanceKind", "Donor", "EligibilityRule", "Goal", "LedgerEntry",
    "LedgerImmutable", "MonitoringReport", "MonitoringSchedule", "Plan", "PlanReview",
    "Programme", "Question", "Questionnaire", "Referral",
]
