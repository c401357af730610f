"""Tests of the week-06 section of dlcourse.checks: causality, the measured receptive field and
the training budget read from the optimizer, for models built in any style."""

from __future__ import annotations

import numpy as np
import pytest

import dlcourse  # noqa: F401  (sets the TensorFlow log level before Keras is imported)
from dlcourse import checks

keras = pytest.importorskip("keras")
L = keras.layers


def _sequential(padding: str, rates=(1, 2, 4, 8)):
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [keras.Input((None, 1))]
        + [L.Conv1D(4, 2, padding=padding, dilation_rate=r, activation="tanh") for r in rates]
        + [L.Conv1D(1, 1)]
    )


def _left_padded(rates=(1, 2, 4, 8)):
    inputs = keras.Input((None, 1))
    h = inputs
    for rate in rates:
        h = L.ReLU()(L.Conv1D(4, 2, dilation_rate=rate)(L.ZeroPadding1D((rate, 0))(h)))
    return keras.Model(inputs, L.Dense(1)(h))


class _Subclassed(keras.Model):
    def __init__(self):
        super().__init__()
        self.convs = [L.Conv1D(4, 2, padding="causal", dilation_rate=r) for r in (1, 2, 4)]

    def call(self, x):
        for conv in self.convs:
            x = conv(x)
        return x


X = np.random.default_rng(0).normal(size=(4, 40, 1)).astype("float32")


@pytest.mark.parametrize("build", [lambda: _sequential("causal"), _left_padded, _Subclassed])
def test_causal_models_of_every_style_pass(build):
    model = build()
    checks.check_causal(model, X, 20, "model")


def test_a_same_padded_model_reads_the_future():
    with pytest.raises(checks.CheckFailed, match=r"^stack: changing the inputs after step 20 "
                       r"moved its outputs at steps 0\.\.20 by up to .* \(expected 0\): it reads "
                       r"the future\. Use causal padding"):
        checks.check_causal(_sequential("same"), X, 20, "stack")


def test_check_causal_leaves_the_input_alone():
    x = X.copy()
    checks.check_causal(_sequential("causal"), x, 5, "model")
    assert np.array_equal(x, X)


def test_receptive_field_is_measured_for_every_style():
    assert checks.measured_receptive_field(_sequential("causal"), X) == 16
    assert checks.measured_receptive_field(_sequential("causal", (1, 1, 1, 1)), X) == 5
    assert checks.measured_receptive_field(_left_padded(), X) == 16
    assert checks.measured_receptive_field(_Subclassed(), X) == 8
    checks.check_receptive_field(_left_padded(), 16, X, "dilated")
    with pytest.raises(checks.CheckFailed, match=r"^plain: expected a receptive field of 16 steps "
                       r"\(its last output depends on the last 16 inputs\), measured 5 with "
                       r"gradients\. Receptive field = 1 \+ sum"):
        checks.check_receptive_field(_sequential("causal", (1, 1, 1, 1)), 16, X, "plain")


def test_steps_trained_counts_epochs_and_batches():
    model = _sequential("causal", (1, 2))
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, X, epochs=2, batch_size=2, verbose=0)
    checks.check_steps_trained(model, 2, 2, 4, "model")
    with pytest.raises(checks.CheckFailed, match=r"^model took 4 optimizer steps; the budget of "
                       r"1 epoch with batches of 2 over 4 training samples allows 2\."):
        checks.check_steps_trained(model, 1, 2, 4, "model")
    checks.check_steps_trained(_sequential("causal"), 1, 32, 4, "untrained")
