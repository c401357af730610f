"""Student-facing self-checks for the visible test cells of the course notebooks.

Every check returns quietly when the answer is right and otherwise raises :class:`CheckFailed`
(a subclass of :class:`AssertionError`, so nbgrader counts it as a failed test) with **one**
message that says what was checked, what was expected, what was found and, where we can tell,
the likely fix::

    conv2d_valid(image, kernel): expected output shape (4, 4), got (6, 6). A valid convolution
    of a 6×6 image with a 3×3 kernel keeps only positions where the kernel fits: (6 − 3) + 1 = 4.

The last sentence is the caller's ``hint=``; common situations (a missing ``return``, a
transposed result, NaN values, an integer array that cut off fractions, an extra axis of length
1, ...) are recognised here and explained without one.

Arrays and numbers (every week)
    :func:`check_array`, :func:`check_shape`, :func:`check_scalar`, :func:`check_equal`,
    :func:`check_callable`, :func:`check_defined`.
Keras models (week 1 for Dense networks, week 3 for CNNs, week 4 for frozen layers, weeks 6-7
for causal convolutions and recurrent layers)
    :func:`describe_layer`, :class:`LayerSpec` (spelled :func:`layer` in test cells),
    :func:`check_layers`, :func:`check_param_count`, :func:`check_trainable`,
    :func:`check_output_shape`, :func:`check_compiled`, :func:`check_accuracy`.
What a model was trained on (weeks 1, 3, 4): :func:`check_not_trained_on`,
    :func:`check_epochs_trained` (read the record of :mod:`dlcourse.provenance`).
What a fully connected network computes (week 1): :func:`check_dense_network`,
    :func:`dense_layers`.
A model's layers whatever the Keras style (week 3): :func:`leaf_layers` (nested models
    expanded), :func:`layer_kinds` (activations as steps of their own).

Importing this module does not import TensorFlow or Keras; the model checks import Keras when
they are first called (a notebook that checks a model has built one, so Keras is loaded).

Tamper resistance
-----------------
A visible test cell runs in the student's kernel, so the student's code could replace the
NumPy functions a check relies on (``np.allclose = lambda *a, **k: True``). The NumPy functions
used here are therefore bound to private names when this module is imported (``_isclose``,
``_isfinite``, ...), and later changes to the ``numpy`` namespace do not reach them.
:func:`check_accuracy` computes predictions itself, batch by batch with
``model(x, training=False)``, and never calls ``model.evaluate`` or ``model.predict``; it refuses
a model whose ``call`` was replaced on the instance. This defends against trivial tampering
only: a determined student can still replace ``dlcourse.checks`` itself. The hidden tests (run
by the grader in a fresh kernel) and the grading pipeline's tamper flags are the real guard.

Messages are part of the course text: tests/test_checks.py pins them exactly.
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "CheckFailed",
    "LayerSpec",
    "check_accuracy",
    "check_array",
    "check_callable",
    "check_compiled",
    "check_defined",
    "check_dense_network",
    "check_epochs_trained",
    "check_equal",
    "check_layers",
    "check_not_trained_on",
    "check_output_shape",
    "check_param_count",
    "check_scalar",
    "check_shape",
    "check_trainable",
    "dense_layers",
    "describe_layer",
    "layer",
    "layer_kinds",
    "leaf_layers",
]

# -- private references, bound once at import (see "Tamper resistance" above) ----------------
_asarray = np.asarray
_isclose = np.isclose
_isfinite = np.isfinite
_argwhere = np.argwhere
_count_nonzero = np.count_nonzero
_trunc = np.trunc
_rint = np.rint
_ndarray = np.ndarray
_generic = np.generic
_float64 = np.float64

_NUMERIC_KINDS = "biufc"


class CheckFailed(AssertionError):
    """A self-check found a wrong answer; the message says what to fix."""


def _fail(message: str, *hints: str | None) -> CheckFailed:
    """Build the exception: the message, then each non-empty hint, as sentences."""
    parts = [_sentence(message)]
    parts += [_sentence(h) for h in hints if h]
    return CheckFailed(" ".join(parts))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


# -- formatting ---------------------------------------------------------------------------------


def _type_name(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _py(value: Any) -> Any:
    """NumPy scalars and arrays to plain Python values (so reprs read `4`, not `np.int64(4)`)."""
    if isinstance(value, _generic):
        return value.item()
    if isinstance(value, _ndarray):
        return value.tolist()
    if isinstance(value, tuple):
        return tuple(_py(v) for v in value)
    if isinstance(value, list):
        return [_py(v) for v in value]
    return value


def _fmt_number(value: Any, digits: int = 6) -> str:
    value = _py(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, complex):
        return repr(value)
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.{digits}g}"


def _fmt_pair(expected: Any, actual: Any) -> tuple[str, str]:
    """Format two numbers with just enough digits to tell them apart."""
    for digits in (6, 9, 12, 17):
        e, a = _fmt_number(expected, digits), _fmt_number(actual, digits)
        if e != a:
            break
    return e, a


def _fmt_percent(value: float, other: float) -> str:
    for digits in (1, 2, 3, 4):
        if f"{value:.{digits}%}" != f"{other:.{digits}%}":
            break
    return f"{value:.{digits}%}"


def _fmt_shape(shape: Sequence[int | None]) -> str:
    return str(tuple(None if s is None else int(s) for s in shape))


def _fmt_index(index: Sequence[int]) -> str:
    index = tuple(int(i) for i in index)
    return str(index[0]) if len(index) == 1 else str(index)


def _is_call(name: str) -> bool:
    return name.rstrip().endswith(")")


def _none_message(name: str, what: str) -> str:
    if _is_call(name):
        return (
            f"{name} returned None instead of {what} — did you forget `return` at the end of "
            "your function?"
        )
    return f"{name} is None instead of {what} — did you forget to assign it (or to `return` it)?"


# -- arrays and numbers ---------------------------------------------------------------------------

_NAN_HINT = (
    "NaN and inf usually come from a division by zero, the log or square root of a "
    "non-positive number, or an overflow; print the intermediate arrays to see where they "
    "first appear."
)


def _to_array(actual: Any, name: str, what: str) -> np.ndarray:
    """Convert a student's answer (array, list, tensor) to a numeric array, or fail clearly."""
    if actual is None:
        raise _fail(_none_message(name, what))
    if isinstance(actual, str | bytes | Mapping | set | frozenset):
        raise _fail(f"{name}: expected {what}, got {_type_name(actual)}")
    try:
        array = _asarray(actual)
    except ValueError:
        raise _fail(
            f"{name}: expected {what}, got a {_type_name(actual)} whose rows have different "
            "lengths",
            "Every row must have the same number of values.",
        ) from None
    except Exception as error:  # a symbolic tensor, an object NumPy cannot read, ...
        raise _fail(
            f"{name}: expected {what}, got {_type_name(actual)}, which cannot be converted to "
            f"a NumPy array ({type(error).__name__})"
        ) from None
    if array.dtype.kind not in _NUMERIC_KINDS:
        found = _type_name(actual)
        if isinstance(actual, _ndarray):
            found = f"an array of dtype {array.dtype}"
        elif isinstance(actual, list | tuple):
            found = f"a {found} of non-numbers"
        raise _fail(f"{name}: expected {what}, got {found}")
    return array


def _numeric(array: np.ndarray) -> np.ndarray:
    return array.astype(int) if array.dtype.kind == "b" else array


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    return a.shape == b.shape and bool(
        _isclose(_numeric(a), _numeric(b), rtol=rtol, atol=atol, equal_nan=True).all()
    )


def _shape_diagnosis(found: tuple[int, ...], expected: Sequence[int | None]) -> str | None:
    if None in expected:
        return None
    size = math.prod(int(s) for s in expected)
    squeezed_found = tuple(s for s in found if s != 1)
    squeezed_expected = tuple(s for s in expected if s != 1)
    if squeezed_found == squeezed_expected and len(found) > len(expected):
        return "Your result has an extra axis of length 1; remove it (np.squeeze or reshape)."
    if squeezed_found == squeezed_expected and len(found) < len(expected):
        return "Your result is missing an axis of length 1; add it (reshape or np.newaxis)."
    if math.prod(found) == size:
        return (
            f"It has the right number of values ({size}) in the wrong arrangement; check your "
            "reshape and the order of the axes."
        )
    return None


