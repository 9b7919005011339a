"""Opening the intake wizard pre-filled from another record.

Another app (the hotline, for a contact that turns into a case) registers a
*provider* for its source name::

    intake.register_prefill("hotline", contact_prefill)

and links to ``/cases/new/?source=hotline&ref=<its id>``. The wizard calls
the provider with the signed-in user and the reference and uses the dict it
returns as the form's initial data: keys are the intake form's field names
(``first_name``, ``phones`` as a list or one per line, ``kind``,
``referral_source``, ``missing_reporter_name``, …; see
:class:`homeward.cases.forms_intake.IntakeForm`). Unknown keys are ignored.

The provider reads its own record through its own access gate: it returns
None when the user may not see it, and the wizard opens empty, exactly as for
an unknown source. Optionally the provider's app is told, after the case is
opened, which case came of its record (``on_open``) — to link the two.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from homeward.accounts.models import User
from homeward.cases.models import Case

Provider = Callable[[User, str], "dict[str, Any] | None"]
OnOpen = Callable[[User, str, Case], None]


@dataclasses.dataclass(frozen=True)
class _Source:
    provider: Provider
    on_open: OnOpen | None = None


_sources: dict[str, _Source] = {}


def register_prefill(source: str, provider: Provider, *, on_open: OnOpen | None = None) -> None:
    """Declare where ``?source=<source>&ref=…`` takes the wizard's initial data
    from; ``on_open(user, ref, case)`` runs after a case is opened from it."""
    _sources[source] = _Source(provider=provider, on_open=on_open)


def unregister_prefill(source: str) -> None:
    """Forget a source (for tests)."""
    _sources.pop(source, None)


def is_known(source: str) -> bool:
    return source in _sources


def prefill(user: User, source: str, ref: str) -> dict[str, Any]:
    """The initial data for the wizard; empty for an unknown source or record."""
    registered = _sources.get(source)
    if registered is None or not ref:
        return {}
    return dict(registered.provider(user, ref) or {})


def opened(user: User, source: str, ref: str, case: Case) -> None:
    """Tell the source's app that ``case`` was opened from its record ``ref``."""
    registered = _sources.get(source)
    if registered is not None and registered.on_open is not None and ref:
        registered.on_open(user, ref, case)
