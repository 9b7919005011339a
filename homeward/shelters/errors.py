"""Why a shelter service refused. Every message is translated and names the
rule, so the page can show it on the form as it is; nothing was changed.

For a missing consent the services raise ``homeward.cases.errors.ConsentRequired``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ShelterRuleError(ValidationError):
    """A rule of placement refused the change."""


class NotEligible(ShelterRuleError):
    """The shelter's rules (age, sex, children, access, open) refuse the person."""


class NoCapacity(ShelterRuleError):
    """Not enough free beds or cots now."""


class TransitionRefused(ShelterRuleError):
    """The referral, stay or waiting entry is not in a state that allows this."""
