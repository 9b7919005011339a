"""Why a reintegration or referral service refused. Every message is in the
user's language and names the rule; nothing was changed.

``ConsentRequired`` and ``EditConflict`` are the case family's
(``homeward.cases.errors``), reused here so that pages and the API treat
them alike.
"""

from __future__ import annotations

from homeward.cases.errors import CaseRuleError, ConsentRequired, EditConflict


class ReintegrationRuleError(CaseRuleError):
    """A rule of reintegration work refused the change."""


class ReferralStateError(ReintegrationRuleError):
    """The referral is not in a state that allows this (answered, revoked…)."""


class LedgerRuleError(ReintegrationRuleError):
    """A grant, payment or correction breaks a ledger rule."""


class QuestionnaireLocked(ReintegrationRuleError):
    """A published or retired questionnaire version cannot be edited."""


__all__ = [
    "CaseRuleError", "ConsentRequired", "EditConflict", "LedgerRuleError",
    "QuestionnaireLocked", "ReferralStateError", "ReintegrationRuleError",
]
