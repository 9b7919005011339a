"""Hotline test data, made through the services (so phones are normalised,
blind indexes filled in and audit rows written exactly as in production).

``make_line(cast)`` gives a line of HOME managed by its coordinator;
``log_contact(cast)`` a call on a HOME line logged by HOME's hotline
operator; keyword overrides go to ``services.contact_log``.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from homeward.hotline import services
from homeward.hotline.choices import CallerType, Channel, Outcome
from homeward.hotline.models import Contact, Line

_numbers = itertools.count(1)


def make_line(cast: Any, org: str = "home", **overrides: Any) -> Line:
    n = next(_numbers)
    values: dict[str, Any] = {
        "country": "RU",
        # Always ten digits after +7, however many lines a test session makes.
        "number": f"+7 800 {100 + n // 100 % 900:03d}-{n % 100:02d}-{n % 100:02d}",
        "languages": ["ru"],
        "is_24_7": True,
        "label_en": f"Test line {n}",
        "label_ru": f"Тестовая линия {n}",
        **overrides,
    }
    organisation = cast.home if org == "home" else cast.away
    return services.line_create(
        actor=cast.user("coordinator", org), organisation=organisation, **values
    )


def contact_values(line: Line | None = None, **overrides: Any) -> dict[str, Any]:
    """The fields of a plain call from a relative, ten minutes long."""
    started = timezone.now() - datetime.timedelta(hours=1)
    return {
        "line": line,
        "channel": Channel.CALL,
        "started_at": started,
        "ended_at": started + datetime.timedelta(minutes=10),
        "caller_type": CallerType.RELATIVE_OR_FRIEND,
        "caller_country": "RU",
        "caller_city": "Astrakhan",
        "concern_country": "TR",
        "concern_city": "Istanbul",
        "topics": ["RescueRequest"],
        "outcome": Outcome.ADVICE_GIVEN,
        **overrides,
    }


def log_contact(cast: Any, actor: Any = None, org: str = "home", **overrides: Any) -> Contact:
    """A contact logged by ``actor`` (default: ``org``'s hotline operator) on a
    new line of ``org`` unless ``line`` is given."""
    actor = actor or cast.user("hotline_operator", org)
    if "line" not in overrides:
        overrides["line"] = make_line(cast, org)
    return services.contact_log(actor=actor, **contact_values(**overrides))