def check_array(
    actual: Any,
    expected: Any,
    name: str,
    *,
    atol: float = 1e-6,
    rtol: float = 1e-6,
    hint: str | None = None,
) -> None:
    """Check that ``actual`` equals the array ``expected`` (shape, finiteness, then values).

    ``actual`` may be a NumPy array, a (nested) list, or a TensorFlow/Keras eager tensor.
    ``name`` is how the answer is called in the message, e.g. ``"conv2d_valid(image, kernel)"``;
    ``hint`` is appended to the message of any failure.
    """
    exp = _asarray(expected)
    act = _to_array(actual, name, f"an array of shape {_fmt_shape(exp.shape)}")
    noun = "output shape" if _is_call(name) else "shape"
    if act.shape != exp.shape:
        message = f"{name}: expected {noun} {_fmt_shape(exp.shape)}, got {_fmt_shape(act.shape)}"
        if act.ndim == 2 and _close(act.T, exp, rtol, atol):
            raise _fail(
                message,
                "Your result looks transposed: its transpose (.T) has the expected values, so "
                "rows and columns are swapped.",
                hint,
            )
        raise _fail(message, hint or _shape_diagnosis(act.shape, exp.shape))

    bad = ~_isfinite(act) & _isfinite(exp)
    if bad.any():
        first = _argwhere(bad)[0]
        where = f" at index {_fmt_index(first)}" if act.ndim else ""
        count = int(_count_nonzero(bad))
        raise _fail(
            f"{name}: expected finite numbers, got {_fmt_number(act[tuple(first)])}{where} "
            f"({count} of {act.size} values {'is' if count == 1 else 'are'} NaN or infinite)",
            hint or _NAN_HINT,
        )

    close = _isclose(_numeric(act), _numeric(exp), rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return
    wrong = ~close
    first = tuple(_argwhere(wrong)[0])
    e, a = _fmt_pair(exp[first], act[first])
    if act.ndim == 0:
        message = f"{name}: expected {e}, got {a}"
    else:
        count = int(_count_nonzero(wrong))
        message = (
            f"{name}: first difference at index {_fmt_index(first)}: expected {e}, got {a} "
            f"({count} of {act.size} values {'differs' if count == 1 else 'differ'})"
        )
    raise _fail(message, _value_diagnosis(act, exp, rtol, atol), hint)


def _value_diagnosis(act: np.ndarray, exp: np.ndarray, rtol: float, atol: float) -> str | None:
    if act.ndim == 2 and _close(act.T, exp, rtol, atol):
        return (
            "Your result looks transposed: its transpose (.T) has the expected values, so rows "
            "and columns are swapped."
        )
    if _close(-_numeric(act), _numeric(exp), rtol, atol):
        return "Every value has the opposite sign; check the order of a subtraction."
    if act.dtype.kind in "iub" and exp.dtype.kind in "fc":
        real = exp.real if exp.dtype.kind == "c" else exp
        if _close(act, _trunc(real), rtol, atol) or _close(act, _rint(real), rtol, atol):
            return (
                f"Your array has the integer dtype {act.dtype}, so the fractional parts were cut "
                "off; create the result with a float dtype, e.g. np.zeros(shape) rather than "
                "np.zeros_like(an integer array)."
            )
    return None


def check_shape(
    actual: Any, expected_shape: Sequence[int | None], name: str, hint: str | None = None
) -> None:
    """Check the shape of an array or tensor; ``None`` in ``expected_shape`` matches any size."""
    expected = tuple(expected_shape)
    what = f"an array of shape {_fmt_shape(expected)}"
    if actual is None:
        raise _fail(_none_message(name, what))
    shape_attr = getattr(actual, "shape", None)
    if shape_attr is not None and not isinstance(actual, _ndarray):
        try:
            found = tuple(None if s is None else int(s) for s in shape_attr)
        except (TypeError, ValueError):
            found = _to_array(actual, name, what).shape
    else:
        found = _to_array(actual, name, what).shape
    if len(found) == len(expected) and all(
        e is None or f == e for f, e in zip(found, expected, strict=True)
    ):
        return
    noun = "output shape" if _is_call(name) else "shape"
    raise _fail(
        f"{name}: expected {noun} {_fmt_shape(expected)}, got {_fmt_shape(found)}",
        hint or _shape_diagnosis(tuple(s or 0 for s in found), expected),
    )


def check_scalar(
    actual: Any,
    expected: float,
    name: str,
    *,
    atol: float = 1e-6,
    rtol: float = 1e-6,
    hint: str | None = None,
) -> None:
    """Check a single number (a Python number, NumPy scalar, 0-d/size-1 array or tensor)."""
    if actual is None:
        raise _fail(_none_message(name, "a number"))
    if isinstance(actual, str | bytes | Mapping | set | frozenset):
        raise _fail(f"{name}: expected a number, got {_type_name(actual)}")
    array = _to_array(actual, name, "a number")
    if array.size != 1:
        raise _fail(
            f"{name}: expected a single number, got {_type_name(actual)} of shape "
            f"{_fmt_shape(array.shape)}",
            hint or "Reduce it to one number (e.g. .sum() or .mean()) or pick one element.",
        )
    value = array.reshape(-1)[0]
    e, a = _fmt_pair(expected, value)
    if not _isfinite(value) and _isfinite(expected):
        raise _fail(f"{name}: expected {e}, got {a}", hint or _NAN_HINT)
    if _isclose(_float64(value), _float64(expected), rtol=rtol, atol=atol, equal_nan=True):
        return
    diagnosis = None
    if expected != 0 and _isclose(-_float64(value), expected, rtol=rtol, atol=atol):
        diagnosis = "It has the opposite sign; check the order of a subtraction."
    elif expected != 0 and _isclose(_float64(value), 100 * expected, rtol=rtol, atol=atol):
        diagnosis = "It is 100 times too large: give a fraction between 0 and 1, not a percentage."
    raise _fail(f"{name}: expected {e}, got {a}", diagnosis, hint)


def _equal(actual: Any, expected: Any) -> bool:
    try:
        return bool(actual == expected)
    except Exception:
        return False


def check_equal(actual: Any, expected: Any, name: str, hint: str | None = None) -> None:
    """Check an exact value: an int, a string, a tuple (e.g. a shape), a bool, ...

    A list where a tuple is expected (or the other way round) fails with a message saying so.
    """
    exp, act = _py(expected), _py(actual)
    if act is None and exp is not None:
        raise _fail(_none_message(name, repr(exp)))
    container_differs = isinstance(actual, _ndarray) or type(act) is not type(exp)
    if (
        isinstance(exp, tuple | list)
        and isinstance(actual, tuple | list | _ndarray)
        and container_differs
    ):
        kind = "NumPy array" if isinstance(actual, _ndarray) else type(act).__name__
        want = type(exp).__name__
        raise _fail(
            f"{name}: expected the {want} {exp!r}, got the {kind} {act!r}",
            hint or f"Convert it with {want}(...).",
        )
    if _equal(act, exp) and (isinstance(act, str) == isinstance(exp, str)):
        return
    if type(act) is not type(exp) and not (
        isinstance(act, int | float) and isinstance(exp, int | float)
    ):
        message = f"{name}: expected {exp!r} ({_type_name(exp)}), got {act!r} ({_type_name(act)})"
    else:
        message = f"{name}: expected {exp!r}, got {act!r}"
    raise _fail(message, hint)


def check_callable(obj: Any, name: str) -> None:
    """Check that ``obj`` is a function (anything callable) defined by the student."""
    if not callable(obj):
        raise _fail(
            f"expected `{name}` to be a function you defined in the exercise cell, found "
            f"{_type_name(obj)}"
        )


def check_defined(namespace: Mapping[str, Any] | object, *names: str) -> None:
    """Check that the exercise cell ran: every name is defined in ``namespace`` (``globals()``).

    ``namespace`` is a mapping (pass ``globals()``) or an object such as a module.
    """
    scope = namespace if isinstance(namespace, Mapping) else vars(namespace)
    missing = [n for n in names if n not in scope]
    if not missing:
        return
    listed = [f"`{n}`" for n in missing]
    if len(listed) == 1:
        raise _fail(
            f"{listed[0]} is not defined: run the exercise cell above (and replace "
            "`raise NotImplementedError()` with your code)"
        )
    joined = ", ".join(listed[:-1]) + " and " + listed[-1]
    raise _fail(
        f"{joined} are not defined: run the exercise cells above (and replace "
        "`raise NotImplementedError()` with your code)"
    )


# -- Keras layers -----------------------------------------------------------------------------

_REQUIRED = object()
_MISSING = object()


@dataclass(frozen=True)
class _SameAs:
    """A default that equals another attribute (pooling strides default to the pool size)."""

    other: str


@dataclass(frozen=True)
class _Signature:
    positional: tuple[tuple[str, Any], ...] = ()  # (name, default or _REQUIRED)
    keywords: tuple[tuple[str, Any], ...] = ()  # (name, default)
    always: frozenset[str] = frozenset()  # keywords shown even at their default
    collapse: frozenset[str] = frozenset()  # (3, 3) is shown as 3, ((1, 1), (1, 1)) as 1


_COLLAPSE_CONV = frozenset({"kernel_size", "strides", "dilation_rate"})
_CONV = _Signature(
    positional=(("filters", _REQUIRED), ("kernel_size", _REQUIRED)),
    keywords=(
        ("strides", 1),
        ("padding", "valid"),
        ("dilation_rate", 1),
        ("groups", 1),
        ("activation", None),
        ("use_bias", True),
    ),
    collapse=_COLLAPSE_CONV,
)
_DEPTHWISE = _Signature(
    positional=(("kernel_size", _REQUIRED),),
    keywords=(
        ("strides", 1),
        ("padding", "valid"),
        ("depth_multiplier", 1),
        ("dilation_rate", 1),
        ("activation", None),
        ("use_bias", True),
    ),
    collapse=_COLLAPSE_CONV,
)
_SEPARABLE = _Signature(
    positional=_CONV.positional,
    keywords=(*_CONV.keywords, ("depth_multiplier", 1)),
    collapse=_COLLAPSE_CONV,
)
_POOL = _Signature(
    keywords=(("pool_size", 2), ("strides", _SameAs("pool_size")), ("padding", "valid")),
    always=frozenset({"pool_size"}),
)
_GLOBAL_POOL = _Signature(keywords=(("keepdims", False),))
_RNN = _Signature(
    positional=(("units", _REQUIRED),),
    keywords=(
        ("activation", "tanh"),
        ("return_sequences", False),
        ("return_state", False),
        ("go_backwards", False),
        ("stateful", False),
        ("dropout", 0.0),
        ("recurrent_dropout", 0.0),
    ),
)
_DROPOUT = _Signature(positional=(("rate", _REQUIRED),), keywords=(("noise_shape", None),))
_RANDOM_FILL = (("fill_mode", "reflect"), ("interpolation", "bilinear"), ("fill_value", 0.0))

_SIGNATURES: dict[str, _Signature] = {
    "Dense": _Signature(
        positional=(("units", _REQUIRED),), keywords=(("activation", None), ("use_bias", True))
    ),
    "Activation": _Signature(positional=(("activation", _REQUIRED),)),
    "Flatten": _Signature(),
    "Dropout": _DROPOUT,
    "SpatialDropout1D": _DROPOUT,
    "SpatialDropout2D": _DROPOUT,
    "GaussianNoise": _Signature(positional=(("stddev", _REQUIRED),)),
    "BatchNormalization": _Signature(
        keywords=(
            ("axis", -1),
            ("momentum", 0.99),
            ("epsilon", 0.001),
            ("center", True),
            ("scale", True),
        )
    ),
    "LayerNormalization": _Signature(keywords=(("axis", -1), ("epsilon", 0.001))),
    "Conv1D": _CONV,
    "Conv2D": _CONV,
    "Conv3D": _CONV,
    "Conv1DTranspose": _CONV,
    "Conv2DTranspose": _CONV,
    "SeparableConv1D": _SEPARABLE,
    "SeparableConv2D": _SEPARABLE,
    "DepthwiseConv1D": _DEPTHWISE,
    "DepthwiseConv2D": _DEPTHWISE,
    "MaxPooling1D": _POOL,
    "MaxPooling2D": _POOL,
    "MaxPooling3D": _POOL,
    "AveragePooling1D": _POOL,
    "AveragePooling2D": _POOL,
    "AveragePooling3D": _POOL,
    "GlobalMaxPooling1D": _GLOBAL_POOL,
    "GlobalMaxPooling2D": _GLOBAL_POOL,
    "GlobalAveragePooling1D": _GLOBAL_POOL,
    "GlobalAveragePooling2D": _GLOBAL_POOL,
    "SimpleRNN": _RNN,
    "LSTM": _RNN,
    "GRU": _RNN,
    "Embedding": _Signature(
        positional=(("input_dim", _REQUIRED), ("output_dim", _REQUIRED)),
        keywords=(("mask_zero", False),),
    ),
    "Reshape": _Signature(positional=(("target_shape", _REQUIRED),)),
    "Rescaling": _Signature(positional=(("scale", _REQUIRED),), keywords=(("offset", 0.0),)),
    "Resizing": _Signature(
        positional=(("height", _REQUIRED), ("width", _REQUIRED)),
        keywords=(("interpolation", "bilinear"), ("crop_to_aspect_ratio", False)),
    ),
    "RandomFlip": _Signature(positional=(("mode", "horizontal_and_vertical"),)),
    "RandomRotation": _Signature(positional=(("factor", _REQUIRED),), keywords=_RANDOM_FILL),
    "RandomZoom": _Signature(
        positional=(("height_factor", _REQUIRED), ("width_factor", None)), keywords=_RANDOM_FILL
    ),
    "RandomTranslation": _Signature(
        positional=(("height_factor", _REQUIRED), ("width_factor", _REQUIRED)),
        keywords=_RANDOM_FILL,
    ),
    "RandomContrast": _Signature(positional=(("factor", _REQUIRED),)),
    "RandomBrightness": _Signature(positional=(("factor", _REQUIRED),)),
    "ZeroPadding1D": _Signature(positional=(("padding", 1),), collapse=frozenset({"padding"})),
    "ZeroPadding2D": _Signature(positional=(("padding", 1),), collapse=frozenset({"padding"})),
    "Cropping1D": _Signature(positional=(("cropping", 1),), collapse=frozenset({"cropping"})),
    "Cropping2D": _Signature(positional=(("cropping", 0),), collapse=frozenset({"cropping"})),
    "UpSampling1D": _Signature(positional=(("size", 2),)),
    "UpSampling2D": _Signature(
        positional=(("size", 2),),
        keywords=(("interpolation", "nearest"),),
        collapse=frozenset({"size"}),
    ),
    "ReLU": _Signature(keywords=(("max_value", None), ("negative_slope", 0.0), ("threshold", 0.0))),
    "LeakyReLU": _Signature(keywords=(("negative_slope", 0.3),)),
    "Softmax": _Signature(keywords=(("axis", -1),)),
    "Concatenate": _Signature(keywords=(("axis", -1),)),
    "Add": _Signature(),
    "Multiply": _Signature(),
    "Average": _Signature(),
    "Masking": _Signature(keywords=(("mask_value", 0.0),)),
}

_ALIASES = {
    "MaxPool1D": "MaxPooling1D",
    "MaxPool2D": "MaxPooling2D",
    "MaxPool3D": "MaxPooling3D",
    "AvgPool1D": "AveragePooling1D",
    "AvgPool2D": "AveragePooling2D",
    "AvgPool3D": "AveragePooling3D",
    "GlobalMaxPool1D": "GlobalMaxPooling1D",
    "GlobalMaxPool2D": "GlobalMaxPooling2D",
    "GlobalAvgPool1D": "GlobalAveragePooling1D",
    "GlobalAvgPool2D": "GlobalAveragePooling2D",
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
}
_FACTOR_KEYS = frozenset({"factor", "height_factor", "width_factor"})
_ACTIVATION_KEYS = frozenset({"activation", "recurrent_activation"})
_SKIPPED_INIT_ARGS = frozenset({"self", "name", "dtype", "trainable", "seed", "data_format"})


def _keras() -> Any:
    """Import Keras on first use (so that importing dlcourse.checks stays light)."""
    import keras

    return keras


def _kind_name(kind: str | type) -> str:
    name = kind if isinstance(kind, str) else kind.__name__
    return _ALIASES.get(name, name)


def _activation_name(value: Any) -> str:
    if value is None:
        return "linear"
    if isinstance(value, str):
        return value.lower()
    func = getattr(value, "func", value)  # functools.partial
    name = getattr(func, "__name__", None)
    return name if isinstance(name, str) else type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | _generic) and not isinstance(value, bool)


