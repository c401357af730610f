"""The monkeypatching guard (dlcourse.grading.guard), run in this process the way the grader
runs it in a kernel: SETUP once, then RESTORE before each test cell."""

from __future__ import annotations

import contextlib
import io

import keras
import numpy as np
import pytest

from dlcourse import checks
from dlcourse.grading import guard


def _restore(namespace: dict) -> list[str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(guard.RESTORE, namespace)
    report = guard.parse_report([{"output_type": "stream", "text": printed.getvalue()}])
    assert report is not None, printed.getvalue()
    return report


@pytest.fixture
def namespace() -> dict:
    namespace: dict = {}
    exec(guard.SETUP, namespace)
    assert _restore(namespace) == []  # nothing patched yet
    return namespace


def test_patches_of_numpy_checks_and_keras_are_removed_and_reported(namespace: dict) -> None:
    originals = (np.allclose, checks.check_accuracy, keras.Model.predict)
    np.allclose = lambda *a, **k: True
    checks.check_accuracy = lambda *a, **k: 1.0
    keras.Model.predict = lambda self, x, *a, **k: x
    keras.Sequential.__call__ = lambda self, x, *a, **k: x  # inherited before: must go again
    keras.Layer.__call__ = lambda self, x, *a, **k: x
    restored = _restore(namespace)
    assert (np.allclose, checks.check_accuracy, keras.Model.predict) == originals
    assert "__call__" not in vars(keras.Sequential)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    assert model(np.ones((3, 2), "float32")).shape == (3, 1)
    for name in (
        "numpy.allclose",
        "dlcourse.checks.check_accuracy",
        "keras.Model.predict",
        "keras.Sequential.__call__",
        "keras.Layer.__call__",
    ):
        assert name in restored, restored
    assert _restore(namespace) == []


def test_a_broken_guard_report_reads_as_none() -> None:
    assert guard.parse_report([{"output_type": "stream", "text": "nothing here\n"}]) is None
    line = guard.REPORT_PREFIX + "{not json"
    assert guard.parse_report([{"output_type": "stream", "text": line}]) is None
