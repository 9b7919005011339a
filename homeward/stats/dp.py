"""Differentially private noise for a released table.

Each cell of a report's counts gets independent noise calibrated to
``sensitivity / epsilon`` — ``sensitivity`` being the most cells one
person's record can change (``Report.sensitivity``): the two-sided
geometric mechanism (integer noise, the discrete Laplace) or the Laplace
mechanism rounded to an integer. Noisy cells are then clamped at zero
(post-processing: it costs no privacy); totals are never noised separately
but summed from the noisy cells, so a release is consistent.

The rows and columns are those of the counts given: ``release_create``
passes the report's closed categories (``Dimension.categories``, fixed
before any record is read, see ``services.releases.closed_counts``), so
which rows and columns a release has reveals nothing; a report with an open
dimension (cities, regions as recorded) has no noisy release.

The random source is ``secrets.SystemRandom`` (the operating system's
generator) unless a caller — a test — passes its own ``random.Random``.
"""

from __future__ import annotations

import math
import random
import secrets
from decimal import Decimal

from homeward.stats.choices import Mechanism
from homeward.stats.tables import Counts


def system_rng() -> random.Random:
    return secrets.SystemRandom()


def _uniform_open(rng: random.Random) -> float:
    """Uniform on (0, 1]: never 0, so that its logarithm is finite."""
    return 1.0 - rng.random()


def geometric_noise(scale: float, rng: random.Random) -> int:
    """Two-sided geometric noise: P(z) ∝ exp(-|z| / scale), z an integer."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    alpha = math.exp(-1.0 / scale)
    if alpha == 0.0:
        # A scale so small that any noise other than 0 has probability 0.
        return 0
    log_alpha = math.log(alpha)

    def one_sided() -> int:
        # Failures before the first success, success probability 1 - alpha.
        return math.floor(math.log(_uniform_open(rng)) / log_alpha)

    return one_sided() - one_sided()


def laplace_noise(scale: float, rng: random.Random) -> float:
    """Laplace noise with density exp(-|x| / scale) / (2 scale)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    u = rng.random() - 0.5
    sign = -1.0 if u < 0 else 1.0
    return -scale * sign * math.log(max(1.0 - 2.0 * abs(u), 1e-300))


def noise(mechanism: str, scale: float, rng: random.Random) -> int:
    """An integer noise value of ``mechanism`` with ``scale``."""
    if mechanism == Mechanism.GEOMETRIC:
        return geometric_noise(scale, rng)
    if mechanism == Mechanism.LAPLACE:
        return round(laplace_noise(scale, rng))
    raise ValueError(f"Unknown mechanism {mechanism!r}")


def noisy_counts(
    counts: Counts,
    epsilon: Decimal | float,
    mechanism: str,
    sensitivity: int = 1,
    rng: random.Random | None = None,
) -> Counts:
    """``counts`` with noise of scale ``sensitivity / epsilon`` added to every
    cell (the empty ones too: which cells are zero is itself a figure),
    clamped to non-negative integers. Rows and columns are kept as they are."""
    epsilon = float(epsilon)
    if not epsilon > 0 or math.isinf(epsilon):
        raise ValueError("epsilon must be a positive number")
    if sensitivity < 1:
        raise ValueError("sensitivity must be at least 1")
    rng = rng if rng is not None else system_rng()
    scale = sensitivity / epsilon
    cells = {
        (row, column): max(0, counts.value(row, column) + noise(mechanism, scale, rng))
        for row in counts.rows
        for column in counts.columns
    }
    return Counts(rows=list(counts.rows), columns=list(counts.columns), cells=cells)
