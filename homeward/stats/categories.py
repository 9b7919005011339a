"""The closed category lists of report dimensions (``Dimension.categories``).

A list is fixed before any record is read — it may depend on the filter
(the months of the period, the shelters of the counted organisations),
never on the people counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db.models import TextChoices

from homeward.stats.choices import OTHERS, UNKNOWN
from homeward.stats.filters import ReportFilter
from homeward.stats.tables import Categories


def fixed(keys: Iterable[str], *, unknown: bool = True) -> Categories:
    """Always ``keys``, then ``UNKNOWN`` (unless ``unknown`` is False: the
    one column of a one-dimensional report)."""
    listed = [key for key in dict.fromkeys(keys) if key != UNKNOWN]
    if unknown:
        listed.append(UNKNOWN)

    def categories(filter: ReportFilter) -> Sequence[str]:
        return list(listed)

    return categories


def picklist(choices: type[TextChoices]) -> Categories:
    """Every value of a picklist, then ``UNKNOWN``."""
    return fixed(str(value) for value in choices.values)


def countries(filter: ReportFilter) -> Sequence[str]:
    """The public list of countries a noisy release names, the others
    folded into ``OTHERS``, then ``UNKNOWN``."""
    return [*dict.fromkeys(settings.HOMEWARD_DP_COUNTRIES), OTHERS, UNKNOWN]
