"""Tests of dlcourse.plots: what each figure draws, bad input, and one stored picture per kind.

The figures are drawn off-screen (Agg). The image regression tests compare against PNGs in
tests/baseline_images/; after an intended change of a figure regenerate them with

    DLCOURSE_REGEN_BASELINES=1 .venv/bin/pytest tests/test_plots.py -k baseline

and look at the new PNGs before committing them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.style
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.testing import set_font_settings_for_testing
from matplotlib.testing.compare import compare_images

from dlcourse import plots
from dlcourse.kernels import CLASSIC_KERNELS, apply_kernel

matplotlib.use("Agg")

BASELINES = Path(__file__).parent / "baseline_images"
REGENERATE = os.environ.get("DLCOURSE_REGEN_BASELINES") == "1"
BASELINE_DPI = 50
BASELINE_TOLERANCE = 3.0  # mean colour difference out of 255


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


# --------------------------------------------------------------------------- fixed inputs


def _history() -> dict[str, list[float]]:
    return {
        "loss": [1.0, 0.6, 0.4, 0.3, 0.25],
        "val_loss": [1.1, 0.7, 0.5, 0.45, 0.44],
        "accuracy": [0.5, 0.7, 0.8, 0.85, 0.9],
        "val_accuracy": [0.45, 0.65, 0.75, 0.8, 0.82],
    }


def _dense_kernel(n: int = 10) -> np.ndarray:
    """A (784, n) kernel whose column j is a blob centred on a different pixel."""
    rows, cols = np.mgrid[0:28, 0:28]
    columns = []
    for j in range(n):
        centre_r, centre_c = 6 + 2 * j, 20 - j
        blob = np.exp(-((rows - centre_r) ** 2 + (cols - centre_c) ** 2) / 30.0)
        columns.append((blob - 0.3 * np.cos(cols / 4.0 + j)).ravel())
    return np.stack(columns, axis=1)


def _digits(n: int = 6, size: int = 12) -> np.ndarray:
    rows, cols = np.mgrid[0:size, 0:size]
    return np.stack([np.sin(rows / (i + 1.5)) * np.cos(cols / 2.0 + i) for i in range(n)])


def _activations(channels: int = 6) -> np.ndarray:
    rows, cols = np.mgrid[0:10, 0:10]
    return np.stack([np.sin(rows * (c + 1) / 7.0) + cols * c / 10.0 for c in range(channels)], -1)


def _conv_kernel(filters: int = 6, in_channels: int = 1) -> np.ndarray:
    values = np.arange(3 * 3 * in_channels * filters, dtype=np.float64)
    return np.sin(values).reshape(3, 3, in_channels, filters)


def _photo() -> np.ndarray:
    rows, cols = np.mgrid[0:24, 0:24]
    return np.clip(np.sin(rows / 4.0) * np.cos(cols / 5.0) + 0.5, 0, 1)


def _heatmap(size: int = 6) -> np.ndarray:
    rows, cols = np.mgrid[0:size, 0:size]
    return np.exp(-((rows - size / 3) ** 2 + (cols - size / 2) ** 2) / size)


def _series() -> np.ndarray:
    return np.sin(np.arange(60) / 5.0) + np.arange(60) / 60.0


def _grid_segments(size: int = 24, blocks: int = 4) -> np.ndarray:
    """Superpixels as a blocks x blocks grid of squares, numbered row by row."""
    rows, cols = np.mgrid[0:size, 0:size] * blocks // size
    return rows * blocks + cols


def _labels() -> tuple[np.ndarray, np.ndarray]:
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 0, 1, 1, 1, 2, 0, 2, 2])
    return y_true, y_pred


CASES: dict[str, Callable[[], Figure]] = {
    "training_curves": lambda: plots.training_curves(_history(), title="MLP on MNIST"),
    "weight_images": lambda: plots.weight_images(_dense_kernel()),
    "image_grid": lambda: plots.image_grid(_digits(), labels=list("abcdef"), ncols=3),
    "matrices": lambda: plots.matrices(
        {
            "image": np.arange(16).reshape(4, 4),
            "kernel": CLASSIC_KERNELS["edge detect"],
            "feature map": apply_kernel(
                np.arange(16).reshape(4, 4), CLASSIC_KERNELS["edge detect"]
            ),
        }
    ),
    "feature_maps": lambda: plots.feature_maps(_activations(), ncols=3, title="conv 1"),
    "filters": lambda: plots.filters(_conv_kernel(), ncols=3),
    "confusion_matrix": lambda: plots.confusion_matrix(*_labels(), class_names=["a", "b", "c"]),
    "saliency_overlay": lambda: plots.saliency_overlay(_photo(), _heatmap(), title="Grad-CAM"),
    "explanations": lambda: plots.explanations(
        _photo(), {"saliency": _heatmap(24), "Grad-CAM": _heatmap(6)}
    ),
    "superpixels": lambda: plots.superpixels(
        _photo(), _grid_segments(), weights=np.linspace(-1.0, 2.0, 16)
    ),
    "receptive_field_diagram": lambda: plots.receptive_field_diagram(2, [1, 2, 4]),
    "forecast": lambda: plots.forecast(
        _series(), {"CNN": _series()[40:] + 0.1, "RNN": _series()[40:] - 0.1}, title="forecast"
    ),
    "gradient_norms": lambda: plots.gradient_norms(
        [5, 10, 20, 40], {"SimpleRNN": [1.0, 1e-2, 1e-5, 1e-9], "LSTM": [1.0, 0.5, 0.3, 0.2]}
    ),
    "architectures": lambda: plots.architectures(
        [
            {"network": "A", "year": 2001, "weight layers": 5, "parameters (M)": 0.06,
             "top-5 error (%)": None},
            {"network": "B", "year": 2012, "weight layers": 8, "parameters (M)": 61.0,
             "top-5 error (%)": 16.5},
            {"network": "C", "year": 2015, "weight layers": 152, "parameters (M)": 60.2,
             "top-5 error (%)": 3.57},
        ],
        title="famous CNNs",
    ),
    "score_histogram": lambda: plots.score_histogram([0, 1, 1.5, 4, 6, 6, 8], 8),
    "cell_outcomes": lambda: plots.cell_outcomes(
        ["test_a", "test_b", "why"], [0.5, 0.0, 0.3], [0.2, 0.0, 0.1], [0.3, 1.0, 0.2],
        [0.0, 0.0, 0.4], title="week 01"
    ),
}


def _image_axes(fig: Figure) -> list[Axes]:
    """The axes that show a picture (colour bars excluded)."""
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


def _visible_lines(ax: Axes) -> list[str]:
    return [line.get_label() for line in ax.lines if not line.get_label().startswith("_")]


# --------------------------------------------------------------------------- every kind


@pytest.mark.parametrize("kind", sorted(CASES))
def test_every_function_returns_a_figure_and_leaves_no_pyplot_state_behind(kind: str) -> None:
    fig = CASES[kind]()
    assert isinstance(fig, Figure)
    fig.canvas.draw()  # renders without error
    plt.close(fig)
    assert plt.get_fignums() == []


@pytest.mark.parametrize("kind", sorted(CASES))
def test_render_png_draws_off_screen(kind: str) -> None:
    png = plots.render_png(lambda: CASES[kind](), dpi=30)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert plt.get_fignums() == [], "render_png must not register figures with pyplot"


def test_importing_plots_and_widgets_does_not_import_tensorflow() -> None:
    code = (
        "import sys, dlcourse.plots, dlcourse.widgets, dlcourse.kernels; "
        "heavy = sorted(m for m in ('tensorflow', 'keras') if m in sys.modules); "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"imported {result.stdout.strip()} {result.stderr[-2000:]}"


# --------------------------------------------------------------------------- training_curves


def test_training_curves_one_axis_per_metric_with_train_and_validation() -> None:
    fig = plots.training_curves(_history(), title="MLP")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert fig.get_suptitle() == "MLP"
    for ax in fig.axes:
        assert _visible_lines(ax) == ["training", "validation"]
        np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3, 4, 5])
        assert ax.get_xlabel() == "epoch"
    np.testing.assert_array_equal(fig.axes[1].lines[1].get_ydata(), _history()["val_accuracy"])


def test_training_curves_accepts_a_keras_history_object() -> None:
    history = SimpleNamespace(history=_history(), epoch=[0, 1, 2, 3, 4])
    fig = plots.training_curves(history, metrics=["loss"])
    assert [ax.get_title() for ax in fig.axes] == ["loss"]


def test_training_curves_skips_absent_metrics() -> None:
    history = {"loss": [0.9, 0.5], "mae": [0.3, 0.2]}  # no accuracy, no validation
    fig = plots.training_curves(history, metrics=("loss", "accuracy", "mae"))
    assert [ax.get_title() for ax in fig.axes] == ["loss", "mae"]
    assert [len(ax.lines) for ax in fig.axes] == [1, 1]


def test_training_curves_without_any_requested_metric_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"none of the metrics \['accuracy'\]; it has \['loss'\]"):
        plots.training_curves({"loss": [1.0]}, metrics="accuracy")


def test_training_curves_rejects_something_that_is_no_history() -> None:
    with pytest.raises(ValueError, match="expected a keras History or a dict of lists, got list"):
        plots.training_curves([1.0, 2.0])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- weight_images


def test_weight_images_reshapes_each_column_into_a_28x28_image() -> None:
    weights = _dense_kernel()
    fig = plots.weight_images(weights)
    panels = _image_axes(fig)
    assert len(panels) == 10
    assert len(fig.axes) == 11  # ten panels and one shared colour bar
    assert [ax.get_title() for ax in panels] == [str(i) for i in range(10)]
    for j, ax in enumerate(panels):
        assert ax.images[0].get_array().shape == (28, 28)
        np.testing.assert_allclose(ax.images[0].get_array(), weights[:, j].reshape(28, 28))
    low, high = panels[0].images[0].get_clim()
    assert low == pytest.approx(-high)  # diverging scale centred on 0
    assert high == pytest.approx(np.abs(weights).max())


def test_weight_images_accepts_images_and_titles() -> None:
    images = _dense_kernel(3).T.reshape(3, 28, 28)
    fig = plots.weight_images(images, titles=["zero", "one", "two"], ncols=2)
    assert [ax.get_title() for ax in _image_axes(fig)] == ["zero", "one", "two"]


def test_weight_images_other_image_shape() -> None:
    fig = plots.weight_images(np.ones((12, 4)), image_shape=(3, 4))
    assert _image_axes(fig)[0].images[0].get_array().shape == (3, 4)


def test_weight_images_wrong_shape_is_a_clear_value_error() -> None:
    message = (
        r"weight_images: expected weights of shape \(784, n\) or \(n, 28, 28\), got \(10, 10\)"
    )
    with pytest.raises(ValueError, match=message):
        plots.weight_images(np.zeros((10, 10)))


def test_weight_images_wrong_number_of_titles() -> None:
    with pytest.raises(ValueError, match="got 2 titles for 10 images"):
        plots.weight_images(_dense_kernel(), titles=["a", "b"])


# --------------------------------------------------------------------------- image_grid


def test_image_grid_one_axis_per_image_with_labels() -> None:
    fig = plots.image_grid(_digits(10), labels=range(10), ncols=4)
    assert len(fig.axes) == 10
    assert [ax.get_title() for ax in fig.axes] == [str(i) for i in range(10)]
    assert fig.axes[0].images[0].get_array().shape == (12, 12)
    assert fig.axes[0].images[0].get_cmap().name == "gray"
    # 4 columns: the fifth image starts the second row
    assert fig.axes[4].get_position().y0 < fig.axes[0].get_position().y0


def test_image_grid_channel_and_colour_images() -> None:
    single_channel = _digits(3)[..., np.newaxis]
    fig = plots.image_grid(single_channel, cmap="viridis")
    assert fig.axes[0].images[0].get_array().shape == (12, 12)
    assert fig.axes[0].images[0].get_cmap().name == "viridis"
    colour = np.full((2, 5, 5, 3), 200, dtype=np.uint8)
    fig = plots.image_grid(colour)
    assert fig.axes[1].images[0].get_array().shape == (5, 5, 3)
    assert fig.axes[1].images[0].get_array().max() <= 1.0
    assert [ax.get_title() for ax in fig.axes] == ["", ""]


def test_image_grid_bad_input() -> None:
    with pytest.raises(ValueError, match=r"got shape \(12, 12\); for one image pass \[image\]"):
        plots.image_grid(_digits(1)[0])
    with pytest.raises(ValueError, match="got 2 labels for 6 images"):
        plots.image_grid(_digits(), labels=[1, 2])
    with pytest.raises(ValueError, match="got no images"):
        plots.image_grid([])
    with pytest.raises(ValueError, match="ncols must be a positive integer, got 0"):
        plots.image_grid(_digits(), ncols=0)


# --------------------------------------------------------------------------- matrices


def test_matrices_write_every_number_in_its_cell() -> None:
    image = np.arange(16).reshape(4, 4)
    kernel = CLASSIC_KERNELS["edge detect"]
    fig = plots.matrices({"image": image, "kernel": kernel, "feature map": image[:2, :2]})
    assert [ax.get_title() for ax in fig.axes] == ["image", "kernel", "feature map"]
    assert [ax.images[0].get_array().shape for ax in fig.axes] == [(4, 4), (3, 3), (2, 2)]
    kernel_ax = fig.axes[1]
    assert [t.get_text() for t in kernel_ax.texts] == ["0", "1", "0", "1", "-4", "1", "0", "1", "0"]
    # each number sits in its own cell: text (x, y) = (column, row)
    centre = kernel_ax.texts[4]
    assert centre.get_position() == (1, 1)
    assert len(fig.axes[0].texts) == 16
    assert fig.axes[0].texts[-1].get_text() == "15"


def test_matrices_format_and_readable_text_colours() -> None:
    fig = plots.matrices({"blur": CLASSIC_KERNELS["box blur"]}, fmt="{:.2f}")
    assert {t.get_text() for t in fig.axes[0].texts} == {"0.11"}
    fig = plots.matrices({"k": [[0.0, 1.0]]})
    dark, light = fig.axes[0].texts  # gray colour map: 0 is black, 1 is white
    assert dark.get_color() == "white"
    assert light.get_color() == "black"


def test_matrices_a_vector_is_one_row() -> None:
    fig = plots.matrices({"signal": [1, 2, 3]})
    assert fig.axes[0].images[0].get_array().shape == (1, 3)


@pytest.mark.parametrize(
    ("named", "message"),
    [
        ({}, "got no matrices"),
        ({"x": np.zeros((2, 2, 2))}, r"'x' must be a 1-D or 2-D array, got \(2, 2, 2\)"),
        ({"photo": np.zeros((64, 64))}, r"too large to write every number .* image\[:8, :8\]"),
    ],
)
def test_matrices_bad_input(named: dict[str, np.ndarray], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plots.matrices(named)


def test_matrices_bad_format() -> None:
    with pytest.raises(ValueError, match="fmt must format one number"):
        plots.matrices({"k": [[1.0]]}, fmt="{:d} {:d}")


# --------------------------------------------------------------------------- feature_maps


def test_feature_maps_one_panel_per_channel() -> None:
    maps = _activations(6)
    fig = plots.feature_maps(maps, ncols=4, title="conv 1")
    assert len(fig.axes) == 6
    assert fig.get_suptitle() == "conv 1"
    for channel, ax in enumerate(fig.axes):
        assert ax.get_title() == str(channel)
        np.testing.assert_allclose(ax.images[0].get_array(), maps[..., channel])


def test_feature_maps_accepts_a_batch_of_one_and_rejects_others() -> None:
    fig = plots.feature_maps(_activations(2)[np.newaxis])
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match=r"\(H, W, C\) or \(1, H, W, C\), got \(2, 10, 10, 2\)"):
        plots.feature_maps(np.stack([_activations(2)] * 2))
    with pytest.raises(ValueError, match=r"got \(10, 10\)"):
        plots.feature_maps(np.zeros((10, 10)))


# --------------------------------------------------------------------------- filters


def test_filters_one_panel_per_filter() -> None:
    kernel = _conv_kernel(filters=8)
    fig = plots.filters(kernel)
    panels = _image_axes(fig)
    assert len(panels) == 8
    assert len(fig.axes) == 9  # and a colour bar
    for index, ax in enumerate(panels):
        assert ax.images[0].get_array().shape == (3, 3)
        np.testing.assert_allclose(ax.images[0].get_array(), kernel[:, :, 0, index])


def test_filters_mean_or_chosen_input_channel() -> None:
    kernel = _conv_kernel(filters=2, in_channels=3)
    mean = _image_axes(plots.filters(kernel))[1].images[0].get_array()
    np.testing.assert_allclose(mean, kernel[:, :, :, 1].mean(axis=2))
    chosen = _image_axes(plots.filters(kernel, in_channel=2))[1].images[0].get_array()
    np.testing.assert_allclose(chosen, kernel[:, :, 2, 1])
    with pytest.raises(ValueError, match="in_channel 3 is out of range for 3 input channels"):
        plots.filters(kernel, in_channel=3)


def test_filters_wrong_shape() -> None:
    with pytest.raises(ValueError, match=r"\(kh, kw, in_channels, filters\), got \(3, 3, 8\)"):
        plots.filters(np.zeros((3, 3, 8)))


# --------------------------------------------------------------------------- confusion_matrix


def test_confusion_matrix_counts_in_cells() -> None:
    fig = plots.confusion_matrix(*_labels(), class_names=["cat", "dog", "fox"])
    (ax,) = fig.axes
    expected = np.array([[2, 1, 0], [0, 2, 0], [1, 0, 3]])
    np.testing.assert_array_equal(ax.images[0].get_array(), expected)
    assert [t.get_text() for t in ax.texts] == [str(v) for v in expected.ravel()]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "fox"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["cat", "dog", "fox"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted", "true")
    assert ax.get_title() == "accuracy 77.8% (7 of 9)"


def test_confusion_matrix_normalized_rows_and_scores_input() -> None:
    y_true, y_pred = _labels()
    scores = np.eye(3)[y_pred] * 0.8 + 0.05  # like model.predict output
    fig = plots.confusion_matrix(y_true, scores, normalize=True)
    (ax,) = fig.axes
    np.testing.assert_allclose(ax.images[0].get_array().sum(axis=1), 1.0)
    assert ax.texts[0].get_text() == "0.67"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2"]


@pytest.mark.parametrize(
    ("y_true", "y_pred", "names", "message"),
    [
        ([0, 1], [0], None, "same non-zero length, got 2 and 1"),
        ([0, 3], [0, 1], ["a", "b"], "label 3 has no name; class_names has 2 entries"),
        ([0, -1], [0, 1], None, r"y_true holds a negative label \(-1\)"),
        ([0.5, 1], [0, 1], None, "whole-number class labels"),
    ],
)
def test_confusion_matrix_bad_input(
    y_true: list[float], y_pred: list[int], names: list[str] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        plots.confusion_matrix(y_true, y_pred, class_names=names)


# --------------------------------------------------------------------------- saliency


def test_saliency_overlay_resizes_the_heatmap_to_the_image() -> None:
    fig = plots.saliency_overlay(_photo(), _heatmap(6), alpha=0.4, title="Grad-CAM")
    (ax,) = fig.axes
    assert ax.get_title() == "Grad-CAM"
    picture, heat = ax.images
    assert picture.get_array().shape == (24, 24)
    assert heat.get_array().shape == (24, 24)
    assert heat.get_alpha() == pytest.approx(0.4)
    assert heat.get_array().max() == pytest.approx(_heatmap(6).max(), rel=0.05)


def test_saliency_overlay_same_size_heatmap_is_unchanged_and_colour_images_work() -> None:
    colour = np.stack([_photo()] * 3, axis=-1)[np.newaxis]  # a batch of one RGB image
    heatmap = _heatmap(24)[np.newaxis, ..., np.newaxis]
    (ax,) = plots.saliency_overlay(colour, heatmap).axes
    assert ax.images[0].get_array().shape == (24, 24, 3)
    np.testing.assert_allclose(ax.images[1].get_array(), _heatmap(24))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alpha": 1.5}, "alpha must be between 0 and 1, got 1.5"),
        ({"heatmap": np.full((4, 4), np.nan)}, "heatmap holds NaN or infinity"),
        ({"heatmap": np.zeros((2, 4, 4))}, r"expected heatmap of shape \(h, w\), got \(2, 4, 4\)"),
        ({"image": np.zeros((4, 4, 2))}, r"expected image of shape .* got \(4, 4, 2\)"),
    ],
)
def test_saliency_overlay_bad_input(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"image": _photo(), "heatmap": _heatmap()} | kwargs
    with pytest.raises(ValueError, match=message):
        plots.saliency_overlay(**arguments)  # type: ignore[arg-type]


def test_explanations_image_then_one_overlay_per_method() -> None:
    methods = ["saliency", "occlusion", "LIME", "Grad-CAM"]
    maps = {name: _heatmap(size) for name, size in zip(methods, [24, 12, 24, 6], strict=True)}
    fig = plots.explanations(_photo(), maps)
    assert [ax.get_title() for ax in fig.axes] == ["image", *methods]
    assert len(fig.axes[0].images) == 1
    for ax in fig.axes[1:]:
        assert len(ax.images) == 2
        assert ax.images[1].get_array().shape == (24, 24)
    # side by side: one row
    assert len({round(ax.get_position().y0, 6) for ax in fig.axes}) == 1


def test_explanations_bad_input() -> None:
    with pytest.raises(ValueError, match="explanations: got no maps"):
        plots.explanations(_photo(), {})
    with pytest.raises(ValueError, match="map 'LIME' holds NaN"):
        plots.explanations(_photo(), {"LIME": np.full((3, 3), np.inf)})


def test_superpixels_outlines_every_boundary_and_colours_by_weight() -> None:
    segments = _grid_segments()  # 4 x 4 squares of 6 x 6 pixels
    weights = np.arange(16.0) - 5.0
    fig = plots.superpixels(_photo(), segments, weights=weights)
    left, right = _image_axes(fig)
    assert left.get_title() == "16 superpixels"
    assert right.get_title() == "weight per superpixel"
    outline = left.images[1].get_array()
    assert outline.shape == (24, 24, 4)
    on_edge = outline[..., 3] > 0
    assert on_edge[:, 5].all() and on_edge[5, :].all()  # the last column/row of a square
    assert np.flatnonzero(on_edge[:, 2]).tolist() == [5, 11, 17]  # only the row boundaries
    coloured = right.images[1]
    np.testing.assert_array_equal(coloured.get_array(), weights[segments])
    assert coloured.get_clim() == (-10.0, 10.0)  # symmetric around zero


def test_superpixels_without_weights_is_one_panel_with_the_given_title() -> None:
    colour = np.stack([_photo()] * 3, axis=-1) * 255
    fig = plots.superpixels(colour, _grid_segments(blocks=2), title="slic")
    (ax,) = fig.axes
    assert ax.get_title() == "slic"
    assert ax.images[0].get_array().shape == (24, 24, 3)


@pytest.mark.parametrize(
    ("segments", "weights", "message"),
    [
        (np.zeros((5, 5), int), None, r"expected segments of shape \(24, 24\)"),
        (np.zeros((24, 24)), None, "segments must be non-negative integer labels"),
        (_grid_segments(), np.ones(3), "got 3 weights for 16 superpixels"),
    ],
)
def test_superpixels_bad_input(segments: np.ndarray, weights: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plots.superpixels(_photo(), segments, weights=weights)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- receptive field


def _highlighted_inputs(fig: Figure) -> np.ndarray:
    (ax,) = fig.axes
    (field,) = [c for c in ax.collections if c.get_label() == "receptive field"]
    assert isinstance(field, PathCollection)
    offsets = np.asarray(field.get_offsets())
    assert np.all(offsets[:, 1] == 0), "the receptive field is on the input row"
    return np.sort(offsets[:, 0])


@pytest.mark.parametrize(
    ("kernel_size", "dilations", "field"),
    [(2, [1, 2, 4, 8], 16), (3, [1, 1, 1], 7), (2, [1], 2), (3, [1, 3, 9], 27), (4, [1, 3], 13)],
)
def test_receptive_field_diagram_highlights_the_receptive_field(
    kernel_size: int, dilations: list[int], field: int
) -> None:
    fig = plots.receptive_field_diagram(kernel_size, dilations)
    (ax,) = fig.axes
    steps = field + 3
    assert f"= {field} time steps" in ax.get_title()
    assert f"dilations {dilations}" in ax.get_title()
    # the last output depends on the last `field` inputs (causal: none from the future)
    np.testing.assert_array_equal(_highlighted_inputs(fig), np.arange(steps - field, steps))
    # one row of dots per layer plus the input row
    assert len(ax.get_yticklabels()) == len(dilations) + 1
    assert ax.get_yticklabels()[0].get_text() == "input"
    assert ax.get_yticklabels()[-1].get_text() == f"output (d={dilations[-1]})"


def test_receptive_field_diagram_shows_gaps_when_no_layer_has_dilation_1() -> None:
    fig = plots.receptive_field_diagram(4, [2, 2])
    # the field spans 1 + 3·2 + 3·2 = 13 steps, but only every other input is read
    assert "= 13 time steps" in fig.axes[0].get_title()
    np.testing.assert_array_equal(_highlighted_inputs(fig), np.arange(3, 16, 2))


def test_receptive_field_diagram_lines_from_the_output_back_to_the_inputs() -> None:
    fig = plots.receptive_field_diagram(2, [1, 2, 4], n_steps=12, output_index=9)
    (ax,) = fig.axes
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    segments = [np.asarray(s) for s in lines.get_segments()]
    assert len(segments) == 2 + 4 + 8  # a binary tree: k edges per active node
    tops = {tuple(s[0]) for s in segments if s[0][1] == 3}
    assert tops == {(9.0, 3.0)}  # all lines start from the chosen output
    np.testing.assert_array_equal(_highlighted_inputs(fig), np.arange(2, 10))
    assert "1 + 1·1 + 1·2 + 1·4 = 8" in ax.get_title()


def test_receptive_field_diagram_truncated_at_the_start_of_the_series() -> None:
    fig = plots.receptive_field_diagram(2, [1, 2, 4, 8], n_steps=10, output_index=4)
    np.testing.assert_array_equal(_highlighted_inputs(fig), np.arange(0, 5))
    assert "= 16 time steps" in fig.axes[0].get_title()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, [1]), "kernel_size must be an integer of at least 1, got 0"),
        ((2, []), r"dilations must be a non-empty list of positive integers, got \[\]"),
        ((2, [1, 0]), "dilations must be a non-empty list of positive integers"),
        ((2, [1.5]), "dilations must be a non-empty list of positive integers"),
        ((2, [1], 0), "n_steps must be a positive integer, got 0"),
        ((2, [1], 5, 5), "output_index 5 is outside the 5 steps drawn"),
    ],
)
def test_receptive_field_diagram_bad_input(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plots.receptive_field_diagram(*args)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- forecast


def test_forecast_draws_the_series_and_each_forecast_at_the_end() -> None:
    series = _series()
    fig = plots.forecast(series, {"CNN": series[40:], "RNN": series[45:]}, title="co2")
    (ax,) = fig.axes
    assert ax.get_title() == "co2"
    assert _visible_lines(ax) == ["true", "CNN", "RNN"]
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), np.arange(40, 60))
    np.testing.assert_array_equal(ax.lines[2].get_xdata(), np.arange(45, 60))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["true", "CNN", "RNN"]


def test_forecast_with_start_marks_where_forecasts_begin() -> None:
    series = _series()
    fig = plots.forecast(series, {"naive": np.full(30, series[29])}, start=30)
    (ax,) = fig.axes
    assert _visible_lines(ax) == ["true", "naive"]
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), np.arange(30, 60))
    marks = [line for line in ax.lines if line.get_label() == "_forecast start"]
    assert len(marks) == 1
    assert marks[0].get_xdata()[0] == 30


def test_forecast_bad_input() -> None:
    with pytest.raises(ValueError, match=r"prediction 'x' \(70 steps\) is longer than y_true"):
        plots.forecast(_series(), {"x": np.zeros(70)})
    with pytest.raises(ValueError, match=r"expected y_true as a 1-D series, got shape \(2, 3\)"):
        plots.forecast(np.zeros((2, 3)), {})


# --------------------------------------------------------------------------- gradient_norms


def test_gradient_norms_log_scale_one_line_per_model() -> None:
    lengths = [5, 10, 20, 40]
    fig = plots.gradient_norms(lengths, {"SimpleRNN": [1, 1e-3, 1e-6, 0.0], "LSTM": [1, 1, 1, 1]})
    (ax,) = fig.axes
    assert ax.get_yscale() == "log"
    assert _visible_lines(ax) == ["SimpleRNN", "LSTM"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), lengths)
    assert np.isnan(ax.lines[0].get_ydata()[-1])  # an underflowed 0 is left out, not an error
    assert ax.get_xlabel() == "sequence length"


def test_gradient_norms_bad_input() -> None:
    with pytest.raises(ValueError, match=r"norms\['RNN'\] has 2 values for 3 lengths"):
        plots.gradient_norms([1, 2, 3], {"RNN": [1.0, 0.5]})
    with pytest.raises(ValueError, match="negative norm"):
        plots.gradient_norms([1, 2], {"RNN": [1.0, -0.5]})
    with pytest.raises(ValueError, match="got no norms"):
        plots.gradient_norms([1, 2], {})


# --------------------------------------------------------------------------- instructor's report


def test_score_histogram_one_bar_per_point_with_its_count() -> None:
    fig = plots.score_histogram([0, 1, 1.5, 4, 6, 6, 8, 9], 8)
    (ax,) = fig.axes
    heights = [int(bar.get_height()) for bar in ax.patches]
    assert heights == [1, 2, 0, 0, 1, 0, 2, 0, 2], "1.5 counts as 1; 9 (extra credit) as 8"
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["1", "2", "", "", "1", "", "2", "", "2"]
    assert ax.get_legend().get_texts()[0].get_text() == "mean 4.3"
    assert ax.get_title() == "totals of 8 submissions"


def test_score_histogram_bad_input() -> None:
    with pytest.raises(ValueError, match="max_score must be a positive number"):
        plots.score_histogram([1, 2], 0)
    with pytest.raises(ValueError, match="must not be negative"):
        plots.score_histogram([-1, 2], 4)


def test_cell_outcomes_stacks_the_shares_of_each_cell() -> None:
    fig = plots.cell_outcomes(["a", "b"], [0.5, 0.0], [0.25, 0.0], [0.25, 0.6], [0.0, 0.4])
    (ax,) = fig.axes
    widths = {}
    for container, label in zip(ax.containers, [t.get_text() for t in ax.get_legend().texts],
                                strict=True):
        widths[label] = [round(bar.get_width(), 2) for bar in container]
    assert widths == {"full marks": [0.5, 0.0], "partial": [0.25, 0.0], "zero": [0.25, 0.6],
                      "not graded yet": [0.0, 0.4]}
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]


def test_cell_outcomes_leaves_out_waiting_when_nothing_waits() -> None:
    fig = plots.cell_outcomes(["a"], [1.0], [0.0], [0.0])
    assert [t.get_text() for t in fig.axes[0].get_legend().texts] == ["full marks", "partial",
                                                                      "zero"]
    with pytest.raises(ValueError, match="one share per cell"):
        plots.cell_outcomes(["a", "b"], [1.0], [0.0], [0.0])


# --------------------------------------------------------------------------- baselines


@contextmanager
def _stable_style() -> Iterator[None]:
    """Matplotlib's default style with the font settings its own image tests use."""
    with matplotlib.rc_context():
        matplotlib.style.use("default")
        set_font_settings_for_testing()
        yield