def _same_value(key: str, expected: Any, found: Any) -> bool:
    """Compare a specified layer attribute leniently where Keras normalises it."""
    if key in _ACTIVATION_KEYS:
        return _activation_name(expected) == _activation_name(found)
    expected, found = _py(expected), _py(found)
    if isinstance(expected, _SameAs):
        return False
    if isinstance(expected, str) and isinstance(found, str):
        return expected.casefold() == found.casefold()
    if key in _FACTOR_KEYS and _is_number(expected) and isinstance(found, tuple | list):
        return (
            len(found) == 2
            and _close_num(found[1], expected)
            and (_close_num(found[0], -expected) or _close_num(found[0], 0))
        )
    if _is_number(expected) and isinstance(found, tuple | list):
        return len(found) > 0 and all(_same_value(key, expected, f) for f in found)
    if isinstance(expected, tuple | list) and _is_number(found):
        return len(expected) > 0 and all(_same_value(key, e, found) for e in expected)
    if isinstance(expected, tuple | list) and isinstance(found, tuple | list):
        return len(expected) == len(found) and all(
            _same_value(key, e, f) for e, f in zip(expected, found, strict=True)
        )
    if _is_number(expected) and _is_number(found):
        return _close_num(found, expected)
    if expected is None or found is None:
        return expected is found
    return _equal(found, expected)


