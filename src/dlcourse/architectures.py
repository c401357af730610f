"""Famous CNN architectures (week 03b): the lecture's facts about them, and the gradient norms
that show why a deep plain network does not train while the same depth with shortcuts does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from dlcourse.checks import leaf_layers


@dataclass(frozen=True)
class Architecture:
    """One famous CNN as the lecture and the original papers report it."""

    name: str
    year: int
    weight_layers: int  # convolution and dense layers (what "19 layers" counts)
    params_millions: float
    top5_error: float | None  # ImageNet top-5 error in %, None if the network never entered
    result: str  # where that error comes from, in a few words
    idea: str  # the trick it is remembered for


#: In teaching order. Errors are ILSVRC classification entries (top-5, test set) except
#: DenseNet's, which the paper reports on the ImageNet validation set (single crop).
FAMOUS: tuple[Architecture, ...] = (
    Architecture("LeNet-5", 1998, 5, 0.06, None, "ZIP codes, not ImageNet",
                 "convolution, subsampling, convolution: learned features"),
    Architecture("AlexNet", 2012, 8, 61.0, 16.5, "ILSVRC 2012 winner (runner-up 26.2 %)",
                 "ReLU, dropout, augmentation, two GPUs"),
    Architecture("VGG-19", 2014, 19, 144.0, 7.3, "ILSVRC 2014, 2nd",
                 "stacks of 3x3 convolutions only"),
    Architecture("GoogLeNet", 2014, 22, 6.8, 6.7, "ILSVRC 2014 winner",
                 "inception modules with 1x1 reductions"),
    Architecture("ResNet-152", 2015, 152, 60.2, 3.57, "ILSVRC 2015 winner",
                 "shortcut connections: H(x) = x + F(x)"),
    Architecture("DenseNet-121", 2017, 121, 8.0, 7.71, "ImageNet validation, single crop",
                 "every layer sees all earlier feature maps"),
)


def as_rows(architectures: Sequence[Architecture] = FAMOUS) -> list[dict[str, Any]]:
    """The table as dicts (for ``pandas.DataFrame`` or printing)."""
    return [
        {
            "network": a.name,
            "year": a.year,
            "weight layers": a.weight_layers,
            "parameters (M)": a.params_millions,
            "top-5 error (%)": a.top5_error,
            "result": a.result,
            "idea": a.idea,
        }
        for a in architectures
    ]


def kernel_gradient_norms(model: Any, x: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
    """The norm of the loss gradient for every convolution kernel of ``model``, input first.

    The loss is the mean sparse categorical cross-entropy of ``model(x, training=True)``
    against the integer labels ``y`` (the model ends in a softmax). Only the kernels of
    ``Conv2D`` layers with a kernel larger than 1x1 are reported (1x1 projections on a
    shortcut are not layers of the main path), in the order the layers are called.
    """
    import keras
    import tensorflow as tf

    if not isinstance(model, keras.Model):
        raise TypeError(
            f"kernel_gradient_norms: expected a keras.Model, got {type(model).__name__}"
        )
    x = np.asarray(x, dtype="float32")
    y = np.asarray(y)
    if len(x) != len(y):
        raise ValueError(
            f"kernel_gradient_norms: {len(x)} inputs but {len(y)} labels; pass one label per input"
        )
    kernels = [
        layer.kernel
        for layer in leaf_layers(model, "kernel_gradient_norms")
        if isinstance(layer, keras.layers.Conv2D) and tuple(layer.kernel_size) != (1, 1)
    ]
    if not kernels:
        raise ValueError("kernel_gradient_norms: the model has no Conv2D layer larger than 1x1")
    with tf.GradientTape() as tape:
        probabilities = model(x, training=True)
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, probabilities))
    gradients = tape.gradient(loss, kernels)
    return np.array([float(tf.norm(g)) if g is not None else 0.0 for g in gradients])

