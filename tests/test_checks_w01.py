"""Week 01 helpers of dlcourse.checks: check_dense_network accepts every construction of a
fully connected network that computes the right thing and names what differs otherwise."""

from __future__ import annotations

import numpy as np
import pytest

import dlcourse  # noqa: F401  (sets the TensorFlow log level before Keras is imported)
from dlcourse import checks
from dlcourse.checks import CheckFailed

keras = pytest.importorskip("keras")

X = np.random.default_rng(0).uniform(0, 1, size=(8, 12))


def _sequential(bn_after_activation: bool = False, bn: bool = True, output: str = "softmax"):
    hidden = []
    for units in (6, 5):
        if not bn:
            hidden += [keras.layers.Dense(units), keras.layers.Activation("relu")]
        elif bn_after_activation:
            hidden += [keras.layers.Dense(units, activation="relu"),
                       keras.layers.BatchNormalization()]
        else:
            hidden += [keras.layers.Dense(units), keras.layers.BatchNormalization(),
                       keras.layers.ReLU()]
    return keras.Sequential(
        [keras.Input((12,)), *hidden, keras.layers.Dense(3), keras.layers.Activation(output)]
    )


def _functional():
    inputs = keras.Input((12,))
    h = keras.layers.Dense(6, activation="relu")(inputs)
    h = keras.layers.Dense(5, activation="relu")(h)
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(h))


def test_sequential_and_functional_networks_pass():
    checks.check_dense_network(_sequential(bn=False), X, (12, 6, 5, 3), "net")
    checks.check_dense_network(_functional(), X, (12, 6, 5, 3), "net")
    checks.check_dense_network(_sequential(), X, (12, 6, 5, 3), "net", batchnorm=True)


def test_batchnorm_statistics_are_restored():
    model = _sequential()
    before = [w.copy() for w in model.get_weights()]
    checks.check_dense_network(model, X, (12, 6, 5, 3), "net", batchnorm=True)
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_batchnorm_after_the_activation_is_found():
    with pytest.raises(CheckFailed, match=r"net\(x\) for 8 inputs, compared with Dense → "
                       r"BatchNormalization → relu, Dense → BatchNormalization → relu, "
                       r"Dense → softmax computed in NumPy from net's own weights"):
        checks.check_dense_network(
            _sequential(bn_after_activation=True), X, (12, 6, 5, 3), "net", batchnorm=True
        )


def test_wrong_output_activation_and_sizes_are_named():
    with pytest.raises(CheckFailed, match="compared with"):
        checks.check_dense_network(_sequential(bn=False, output="sigmoid"), X, (12, 6, 5, 3))
    with pytest.raises(
        CheckFailed,
        match=r"net: expected Dense layers with kernels \[\(12, 6\), \(6, 4\), \(4, 3\)\] "
        r"\(12-6-4-3\), found \[\(12, 6\), \(6, 5\), \(5, 3\)\]",
    ):
        checks.check_dense_network(_functional(), X, (12, 6, 4, 3), "net")
    with pytest.raises(CheckFailed, match="net: expected 2 BatchNormalization layers, found 0"):
        checks.check_dense_network(_functional(), X, (12, 6, 5, 3), "net", batchnorm=True)


def test_dense_layers_skips_the_input_layer():
    assert [lyr.units for lyr in checks.dense_layers(_functional())] == [6, 5, 3]
