"""Writes of the hotline: lines, contacts, follow-ups, escalation calls,
case links and campaigns.

Every service takes keyword arguments, runs in one transaction and writes
its audit row inside it, naming the fields touched, never their values. Bad
input raises ``ValidationError`` with a translated message (per field where
there is one) and changes nothing. Contacts are logged by the hotline
operators and coordinators of the owning organisation; lines and campaigns
are managed by its coordinators.

One module per concept (lines, contacts, escalation, campaigns); everything
is re-exported here, so callers write ``services.contact_log(...)``.
"""

from __future__ import annotations

from homeward.hotline.services.campaigns import CAMPAIGN_FIELDS, campaign_create, campaign_update
from homeward.hotline.services.contacts import (
    CONTACT_FIELDS,
    contact_log,
    contact_update,
    follow_up_done,
)
from homeward.hotline.services.escalation import contact_link_case, escalation_call_record
from homeward.hotline.services.lines import LINE_FIELDS, line_create, line_update

__all__ = [
    "CAMPAIGN_FIELDS",
    "CONTACT_FIELDS",
    "LINE_FIELDS",
    "campaign_create",
    "campaign_update",
    "contact_link_case",
    "contact_log",
    "contact_update",
    "escalation_call_record",
    "follow_up_done",
    "line_create",
    "line_update",
]
