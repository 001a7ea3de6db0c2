"""The counting behind the item-writing rules: chance, as the binomial test computes it."""

from math import comb

import pytest

from generator.checks_items import ALPHA, binomial_tail


def test_binomial_tail_equals_the_closed_form() -> None:
    for n, p in ((5, 0.25), (12, 0.5), (25, 0.25)):
        for k in range(n + 1):
            exact = sum(comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1))
            assert binomial_tail([p] * n, k) == pytest.approx(exact)


def test_the_thresholds_the_docs_give() -> None:
    """docs/authoring.md: 25 four-option questions warn from about 11 longest keys (over 40 %);
    10 of 12 true/false answers alike warn, 9 of 12 do not."""
    four = [0.25] * 25
    assert binomial_tail(four, 10) >= ALPHA > binomial_tail(four, 11)
    halves = [0.5] * 12
    assert 2 * binomial_tail(halves, 10) < ALPHA <= 2 * binomial_tail(halves, 9)


def test_large_counts_use_an_approximation_close_to_the_exact_tail() -> None:
    from generator import checks_items

    n, p = 1000, 0.25
    exact = sum(comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(280, n + 1))
    assert checks_items.EXACT_UP_TO < n
    assert binomial_tail([p] * n, 280) == pytest.approx(exact, rel=0.1)
