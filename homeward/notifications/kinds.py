"""What each kind of notification says.

A notification stores its kind and parameters (a case code, an
organisation's name, a date), never words: the title is an English msgid
translated when it is shown — in the reader's language on the page, in the
recipient's language in an e-mail. Parameters never hold a person's name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

from django.utils import formats
from django.utils.translation import gettext, gettext_noop


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    # An English msgid formatted with the notification's parameters.
    title: str


class _Params(dict[str, str]):
    """Missing parameters read as empty: an old row never breaks a page."""

    def __missing__(self, key: str) -> str:
        return ""


KINDS: dict[str, Kind] = {}


def register(name: str, title: str) -> Kind:
    kind = Kind(name=name, title=title)
    KINDS[name] = kind
    return kind


REFERRAL_RECEIVED = register(
    "referral.received",
    gettext_noop("Case %(code)s was referred to you by %(organisation)s"),
)
REFERRAL_ACCEPTED = register(
    "referral.accepted",
    gettext_noop("%(organisation)s accepted the referral of case %(code)s"),
)
REFERRAL_DECLINED = register(
    "referral.declined",
    gettext_noop("%(organisation)s declined the referral of case %(code)s"),
)
REFERRAL_REVOKED = register(
    "referral.revoked",
    gettext_noop("%(organisation)s revoked the referral of case %(code)s"),
)
MONITORING_DUE_SOON = register(
    "monitoring.due_soon",
    gettext_noop("Monitoring report for case %(code)s is due on %(date)s"),
)
MONITORING_OVERDUE = register(
    "monitoring.overdue",
    gettext_noop("Monitoring report for case %(code)s is overdue (due on %(date)s)"),
)
MONITORING_SUBMITTED = register(
    "monitoring.submitted",
    gettext_noop("%(organisation)s filed a monitoring report for case %(code)s"),
)
MONITORING_ALERT = register(
    "monitoring.alert",
    gettext_noop("Warning: the monitoring report for case %(code)s shows a risk"),
)


def get(name: str) -> Kind:
    """The kind registered as ``name``; ValueError for an unknown kind."""
    try:
        return KINDS[name]
    except KeyError as exc:
        raise ValueError(f"Unknown notification kind {name!r}") from exc


def _shown(key: str, value: str) -> str:
    if key == "date":
        try:
            return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return value


def title(kind: str, params: Mapping[str, str]) -> str:
    """The notification's title in the active language."""
    known = KINDS.get(kind)
    if known is None:
        return gettext("Notification")
    shown = _Params({key: _shown(key, str(value)) for key, value in params.items()})
    return gettext(known.title) % shown
