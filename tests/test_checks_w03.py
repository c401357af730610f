"""Unit tests of the week-03 section of dlcourse.checks: leaf_layers and layer_kinds."""

from __future__ import annotations

import pytest

from dlcourse import checks
from dlcourse.checks import CheckFailed

keras = pytest.importorskip("keras")
L = keras.layers


def test_styles_of_one_block_give_the_same_kinds() -> None:
    expected = [
        "Conv2D", "BatchNormalization", "ReLU", "MaxPooling2D", "Flatten", "Dense", "Softmax"
    ]
    sequential = keras.Sequential([
        keras.Input((8, 8, 1)), L.Conv2D(4, 3), L.BatchNormalization(), L.Activation("relu"),
        L.MaxPooling2D(), L.Flatten(), L.Dense(3), L.Activation("softmax"),
    ])
    inputs = keras.Input((8, 8, 1))
    block = keras.Sequential([L.Conv2D(4, 3), L.BatchNormalization(), L.ReLU(), L.MaxPool2D()])
    outputs = L.Dense(3, activation="softmax")(L.Flatten()(block(inputs)))
    functional = keras.Model(inputs, outputs)
    assert checks.layer_kinds(sequential) == expected
    assert checks.layer_kinds(functional) == expected
    assert [type(lyr).__name__ for lyr in checks.leaf_layers(functional)][:2] == [
        "Conv2D", "BatchNormalization"
    ]


def test_fused_and_linear_activations() -> None:
    model = keras.Sequential([
        keras.Input((8, 8, 1)), L.Conv2D(4, 3, activation="relu"), L.Activation("linear"),
        L.Flatten(), L.Dense(3, activation="gelu"), L.ReLU(max_value=6.0),
    ])
    assert checks.layer_kinds(model) == [
        "Conv2D", "ReLU", "Flatten", "Dense", "Activation('gelu')", "ReLU(max_value=6.0)"
    ]


def test_not_a_model() -> None:
    with pytest.raises(CheckFailed, match="cnn2: expected a Keras model, found"):
        checks.layer_kinds([L.Dense(2)], "cnn2")