def _close_num(a: Any, b: Any) -> bool:
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _collapse(value: Any) -> Any:
    """(3, 3) -> 3 and ((1, 1), (1, 1)) -> 1: the short form a student would write."""
    if isinstance(value, tuple | list) and value:
        items = [_collapse(v) for v in value]
        if all(_is_number(i) and i == items[0] for i in items):
            return items[0]
        return tuple(items)
    return value


def _show(key: str, value: Any, signature: _Signature | None = None) -> str:
    """A constructor-argument spelling of an attribute value."""
    if key in _ACTIVATION_KEYS:
        name = _activation_name(value)
        return name if name.startswith("<") else repr(name)
    value = _py(value)
    if signature is not None and key in signature.collapse:
        value = _collapse(value)
    if key in _FACTOR_KEYS and isinstance(value, tuple | list) and len(value) == 2:
        low, high = value
        if _is_number(low) and _is_number(high) and (low == -high or low == 0):
            value = high
    if key == "scale" and isinstance(value, float) and 0 < value < 1:
        inverse = 1 / value
        if inverse > 2 and abs(inverse - round(inverse)) < 1e-9:
            return f"1/{round(inverse)}"
    if isinstance(value, float):
        return repr(value) if len(repr(value)) <= 8 else f"{value:.6g}"
    if isinstance(value, list):
        value = tuple(value)
    return repr(value)


def _config(obj: Any) -> dict[str, Any]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Keras warns about lambdas it cannot serialise
            config = obj.get_config()
    except Exception:
        return {}
    return config if isinstance(config, dict) else {}


def _attr(obj: Any, key: str, config: dict[str, Any] | None = None) -> Any:
    """Read a constructor argument back from a layer: its config first, then the attribute."""
    if key in _ACTIVATION_KEYS:
        return getattr(obj, key, _MISSING)
    config = _config(obj) if config is None else config
    if key in config:
        return config[key]
    try:
        return getattr(obj, key)
    except Exception:
        return _MISSING


def _signature_for(kind: str, obj: Any) -> _Signature:
    if kind in _SIGNATURES:
        return _SIGNATURES[kind]
    # An unknown layer: required __init__ arguments are positional, the rest keywords.
    try:
        params = inspect.signature(type(obj).__init__).parameters.values()
    except (TypeError, ValueError):
        return _Signature()
    positional, keywords = [], []
    for p in params:
        if p.name in _SKIPPED_INIT_ARGS or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name.endswith(("_initializer", "_regularizer", "_constraint")):
            continue
        if p.default is p.empty:
            positional.append((p.name, _REQUIRED))
        else:
            keywords.append((p.name, p.default))
    return _Signature(positional=tuple(positional), keywords=tuple(keywords))


def _format_call(kind: str, values: Mapping[str, Any], signature: _Signature, full: bool) -> str:
    """``Kind(positional..., keyword=value...)``.

    ``full`` (a real layer): every argument of the signature, keywords only when not at their
    default. Otherwise (a specification): exactly the arguments given in ``values``.
    """
    args: list[str] = []
    shown: set[str] = set()
    positional_ok = True
    for key, default in signature.positional:
        if key not in values or values[key] is _MISSING:
            positional_ok = False
            continue
        value = values[key]
        if full and default is not _REQUIRED and _same_value(key, default, value):
            positional_ok = False
            continue
        shown.add(key)
        text = _show(key, value, signature)
        args.append(text if positional_ok else f"{key}={text}")
    for key, default in signature.keywords:
        if key not in values or values[key] is _MISSING:
            continue
        value = values[key]
        if full and key not in signature.always:
            if isinstance(default, _SameAs):
                default = values.get(default.other, _MISSING)
            if _same_value(key, default, value):
                continue
        shown.add(key)
        args.append(f"{key}={_show(key, value, signature)}")
    if not full:
        args += [f"{k}={_show(k, v, signature)}" for k, v in values.items() if k not in shown]
    return f"{kind}({', '.join(args)})"


def describe_layer(obj: Any) -> str:
    """A short, constructor-like description of a Keras layer (or of a :class:`LayerSpec`).

    Only the arguments that differ from Keras' defaults are shown (the pool size of a pooling
    layer always is), in the spelling a student would write::

        Conv2D(16, 3, padding='same')         Dense(10, activation='softmax')
        MaxPooling2D(pool_size=(2, 2))        LSTM(8, return_sequences=True)
        Conv1D(16, 2, padding='causal', dilation_rate=4)
    """
    if isinstance(obj, LayerSpec):
        return obj.describe()
    if obj is None:
        return "None"
    kind = type(obj).__name__
    keras = _keras()
    if kind == "InputLayer":
        shape = _attr(obj, "batch_shape")
        if isinstance(shape, tuple | list):
            return f"InputLayer(shape={_fmt_shape(tuple(shape)[1:])})"
        return "InputLayer()"
    if kind == "Bidirectional":
        inner = describe_layer(getattr(obj, "forward_layer", None))
        mode = _attr(obj, "merge_mode")
        extra = "" if mode in ("concat", _MISSING) else f", merge_mode={mode!r}"
        return f"Bidirectional({inner}{extra})"
    if kind == "Lambda":
        return f"Lambda({_activation_name(getattr(obj, 'function', None))})"
    if kind == "TimeDistributed":
        return f"TimeDistributed({describe_layer(getattr(obj, 'layer', None))})"
    if isinstance(obj, keras.Model) and kind not in _SIGNATURES:
        return f"{kind}(name={obj.name!r})"
    signature = _signature_for(kind, obj)
    config = _config(obj)
    keys = [k for k, _ in signature.positional] + [k for k, _ in signature.keywords]
    values = {k: _attr(obj, k, config) for k in keys}
    values = {k: v for k, v in values.items() if not isinstance(v, dict)}  # serialised objects
    return _format_call(kind, values, signature, full=True)