@pytest.mark.parametrize("kind", sorted(CASES))
def test_matches_baseline_image(kind: str, tmp_path: Path) -> None:
    baseline = BASELINES / f"{kind}.png"
    with _stable_style():
        fig = CASES[kind]()
        target = baseline if REGENERATE else tmp_path / f"{kind}.png"
        fig.savefig(target, dpi=BASELINE_DPI, metadata={"Software": None})
    if REGENERATE:
        pytest.skip(f"regenerated {baseline}")
    if not baseline.exists():
        pytest.fail(
            f"no baseline {baseline}; create it with DLCOURSE_REGEN_BASELINES=1 "
            "pytest tests/test_plots.py -k baseline"
        )
    difference = compare_images(str(baseline), str(target), tol=BASELINE_TOLERANCE)
    assert difference is None, difference


# --------------------------------------------------------------------------- architectures


def test_architectures_three_panels_in_the_rows_order_with_values_written_on_the_bars() -> None:
    fig = CASES["architectures"]()
    assert len(fig.axes) == 3
    depth, params, error = fig.axes
    assert [t.get_text() for t in depth.get_xticklabels()] == ["A\n2001", "B\n2012", "C\n2015"]
    assert [p.get_height() for p in depth.patches] == [5, 8, 152]
    assert params.get_yscale() == "log" and depth.get_yscale() == "linear"
    assert [t.get_text() for t in error.texts] == ["n/a", "16.5", "3.57"]
    assert fig.get_suptitle() == "famous CNNs"


def test_architectures_bad_input() -> None:
    with pytest.raises(ValueError, match="got no rows"):
        plots.architectures([])
    with pytest.raises(ValueError, match="row 0 has no 'year'"):
        plots.architectures([{"network": "A", "weight layers": 1, "parameters (M)": 1,
                              "top-5 error (%)": 1}])
    with pytest.raises(ValueError, match="negative"):
        plots.architectures([{"network": "A", "year": 1, "weight layers": -1,
                              "parameters (M)": 1, "top-5 error (%)": 1}])
