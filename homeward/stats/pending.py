"""An uploaded file waiting for its confirmation (the HTCDS and CTDC imports).

The check page shows what importing a file would do; the file is kept on
disk under a random token (``directory.exchange.upload_store``: readable by
the server only, swept after a day) and its token and details in the
session, so that the confirmation imports exactly the file checked. A file
is confirmed or cancelled once: reading it back removes it from the session.
"""

from __future__ import annotations

from django.http import HttpRequest

from homeward.directory import exchange as uploads


def pending_keep(request: HttpRequest, key: str, *, data: bytes, **details: str | int) -> None:
    """Keep ``data`` for confirmation under the session's ``key`` with its
    ``details`` (file name, organisation id, label …), discarding the file
    kept there before."""
    pending_drop(request, key)
    request.session[key] = {"token": uploads.upload_store(data), **details}


def pending_pop(request: HttpRequest, key: str, *details: str) -> dict[str, str] | None:
    """The token and ``details`` of the file waiting under ``key`` (as text,
    "" when missing), removed from the session; None when none is waiting."""
    pending = request.session.pop(key, None)
    if not isinstance(pending, dict):
        return None
    return {name: str(pending.get(name, "")) for name in ("token", *details)}


def pending_drop(request: HttpRequest, key: str) -> None:
    """Forget the file waiting under ``key`` and delete it."""
    pending = pending_pop(request, key)
    if pending is not None:
        uploads.upload_discard(pending["token"])
