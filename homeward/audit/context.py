"""Who is asking, from where: set once per request, read by audit writes."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    organisation_id: int | None = None
    organisation_code: str = ""


# RequestContext is frozen, so sharing one default instance is safe.
current: ContextVar[RequestContext] = ContextVar(
    "homeward_audit_context", default=RequestContext()  # noqa: B039
)
