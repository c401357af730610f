"""Classic 3×3 image kernels and a display-size convolution (week 02, convolution by hand).

Week 02 slides a small kernel over a photo by hand before letting Keras do it. This module holds
the kernels the lecture names (identity, sharpen, box blur, edge detect, emboss, Sobel) and
:func:`apply_kernel`, which produces a feature map of the *same* size as the image so it can be
shown next to the photo (used by :func:`dlcourse.widgets.kernel_editor` and the week 02 demos).

Like ``keras.layers.Conv2D`` and ``tf.nn.conv2d``, :func:`apply_kernel` computes a
*cross-correlation*: the kernel is not flipped. For the symmetric kernels this makes no
difference; for Sobel and emboss it decides the sign of the response.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import ndimage

__all__ = ["CLASSIC_KERNELS", "apply_kernel"]


def _frozen(rows: list[list[float]], scale: float = 1.0) -> npt.NDArray[np.float64]:
    """A read-only float kernel, so a notebook cannot change a preset by accident."""
    kernel = np.asarray(rows, dtype=np.float64) * scale
    kernel.setflags(write=False)
    return kernel


CLASSIC_KERNELS: dict[str, npt.NDArray[np.float64]] = {
    # Copies the pixel under the kernel's centre: the feature map is the image.
    "identity": _frozen([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    # Centre minus its four neighbours, added to the image: edges get stronger.
    "sharpen": _frozen([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    # Mean of the 3×3 neighbourhood.
    "box blur": _frozen([[1, 1, 1], [1, 1, 1], [1, 1, 1]], scale=1 / 9),
    # Discrete Laplacian: zero on flat regions, large where the intensity bends.
    "edge detect": _frozen([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    # Bottom-right minus top-left: a relief lit from one corner.
    "emboss": _frozen([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    # Bottom row minus top row: responds to horizontal edges (a change from top to bottom).
    "sobel horizontal": _frozen([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    # Right column minus left column: responds to vertical edges (a change from left to right).
    "sobel vertical": _frozen([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
}
"""The kernels of week 02, by name: 3×3 read-only ``float64`` arrays (``.copy()`` one to edit it).

The two Sobel kernels are named after the edge they find: ``"sobel horizontal"`` lights up
along horizontal edges (brightness changing from top to bottom), ``"sobel vertical"`` along
vertical edges (brightness changing from left to right).
"""


def apply_kernel(image2d: npt.ArrayLike, kernel: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Slide ``kernel`` over a grayscale image and return a feature map of the same size.

    Week 02. The output at pixel ``(i, j)`` is ``sum(kernel * patch)``, where ``patch`` is the
    neighbourhood of ``(i, j)`` the size of the kernel: a *cross-correlation*, the operation
    CNN layers (``keras.layers.Conv2D``) compute, with no flip of the kernel. To keep the
    "same" size for display, the image is padded by repeating its border pixels
    (``scipy.ndimage.correlate(..., mode="nearest")``), so a flat image gives a flat feature map
    right up to the border. (A Conv2D layer with ``padding="same"`` pads with zeros instead;
    the two agree everywhere except in the border rows and columns.)

    Args:
        image2d: a 2-D array (height, width); integer images are converted to float.
        kernel: a 2-D array of finite numbers, e.g. a value of :data:`CLASSIC_KERNELS`.

    Returns:
        The feature map as a ``float64`` array of the image's shape.

    Raises:
        ValueError: if the image or the kernel is not 2-D, is empty, or holds NaN or infinity.
    """
    image = np.asarray(image2d, dtype=np.float64)
    weights = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2 or image.size == 0:
        raise ValueError(
            f"apply_kernel: expected a 2-D grayscale image (height, width), got shape "
            f"{image.shape}; convert a colour image first, e.g. image.mean(axis=-1)"
        )
    if weights.ndim != 2 or weights.size == 0:
        raise ValueError(f"apply_kernel: expected a 2-D kernel, got shape {weights.shape}")
    if not np.all(np.isfinite(weights)):
        raise ValueError("apply_kernel: the kernel holds NaN or infinity; use finite numbers")
    if not np.all(np.isfinite(image)):
        raise ValueError("apply_kernel: the image holds NaN or infinity")
    return ndimage.correlate(image, weights, mode="nearest")
