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

from homeward.hotline.services.call_events import (
    call_event_attach,
    call_event_record,
    call_event_view_record,
    contact_log_for_call,
)
from homeward.hotline.services.campaigns import CAMPAIGN_FIELDS, campaign_create, campaign_update
from homeward.hotline.services.contacts import (
    CONTACT_FIELDS,
    contact_log,
    contact_phone_lookup_record,
    contact_update,
    contact_view_record,
    follow_up_done,
)
from homeward.hotline.services.escalation import (
    contact_link_case,
    escalation_call_record,
    helpers_lookup_record,
)
from homeward.hotline.services.lines import LINE_FIELDS, line_create, line_update

__all__ = [
    "CAMPAIGN_FIELDS",
    "CONTACT_FIELDS",
    "LINE_FIELDS",
    "call_event_attach",
    "call_event_record",
    "call_event_view_record",
    "campaign_create",
    "campaign_update",
    "contact_link_case",
    "contact_log",
    "contact_log_for_call",
    "contact_phone_lookup_record",
    "contact_update",
    "contact_view_record",
    "escalation_call_record",
    "follow_up_done",
    "helpers_lookup_record",
    "line_create",
    "line_update",
]
