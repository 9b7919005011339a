"""Differentially private noise (``dp``)."""

from __future__ import annotations

import random
import statistics

import pytest

from homeward.stats import dp
from homeward.stats.choices import Mechanism
from homeward.stats.tables import Counts


def counts() -> Counts:
    return Counts(
        rows=["RU", "TR", "AE"],
        columns=["KZ", "UZ"],
        cells={("RU", "KZ"): 120, ("RU", "UZ"): 3, ("TR", "KZ"): 0, ("TR", "UZ"): 40,
               ("AE", "KZ"): 1, ("AE", "UZ"): 75},
    )


@pytest.mark.parametrize("mechanism", Mechanism.values)
def test_noisy_cells_are_non_negative_integers(mechanism: str) -> None:
    rng = random.Random(1)
    for _ in range(200):
        noisy = dp.noisy_counts(counts(), 0.1, mechanism, 1, rng)
        assert set(noisy.cells) == {(r, c) for r in noisy.rows for c in noisy.columns}
        assert all(isinstance(value, int) and value >= 0 for value in noisy.cells.values())


@pytest.mark.parametrize("mechanism", Mechanism.values)
def test_rows_and_columns_are_kept(mechanism: str) -> None:
    noisy = dp.noisy_counts(counts(), 1, mechanism, 1, random.Random(2))
    assert noisy.rows == ["RU", "TR", "AE"]
    assert noisy.columns == ["KZ", "UZ"]


@pytest.mark.parametrize("mechanism", Mechanism.values)
def test_same_seed_gives_the_same_noise(mechanism: str) -> None:
    first = dp.noisy_counts(counts(), 0.5, mechanism, 1, random.Random(7))
    second = dp.noisy_counts(counts(), 0.5, mechanism, 1, random.Random(7))
    assert first.cells == second.cells


@pytest.mark.parametrize("mechanism", Mechanism.values)
def test_noise_is_roughly_unbiased(mechanism: str) -> None:
    rng = random.Random(2026)
    samples = [dp.noise(mechanism, 2.0, rng) for _ in range(20000)]
    # Standard deviation of the mean is about 2.83 / sqrt(20000) = 0.02.
    assert abs(statistics.fmean(samples)) < 0.1


@pytest.mark.parametrize("mechanism", Mechanism.values)
def test_large_epsilon_gives_figures_close_to_the_counts(mechanism: str) -> None:
    rng = random.Random(11)
    true = counts()
    runs = [dp.noisy_counts(true, 5.0, mechanism, 1, rng) for _ in range(2000)]
    for key, value in true.cells.items():
        if value >= 20:  # away from the clamp at zero
            mean = statistics.fmean(run.cells[key] for run in runs)
            assert abs(mean - value) < 0.1


def test_geometric_noise_has_the_expected_spread() -> None:
    rng = random.Random(5)
    scale = 4.0
    samples = [dp.geometric_noise(scale, rng) for _ in range(40000)]
    alpha = 2.718281828459045 ** (-1 / scale)
    expected = 2 * alpha / (1 - alpha) ** 2
    assert abs(statistics.pvariance(samples) / expected - 1) < 0.05


@pytest.mark.parametrize("mechanism", Mechanism.values)
def test_sensitivity_scales_the_noise(mechanism: str) -> None:
    def spread(sensitivity: int) -> float:
        rng = random.Random(3)
        samples = [
            dp.noisy_counts(Counts(["a"], ["b"], {("a", "b"): 1000}), 1.0, mechanism,
                            sensitivity, rng).cells[("a", "b")]
            for _ in range(5000)
        ]
        return statistics.pstdev(samples)

    assert spread(3) / spread(1) == pytest.approx(3, rel=0.15)


def test_refuses_bad_epsilon_sensitivity_and_mechanism() -> None:
    rng = random.Random(1)
    with pytest.raises(ValueError, match="epsilon"):
        dp.noisy_counts(counts(), 0, Mechanism.GEOMETRIC, 1, rng)
    with pytest.raises(ValueError, match="sensitivity"):
        dp.noisy_counts(counts(), 1, Mechanism.GEOMETRIC, 0, rng)
    with pytest.raises(ValueError, match="mechanism"):
        dp.noisy_counts(counts(), 1, "gaussian", 1, rng)


def test_default_generator_is_the_system_one() -> None:
    import secrets

    assert isinstance(dp.system_rng(), secrets.SystemRandom)
