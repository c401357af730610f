"""Tests of dlcourse.checks: every wrong answer a student can give gets one exact, helpful message.

The messages are course text, so the table below pins them word for word: reading it shows what
a student sees for each mistake.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import dlcourse  # noqa: F401  (sets the TensorFlow log level before Keras is imported)
from dlcourse import checks
from dlcourse.checks import CheckFailed, layer

# -- data -------------------------------------------------------------------------------------

EXPECTED_4x4 = np.arange(16.0).reshape(4, 4)
WITH_NEGATIVE = EXPECTED_4x4.copy()
WITH_NEGATIVE[0, 1] = -105.5
SIGN_SLIP = WITH_NEGATIVE.copy()
SIGN_SLIP[0, 1] = 105.5
WITH_NAN = EXPECTED_4x4.copy()
WITH_NAN[0, 1] = np.nan
WITH_NAN[2, 2] = np.inf
RECTANGLE = np.arange(6.0).reshape(2, 3)
CONV_HINT = (
    "A valid convolution of a 6×6 image with a 3×3 kernel keeps only positions where the kernel "
    "fits: (6 − 3) + 1 = 4."
)

# x has two features, the model predicts the larger one; 7 of the 10 labels agree with that.
ACC_X = np.array([[1, 0], [0, 1]] * 5, dtype="float32")
ACC_Y = np.array([0, 1, 0, 1, 0, 1, 0, 0, 1, 0])

# The reference CNN of the model cases, and its specification.
SPEC = [
    layer("Conv2D", 4, 3, padding="same", activation="relu", output_shape=(None, 8, 8, 4)),
    layer("MaxPooling2D", pool_size=(2, 2), output_shape=(None, 4, 4, 4)),
    layer("Flatten"),
    layer("Dense", 10, activation="softmax", params=650),
]
SHAPE_SPEC = [
    layer("Conv2D", 4, 3, output_shape=(None, 8, 8, 4)),
    layer("MaxPooling2D"),
    layer("Flatten"),
    layer("Dense", 10, params=650),
]


@pytest.fixture(scope="module")
def m() -> SimpleNamespace:
    """Small real Keras models (built, never trained): the student answers of the table."""
    import keras
    from keras import layers as L

    keras.utils.set_random_seed(0)

    def cnn(*layers: Any) -> Any:
        return keras.Sequential([keras.Input((8, 8, 1)), *layers])

    def conv(filters: int = 4, **kw: Any) -> Any:
        return L.Conv2D(filters, 3, **{"padding": "same", "activation": "relu", **kw})

    def dense(units: int = 10, activation: str = "softmax", **kw: Any) -> Any:
        return L.Dense(units, activation=activation, **kw)

    base = keras.Sequential([keras.Input((8, 8, 1)), L.Conv2D(4, 3)], name="base")
    transfer = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            base,
            L.GlobalAveragePooling2D(name="pool"),
            L.Dense(2, name="head"),
        ]
    )
    classifier = keras.Sequential([keras.Input((2,)), L.Dense(2, activation="softmax")])
    classifier.set_weights([np.eye(2, dtype="float32"), np.zeros(2, dtype="float32")])
    inputs = keras.Input((8, 8, 1))
    functional = keras.Model(inputs, L.Dense(3)(L.Flatten()(inputs)))
    return SimpleNamespace(
        keras=keras,
        good=cnn(conv(), L.MaxPooling2D(), L.Flatten(), dense()),
        swapped=cnn(L.MaxPooling2D(), conv(), L.Flatten(), dense()),
        no_pool=cnn(conv(), L.Flatten(), dense()),
        no_output=cnn(conv(), L.MaxPooling2D(), L.Flatten()),
        two_extra=cnn(conv(), L.MaxPooling2D(), L.Flatten(), dense(), L.Dropout(0.3), dense()),
        dropout_inside=cnn(conv(), L.MaxPooling2D(), L.Dropout(0.3), L.Flatten(), dense()),
        eight_filters=cnn(conv(8), L.MaxPooling2D(), L.Flatten(), dense()),
        forty_units=cnn(conv(), L.MaxPooling2D(), L.Flatten(), dense(40)),
        linear_conv=cnn(conv(activation=None), L.MaxPooling2D(), L.Flatten(), dense()),
        relu_output=cnn(conv(), L.MaxPooling2D(), L.Flatten(), dense(activation="relu")),
        valid=cnn(L.Conv2D(4, 3), L.MaxPooling2D(), L.Flatten(), L.Dense(10)),
        no_bias=cnn(
            L.Conv2D(4, 3, padding="same"),
            L.MaxPooling2D(),
            L.Flatten(),
            L.Dense(10, use_bias=False),
        ),
        no_flatten=cnn(conv(), dense()),
        unbuilt=keras.Sequential([L.Dense(3)]),
        transfer=transfer,
        classifier=classifier,
        functional=functional,
    )


Call = Callable[[SimpleNamespace], object]


def case(call: Call, message: str, id: str) -> Any:
    return pytest.param(call, message, id=id)


# -- the table: wrong answer -> exact message --------------------------------------------------

WRONG = [
    # arrays
    case(
        lambda m: checks.check_array(None, EXPECTED_4x4, "conv2d_valid(image, kernel)"),
        "conv2d_valid(image, kernel) returned None instead of an array of shape (4, 4) — did you "
        "forget `return` at the end of your function?",
        "array-none-returned",
    ),
    case(
        lambda m: checks.check_array(None, EXPECTED_4x4, "feature_map"),
        "feature_map is None instead of an array of shape (4, 4) — did you forget to assign it "
        "(or to `return` it)?",
        "array-none-variable",
    ),
    case(
        lambda m: checks.check_array("0 1 2 3", EXPECTED_4x4, "feature_map"),
        "feature_map: expected an array of shape (4, 4), got str.",
        "array-str",
    ),
    case(
        lambda m: checks.check_array({"a": 1}, EXPECTED_4x4, "feature_map"),
        "feature_map: expected an array of shape (4, 4), got dict.",
        "array-dict",
    ),
    case(
        lambda m: checks.check_array([[1, 2], [3]], EXPECTED_4x4, "feature_map"),
        "feature_map: expected an array of shape (4, 4), got a list whose rows have different "
        "lengths. Every row must have the same number of values.",
        "array-ragged-list",
    ),
    case(
        lambda m: checks.check_array(
            np.zeros((6, 6)), EXPECTED_4x4, "conv2d_valid(image, kernel)", hint=CONV_HINT
        ),
        "conv2d_valid(image, kernel): expected output shape (4, 4), got (6, 6). " + CONV_HINT,
        "array-shape-with-hint",
    ),
    case(
        lambda m: checks.check_array(EXPECTED_4x4.reshape(16), EXPECTED_4x4, "feature_map"),
        "feature_map: expected shape (4, 4), got (16,). It has the right number of values (16) "
        "in the wrong arrangement; check your reshape and the order of the axes.",
        "array-shape-flattened",
    ),
    case(
        lambda m: checks.check_array(EXPECTED_4x4[None], EXPECTED_4x4, "feature_map"),
        "feature_map: expected shape (4, 4), got (1, 4, 4). Your result has an extra axis of "
        "length 1; remove it (np.squeeze or reshape).",
        "array-shape-extra-axis",
    ),
    case(
        lambda m: checks.check_array(RECTANGLE.T, RECTANGLE, "weights"),
        "weights: expected shape (2, 3), got (3, 2). Your result looks transposed: its "
        "transpose (.T) has the expected values, so rows and columns are swapped.",
        "array-transposed-shape",
    ),
    case(
        lambda m: checks.check_array(EXPECTED_4x4.T, EXPECTED_4x4, "weights"),
        "weights: first difference at index (0, 1): expected 1, got 4 (12 of 16 values differ). "
        "Your result looks transposed: its transpose (.T) has the expected values, so rows and "
        "columns are swapped.",
        "array-transposed-square",
    ),
    case(
        lambda m: checks.check_array(WITH_NAN, EXPECTED_4x4, "feature_map"),
        "feature_map: expected finite numbers, got NaN at index (0, 1) (2 of 16 values are NaN "
        "or infinite). NaN and inf usually come from a division by zero, the log or square root "
        "of a non-positive number, or an overflow; print the intermediate arrays to see where "
        "they first appear.",
        "array-nan",
    ),
    case(
        lambda m: checks.check_array(SIGN_SLIP, WITH_NEGATIVE, "conv2d_valid(image, kernel)"),
        "conv2d_valid(image, kernel): first difference at index (0, 1): expected -105.5, got "
        "105.5 (1 of 16 values differs).",
        "array-one-value",
    ),
    case(
        lambda m: checks.check_array(-EXPECTED_4x4, EXPECTED_4x4, "gradient"),
        "gradient: first difference at index (0, 1): expected 1, got -1 (15 of 16 values "
        "differ). Every value has the opposite sign; check the order of a subtraction.",
        "array-sign",
    ),
    case(
        lambda m: checks.check_array(
            (EXPECTED_4x4 + 0.5).astype(int), EXPECTED_4x4 + 0.5, "feature_map"
        ),
        "feature_map: first difference at index (0, 0): expected 0.5, got 0 (16 of 16 values "
        "differ). Your array has the integer dtype int64, so the fractional parts were cut off; "
        "create the result with a float dtype, e.g. np.zeros(shape) rather than "
        "np.zeros_like(an integer array).",
        "array-integer-dtype",
    ),
    case(
        lambda m: checks.check_shape(np.zeros((3, 3)), (4, 4), "pooled"),
        "pooled: expected shape (4, 4), got (3, 3).",
        "shape",
    ),
    # numbers and values
    case(
        lambda m: checks.check_scalar(0.5, 0.25, "loss"),
        "loss: expected 0.25, got 0.5.",
        "scalar",
    ),
    case(
        lambda m: checks.check_scalar(87.0, 0.87, "accuracy(y_true, y_pred)"),
        "accuracy(y_true, y_pred): expected 0.87, got 87. It is 100 times too large: give a "
        "fraction between 0 and 1, not a percentage.",
        "scalar-percentage",
    ),
    case(
        lambda m: checks.check_scalar([0.5, 0.25], 0.25, "loss"),
        "loss: expected a single number, got list of shape (2,). Reduce it to one number (e.g. "
        ".sum() or .mean()) or pick one element.",
        "scalar-not-single",
    ),
    case(
        lambda m: checks.check_scalar(None, 0.25, "mse(y, y_hat)"),
        "mse(y, y_hat) returned None instead of a number — did you forget `return` at the end "
        "of your function?",
        "scalar-none",
    ),
    case(
        lambda m: checks.check_equal((5, 5), (4, 4), "receptive_field(3, 2)"),
        "receptive_field(3, 2): expected (4, 4), got (5, 5).",
        "equal-tuple",
    ),
    case(
        lambda m: checks.check_equal([4, 4], (4, 4), "receptive_field(3, 2)"),
        "receptive_field(3, 2): expected the tuple (4, 4), got the list [4, 4]. Convert it with "
        "tuple(...).",
        "equal-list-for-tuple",
    ),
    case(
        lambda m: checks.check_equal("4", 4, "n_params"),
        "n_params: expected 4 (int), got '4' (str).",
        "equal-type",
    ),
    case(
        lambda m: checks.check_callable(3, "conv2d_valid"),
        "expected `conv2d_valid` to be a function you defined in the exercise cell, found int.",
        "callable",
    ),
    case(
        lambda m: checks.check_defined({}, "conv2d_valid"),
        "`conv2d_valid` is not defined: run the exercise cell above (and replace "
        "`raise NotImplementedError()` with your code).",
        "undefined-name",
    ),
    case(
        lambda m: checks.check_defined({"model": 1}, "model", "history", "EPOCHS"),
        "`history` and `EPOCHS` are not defined: run the exercise cells above (and replace "
        "`raise NotImplementedError()` with your code).",
        "undefined-names",
    ),
    # Keras models
    case(
        lambda m: checks.check_layers(None, SPEC),
        "your model is None instead of a Keras model — did you forget to assign it (or to "
        "`return` it)?",
        "model-none",
    ),
    case(
        lambda m: checks.check_layers(m.swapped, SPEC),
        "layer 1: expected Conv2D(4, 3, padding='same', activation='relu'), found "
        "MaxPooling2D(pool_size=(2, 2)). Layers 1 and 2 look swapped.",
        "layers-order",
    ),
    case(
        lambda m: checks.check_layers(m.no_pool, SPEC),
        "layer 2: expected MaxPooling2D(pool_size=(2, 2)), found Flatten(). It looks like "
        "MaxPooling2D(pool_size=(2, 2)) is missing before it.",
        "layers-missing-inside",
    ),
    case(
        lambda m: checks.check_layers(m.no_output, SPEC),
        "your model is missing 1 layer after layer 3: expected Dense(10, activation='softmax').",
        "layers-missing-at-end",
    ),
    case(
        lambda m: checks.check_layers(m.two_extra, SPEC),
        "your model has 2 layers more than expected: the first extra one is layer 5, Dropout(0.3).",
        "layers-extra-at-end",
    ),
    case(
        lambda m: checks.check_layers(m.dropout_inside, SPEC),
        "layer 3: expected Flatten(), found Dropout(0.3). It looks like Dropout(0.3) is one "
        "layer too many here.",
        "layers-extra-inside",
    ),
    case(
        lambda m: checks.check_layers(m.eight_filters, SPEC),
        "layer 1: expected Conv2D with 4 filters, found Conv2D with 8 filters.",
        "layers-filters",
    ),
    case(
        lambda m: checks.check_layers(m.forty_units, SPEC),
        "layer 4: expected Dense with 10 units, found Dense with 40 units.",
        "layers-units",
    ),
    case(
        lambda m: checks.check_layers(m.linear_conv, SPEC),
        "layer 1: expected Conv2D with activation='relu', found Conv2D with no activation "
        "(linear). Keras layers apply no activation unless you pass activation='relu'.",
        "layers-missing-activation",
    ),
    case(
        lambda m: checks.check_layers(m.relu_output, SPEC),
        "layer 4: expected Dense with activation='softmax', found Dense with activation='relu'. "
        "The last layer of a classifier needs activation='softmax' to give probabilities.",
        "layers-wrong-activation",
    ),
    case(
        lambda m: checks.check_layers(m.valid, SHAPE_SPEC),
        "layer 1 (Conv2D(4, 3)): expected output shape (None, 8, 8, 4), found (None, 6, 6, 4) — "
        "did you forget padding='same'?",
        "layers-padding-output-shape",
    ),
    case(
        lambda m: checks.check_layers(m.no_bias, SHAPE_SPEC),
        "layer 4 (Dense(10, use_bias=False)): expected 650 parameters, found 640. A Dense layer "
        "has (inputs + 1) × units parameters, so check its units and the size of what comes "
        "into it.",
        "layers-param-count",
    ),
    case(
        lambda m: checks.check_layers(m.unbuilt, [layer("Dense", 3, output_shape=(None, 3))]),
        "your model has not been built yet, so its layers have no shapes or parameters. Start a "
        "Sequential model with keras.Input(shape=...) (or call it once on data).",
        "layers-unbuilt",
    ),
    case(
        lambda m: checks.check_param_count(m.good, 700),
        "your model: expected 700 parameters, found 690. Compare layer by layer with "
        "model.summary().",
        "param-count",
    ),
    case(
        lambda m: checks.check_trainable(m.transfer, {"base": False}),
        "layer 1 (Sequential(name='base')): expected trainable=False (frozen), found "
        "trainable=True. Freeze it with `layer.trainable = False` (for a pretrained base: "
        "`base_model.trainable = False`) before you compile the model.",
        "trainable-dict",
    ),
    case(
        lambda m: checks.check_trainable(m.transfer, [False, True, False]),
        "layer 1 (Sequential(name='base')): expected trainable=False (frozen), found "
        "trainable=True. Freeze it with `layer.trainable = False` (for a pretrained base: "
        "`base_model.trainable = False`) before you compile the model.",
        "trainable-list",
    ),
    case(
        lambda m: checks.check_trainable(m.transfer, {"backbone": False}),
        "your model has no layer named 'backbone'; its layers are named 'base', 'pool', 'head'.",
        "trainable-unknown-name",
    ),
    case(
        lambda m: checks.check_output_shape(m.good, (None, 12)),
        "your model: expected output shape (None, 12), found (None, 10). The size of the last "
        "axis is set by the units (or filters) of the last layer.",
        "output-shape",
    ),
    case(
        lambda m: checks.check_compiled(m.good),
        "your model has not been compiled. Call model.compile(optimizer=..., loss=..., "
        "metrics=['accuracy']) before fit().",
        "not-compiled",
    ),
    case(
        lambda m: checks.check_accuracy(
            m.classifier, ACC_X, ACC_Y, 0.92, data="the held-out test digits"
        ),
        "your model reaches 70.0% accuracy on the held-out test digits; at least 92.0% is "
        "needed. Train for more epochs, scale the inputs the same way as during training, and "
        "check that the last layer has one unit per class with activation='softmax'.",
        "accuracy-below-threshold",
    ),
    case(
        lambda m: checks.check_accuracy(m.classifier, ACC_X, ACC_Y, 0.7001),
        "your model reaches 70.00% accuracy on the test data; at least 70.01% is needed. Train "
        "for more epochs, scale the inputs the same way as during training, and check that the "
        "last layer has one unit per class with activation='softmax'.",
        "accuracy-just-below",
    ),
    case(
        lambda m: checks.check_accuracy(m.no_flatten, np.zeros((3, 8, 8, 1)), [0, 1, 2], 0.9),
        "your model returns outputs of shape (None, 8, 8, 10); expected one row of class scores "
        "per input, shape (None, classes). Add Flatten() (or global pooling) before the last "
        "Dense layer.",
        "accuracy-no-flatten",
    ),
]


@pytest.mark.parametrize(("call", "message"), WRONG)
def test_a_wrong_answer_gets_one_exact_message(
    call: Call, message: str, m: SimpleNamespace
) -> None:
    with pytest.raises(CheckFailed) as info:
        call(m)
    assert str(info.value) == message


def test_check_failed_counts_as_a_failed_assert_for_nbgrader() -> None:
    assert issubclass(CheckFailed, AssertionError)


# -- right answers pass -------------------------------------------------------------------------

RIGHT = [
    pytest.param(lambda m: checks.check_array(EXPECTED_4x4.tolist(), EXPECTED_4x4, "x"), id="list"),
    pytest.param(
        lambda m: checks.check_array(
            m.keras.ops.convert_to_tensor(EXPECTED_4x4), EXPECTED_4x4, "x"
        ),
        id="tensor",
    ),
    pytest.param(lambda m: checks.check_array(EXPECTED_4x4 + 1e-9, EXPECTED_4x4, "x"), id="atol"),
    pytest.param(lambda m: checks.check_shape(np.zeros((5, 3)), (None, 3), "x"), id="shape"),
    pytest.param(
        lambda m: checks.check_shape(m.keras.Input((28, 28, 1)), (None, 28, 28, 1), "x"),
        id="shape-symbolic",
    ),
    pytest.param(lambda m: checks.check_scalar(np.float32(0.25), 0.25, "x"), id="scalar"),
    pytest.param(lambda m: checks.check_scalar(np.array([0.25]), 0.25, "x"), id="size-1"),
    pytest.param(lambda m: checks.check_equal((np.int64(4), 4), (4, 4), "x"), id="equal"),
    pytest.param(lambda m: checks.check_callable(len, "len"), id="callable"),
    pytest.param(lambda m: checks.check_defined({"f": 1, "g": 2}, "f", "g"), id="defined"),
    pytest.param(lambda m: checks.check_layers(m.good, SPEC), id="layers"),
    pytest.param(
        lambda m: checks.check_layers(
            m.good,
            [
                layer(
                    "Conv2D",
                    filters=4,
                    kernel_size=(3, 3),
                    padding="SAME",
                    activation=m.keras.activations.relu,
                    params=40,
                ),
                layer("MaxPool2D", pool_size=2, strides=(2, 2)),
                "Flatten",
                layer(m.keras.layers.Dense, units=10, output_shape=[None, 10]),
            ],
        ),
        id="layers-lenient",
    ),
    pytest.param(
        lambda m: checks.check_layers(
            m.transfer, [layer("Model"), "GlobalAveragePooling2D", layer("Dense", 2)]
        ),
        id="layers-nested-model",
    ),
    pytest.param(
        lambda m: checks.check_layers(m.functional, ["Flatten", layer("Dense", 3)]),
        id="layers-functional-skips-input",
    ),
    pytest.param(lambda m: checks.check_param_count(m.good, 690), id="params"),
    pytest.param(lambda m: checks.check_param_count(m.good.layers[0], 40, "conv"), id="params-1"),
    pytest.param(
        lambda m: checks.check_trainable(m.transfer, {1: True, "head": True}), id="trainable"
    ),
    pytest.param(lambda m: checks.check_output_shape(m.good, (None, 10)), id="output-shape"),
]


@pytest.mark.parametrize("call", RIGHT)
def test_a_right_answer_passes(call: Call, m: SimpleNamespace) -> None:
    assert call(m) is None


def test_check_compiled_passes_and_compares_optimizer_and_loss(m: SimpleNamespace) -> None:
    keras = m.keras
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy())
    checks.check_compiled(model, optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(CheckFailed) as info:
        checks.check_compiled(model, optimizer="sgd", loss="mse")
    assert str(info.value) == "your model: expected the optimizer SGD, found Adam."
    with pytest.raises(CheckFailed) as info:
        checks.check_compiled(model, loss="mse")
    assert str(info.value) == (
        "your model: expected the loss 'mean_squared_error', found "
        "'sparse_categorical_crossentropy'."
    )


def test_check_accuracy_returns_the_measured_accuracy(m: SimpleNamespace) -> None:
    assert checks.check_accuracy(m.classifier, ACC_X, ACC_Y, 0.7) == pytest.approx(0.7)
    one_hot = np.eye(2)[ACC_Y]
    assert checks.check_accuracy(m.classifier, ACC_X, one_hot, 0.5, batch_size=3) == 0.7


# -- describe_layer and LayerSpec ----------------------------------------------------------------

DESCRIPTIONS = [
    ("Conv2D(16, 3, padding='same')", lambda L: L.Conv2D(16, 3, padding="same")),
    ("Conv2D(8, (3, 5), strides=2)", lambda L: L.Conv2D(8, (3, 5), strides=2)),
    ("MaxPooling2D(pool_size=(2, 2))", lambda L: L.MaxPooling2D()),
    ("MaxPooling2D(pool_size=(3, 3), strides=(1, 1))", lambda L: L.MaxPool2D(3, strides=1)),
    ("Dense(10, activation='softmax')", lambda L: L.Dense(10, activation="softmax")),
    ("Activation('relu')", lambda L: L.Activation("relu")),
    ("BatchNormalization()", lambda L: L.BatchNormalization()),
    ("Dropout(0.3)", lambda L: L.Dropout(0.3)),
    ("Flatten()", lambda L: L.Flatten()),
    ("SimpleRNN(8)", lambda L: L.SimpleRNN(8)),
    ("LSTM(8, return_sequences=True)", lambda L: L.LSTM(8, return_sequences=True)),
    (
        "Conv1D(16, 2, padding='causal', dilation_rate=4)",
        lambda L: L.Conv1D(16, 2, padding="causal", dilation_rate=4),
    ),
    ("RandomRotation(0.1)", lambda L: L.RandomRotation(0.1)),
    ("RandomFlip('horizontal')", lambda L: L.RandomFlip("horizontal")),
    ("Rescaling(1/255)", lambda L: L.Rescaling(1 / 255)),
    ("Bidirectional(GRU(4))", lambda L: L.Bidirectional(L.GRU(4))),
    ("GlobalAveragePooling2D()", lambda L: L.GlobalAveragePooling2D()),
    ("Dense(3, activation=<lambda>)", lambda L: L.Dense(3, activation=lambda x: x)),
    ("Lambda(<lambda>)", lambda L: L.Lambda(lambda x: x)),
]


@pytest.mark.parametrize(("text", "make"), DESCRIPTIONS, ids=[d[0] for d in DESCRIPTIONS])
def test_describe_layer_reads_like_the_constructor(
    text: str, make: Callable[[Any], Any], m: SimpleNamespace
) -> None:
    assert checks.describe_layer(make(m.keras.layers)) == text


def test_layer_spec_describes_only_what_it_checks() -> None:
    assert layer("Conv2D", 16, 3, padding="same").describe() == "Conv2D(16, 3, padding='same')"
    assert layer("Conv2D", filters=16, kernel_size=(3, 3)).describe() == "Conv2D(16, 3)"
    assert layer("MaxPool2D", pool_size=(2, 2)).describe() == "MaxPooling2D(pool_size=(2, 2))"
    with pytest.raises(TypeError, match="at most 1 positional"):
        layer("Dense", 10, "relu")


def test_functional_models_are_numbered_as_in_model_layers(m: SimpleNamespace) -> None:
    with pytest.raises(CheckFailed) as info:
        checks.check_layers(m.functional, ["Flatten", layer("Dense", 4)])
    assert str(info.value) == "layer 3: expected Dense with 4 units, found Dense with 3 units."


# -- tamper resistance ---------------------------------------------------------------------------


def test_replacing_numpy_functions_does_not_fool_check_array() -> None:
    saved = {n: getattr(np, n) for n in ("allclose", "isclose", "array_equal", "isfinite")}
    try:
        np.allclose = lambda *a, **k: True
        np.isclose = lambda *a, **k: np.True_
        np.array_equal = lambda *a, **k: True
        np.isfinite = lambda x, *a, **k: np.ones(np.shape(x), dtype=bool)
        with pytest.raises(CheckFailed, match="first difference at index"):
            checks.check_array(SIGN_SLIP, WITH_NEGATIVE, "x")
        with pytest.raises(CheckFailed, match="expected finite numbers"):
            checks.check_array(WITH_NAN, EXPECTED_4x4, "x")
        with pytest.raises(CheckFailed, match="expected 0.25, got 0.5"):
            checks.check_scalar(0.5, 0.25, "x")
    finally:
        for name, func in saved.items():
            setattr(np, name, func)


def test_patched_evaluate_and_predict_do_not_change_the_measured_accuracy(
    m: SimpleNamespace,
) -> None:
    keras = m.keras
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    model.set_weights([np.eye(2, dtype="float32"), np.zeros(2, dtype="float32")])
    model.evaluate = lambda *a, **k: [0.0, 1.0]
    model.predict = lambda *a, **k: np.eye(2)[ACC_Y]
    with pytest.raises(CheckFailed, match=r"reaches 70\.0% accuracy"):
        checks.check_accuracy(model, ACC_X, ACC_Y, 0.9)
    model.call = lambda *a, **k: keras.ops.one_hot(ACC_Y, 2)
    with pytest.raises(CheckFailed, match=r"your model\.call has been replaced"):
        checks.check_accuracy(model, ACC_X, ACC_Y, 0.9)


def test_importing_checks_does_not_import_tensorflow_or_keras() -> None:
    code = (
        "import sys, dlcourse.checks; "
        "loaded = [m for m in ('keras', 'tensorflow') if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
