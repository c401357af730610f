"""dlcourse.setup: seeds, determinism, version check, plot defaults, quiet TensorFlow."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from dlcourse import session
from dlcourse.seeding import set_seed


def test_same_seed_same_numbers():
    import keras

    set_seed(3)
    a = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    set_seed(3)
    b = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    set_seed(4)
    assert not np.array_equal(np.random.rand(3), a[0])


def test_same_seed_same_trained_weights():
    import keras

    def train() -> np.ndarray:
        set_seed(0)
        x = np.random.rand(64, 4).astype("float32")
        y = (x.sum(axis=1) > 2).astype("int64")
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dropout(0.2), keras.layers.Dense(2)])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(x, y, epochs=2, batch_size=16, verbose=0)
        return model.get_weights()[0]

    np.testing.assert_array_equal(train(), train())


@pytest.mark.parametrize("bad", [-1, 1.5, "7", True])
def test_bad_seed_is_refused_with_a_sentence(bad):
    with pytest.raises(ValueError, match="expected a non-negative integer seed"):
        set_seed(bad)


def test_version_problems_names_mismatches(monkeypatch):
    assert session.version_problems() == []
    monkeypatch.setitem(session.EXPECTED_VERSIONS, "keras", "2.15")
    problems = session.version_problems()
    assert len(problems) == 1
    assert problems[0].startswith("keras 3.15.1 is installed, the course is tested with 2.15.x")


def test_setup_sets_plot_defaults():
    import matplotlib as mpl

    session.setup(1)
    assert mpl.rcParams["image.cmap"] == "gray"


def test_importing_dlcourse_silences_tensorflow():
    code = "import dlcourse, tensorflow as tf; print(tf.constant(2).numpy())"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True, env={"PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip() == "2"
    assert proc.stderr.strip() == "", proc.stderr
