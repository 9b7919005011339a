"""Why a case service refused. Every message is in the user's language and
names the rule, so the page can show it as it is; nothing was changed."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import ValidationError


class CaseRuleError(ValidationError):
    """A rule of case work refused the change (transition, consent, minors)."""


class TransitionRefused(CaseRuleError):
    pass


class ConsentRequired(CaseRuleError):
    pass


class EscortRequired(CaseRuleError):
    pass


@dataclasses.dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    # What the record holds now (after the other person's save).
    current: Any


class EditConflict(CaseRuleError):
    """Someone saved the record after the editor opened it.

    ``changes`` lists the fields the other save changed, with their current
    values, so the second editor sees what changed before trying again.
    """

    def __init__(self, message: Any, *, changes: list[FieldChange], version: int) -> None:
        super().__init__(message, code="conflict")
        self.changes = changes
        self.version = version
