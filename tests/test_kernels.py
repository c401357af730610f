"""Tests of dlcourse.kernels: the classic 3×3 kernels and apply_kernel (week 02)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from dlcourse.kernels import CLASSIC_KERNELS, apply_kernel

NAMES = [
    "identity",
    "sharpen",
    "box blur",
    "edge detect",
    "emboss",
    "sobel horizontal",
    "sobel vertical",
]


def _photo() -> np.ndarray:
    """A deterministic, non-symmetric test picture."""
    rows, cols = np.mgrid[0:12, 0:15]
    return np.sin(rows / 2.0) * 40 + cols**1.5 + 7.0 * (rows * cols % 5)


def test_all_classic_kernels_are_3x3_floats() -> None:
    assert list(CLASSIC_KERNELS) == NAMES
    for name, kernel in CLASSIC_KERNELS.items():
        assert kernel.shape == (3, 3), name
        assert kernel.dtype == np.float64, name


def test_classic_kernels_have_the_lecture_values() -> None:
    np.testing.assert_array_equal(
        CLASSIC_KERNELS["edge detect"], [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    )
    np.testing.assert_allclose(CLASSIC_KERNELS["box blur"], np.full((3, 3), 1 / 9))
    assert CLASSIC_KERNELS["box blur"].sum() == pytest.approx(1.0)
    assert CLASSIC_KERNELS["sharpen"].sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(
        CLASSIC_KERNELS["sobel vertical"], CLASSIC_KERNELS["sobel horizontal"].T
    )


def test_presets_are_read_only() -> None:
    with pytest.raises(ValueError, match="read-only"):
        CLASSIC_KERNELS["identity"][1, 1] = 2.0


def test_identity_returns_the_image() -> None:
    image = _photo()
    result = apply_kernel(image, CLASSIC_KERNELS["identity"])
    assert result.shape == image.shape
    np.testing.assert_allclose(result, image)


def test_integer_images_are_accepted() -> None:
    image = np.arange(20, dtype=np.uint8).reshape(4, 5)
    result = apply_kernel(image, CLASSIC_KERNELS["identity"])
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, image)


def test_box_blur_of_a_constant_image_is_the_constant() -> None:
    image = np.full((6, 7), 42.0)
    np.testing.assert_allclose(apply_kernel(image, CLASSIC_KERNELS["box blur"]), 42.0)


def test_box_blur_is_the_neighbourhood_mean() -> None:
    image = _photo()
    result = apply_kernel(image, CLASSIC_KERNELS["box blur"])
    assert result[5, 6] == pytest.approx(image[4:7, 5:8].mean())


@pytest.mark.parametrize("name", ["identity", "sharpen", "box blur", "emboss"])
def test_kernels_summing_to_one_keep_a_constant_image(name: str) -> None:
    image = np.full((5, 5), 3.5)
    np.testing.assert_allclose(apply_kernel(image, CLASSIC_KERNELS[name]), 3.5)


@pytest.mark.parametrize("name", ["edge detect", "sobel horizontal", "sobel vertical"])
def test_zero_sum_kernels_give_zero_on_a_constant_image(name: str) -> None:
    image = np.full((5, 5), 3.5)
    np.testing.assert_allclose(apply_kernel(image, CLASSIC_KERNELS[name]), 0.0, atol=1e-12)


def test_sobel_kernels_respond_to_the_edge_they_are_named_after() -> None:
    vertical_edge = np.zeros((8, 8))
    vertical_edge[:, 4:] = 1.0  # dark left half, bright right half
    horizontal_edge = vertical_edge.T.copy()  # dark top half, bright bottom half

    sobel_v = CLASSIC_KERNELS["sobel vertical"]
    sobel_h = CLASSIC_KERNELS["sobel horizontal"]
    assert np.abs(apply_kernel(vertical_edge, sobel_v)).max() == pytest.approx(4.0)
    np.testing.assert_allclose(apply_kernel(vertical_edge, sobel_h), 0.0, atol=1e-12)
    assert np.abs(apply_kernel(horizontal_edge, sobel_h)).max() == pytest.approx(4.0)
    np.testing.assert_allclose(apply_kernel(horizontal_edge, sobel_v), 0.0, atol=1e-12)
    # Cross-correlation, not convolution: dark-to-bright in the kernel's direction is positive.
    assert apply_kernel(vertical_edge, sobel_v)[4, 4] > 0
    assert apply_kernel(horizontal_edge, sobel_h)[4, 4] > 0


def test_apply_kernel_is_cross_correlation_like_a_cnn() -> None:
    image = _photo()
    kernel = np.arange(9.0).reshape(3, 3)  # not symmetric: a flip would change the result
    expected = signal.correlate2d(image, kernel, mode="valid")
    np.testing.assert_allclose(apply_kernel(image, kernel)[1:-1, 1:-1], expected)
    flipped = signal.convolve2d(image, kernel, mode="valid")
    assert not np.allclose(apply_kernel(image, kernel)[1:-1, 1:-1], flipped)


def test_border_repeats_the_edge_pixels() -> None:
    image = np.array([[1.0, 2.0], [3.0, 4.0]])
    # With "nearest" padding a 3×3 box blur of the corner uses the corner pixel four times.
    expected = (4 * 1.0 + 2 * 2.0 + 2 * 3.0 + 4.0) / 9
    assert apply_kernel(image, CLASSIC_KERNELS["box blur"])[0, 0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("image", "kernel", "message"),
    [
        (np.zeros((4, 4, 3)), np.ones((3, 3)), r"expected a 2-D grayscale image .* \(4, 4, 3\)"),
        (np.zeros((4, 4)), np.ones(3), r"expected a 2-D kernel, got shape \(3,\)"),
        (np.zeros((4, 4)), [[np.nan, 0, 0], [0, 1, 0], [0, 0, 0]], "NaN or infinity"),
        (np.full((4, 4), np.inf), np.ones((3, 3)), "the image holds NaN"),
    ],
)
def test_bad_input_is_a_clear_value_error(
    image: np.ndarray, kernel: np.ndarray, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        apply_kernel(image, kernel)
