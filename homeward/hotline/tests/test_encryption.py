"""A contact's identifying details are encrypted at rest: read straight from
the tables, they appear nowhere in plain text."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from homeward.core.fields import encrypted_fields
from homeward.hotline import services
from homeward.hotline.models import Contact, EscalationCall
from homeward.hotline.tests.factories import log_contact

pytestmark = pytest.mark.django_db

SECRETS = {
    "caller_name": "Zemfiraquixota",
    "caller_phone": "+79167770123",
    "caller_email": "zemfira.secret@example.invalid",
    "advice_given": "Advicesecretword",
    "notes": "Notessecretword",
    "concern_name": "Daughtersecretname",
}


def _table_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_identifying_contact_fields_hold_no_plaintext(cast: Any) -> None:
    contact = log_contact(cast, follow_up_due=timezone.localdate(), **SECRETS)
    services.follow_up_done(
        actor=cast.user("hotline_operator"), contact=contact, note="Followupsecretword"
    )
    services.escalation_call_record(
        actor=cast.user("hotline_operator"), contact=contact, other="Task force",
        called_at=timezone.now(), note="Escalationsecretword",
    )
    raw = _table_text(Contact._meta.db_table) + _table_text(EscalationCall._meta.db_table)
    for secret in [*SECRETS.values(), "9167770123", "Followupsecretword", "Escalationsecretword"]:
        assert secret not in raw, secret
    assert "hw1:" in raw
    contact.refresh_from_db()
    assert contact.caller_name == SECRETS["caller_name"]


def test_every_identifying_field_is_an_encrypted_one() -> None:
    names = {field.name for field in encrypted_fields(Contact)}
    assert names == {
        "caller_name", "caller_phone", "caller_email", "advice_given", "notes", "follow_up_note",
        "concern_name",
    }
