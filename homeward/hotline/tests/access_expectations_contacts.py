"""Access expectations of the hotline's contact pages and follow-up queues.

Contacts identify callers: only the organisation's hotline operators and
coordinators see them. Other roles are refused (403), a contact of another
organisation is not found (404). The site administrator is no member: the
lists and the form are refused, a HOME contact is not found.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from homeward.accounts.roles import Capability, roles_with
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, Expect
from homeward.hotline.tests.factories import log_contact

LOGGERS = roles_with(Capability.HOTLINE_LOG)


def _contact(cast: Any) -> dict[str, Any]:
    contact = log_contact(
        cast, follow_up_due=timezone.localdate() + datetime.timedelta(days=2),
        caller_phone="+7 912 345-67-89",
    )
    return {"pk": contact.pk}


def _page(name: str, method: str = "GET", not_allowed: str | None = "PATCH") -> Expect:
    return Expect(
        name, method=method, allowed=LOGGERS, site_admin=FORBIDDEN,
        not_allowed_method=not_allowed,
    )


def _record(name: str, method: str = "GET", not_allowed: str | None = "PATCH") -> Expect:
    return Expect(
        name, method=method, kwargs=_contact, allowed=LOGGERS, scoped=True,
        site_admin=NOT_FOUND, not_allowed_method=not_allowed,
    )


EXPECTATIONS: list[Expect] = [
    _page("hotline:contact-list"),
    _page("hotline:contact-create"),
    _page("hotline:contact-create", method="POST"),
    _page("hotline:contact-phone-check", method="POST", not_allowed="GET"),
    _record("hotline:contact-detail"),
    _record("hotline:contact-edit"),
    _record("hotline:contact-edit", method="POST"),
    _record("hotline:follow-up-done", method="POST", not_allowed="GET"),
    _page("hotline:follow-up-list"),
]
