"""dlcourse.architectures: the famous-CNN table and gradient norms per convolution kernel."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse import architectures


def test_table_is_in_teaching_order_with_the_lecture_numbers() -> None:
    names = [a.name for a in architectures.FAMOUS]
    assert names == ["LeNet-5", "AlexNet", "VGG-19", "GoogLeNet", "ResNet-152", "DenseNet-121"]
    years = [a.year for a in architectures.FAMOUS]
    assert years == sorted(years)
    by_name = {a.name: a for a in architectures.FAMOUS}
    assert by_name["AlexNet"].top5_error == 16.5 and "26.2" in by_name["AlexNet"].result
    assert by_name["ResNet-152"].weight_layers == 152
    assert by_name["LeNet-5"].top5_error is None
    rows = architectures.as_rows()
    assert rows[0]["network"] == "LeNet-5" and rows[0]["top-5 error (%)"] is None
    assert set(rows[0]) >= {"year", "weight layers", "parameters (M)"}


def _stack(residual: bool, blocks: int):
    import keras

    keras.utils.set_random_seed(0)
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    for _ in range(blocks):
        y = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(x)
        x = keras.layers.Add()([x, y]) if residual else y
    x = keras.layers.Conv2D(4, 1)(x)  # a 1x1 convolution: not reported
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))


def test_kernel_gradient_norms_one_per_conv_kernel_and_equal_to_a_tape() -> None:
    import keras
    import tensorflow as tf

    model = _stack(residual=True, blocks=3)
    x = np.random.default_rng(1).normal(size=(16, 8, 8, 1)).astype("float32")
    y = np.arange(16) % 3
    norms = architectures.kernel_gradient_norms(model, x, y)
    assert norms.shape == (4,)  # the stem and three blocks, not the 1x1 convolution
    kernels = [v for v in model.trainable_variables if tuple(v.shape[:2]) == (3, 3)]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(x)))
    expected = [float(tf.norm(g)) for g in tape.gradient(loss, kernels)]
    np.testing.assert_allclose(norms, expected, rtol=1e-5)


def test_a_deep_plain_stack_has_much_smaller_gradients_than_the_residual_one() -> None:
    x = np.random.default_rng(2).uniform(size=(32, 8, 8, 1)).astype("float32")
    y = np.arange(32) % 3
    plain = architectures.kernel_gradient_norms(_stack(residual=False, blocks=20), x, y)
    residual = architectures.kernel_gradient_norms(_stack(residual=True, blocks=20), x, y)
    assert plain.max() < residual.min()


def test_kernel_gradient_norms_bad_input() -> None:
    import keras

    with pytest.raises(TypeError, match="expected a keras.Model, got str"):
        architectures.kernel_gradient_norms("model", np.zeros((1, 8, 8, 1)), [0])
    with pytest.raises(ValueError, match="2 inputs but 3 labels"):
        architectures.kernel_gradient_norms(_stack(True, 1), np.zeros((2, 8, 8, 1)), [0, 1, 2])
    dense = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    with pytest.raises(ValueError, match="no Conv2D layer larger than 1x1"):
        architectures.kernel_gradient_norms(dense, np.zeros((1, 3)), [0])
