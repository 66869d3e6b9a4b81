import pytest

from benchmarks.stats import Latency, percentile


def test_median_of_an_odd_sample_is_its_middle_value():
    assert percentile([5.0, 1.0, 3.0], 0.5) == 3.0


def test_percentile_interpolates_between_closest_ranks():
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([0.0, 10.0], 0.99) == pytest.approx(9.9)


def test_extreme_quantiles_are_the_minimum_and_maximum():
    values = [3.0, 9.0, 1.0, 7.0]
    assert percentile(values, 0.0) == 1.0
    assert percentile(values, 1.0) == 9.0


def test_one_value_is_every_percentile():
    assert percentile([0.25], 0.99) == 0.25


def test_percentile_refuses_no_values_and_quantiles_outside_zero_to_one():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 1.5)


def test_latency_summary_of_nothing_is_none():
    assert Latency.of([]) is None
    summary = Latency.of([0.1, 0.2, 0.3])
    assert summary is not None
    assert (summary.n, summary.p50, summary.max) == (3, 0.2, 0.3)
