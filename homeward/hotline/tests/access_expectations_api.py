"""Access expectations of the hotline's contacts and call-events API: one per
operation (URL name and method).

Contacts and call events are for the hotline operators and coordinators
(``LOGGERS``) of the owning organisation (HOME). A HOME member in another
role gets 403 (as on the pages); members of AWAY and the site administrator
get 404 for a HOME record. The lists, the follow-up queue and the
repeat-caller check answer every logger, AWAY's too (with their own
records), and 403 the other roles and the site administrator. Logging a
contact or a call on a HOME line is 403 for AWAY. The lines are read by
every member of the coalition. Anonymous callers get 403, as everywhere in
the API.

Requests that change a record send a valid JSON body (``data``); those that
would not work twice on one record (follow-up done, linking a call's
contact) get a fresh record for every audience (``fresh``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from homeward.accounts.roles import Role
from homeward.core.tests.access_matrix import FORBIDDEN, NOT_FOUND, Expect
from homeward.hotline import services
from homeward.hotline.tests.factories import log_contact, make_line

LOGGERS = frozenset({Role.HOTLINE_OPERATOR, Role.COORDINATOR})


def _started() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


def _contact(cast: Any) -> dict[str, Any]:
    return {"pk": log_contact(cast).pk}


def _contact_with_follow_up(cast: Any) -> dict[str, Any]:
    return {"pk": log_contact(cast, follow_up_due=timezone.localdate()).pk}


def _call_event(cast: Any) -> dict[str, Any]:
    started = _started()
    event, _created = services.call_event_record(
        actor=cast.user(Role.HOTLINE_OPERATOR), line=make_line(cast), started_at=started,
        answered_at=started, operator_username="hotline_operator@home",
        caller_phone="+79123456789",
    )
    return {"pk": event.pk}


def _new_contact(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "line": make_line(cast).pk, "channel": "Call", "started_at": _started().isoformat(),
        "caller_type": "RelativeOrFriend", "outcome": "AdviceGiven", "topics": ["Legal"],
    }


def _new_call(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"line": make_line(cast).pk, "started_at": _started().isoformat()}


def _attach(cast: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return {"contact": log_contact(cast).pk}


def _record(name: str, kwargs: Any = _contact, **extra: Any) -> Expect:
    """An operation on one HOME record."""
    extra.setdefault("not_allowed_method", None)
    return Expect(
        f"api:{name}", kwargs=kwargs, anonymous=FORBIDDEN, allowed=LOGGERS, scoped=True,
        site_admin=NOT_FOUND, **extra,
    )


def _list(name: str, **extra: Any) -> Expect:
    """A list (or a check) of the caller's own organisations' records."""
    extra.setdefault("not_allowed_method", None)
    return Expect(
        f"api:{name}", anonymous=FORBIDDEN, allowed=LOGGERS, site_admin=FORBIDDEN, **extra
    )


EXPECTATIONS: list[Expect] = [
    _list("hotline-contact-list", not_allowed_method="PUT"),
    # Logging a contact on a HOME line: HOME's loggers only.
    _list("hotline-contact-list", method="POST", data=_new_contact, away=FORBIDDEN),
    _record("hotline-contact-detail", not_allowed_method="PUT"),
    _record(
        "hotline-contact-detail", method="PATCH",
        data=lambda cast, kwargs: {"caller_city": "Tver"},
    ),
    _record(
        "hotline-follow-up-done", _contact_with_follow_up, method="POST", fresh=True,
        data=lambda cast, kwargs: {"note": "Called back"}, not_allowed_method="GET",
    ),
    _record("hotline-escalation-call-list", not_allowed_method="PATCH"),
    _record(
        "hotline-escalation-call-list", method="POST",
        data=lambda cast, kwargs: {"other": "Task force", "called_at": timezone.now().isoformat()},
    ),
    _list("hotline-follow-up-list", not_allowed_method="POST"),
    _list(
        "hotline-phone-check", method="POST", data=lambda cast, kwargs: {"phone": "+79123456789"},
        not_allowed_method="GET",
    ),
    # Lines identify nobody: every member; the site administrator, no member, an empty list.
    Expect("api:hotline-line-list", anonymous=FORBIDDEN, not_allowed_method="POST"),
    _list("hotline-call-event-list", not_allowed_method="PUT"),
    _list("hotline-call-event-list", method="POST", data=_new_call, away=FORBIDDEN),
    _record("hotline-call-event-detail", _call_event, not_allowed_method="PUT"),
    _record(
        "hotline-call-event-detail", _call_event, method="PATCH", fresh=True, data=_attach,
    ),
]