class LayerSpec:
    """What one layer of a student's model should be, for :func:`check_layers`.

    Written like the Keras constructor: ``layer("Conv2D", 16, 3, padding="same")`` or
    ``layer("Conv2D", filters=16, kernel_size=(3, 3), padding="same")``. Only the attributes
    given are checked, and they compare leniently where Keras normalises them
    (``kernel_size=3`` matches ``(3, 3)``, ``activation="relu"`` matches the function,
    ``padding="SAME"`` matches ``"same"``, ``factor=0.1`` matches ``(-0.1, 0.1)``).

    ``output_shape`` (with ``None`` for the batch axis) and ``params`` (the layer's parameter
    count) are checked when given. ``kind`` may also be a layer class; ``"Model"`` matches any
    nested Keras model (e.g. a pretrained base).
    """

    __slots__ = ("attrs", "kind", "output_shape", "params")

    def __init__(
        self,
        kind: str | type,
        /,
        *args: Any,
        output_shape: Sequence[int | None] | None = None,
        params: int | None = None,
        **attrs: Any,
    ) -> None:
        self.kind = _kind_name(kind)
        signature = _SIGNATURES.get(self.kind, _Signature())
        names = [k for k, _ in signature.positional]
        if len(args) > len(names):
            raise TypeError(
                f"layer({self.kind!r}, ...) takes at most {len(names)} positional argument(s) "
                f"({', '.join(names) or 'none'}); pass the others by keyword"
            )
        given = dict(zip(names, args, strict=False))
        for key in given:
            if key in attrs:
                raise TypeError(f"layer({self.kind!r}, ...) got {key!r} twice")
        self.attrs: dict[str, Any] = {**given, **attrs}
        self.output_shape = None if output_shape is None else tuple(output_shape)
        self.params = params

    def describe(self) -> str:
        """``Conv2D(16, 3, padding='same')``: the attributes this specification checks."""
        signature = _SIGNATURES.get(self.kind, _Signature())
        return _format_call(self.kind, self.attrs, signature, full=False)

    def __repr__(self) -> str:
        return f"<LayerSpec {self.describe()}>"


layer = LayerSpec
"""The spelling used in test cells: ``checks.layer("Dense", 10, activation="softmax")``."""


def _kind_matches(obj: Any, spec: LayerSpec) -> bool:
    if spec.kind == "Model":
        return isinstance(obj, _keras().Model)
    return _kind_name(type(obj).__name__) == spec.kind


def _phrase(key: str, value: Any) -> str:
    """``10 units``, ``32 filters``, ``activation='relu'``: an attribute inside a sentence."""
    if key in _ACTIVATION_KEYS:
        name = _activation_name(value)
        if key == "activation" and name == "linear":
            return "no activation (linear)"
        return f"{key}={name!r}"
    if key in ("units", "filters") and _is_number(_py(value)):
        count = _py(value)
        word = key if count != 1 else key[:-1]
        return f"{count} {word}"
    signature = _Signature(collapse=_COLLAPSE_CONV | {"padding", "cropping", "size"})
    return f"{key}={_show(key, value, signature)}"


def _attr_hint(key: str, expected: Any, found: Any) -> str | None:
    if key == "activation" and _activation_name(found) == "linear":
        return (
            f"Keras layers apply no activation unless you pass "
            f"activation={_activation_name(expected)!r}."
        )
    if key == "activation" and _activation_name(expected) == "softmax":
        return "The last layer of a classifier needs activation='softmax' to give probabilities."
    if key == "padding":
        return "padding='valid' (the default) shrinks the output; padding='same' keeps its size."
    if key == "return_sequences" and expected:
        return (
            "A recurrent layer that feeds another recurrent layer must pass on its whole "
            "sequence: return_sequences=True."
        )
    return None


def _output_shape_of(obj: Any) -> tuple[int | None, ...] | None:
    try:
        shape = obj.output.shape
    except Exception:
        return None
    return tuple(None if s is None else int(s) for s in shape)


def _shape_matches(found: Sequence[int | None], expected: Sequence[int | None]) -> bool:
    return len(found) == len(expected) and all(
        e is None or f == e for f, e in zip(found, expected, strict=True)
    )


def _not_built(name: str) -> CheckFailed:
    return _fail(
        f"{name} has not been built yet, so its layers have no shapes or parameters",
        "Start a Sequential model with keras.Input(shape=...) (or call it once on data).",
    )


def _count(obj: Any, which: str = "total") -> int:
    weights = {
        "total": obj.weights,
        "trainable": obj.trainable_weights,
        "non-trainable": obj.non_trainable_weights,
    }[which]
    return sum(math.prod(int(s) for s in w.shape) for w in weights)


def _params_hint(kind: str) -> str | None:
    if kind == "Dense":
        return (
            "A Dense layer has (inputs + 1) × units parameters, so check its units and the size "
            "of what comes into it."
        )
    if kind.startswith("Conv"):
        return (
            "A convolution has (kernel height × kernel width × input channels + 1) × filters "
            "parameters."
        )
    return None


def _compare_layer(
    number: int, obj: Any, spec: LayerSpec, name: str, *, structure_only: bool = False
) -> str | None:
    """The first difference between a layer and its specification, as one message.

    ``structure_only`` compares class and attributes, not output shape and parameter count
    (which depend on the layers before, so they cannot tell which layer is misplaced).
    """
    if not _kind_matches(obj, spec):
        return _sentence(f"layer {number}: expected {spec.describe()}, found {describe_layer(obj)}")
    kind = type(obj).__name__
    config = _config(obj)
    for key, expected in spec.attrs.items():
        found = _attr(obj, key, config)
        if found is _MISSING:
            raise ValueError(f"{kind} layers have no attribute {key!r} to check")
        if not _same_value(key, expected, found):
            return " ".join(
                _sentence(s)
                for s in (
                    f"layer {number}: expected {kind} with {_phrase(key, expected)}, found {kind} "
                    f"with {_phrase(key, found)}",
                    _attr_hint(key, expected, found),
                )
                if s
            )
    if structure_only:
        return None
    if spec.output_shape is not None:
        found_shape = _output_shape_of(obj)
        if found_shape is None:
            raise _not_built(name)
        if not _shape_matches(found_shape, spec.output_shape):
            message = (
                f"layer {number} ({describe_layer(obj)}): expected output shape "
                f"{_fmt_shape(spec.output_shape)}, found {_fmt_shape(found_shape)}"
            )
            return _sentence(message + _output_shape_hint(obj, found_shape, spec.output_shape))
    if spec.params is not None:
        if not getattr(obj, "built", False):
            raise _not_built(name)
        found_params = _count(obj)
        if found_params != spec.params:
            return " ".join(
                _sentence(s)
                for s in (
                    f"layer {number} ({describe_layer(obj)}): expected {spec.params:,} "
                    f"parameters, found {found_params:,}",
                    _params_hint(kind),
                )
                if s
            )
    return None


def _output_shape_hint(
    obj: Any, found: Sequence[int | None], expected: Sequence[int | None]
) -> str:
    padding = _attr(obj, "padding")
    if len(found) != len(expected) or not isinstance(padding, str) or len(found) < 3:
        return ""
    found_space, expected_space = found[1:-1], expected[1:-1]
    if any(f is None or e is None for f, e in zip(found_space, expected_space, strict=True)):
        return ""
    if padding == "valid" and all(f < e for f, e in zip(found_space, expected_space, strict=True)):
        return " — did you forget padding='same'?"
    if padding == "same" and all(f > e for f, e in zip(found_space, expected_space, strict=True)):
        return " — did you mean padding='valid' (the default)?"
    return ""


def _require_model(model: Any, name: str) -> Any:
    keras = _keras()
    if model is None:
        raise _fail(_none_message(name, "a Keras model"))
    if not isinstance(model, keras.Model):
        raise _fail(f"{name}: expected a Keras model, found {_type_name(model)}")
    return keras


