"""Tests of dlcourse.sequences (weeks 06 and 07)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dlcourse.sequences import sliding_windows


def test_windows_of_a_short_series() -> None:
    windows = sliding_windows([10, 20, 30, 40, 50], 3)
    np.testing.assert_array_equal(windows, [[10, 20, 30], [20, 30, 40], [30, 40, 50]])
    assert windows.dtype == np.asarray([10]).dtype


def test_step_and_leftover_items() -> None:
    windows = sliding_windows(np.arange(10), 4, step=3)
    np.testing.assert_array_equal(windows, [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]])
    np.testing.assert_array_equal(sliding_windows(np.arange(9), 4, step=4), [[0, 1, 2, 3],
                                                                             [4, 5, 6, 7]])


def test_inputs_and_next_value_pairs() -> None:
    series = np.arange(6.0)
    pairs = sliding_windows(series, 3)
    x, y = pairs[:, :-1], pairs[:, -1]
    np.testing.assert_array_equal(x, [[0, 1], [1, 2], [2, 3], [3, 4]])
    np.testing.assert_array_equal(y, [2, 3, 4, 5])


def test_trailing_axes_are_kept_and_the_result_is_a_copy() -> None:
    values = np.arange(12.0).reshape(6, 2)
    windows = sliding_windows(values, 5)
    assert windows.shape == (2, 5, 2)
    np.testing.assert_array_equal(windows[1], values[1:6])
    windows[0, 0, 0] = -1.0
    assert values[0, 0] == 0.0


def test_a_pandas_series_and_a_whole_window() -> None:
    series = pd.Series([1.5, 2.5, 3.5], index=pd.date_range("2001-01-06", periods=3, freq="W"))
    np.testing.assert_array_equal(sliding_windows(series, 3), [[1.5, 2.5, 3.5]])
    assert sliding_windows(series, 1).shape == (3, 1)


@pytest.mark.parametrize(
    ("values", "length", "step", "message"),
    [
        ([1, 2, 3], 0, 1, "length must be a positive integer"),
        ([1, 2, 3], 2.0, 1, "length must be a positive integer"),
        ([1, 2, 3], 2, 0, "step must be a positive integer"),
        ([1, 2, 3], True, 1, "length must be a positive integer"),
        ([1, 2, 3], 4, 1, "the sequence has 3 items, fewer than one window of 4"),
        (5.0, 1, 1, "expected a sequence"),
    ],
)
def test_bad_arguments(values: object, length: object, step: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sliding_windows(values, length, step)  # type: ignore[arg-type]


def test_importing_sequences_does_not_import_tensorflow() -> None:
    code = "import sys, dlcourse.sequences; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
