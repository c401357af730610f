"""Sliding windows over a sequence: the data layout of weeks 06 and 07.

Week 06 (1D causal CNNs) cuts a long series into overlapping training sequences; week 07 (RNNs)
turns a series into (window, next value) pairs for a forecaster and a text into (characters,
next characters) pairs for a language model. Both are one call::

    pairs = sequences.sliding_windows(series, 27)   # (n, 27): 26 inputs and the value after
    x, y = pairs[:, :-1], pairs[:, -1]

Nothing here imports TensorFlow.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["sliding_windows"]


def _is_whole(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def sliding_windows(values: npt.ArrayLike, length: int, step: int = 1) -> np.ndarray:
    """Consecutive windows of ``length`` items of a sequence, ``step`` items apart.

    Window ``i`` is ``values[i * step : i * step + length]``; windows that would run past the
    end are left out, so there are ``(n - length) // step + 1`` of them. Weeks 06 and 07.

    Args:
        values: the sequence, shape ``(n, ...)`` (a list, a NumPy array or a pandas Series);
            trailing axes, such as features, are kept.
        length: items per window, at least 1.
        step: distance between the starts of two windows, at least 1 (``step = length`` gives
            windows that do not overlap).

    Returns:
        A new array of shape ``(windows, length, ...)`` with the dtype of ``values``.

    Raises:
        ValueError: ``length`` or ``step`` is not a positive integer, ``values`` is a scalar,
            or the sequence is shorter than one window.
    """
    array = np.asarray(values)
    if array.ndim == 0:
        raise ValueError("sliding_windows: expected a sequence, got a single number")
    for name, value in (("length", length), ("step", step)):
        if not _is_whole(value) or value < 1:
            raise ValueError(f"sliding_windows: {name} must be a positive integer, got {value!r}")
    n = array.shape[0]
    if n < length:
        raise ValueError(
            f"sliding_windows: the sequence has {n} items, fewer than one window of {length}"
        )
    starts = np.arange(0, n - length + 1, step)
    return array[starts[:, None] + np.arange(length)[None, :]]