def _numbered_layers(model: Any, include_input: bool = False) -> list[tuple[int, Any]]:
    """``(number, layer)`` for ``model.layers``, numbered from 1; InputLayers are left out."""
    return [
        (i, lyr)
        for i, lyr in enumerate(model.layers, start=1)
        if include_input or type(lyr).__name__ != "InputLayer"
    ]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def check_layers(
    model: Any,
    expected: Sequence[LayerSpec | str],
    name: str = "your model",
    *,
    hint: str | None = None,
) -> None:
    """Compare every layer of ``model`` with ``expected`` in order; report the first difference.

    For each layer: its class, then the attributes the spec gives, then its output shape and
    parameter count (when the spec gives them). Missing and extra layers are reported too (no
    silent stop at the shorter list). Numbers are positions in ``model.layers`` counted from 1;
    ``InputLayer`` entries (present in functional models) are skipped unless ``expected``
    contains an ``InputLayer`` spec. A string ``"Flatten"`` stands for ``layer("Flatten")``.
    """
    _require_model(model, name)
    specs = [s if isinstance(s, LayerSpec) else LayerSpec(s) for s in expected]
    include_input = any(s.kind == "InputLayer" for s in specs)
    numbered = _numbered_layers(model, include_input)

    def matches(i: int, j: int) -> bool:
        return (
            i < len(numbered)
            and j < len(specs)
            and _compare_layer(numbered[i][0], numbered[i][1], specs[j], name, structure_only=True)
            is None
        )

    for pos, spec in enumerate(specs):
        if pos >= len(numbered):
            missing = specs[pos:]
            listed = ", ".join(s.describe() for s in missing)
            if not numbered:
                raise _fail(f"{name} has no layers: expected {listed}", hint)
            raise _fail(
                f"{name} is missing {_plural(len(missing), 'layer')} after layer "
                f"{numbered[-1][0]}: expected {listed}",
                hint,
            )
        number, obj = numbered[pos]
        problem = _compare_layer(number, obj, spec, name)
        if problem is None:
            continue
        diagnosis = None
        if _kind_matches(obj, spec):
            pass
        elif matches(pos + 1, pos) and matches(pos, pos + 1):
            diagnosis = f"Layers {number} and {numbered[pos + 1][0]} look swapped."
        elif matches(pos, pos + 1):
            diagnosis = f"It looks like {spec.describe()} is missing before it."
        elif matches(pos + 1, pos):
            diagnosis = f"It looks like {describe_layer(obj)} is one layer too many here."
        raise _fail(problem, diagnosis, hint)

    if len(numbered) > len(specs):
        extra = len(numbered) - len(specs)
        number, obj = numbered[len(specs)]
        which = "the extra one" if extra == 1 else "the first extra one"
        raise _fail(
            f"{name} has {_plural(extra, 'layer')} more than expected: {which} is layer "
            f"{number}, {describe_layer(obj)}",
            hint,
        )


def check_param_count(
    model_or_layer: Any,
    expected: int,
    name: str = "your model",
    *,
    trainable: bool | None = None,
    hint: str | None = None,
) -> None:
    """Check the number of parameters of a model or a layer.

    ``trainable=None`` counts all parameters (what ``model.summary()`` calls "Total params"),
    ``True`` only the trainable and ``False`` only the non-trainable ones.
    """
    keras = _keras()
    if model_or_layer is None:
        raise _fail(_none_message(name, "a Keras model"))
    if not isinstance(model_or_layer, keras.layers.Layer):
        raise _fail(f"{name}: expected a Keras model or layer, found {_type_name(model_or_layer)}")
    if not model_or_layer.built:
        raise _not_built(name)
    which = {None: "total", True: "trainable", False: "non-trainable"}[trainable]
    found = _count(model_or_layer, which)
    if found == expected:
        return
    adjective = "" if trainable is None else f"{which} "
    raise _fail(
        f"{name}: expected {expected:,} {adjective}parameters, found {found:,}",
        hint
        or (
            _params_hint(type(model_or_layer).__name__)
            if not isinstance(model_or_layer, keras.Model)
            else "Compare layer by layer with model.summary()."
        ),
    )


def check_trainable(
    model: Any,
    expected: Mapping[str | int, bool] | Sequence[bool],
    name: str = "your model",
) -> None:
    """Check which layers are frozen (week 4, transfer learning).

    ``expected`` maps layer names or layer numbers (counted from 1, as in ``model.layers``) to
    ``trainable``, or is a list with one flag per layer (InputLayers left out).
    """
    _require_model(model, name)
    layers = list(model.layers)
    pairs: list[tuple[int, Any, bool]] = []
    if isinstance(expected, Mapping):
        names = [lyr.name for lyr in layers]
        for key, flag in expected.items():
            if isinstance(key, str):
                if key not in names:
                    raise _fail(
                        f"{name} has no layer named {key!r}; its layers are named "
                        + ", ".join(repr(n) for n in names)
                    )
                index = names.index(key)
            else:
                if not 1 <= key <= len(layers):
                    raise _fail(
                        f"{name} has {_plural(len(layers), 'layer')}, so it has no layer {key}"
                    )
                index = key - 1
            pairs.append((index + 1, layers[index], bool(flag)))
    else:
        numbered = _numbered_layers(model)
        if len(numbered) != len(expected):
            raise _fail(
                f"{name} has {_plural(len(numbered), 'layer')}; expected "
                f"{_plural(len(expected), 'layer')}",
                "Compare your layers with model.summary().",
            )
        pairs = [(n, lyr, bool(f)) for (n, lyr), f in zip(numbered, expected, strict=True)]
    for number, obj, flag in pairs:
        found = bool(obj.trainable)
        if found == flag:
            continue
        if flag:
            message = "expected trainable=True, found trainable=False (frozen)"
            fix = "Unfreeze it with `layer.trainable = True`, then compile the model again."
        else:
            message = "expected trainable=False (frozen), found trainable=True"
            fix = (
                "Freeze it with `layer.trainable = False` (for a pretrained base: "
                "`base_model.trainable = False`) before you compile the model."
            )
        raise _fail(f"layer {number} ({describe_layer(obj)}): {message}", fix)


def check_output_shape(
    model: Any,
    expected: Sequence[int | None],
    name: str = "your model",
    hint: str | None = None,
) -> None:
    """Check ``model.output_shape``, e.g. ``(None, 10)``; ``None`` matches any size."""
    _require_model(model, name)
    try:
        found_raw = model.output_shape
    except Exception:
        raise _not_built(name) from None
    expected_t = tuple(expected)
    if not isinstance(found_raw, tuple) or (found_raw and isinstance(found_raw[0], tuple)):
        raise _fail(f"{name}: expected one output of shape {expected_t}, found {found_raw}")
    found = tuple(None if s is None else int(s) for s in found_raw)
    if _shape_matches(found, expected_t):
        return
    diagnosis = None
    if len(found) == len(expected_t) and found[:-1] == expected_t[:-1]:
        diagnosis = "The size of the last axis is set by the units (or filters) of the last layer."
    raise _fail(
        f"{name}: expected output shape {_fmt_shape(expected_t)}, found {_fmt_shape(found)}",
        hint or diagnosis,
    )


_LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "bce": "binary_crossentropy",
}


def _loss_name(loss: Any) -> str:
    if isinstance(loss, str):
        name = loss
    else:
        inner = getattr(loss, "fn", None)  # keras' LossFunctionWrapper
        if inner is not None and getattr(inner, "__name__", None):
            name = inner.__name__
        elif isinstance(getattr(loss, "name", None), str):
            name = loss.name
        elif getattr(loss, "__name__", None):
            name = loss.__name__
        else:
            name = type(loss).__name__
    name = "".join(("_" + c.lower()) if c.isupper() else c for c in name).lstrip("_")
    return _LOSS_ALIASES.get(name, name)


def check_compiled(
    model: Any,
    name: str = "your model",
    *,
    optimizer: str | type | None = None,
    loss: Any = None,
) -> None:
    """Check that ``model.compile(...)`` was called (an optimizer and a loss are set).

    Optionally check the optimizer (``"adam"``, a class or an instance) and the loss
    (``"sparse_categorical_crossentropy"``, a loss function or a ``keras.losses`` object).
    """
    keras = _require_model(model, name)
    found_optimizer = getattr(model, "optimizer", None)
    if found_optimizer is None or not getattr(model, "compiled", True):
        raise _fail(
            f"{name} has not been compiled",
            "Call model.compile(optimizer=..., loss=..., metrics=['accuracy']) before fit().",
        )
    found_loss = getattr(model, "loss", None)
    if found_loss is None:
        raise _fail(f"{name} was compiled without a loss", "Pass loss=... to model.compile().")
    if optimizer is not None:
        if isinstance(optimizer, str):
            try:
                want = type(keras.optimizers.get(optimizer)).__name__
            except ValueError:
                want = optimizer
        else:
            want = getattr(optimizer, "__name__", None) or type(optimizer).__name__
        have = type(found_optimizer).__name__
        if want.casefold() != have.casefold():
            raise _fail(f"{name}: expected the optimizer {want}, found {have}")
    if loss is not None and _loss_name(loss) != _loss_name(found_loss):
        raise _fail(
            f"{name}: expected the loss {_loss_name(loss)!r}, found {_loss_name(found_loss)!r}"
        )


_ACCURACY_HINT = (
    "Train for more epochs, scale the inputs the same way as during training, and check that "
    "the last layer has one unit per class with activation='softmax'."
)


