"""The case timeline's entries, and the hook other apps add theirs through.

The case overview merges the case's own dated records (steps, consents,
rescues, arrivals) with entries contributed by other apps — referrals and
monitoring reports from reintegration — without the case app importing
them: an app registers a source in its ``AppConfig.ready``. A source gets
the viewing user and the case and returns only what that user may see.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from typing import Any

from homeward.cases.models import Case


@dataclasses.dataclass(frozen=True)
class TimelineItem:
    on: datetime.date
    kind: str  # step, consent, rescue, arrival, or a contributing app's kind
    title: str
    detail: str = ""
    by: str = ""


TimelineSource = Callable[[Any, Case], Iterable[TimelineItem]]

_sources: list[TimelineSource] = []


def register(source: TimelineSource) -> TimelineSource:
    """Add ``source`` to every case timeline (once, however often called)."""
    if source not in _sources:
        _sources.append(source)
    return source


def contributed_items(user: Any, case: Case) -> list[TimelineItem]:
    return [item for source in _sources for item in source(user, case)]