def check_accuracy(
    model: Any,
    x: Any,
    y: Any,
    threshold: float,
    name: str = "your model",
    *,
    data: str = "the test data",
    batch_size: int = 64,
    hint: str | None = None,
) -> float:
    """Measure the classification accuracy of ``model`` on ``(x, y)``; fail below ``threshold``.

    Returns the accuracy (a fraction between 0 and 1). ``threshold`` is a fraction too.
    ``y`` holds integer labels or one-hot rows. The predictions are computed here, batch by
    batch, with ``model(x, training=False)``: ``model.evaluate``/``model.predict`` are never
    called, so replacing them cannot change the result. An output with one column (or none) is
    read as the probability of class 1 (``> 0.5``); several columns by their argmax.
    ``data`` names the data in the message ("the held-out test digits").
    """
    _require_model(model, name)
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be a fraction between 0 and 1, got {threshold}")
    if "call" in vars(model):
        raise _fail(
            f"{name}.call has been replaced after the model was built, so its accuracy cannot "
            "be measured",
            "Rebuild the model without patching its methods.",
        )
    inputs = _asarray(x)
    labels = _asarray(y)
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)
    labels = labels.reshape(-1)
    if len(inputs) != len(labels) or len(labels) == 0:
        raise ValueError(f"x and y must have the same, non-zero length: {len(inputs)} != {len(y)}")
    correct = 0
    for start in range(0, len(inputs), batch_size):
        batch = inputs[start : start + batch_size]
        try:
            output = _asarray(model(batch, training=False))
        except Exception as error:
            first_line = (str(error).strip().splitlines() or [""])[0]
            raise _fail(
                f"{name} could not be applied to {data} (inputs of shape "
                f"{_fmt_shape(inputs.shape)}): {type(error).__name__}: {first_line}",
                "Check the shape you gave keras.Input(shape=...).",
            ) from None
        if output.shape[:1] != batch.shape[:1]:
            raise _fail(
                f"{name} returned {output.shape[0]} predictions for {len(batch)} inputs",
                "The first axis of the output must be the batch axis.",
            )
        if output.ndim > 2:
            raise _fail(
                f"{name} returns outputs of shape {_fmt_shape((None, *output.shape[1:]))}; "
                "expected one row of class scores per input, shape (None, classes)",
                "Add Flatten() (or global pooling) before the last Dense layer.",
            )
        if output.ndim == 2 and output.shape[1] > 1:
            predicted = output.argmax(axis=1)
        else:
            predicted = (output.reshape(len(batch)) > 0.5).astype(int)
        correct += int((predicted == labels[start : start + batch_size]).sum())
    accuracy = correct / len(labels)
    if accuracy >= threshold:
        return accuracy
    raise _fail(
        f"{name} reaches {_fmt_percent(accuracy, threshold)} accuracy on {data}; at least "
        f"{_fmt_percent(threshold, accuracy)} is needed",
        hint or _ACCURACY_HINT,
    )


# -- what a model was trained on (weeks 1, 3, 4: models graded on held-out data) ---------------


def check_not_trained_on(
    model: Any,
    x: Any,
    name: str = "your model",
    *,
    data: str = "the held-out test data",
    allowed: float = 0.02,
) -> None:
    """Fail if ``model`` was trained (``fit``) on the samples of ``x``.

    Reads the record that :mod:`dlcourse.provenance` keeps of every ``fit`` call, so it looks
    at the data the model really saw, not at the student's variables. ``allowed`` is the share
    of ``x`` that may coincide with training samples (the real data set holds a few
    near-duplicates). A model trained on data that is not an array is given the benefit of
    the doubt.
    """
    from dlcourse import provenance

    _require_model(model, name)
    seen, total = provenance.overlap(model, x)
    if total and seen > allowed * total:
        raise _fail(
            f"{name} was trained on {seen} of the {total} samples of {data} "
            f"({seen / total:.0%}); a model graded on {data} must never see them in fit()",
            "Train on the training split only (and validate on the validation split), then "
            "re-run the cell.",
        )


def check_epochs_trained(model: Any, max_epochs: int, name: str = "your model") -> int:
    """Fail if ``model`` trained for more than ``max_epochs`` epochs in all its ``fit`` calls
    together (as recorded by :mod:`dlcourse.provenance`). Returns the epochs counted."""
    from dlcourse import provenance

    _require_model(model, name)
    epochs = provenance.epochs_trained(model)
    if epochs > max_epochs:
        calls = len(provenance.fit_records(model))
        raise _fail(
            f"{name} trained for {epochs} epochs in {_plural(calls, 'call')} of fit(); the "
            f"budget is {max_epochs} epochs",
            "Rebuild the model (re-run its cell from the top) and train it within the budget; "
            "every fit() call on the same model adds to its epochs.",
        )
    return epochs


# -- week 01: a fully connected network, recomputed in NumPy from its own weights ---------------

_maximum = np.maximum
_exp = np.exp
_sqrt = np.sqrt
_tanh = np.tanh
_default_rng = np.random.default_rng

_DENSE_ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: _maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + _exp(-z)),
    "tanh": _tanh,
    "softmax": lambda z: (e := _exp(z - z.max(axis=-1, keepdims=True)))
    / e.sum(axis=-1, keepdims=True),
}


def dense_layers(model: Any) -> list[Any]:
    """The ``Dense`` layers of ``model`` in order (week 1), nested blocks included (see
    :func:`leaf_layers`): the first hidden layer is ``dense_layers(model)[0]`` whether the model
    is Sequential or functional."""
    keras = _require_model(model, "the model")
    return [lyr for lyr in leaf_layers(model, "the model") if isinstance(lyr, keras.layers.Dense)]


def check_dense_network(
    model: Any,
    x: Any,
    units: Sequence[int],
    name: str = "your model",
    *,
    batchnorm: bool = False,
    hidden: str = "relu",
    output: str = "softmax",
    atol: float = 1e-4,
    seed: int = 0,
) -> None:
    """Check what a fully connected ``model`` computes, however it was written (week 1).

    ``units`` are the layer sizes from the input on, e.g. ``(784, 500, 50, 10)``: the model must
    hold exactly the ``Dense`` layers with kernels ``(784, 500)``, ``(500, 50)``, ``(50, 10)``
    and, with ``batchnorm=True``, one ``BatchNormalization`` per hidden layer. Then
    ``model(x, training=False)`` is compared with the same network computed in NumPy from the
    model's own weights: per hidden layer Dense, (BatchNormalization,) ``hidden``; at the end
    Dense, ``output``. Sequential or functional models, ``Activation`` layers or
    ``activation=`` arguments, ``ReLU``/``Softmax`` layers all compute the same and pass.

    Fresh BatchNormalization layers are nearly the identity, which would hide where they sit,
    so during the comparison they get random statistics, scales and shifts (from ``seed``); the
    model's weights are restored afterwards.
    """
    keras = _require_model(model, name)
    dense = dense_layers(model)
    expected_kernels = [(int(a), int(b)) for a, b in zip(units[:-1], units[1:], strict=False)]
    found_kernels = [
        tuple(int(s) for s in lyr.kernel.shape) if getattr(lyr, "kernel", None) is not None
        else None
        for lyr in dense
    ]
    if found_kernels != expected_kernels:
        raise _fail(
            f"{name}: expected Dense layers with kernels {expected_kernels} "
            f"({'-'.join(str(u) for u in units)}), found {found_kernels}",
            "Each Dense layer's kernel has the shape (inputs, units).",
        )
    bns = [lyr for lyr in model.layers if isinstance(lyr, keras.layers.BatchNormalization)]
    want_bns = len(dense) - 1 if batchnorm else 0
    if len(bns) != want_bns:
        raise _fail(
            f"{name}: expected {_plural(want_bns, 'BatchNormalization layer')}, found {len(bns)}"
        )
    saved = [lyr.get_weights() for lyr in bns]
    rng = _default_rng(seed)
    try:
        for lyr in bns:
            n = int(lyr.moving_mean.shape[-1])
            for var, value in [
                (getattr(lyr, "gamma", None), rng.uniform(0.5, 2.0, n)),
                (getattr(lyr, "beta", None), rng.normal(0.0, 1.0, n)),
                (lyr.moving_mean, rng.normal(0.0, 1.0, n)),
                (lyr.moving_variance, rng.uniform(0.5, 2.0, n)),
            ]:
                if var is not None:
                    var.assign(value.astype(var.dtype))
        x64 = _asarray(x, dtype=_float64).reshape(len(x), -1)
        h = x64
        steps = []
        for i, lyr in enumerate(dense):
            h = h @ lyr.kernel.numpy().astype(_float64)
            if getattr(lyr, "bias", None) is not None:
                h = h + lyr.bias.numpy()
            if i < len(dense) - 1:
                step = "Dense"
                if batchnorm:
                    bn = bns[i]
                    gamma = bn.gamma.numpy() if getattr(bn, "gamma", None) is not None else 1.0
                    beta = bn.beta.numpy() if getattr(bn, "beta", None) is not None else 0.0
                    h = gamma * (h - bn.moving_mean.numpy()) / _sqrt(
                        bn.moving_variance.numpy() + bn.epsilon
                    ) + beta
                    step += " → BatchNormalization"
                h = _DENSE_ACTIVATIONS[hidden](h)
                steps.append(f"{step} → {hidden}")
            else:
                h = _DENSE_ACTIVATIONS[output](h)
                steps.append(f"Dense → {output}")
        found = model(_asarray(x, dtype="float32"), training=False)
        found = found.numpy() if hasattr(found, "numpy") else _asarray(found)
        check_array(
            found,
            h,
            f"{name}(x) for {len(x64)} inputs, compared with {', '.join(steps)} computed in "
            f"NumPy from {name}'s own weights",
            atol=atol,
            rtol=1e-4,
            hint="Check the order of the layers and each activation"
            + (" (BatchNormalization goes between a Dense layer and its activation)."
               if batchnorm else "."),
        )
    finally:
        for lyr, weights in zip(bns, saved, strict=True):
            lyr.set_weights(weights)


# -- week 03: a model's layers as the lecture draws them, whatever the Keras style ------------

_ACTIVATION_LAYER_KINDS = {
    "relu": "ReLU",
    "softmax": "Softmax",
    "leaky_relu": "LeakyReLU",
    "elu": "ELU",
    "prelu": "PReLU",
}


def leaf_layers(model: Any, name: str = "your model") -> list[Any]:
    """The layers of ``model`` in order, with nested models expanded (a ``Sequential`` block
    inside a model contributes its own layers) and ``InputLayer``s left out.

    Week 03 (CNNs on MNIST): the tests look at the layers a model is made of, not at how the
    student grouped them.
    """
    keras = _require_model(model, name)
    found: list[Any] = []

    def visit(container: Any) -> None:
        for lyr in getattr(container, "layers", []):
            if type(lyr).__name__ == "InputLayer":
                continue
            if isinstance(lyr, keras.Model):
                visit(lyr)
            else:
                found.append(lyr)

    visit(model)
    return found


def layer_kinds(model: Any, name: str = "your model") -> list[str]:
    """The steps of ``model`` as the lecture draws them: one name per layer of
    :func:`leaf_layers`, where an activation is a step of its own.

    ``Conv2D(8, 3, activation="relu")`` gives ``["Conv2D", "ReLU"]``, the same as
    ``Conv2D(8, 3)`` followed by ``Activation("relu")`` or by ``ReLU()``; linear activations
    (``Activation("linear")``) are left out; ``MaxPool2D`` is ``"MaxPooling2D"``. An activation
    layer with a non-default setting is shown as written (``"ReLU(max_value=6.0)"``), an
    activation without a layer of its own as ``"Activation('gelu')"``. Week 03.
    """
    kinds: list[str] = []

    def activation_step(function: Any) -> str | None:
        name = _activation_name(function)
        if name == "linear":
            return None
        return _ACTIVATION_LAYER_KINDS.get(name, f"Activation({name!r})")

    for lyr in leaf_layers(model, name):
        kind = _kind_name(type(lyr).__name__)
        if kind == "Activation":
            step = activation_step(getattr(lyr, "activation", None))
            if step is not None:
                kinds.append(step)
            continue
        if kind in _ACTIVATION_LAYER_KINDS.values():
            described = describe_layer(lyr)
            kinds.append(kind if described == f"{kind}()" else described)
            continue
        kinds.append(kind)
        if kind == "Dense" or "Conv" in kind:
            step = activation_step(getattr(lyr, "activation", None))
            if step is not None:
                kinds.append(step)
    return kinds


# -- week 06 (also week 07): what a sequence model does, and how long it trained ----------------


def _outputs(model: Any, x: Any, name: str) -> np.ndarray:
    try:
        return np.asarray(model(x, training=False), dtype=np.float64)
    except Exception as error:
        raise _fail(
            f"{name} could not be run on a batch of shape {_fmt_shape(np.shape(x))}: "
            f"{type(error).__name__}: {error}"
        ) from None


def check_causal(model: Any, x: Any, t: int, name: str = "your model", tol: float = 1e-5) -> None:
    """Fail if changing the inputs after step ``t`` moves any output of ``model`` at steps
    ``0..t`` (week 06: a causal model never reads the future). ``x`` is ``(batch, time,
    channels)``; the model must map it to ``(batch, time, features)``. Works for any
    construction (causal padding, left zero padding, functional or subclassed models)."""
    _require_model(model, name)
    x = np.array(x, dtype=np.float32, copy=True)
    changed = x.copy()
    future = changed[:, t + 1 :]
    changed[:, t + 1 :] = future + 3.0 * np.random.default_rng(0).normal(size=future.shape)
    before, after = _outputs(model, x, name), _outputs(model, changed, name)
    leak = float(np.max(np.abs(after[:, : t + 1] - before[:, : t + 1])))
    if leak > tol:
        raise _fail(
            f"{name}: changing the inputs after step {t} moved its outputs at steps 0..{t} by up "
            f"to {leak:.3g} (expected 0): it reads the future",
            "Use causal padding: padding='causal', or (k - 1) * d zeros on the left only.",
        )


def measured_receptive_field(model: Any, x: Any) -> int:
    """How many input steps the outputs of ``model`` at the last step depend on, measured with
    gradients on the batch ``x`` (week 06): the span from the oldest input step with a non-zero
    gradient (in any sequence and channel) to the last step, both included; 0 if none."""
    import tensorflow as tf

    inputs = tf.Variable(np.asarray(x, dtype=np.float32))
    with tf.GradientTape() as tape:
        last = tf.reduce_sum(model(inputs, training=False)[:, -1])
    gradient = tape.gradient(last, inputs)
    if gradient is None:
        return 0
    used = np.flatnonzero(np.abs(gradient.numpy()).sum(axis=(0, 2)) > 0)
    return int(inputs.shape[1] - used[0]) if used.size else 0


def check_receptive_field(
    model: Any, expected: int, x: Any, name: str = "your model", hint: str | None = None
) -> None:
    """Check the receptive field of ``model`` measured with gradients on the batch ``x``
    (see :func:`measured_receptive_field`; week 06), whatever way the model was built."""
    _require_model(model, name)
    try:
        found = measured_receptive_field(model, x)
    except Exception as error:
        raise _fail(
            f"{name}: could not measure the receptive field on a batch of shape "
            f"{_fmt_shape(np.shape(x))}: {type(error).__name__}: {error}"
        ) from None
    if found != expected:
        raise _fail(
            f"{name}: expected a receptive field of {expected} steps (its last output depends "
            f"on the last {expected} inputs), measured {found} with gradients",
            hint or "Receptive field = 1 + sum over the layers of (kernel size - 1) * dilation.",
        )


def check_steps_trained(
    model: Any, max_epochs: int, batch_size: int, samples: int, name: str = "your model"
) -> None:
    """Fail if ``model``'s optimizer took more steps than ``max_epochs`` epochs of batches of
    ``batch_size`` over ``samples`` training samples allow (weeks 06-07: the training budget,
    epochs and batch size together, read from the optimizer, not from the student's
    variables). Returns nothing, so that it can end a graded cell (nbgrader would read a
    number shown by the cell's last line as partial credit)."""
    _require_model(model, name)
    iterations = getattr(getattr(model, "optimizer", None), "iterations", None)
    steps = 0 if iterations is None else int(np.asarray(iterations))
    allowed = max_epochs * -(-samples // batch_size)
    if steps > allowed:
        raise _fail(
            f"{name} took {steps} optimizer steps; the budget of {_plural(max_epochs, 'epoch')} "
            f"with batches of {batch_size} over {samples} training samples allows {allowed}",
            "Train once, on the training data, with the epochs and batch size the exercise names.",
        )
