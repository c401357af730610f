"""The course's figures, one function per kind of picture (weeks 01-07).

Every function builds a new :class:`matplotlib.figure.Figure` and returns it; none calls
``plt.show()``. In a notebook the figure appears below the cell. End the line with ``;`` (or
assign the figure to a name) so that Jupyter does not show it a second time as the cell's value::

    plots.training_curves(history);
    fig = plots.confusion_matrix(y_test, y_pred)   # e.g. to fig.savefig(...)

Bad input raises :class:`ValueError` with one sentence that names the function, what it expected
and what it got. Nothing here imports TensorFlow: a Keras ``History`` is read through its
``.history`` attribute, and weights come in as NumPy arrays (``layer.get_weights()[0]``).

=====================================  =======================================================
week                                   functions
=====================================  =======================================================
01 fcNN recap                          :func:`training_curves`, :func:`weight_images`,
                                       :func:`image_grid`, :func:`confusion_matrix`
02 convolution by hand                 :func:`matrices`, :func:`image_grid`
03 CNN on MNIST                        :func:`feature_maps`, :func:`filters`,
                                       :func:`training_curves`, :func:`confusion_matrix`
04 transfer learning                   :func:`training_curves`, :func:`image_grid`,
                                       :func:`confusion_matrix`
05 saliency                            :func:`saliency_overlay`, :func:`explanations`,
                                       :func:`superpixels`
06 1D causal CNNs                      :func:`receptive_field_diagram`, :func:`forecast`
07 RNNs                                :func:`forecast`, :func:`gradient_norms`
instructor's report (dlcourse report)  :func:`score_histogram`, :func:`cell_outcomes`
=====================================  =======================================================

:func:`render_png` draws any of them off-screen into PNG bytes (the widgets of
:mod:`dlcourse.widgets` use it).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

__all__ = [
    "cell_outcomes",
    "confusion_matrix",
    "explanations",
    "feature_maps",
    "filters",
    "forecast",
    "gradient_norms",
    "image_grid",
    "matrices",
    "receptive_field_diagram",
    "render_png",
    "saliency_overlay",
    "score_histogram",
    "superpixels",
    "training_curves",
    "weight_images",
]

FloatArray = npt.NDArray[np.float64]

# Inches per panel of the grid-of-images plots, and per cell of `matrices`.
_PANEL = 1.6
_CELL = 0.42
# `matrices` writes every number; beyond this many rows or columns the numbers are unreadable.
_MAX_MATRIX_SIDE = 32
_HEATMAP_CMAP = "jet"
_DIVERGING_CMAP = "RdBu_r"

# True: figures are created through pyplot (so Jupyter's inline backend shows them);
# False inside `render_png`, which draws off-screen without touching pyplot's figure list.
_USE_PYPLOT: ContextVar[bool] = ContextVar("dlcourse_plots_use_pyplot", default=True)


class _HasHistory(Protocol):
    history: Mapping[str, Sequence[float]]


# --------------------------------------------------------------------------- helpers


def _new_figure(width: float, height: float) -> Figure:
    """A new constrained-layout figure of the given size in inches."""
    size = (max(width, 1.0), max(height, 1.0))
    if _USE_PYPLOT.get():
        return plt.figure(figsize=size, layout="constrained")
    return Figure(figsize=size, layout="constrained")


def _panel_grid(n: int, ncols: int, panel: float = _PANEL) -> tuple[Figure, list[Axes]]:
    """A figure with exactly ``n`` axes laid out ``ncols`` to a row (unused slots removed)."""
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig = _new_figure(ncols * panel, nrows * panel + 0.4)
    grid = fig.subplots(nrows, ncols, squeeze=False)
    axes = list(grid.ravel())
    for ax in axes[n:]:
        ax.remove()
    return fig, axes[:n]


def _is_whole(value: object, minimum: int = 1) -> bool:
    """True for an int (not a bool) of at least ``minimum``."""
    return (
        isinstance(value, int | np.integer)
        and not isinstance(value, bool)
        and int(value) >= minimum
    )


def _check_ncols(func: str, ncols: int) -> None:
    if not _is_whole(ncols):
        raise ValueError(f"{func}: ncols must be a positive integer, got {ncols!r}")


def _check_titles(func: str, titles: Sequence[Any] | None, n: int, what: str) -> list[str]:
    if titles is None:
        return [str(i) for i in range(n)]
    titles = [str(t) for t in titles]
    if len(titles) != n:
        raise ValueError(f"{func}: got {len(titles)} {what} for {n} images; pass one per image")
    return titles


def _as_float(func: str, name: str, values: npt.ArrayLike) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{func}: {name} must be numbers, got {type(values).__name__}") from error
    return array


def _squeeze_image(func: str, image: npt.ArrayLike, name: str = "image") -> FloatArray:
    """One image as (H, W) or (H, W, 3|4); accepts (H, W, 1) and a batch of one (1, H, W[, C])."""
    array = _as_float(func, name, image)
    if array.ndim == 4 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[-1] in (3, 4))) or 0 in (
        array.shape
    ):
        raise ValueError(
            f"{func}: expected {name} of shape (H, W), (H, W, 1) or (H, W, 3), got {array.shape}"
        )
    return array


def _displayable(image: FloatArray) -> FloatArray:
    """Colour images scaled into [0, 1] for imshow (uint8-range or arbitrary floats)."""
    if image.ndim == 2:
        return image
    finite = image[np.isfinite(image)]
    if finite.size == 0:
        return np.zeros_like(image)
    low, high = float(finite.min()), float(finite.max())
    if low >= 0.0 and high <= 1.0:
        return image
    if low >= 0.0 and high <= 255.0:
        return np.clip(image / 255.0, 0.0, 1.0)
    return np.clip((image - low) / (high - low or 1.0), 0.0, 1.0)


def _show_image(ax: Axes, image: FloatArray, cmap: str = "gray") -> None:
    """Show an image; a 2D one is scaled to its 1st-99th percentile, so that a feature map
    with a few extreme values (an edge detector's output) still shows its structure."""
    if image.ndim == 2:
        finite = image[np.isfinite(image)]
        low, high = (np.percentile(finite, [1, 99]) if finite.size else (0.0, 1.0))
        if high <= low:
            low, high = (float(finite.min()), float(finite.max())) if finite.size else (0, 1)
        ax.imshow(image, cmap=cmap, vmin=low, vmax=high if high > low else low + 1)
    else:
        ax.imshow(_displayable(image))
    ax.set_axis_off()


def _text_colour(value: float, norm: Normalize, cmap_name: str) -> str:
    """Black or white, whichever reads better on the cell colour of ``value``."""
    if not np.isfinite(value):
        return "black"
    red, green, blue, _ = matplotlib.colormaps[cmap_name](norm(value))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "black" if luminance > 0.5 else "white"


def _symmetric_limit(values: FloatArray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size and finite.max() > 0 else 1.0


def _receptive_field(kernel_size: int, dilations: Sequence[int]) -> int:
    """``1 + Σ (k − 1)·d`` over the layers: how many inputs one output of the stack sees."""
    return 1 + sum((kernel_size - 1) * d for d in dilations)


# --------------------------------------------------------------------------- off-screen


@contextmanager
def _offscreen() -> Iterator[None]:
    token = _USE_PYPLOT.set(False)
    try:
        yield
    finally:
        _USE_PYPLOT.reset(token)


def render_png(plot: Callable[..., Figure], *args: Any, dpi: float = 72, **kwargs: Any) -> bytes:
    """Draw ``plot(*args, **kwargs)`` off-screen and return the picture as PNG bytes.

    Used by the widgets (weeks 02 and 06) to put a figure of this module into an
    ``ipywidgets.Image``. The figure is never registered with pyplot, so it neither appears
    below the cell nor piles up in memory when a slider moves.

    Example: ``render_png(plots.receptive_field_diagram, 2, [1, 2, 4])``.
    """
    with _offscreen():
        fig = plot(*args, **kwargs)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


# --------------------------------------------------------------------------- week 01


def training_curves(
    history: _HasHistory | Mapping[str, Sequence[float]],
    metrics: Sequence[str] | str = ("loss", "accuracy"),
    title: str | None = None,
) -> Figure:
    """Training and validation curves, one axis per metric, epochs on the x axis.

    Weeks 01, 03, 04 (any ``model.fit``). ``history`` is the ``keras.callbacks.History`` that
    ``fit`` returns, or its ``.history`` dict (``{"loss": [...], "val_loss": [...], ...}``).
    For each metric the training curve is drawn with the ``val_`` curve if the history has one.
    Metrics the history lacks are skipped (a model compiled without ``accuracy`` just gets
    the loss plot).

    Raises:
        ValueError: if the history has none of the metrics.
    """
    func = "training_curves"
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping):
        raise ValueError(
            f"{func}: expected a keras History or a dict of lists, got {type(history).__name__}"
        )
    wanted = [metrics] if isinstance(metrics, str) else list(metrics)
    present = [m for m in wanted if m in logs or f"val_{m}" in logs]
    if not present:
        raise ValueError(
            f"{func}: the history has none of the metrics {wanted}; it has {sorted(logs)}"
        )
    fig = _new_figure(4.0 * len(present), 3.2)
    axes = fig.subplots(1, len(present), squeeze=False)[0]
    for ax, metric in zip(axes, present, strict=True):
        for key, label in ((metric, "training"), (f"val_{metric}", "validation")):
            if key in logs:
                values = _as_float(func, f"history[{key!r}]", logs[key]).ravel()
                epochs = np.arange(1, values.size + 1)
                ax.plot(epochs, values, marker="o", markersize=3, label=label)
        ax.set_title(metric)
        ax.set_xlabel("epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(True, alpha=0.3)
        ax.legend()
    if title is not None:
        fig.suptitle(title)
    return fig


def weight_images(
    weights: npt.ArrayLike,
    image_shape: tuple[int, int] = (28, 28),
    titles: Sequence[Any] | None = None,
    ncols: int = 5,
) -> Figure:
    """The weights into each output unit, drawn as images (week 01, fcNN recap).

    For a ``Dense(10)`` layer on flattened 28×28 digits, ``weights`` is its kernel
    (``layer.get_weights()[0]``, shape (784, 10)): column ``j`` holds one weight per pixel for
    class ``j``. Each column is reshaped into a 28×28 picture of what unit ``j`` looks for.
    Also accepts the images directly, shape (n, 28, 28). A diverging colour map centred on 0
    (red positive, blue negative), shared by all panels, makes the panels comparable; a colour
    bar shows the scale. Panels are titled ``0 … n-1`` unless ``titles`` are given.
    """
    func = "weight_images"
    array = _as_float(func, "weights", weights)
    height, width = image_shape
    pixels = height * width
    if array.ndim == 2 and array.shape[0] == pixels and array.shape[1] > 0:
        images = array.T.reshape(-1, height, width)
    elif array.ndim == 3 and array.shape[1:] == (height, width) and array.shape[0] > 0:
        images = array
    else:
        raise ValueError(
            f"{func}: expected weights of shape ({pixels}, n) or (n, {height}, {width}), "
            f"got {array.shape}"
        )
    _check_ncols(func, ncols)
    labels = _check_titles(func, titles, len(images), "titles")
    limit = _symmetric_limit(images)
    fig, axes = _panel_grid(len(images), ncols)
    for ax, image, label in zip(axes, images, labels, strict=True):
        shown = ax.imshow(image, cmap=_DIVERGING_CMAP, vmin=-limit, vmax=limit)
        ax.set_title(label)
        ax.set_axis_off()
    fig.colorbar(shown, ax=axes, shrink=0.8, label="weight")
    return fig


def image_grid(
    images: npt.ArrayLike | Sequence[npt.ArrayLike],
    labels: Sequence[Any] | None = None,
    ncols: int = 8,
    cmap: str = "gray",
) -> Figure:
    """A grid of images with optional labels as titles (weeks 01-04: look at the data).

    ``images`` is a batch of shape (n, H, W), (n, H, W, 1) or (n, H, W, 3), or a list of such
    images. Colour images in the 0-255 range (or any other range) are scaled for display;
    ``cmap`` applies to grayscale images only.
    """
    func = "image_grid"
    _check_ncols(func, ncols)
    if isinstance(images, np.ndarray) and images.ndim < 3:
        raise ValueError(
            f"{func}: expected a batch of images (n, H, W) or (n, H, W, C), got shape "
            f"{images.shape}; for one image pass [image]"
        )
    batch = [_squeeze_image(func, image) for image in images]
    if not batch:
        raise ValueError(f"{func}: got no images")
    titles = None if labels is None else _check_titles(func, labels, len(batch), "labels")
    fig, axes = _panel_grid(len(batch), ncols)
    for i, (ax, image) in enumerate(zip(axes, batch, strict=True)):
        _show_image(ax, image, cmap)
        if titles is not None:
            ax.set_title(titles[i])
    return fig


# --------------------------------------------------------------------------- week 02


def matrices(named: Mapping[str, npt.ArrayLike], fmt: str = "{:g}", cmap: str = "gray") -> Figure:
    """Small matrices side by side, every number written in its cell (week 02).

    Week 02 uses it to show an image patch, a kernel and the feature map they give, e.g.
    ``matrices({"image": x, "kernel": k, "feature map": conv2d_valid(x, k)})``. Each matrix
    is titled with its name and coloured on its own scale; the text colour follows the cell so
    the numbers stay readable. ``fmt`` formats each number (``"{:.2f}"`` for two decimals).
    1-D arrays are drawn as a single row.

    Raises:
        ValueError: for no matrices, arrays of more than 2 dimensions or larger than 32×32.
    """
    func = "matrices"
    if not named:
        raise ValueError(f"{func}: got no matrices; pass a dict such as {{'kernel': k}}")
    arrays: dict[str, FloatArray] = {}
    for name, values in named.items():
        array = _as_float(func, repr(name), values)
        if array.ndim == 1:
            array = array[np.newaxis, :]
        if array.ndim != 2 or array.size == 0:
            raise ValueError(f"{func}: {name!r} must be a 1-D or 2-D array, got {array.shape}")
        if max(array.shape) > _MAX_MATRIX_SIDE:
            raise ValueError(
                f"{func}: {name!r} has shape {array.shape}, too large to write every number "
                f"(at most {_MAX_MATRIX_SIDE} per side); pass a crop such as image[:8, :8]"
            )
        arrays[str(name)] = array
    try:
        fmt.format(1.0)
    except (ValueError, IndexError, KeyError) as error:
        raise ValueError(f"{func}: fmt must format one number, like '{{:.2f}}'; got {fmt!r}") from (
            error
        )
    widths = [a.shape[1] for a in arrays.values()]
    tallest = max(a.shape[0] for a in arrays.values())
    fig = _new_figure(sum(widths) * _CELL + 0.6 * len(arrays), tallest * _CELL + 0.7)
    axes = fig.subplots(1, len(arrays), squeeze=False, width_ratios=widths)[0]
    fontsize = 9 if max(widths) <= 10 else 7
    for ax, (name, array) in zip(axes, arrays.items(), strict=True):
        finite = array[np.isfinite(array)]
        low = float(finite.min()) if finite.size else 0.0
        high = float(finite.max()) if finite.size else 1.0
        norm = Normalize(low, high if high > low else low + 1.0)
        ax.imshow(array, cmap=cmap, norm=norm)
        for (row, col), value in np.ndenumerate(array):
            ax.text(
                col,
                row,
                fmt.format(value),
                ha="center",
                va="center",
                fontsize=fontsize,
                color=_text_colour(value, norm, cmap),
            )
        ax.set_title(name)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


# --------------------------------------------------------------------------- week 03


def feature_maps(maps: npt.ArrayLike, ncols: int = 8, title: str | None = None) -> Figure:
    """One panel per channel of a convolution layer's output (week 03, CNN on MNIST).

    ``maps`` has shape (H, W, C), e.g. ``activation_model(x[:1])[0]``; a batch of one,
    (1, H, W, C), is accepted too. Each panel (titled by channel number) has its own colour
    scale, so a weakly active channel still shows its pattern.
    """
    func = "feature_maps"
    array = _as_float(func, "maps", maps)
    if array.ndim == 4 and array.shape[0] == 1:
        array = array[0]
    if array.ndim != 3 or 0 in array.shape:
        raise ValueError(
            f"{func}: expected maps of shape (H, W, C) or (1, H, W, C), got {array.shape}"
        )
    _check_ncols(func, ncols)
    channels = array.shape[-1]
    fig, axes = _panel_grid(channels, ncols, panel=1.3)
    for channel, ax in enumerate(axes):
        ax.imshow(array[..., channel], cmap="viridis")
        ax.set_title(str(channel), fontsize=9)
        ax.set_axis_off()
    if title is not None:
        fig.suptitle(title)
    return fig


def filters(kernels: npt.ArrayLike, in_channel: int | None = None, ncols: int = 8) -> Figure:
    """The learned kernels of a ``Conv2D`` layer, one panel per filter (week 03).

    ``kernels`` is the layer's kernel, ``layer.get_weights()[0]``, of shape
    (kh, kw, in_channels, filters). Each panel shows one filter's kh×kw weights for input
    channel ``in_channel``, or their mean over the input channels when ``in_channel`` is None
    (the default; for a first layer on grayscale digits there is only one channel). A diverging
    colour map centred on 0 is shared by all panels.
    """
    func = "filters"
    array = _as_float(func, "kernels", kernels)
    if array.ndim != 4 or 0 in array.shape:
        raise ValueError(
            f"{func}: expected a Conv2D kernel of shape (kh, kw, in_channels, filters), "
            f"got {array.shape}"
        )
    _check_ncols(func, ncols)
    if in_channel is None:
        planes = array.mean(axis=2)
    elif -array.shape[2] <= in_channel < array.shape[2]:
        planes = array[:, :, in_channel, :]
    else:
        raise ValueError(
            f"{func}: in_channel {in_channel} is out of range for {array.shape[2]} input channels"
        )
    limit = _symmetric_limit(planes)
    fig, axes = _panel_grid(planes.shape[-1], ncols, panel=1.2)
    for index, ax in enumerate(axes):
        shown = ax.imshow(planes[..., index], cmap=_DIVERGING_CMAP, vmin=-limit, vmax=limit)
        ax.set_title(str(index), fontsize=9)
        ax.set_axis_off()
    fig.colorbar(shown, ax=axes, shrink=0.8, label="weight")
    return fig


def _labels(func: str, name: str, values: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Class labels from labels (n,) or from scores / one-hot rows (n, classes) by argmax."""
    array = np.asarray(values)
    if array.ndim == 2:
        array = array.argmax(axis=1)
    if array.ndim != 1:
        raise ValueError(
            f"{func}: {name} must be labels (n,) or scores (n, classes), got {array.shape}"
        )
    if array.size and not np.all(np.equal(np.mod(array, 1), 0)):
        raise ValueError(f"{func}: {name} must hold whole-number class labels")
    labels = array.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise ValueError(f"{func}: {name} holds a negative label ({labels.min()})")
    return labels


def confusion_matrix(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    class_names: Sequence[Any] | None = None,
    normalize: bool = False,
) -> Figure:
    """Confusion matrix with the count written in every cell (weeks 01, 03, 04).

    Rows are the true classes, columns the predicted ones, so the diagonal holds the correct
    predictions. ``y_true`` and ``y_pred`` are class labels, or rows of scores / one-hot
    vectors (``model.predict(x)`` output) turned into labels by ``argmax``. With
    ``normalize=True`` each row is divided by its total, so the diagonal reads as each
    class's recall. The title states the accuracy.
    """
    func = "confusion_matrix"
    true = _labels(func, "y_true", y_true)
    pred = _labels(func, "y_pred", y_pred)
    if true.size != pred.size or true.size == 0:
        raise ValueError(
            f"{func}: y_true and y_pred must have the same non-zero length, got {true.size} and "
            f"{pred.size}"
        )
    largest = int(max(true.max(), pred.max()))
    if class_names is None:
        names = [str(i) for i in range(largest + 1)]
    else:
        names = [str(name) for name in class_names]
        if largest >= len(names):
            raise ValueError(
                f"{func}: label {largest} has no name; class_names has {len(names)} entries"
            )
    n = len(names)
    counts = np.bincount(true * n + pred, minlength=n * n).reshape(n, n).astype(np.float64)
    if normalize:
        totals = counts.sum(axis=1, keepdims=True)
        shown = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
        text_format = "{:.2f}"
    else:
        shown = counts
        text_format = "{:.0f}"
    side = max(3.2, 0.45 * n + 1.6)
    fig = _new_figure(side + 0.4, side)
    ax = fig.subplots()
    cmap = "Blues"
    norm = Normalize(0.0, float(shown.max()) or 1.0)
    ax.imshow(shown, cmap=cmap, norm=norm)
    for (row, col), value in np.ndenumerate(shown):
        ax.text(
            col,
            row,
            text_format.format(value),
            ha="center",
            va="center",
            fontsize=8 if n > 10 else 9,
            color=_text_colour(value, norm, cmap),
        )
    ax.set_xticks(range(n), names, rotation=45 if max(map(len, names)) > 3 else 0)
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    accuracy = float(np.mean(true == pred))
    ax.set_title(f"accuracy {accuracy:.1%} ({int(np.sum(true == pred))} of {true.size})")
    return fig


# --------------------------------------------------------------------------- week 05


def _heatmap_for(func: str, image: FloatArray, heatmap: npt.ArrayLike, name: str) -> FloatArray:
    """The heatmap as (H, W) of the image, resized (bilinear) when its size differs."""
    array = _as_float(func, name, heatmap)
    while array.ndim > 2 and array.shape[0] == 1:
        array = array[0]
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{func}: expected {name} of shape (h, w), got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{func}: {name} holds NaN or infinity")
    target = image.shape[:2]
    if array.shape != target:
        from skimage.transform import resize  # slow import, needed only here

        array = resize(
            array, target, order=1, mode="edge", anti_aliasing=False, preserve_range=True
        )
    return array


def _draw_overlay(ax: Axes, image: FloatArray, heatmap: FloatArray, alpha: float) -> None:
    _show_image(ax, image)
    ax.imshow(heatmap, cmap=_HEATMAP_CMAP, alpha=alpha)


def _check_alpha(func: str, alpha: float) -> None:
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"{func}: alpha must be between 0 and 1, got {alpha}")


def saliency_overlay(
    image: npt.ArrayLike, heatmap: npt.ArrayLike, alpha: float = 0.5, title: str | None = None
) -> Figure:
    """A heatmap laid over the image it explains (week 05, saliency).

    ``image`` is (H, W), (H, W, 1) or (H, W, 3) (a batch of one is accepted); ``heatmap`` is
    (h, w). A heatmap of another size, like Grad-CAM's 7×7 on a 224×224 photo, is resized to
    the image bilinearly. The heatmap is drawn with the ``jet`` colour map at opacity
    ``alpha`` on its own min-max scale.
    """
    func = "saliency_overlay"
    _check_alpha(func, alpha)
    picture = _squeeze_image(func, image)
    heat = _heatmap_for(func, picture, heatmap, "heatmap")
    fig = _new_figure(4.0, 4.0)
    ax = fig.subplots()
    _draw_overlay(ax, picture, heat, alpha)
    if title is not None:
        ax.set_title(title)
    return fig


def explanations(
    image: npt.ArrayLike, maps: Mapping[str, npt.ArrayLike], alpha: float = 0.5
) -> Figure:
    """The image followed by one overlay per explanation method, side by side (week 05).

    ``maps`` maps a method's name to its heatmap, e.g.
    ``{"saliency": s, "occlusion": o, "LIME": l, "Grad-CAM": g}``; each panel is titled with
    the name. Heatmaps are resized to the image as in :func:`saliency_overlay`.
    """
    func = "explanations"
    _check_alpha(func, alpha)
    if not maps:
        raise ValueError(f"{func}: got no maps; pass a dict such as {{'saliency': heatmap}}")
    picture = _squeeze_image(func, image)
    heats = {name: _heatmap_for(func, picture, m, f"map {name!r}") for name, m in maps.items()}
    fig, axes = _panel_grid(1 + len(heats), ncols=1 + len(heats), panel=2.8)
    _show_image(axes[0], picture)
    axes[0].set_title("image")
    for ax, (name, heat) in zip(axes[1:], heats.items(), strict=True):
        _draw_overlay(ax, picture, heat, alpha)
        ax.set_title(str(name))
    return fig


def superpixels(
    image: npt.ArrayLike,
    segments: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    title: str | None = None,
) -> Figure:
    """An image cut into superpixels, and each superpixel coloured by its weight (week 05, LIME).

    ``segments`` holds one integer label per pixel, ``0 … n − 1``, shape (H, W) of the image (as
    scikit-image's ``slic`` returns them); their boundaries are drawn in yellow. With ``weights``
    (one number per superpixel, such as LIME's), a second panel colours every superpixel by its
    weight on a diverging colour map centred at zero: red speaks for the class, blue against it.
    """
    func = "superpixels"
    picture = _squeeze_image(func, image)
    labels = np.asarray(segments)
    if labels.shape != picture.shape[:2]:
        raise ValueError(
            f"{func}: expected segments of shape {picture.shape[:2]} (one label per pixel), "
            f"got {labels.shape}"
        )
    if labels.dtype.kind not in "iu" or labels.size == 0 or labels.min() < 0:
        raise ValueError(f"{func}: segments must be non-negative integer labels")
    n_segments = int(labels.max()) + 1
    values = None
    if weights is not None:
        values = _as_float(func, "weights", weights).reshape(-1)
        if values.size != n_segments:
            raise ValueError(
                f"{func}: got {values.size} weights for {n_segments} superpixels (labels "
                f"0-{n_segments - 1}); pass one weight per superpixel"
            )
    # A pixel is on a boundary when a neighbour to its right or below has another label.
    edge = np.zeros(labels.shape, dtype=bool)
    edge[:, :-1] |= labels[:, :-1] != labels[:, 1:]
    edge[:-1, :] |= labels[:-1, :] != labels[1:, :]
    outline = np.zeros((*labels.shape, 4))
    outline[edge] = (1.0, 0.85, 0.0, 1.0)
    fig, axes = _panel_grid(1 if values is None else 2, ncols=2, panel=3.2)
    _show_image(axes[0], picture)
    axes[0].imshow(outline)
    axes[0].set_title(f"{n_segments} superpixels" if title is None else title)
    if values is not None:
        limit = _symmetric_limit(values)
        _show_image(axes[1], picture)
        shown = axes[1].imshow(
            values[labels], cmap=_DIVERGING_CMAP, vmin=-limit, vmax=limit, alpha=0.6
        )
        axes[1].imshow(outline)
        axes[1].set_title("weight per superpixel")
        fig.colorbar(shown, ax=axes[1], shrink=0.8)
    return fig


# --------------------------------------------------------------------------- week 06


def receptive_field_diagram(
    kernel_size: int,
    dilations: Sequence[int],
    n_steps: int | None = None,
    output_index: int = -1,
) -> Figure:
    """The WaveNet picture of a stack of causal, dilated 1-D convolutions (week 06).

    Rows of dots are the time steps of the input (bottom), of each hidden layer and of the
    output (top); layer ``l`` has kernel size ``kernel_size`` and dilation ``dilations[l]``.
    Lines run from one output step (``output_index``, default the last) back through every
    layer to the steps it depends on: output ``t`` of a layer reads its input at
    ``t, t − d, …, t − (k − 1)·d``. Those inputs, the receptive field, are highlighted; the
    title states its size ``1 + Σ (k − 1)·d``, the span from the oldest input to the newest.
    A layer whose dilation exceeds the receptive field of the layers below it (``[2, 2]``,
    or ``[1, 4]`` with ``k = 2``) leaves gaps in that span, and the picture shows them.
    ``n_steps`` (time steps drawn) defaults to the receptive field plus 3; steps before the
    first input (causal padding) are not drawn.

    Raises:
        ValueError: for a kernel size below 1, no dilations, a dilation below 1, or an
            output index outside the ``n_steps`` drawn.
    """
    func = "receptive_field_diagram"
    if not _is_whole(kernel_size):
        raise ValueError(
            f"{func}: kernel_size must be an integer of at least 1, got {kernel_size!r}"
        )
    rates = [int(d) if _is_whole(d) else d for d in dilations]
    if not rates or not all(_is_whole(d) for d in rates):
        raise ValueError(
            f"{func}: dilations must be a non-empty list of positive integers, got {dilations!r}"
        )
    field = _receptive_field(int(kernel_size), rates)
    steps = field + 3 if n_steps is None else n_steps
    if not _is_whole(steps):
        raise ValueError(f"{func}: n_steps must be a positive integer, got {n_steps!r}")
    output = output_index + steps if output_index < 0 else output_index
    if not 0 <= output < steps:
        raise ValueError(f"{func}: output_index {output_index} is outside the {steps} steps drawn")

    # Walk down from the output: the steps of each layer the chosen output depends on.
    n_layers = len(rates)
    active: list[set[int]] = [set() for _ in range(n_layers + 1)]
    active[n_layers] = {output}
    segments: list[list[tuple[float, float]]] = []
    for layer in range(n_layers, 0, -1):
        d = rates[layer - 1]
        for t in sorted(active[layer]):
            for j in range(kernel_size):
                source = t - j * d
                if source >= 0:
                    active[layer - 1].add(source)
                    segments.append([(t, layer), (source, layer - 1)])

    width = min(max(6.0, 0.18 * steps + 1.5), 16.0)
    fig = _new_figure(width, 0.55 * (n_layers + 1) + 1.3)
    ax = fig.subplots()
    ax.add_collection(
        LineCollection(segments, colors="tab:blue", linewidths=1.0, alpha=0.7, label="dependency")
    )
    dot = max(4.0, min(30.0, 1500.0 / steps))
    for layer in range(n_layers + 1):
        used = sorted(active[layer])
        unused = sorted(set(range(steps)) - active[layer])
        ax.scatter(unused, [layer] * len(unused), s=dot, color="lightgray", zorder=2)
        colour = "tab:orange" if layer == 0 else "tab:blue"
        label = "receptive field" if layer == 0 else ("output" if layer == n_layers else None)
        ax.scatter(used, [layer] * len(used), s=dot * 1.6, color=colour, zorder=3, label=label)
    names = ["input"] + [f"hidden (d={d})" for d in rates[:-1]] + [f"output (d={rates[-1]})"]
    ax.set_yticks(range(n_layers + 1), names)
    ax.set_xlim(-1, steps)
    ax.set_ylim(-0.6, n_layers + 0.6)
    ax.set_xlabel("time step")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    terms = " + ".join(f"{kernel_size - 1}·{d}" for d in rates)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(
        f"kernel size {kernel_size}, dilations {rates}\n"
        f"receptive field = 1 + {terms} = {field} time steps",
        fontsize=10,
    )
    return fig


def forecast(
    y_true: npt.ArrayLike,
    predictions: Mapping[str, npt.ArrayLike],
    start: int | None = None,
    title: str | None = None,
) -> Figure:
    """A time series with one or more forecasts drawn over it (weeks 06 and 07).

    ``y_true`` is the series (1-D, or (n, 1)); ``predictions`` maps a model's name to its
    forecast. Each forecast is drawn from time step ``start`` on; by default it is aligned with
    the end of the series (``start = len(y_true) − len(forecast)``), which also covers a
    forecast as long as the series. A dashed line marks where the forecasts begin.
    """
    func = "forecast"
    series = _as_float(func, "y_true", y_true)
    if series.ndim == 2 and series.shape[1] == 1:
        series = series[:, 0]
    if series.ndim != 1 or series.size == 0:
        raise ValueError(f"{func}: expected y_true as a 1-D series, got shape {series.shape}")
    curves: dict[str, tuple[int, FloatArray]] = {}
    for name, values in predictions.items():
        pred = _as_float(func, f"prediction {name!r}", values)
        if pred.ndim == 2 and pred.shape[1] == 1:
            pred = pred[:, 0]
        if pred.ndim != 1:
            raise ValueError(f"{func}: prediction {name!r} must be 1-D, got shape {pred.shape}")
        begin = series.size - pred.size if start is None else start
        if begin < 0:
            raise ValueError(
                f"{func}: prediction {name!r} ({pred.size} steps) is longer than y_true "
                f"({series.size} steps); pass start= to say where it begins"
            )
        curves[str(name)] = (begin, pred)
    fig = _new_figure(8.0, 3.4)
    ax = fig.subplots()
    ax.plot(np.arange(series.size), series, color="black", linewidth=1.2, label="true")
    for name, (begin, pred) in curves.items():
        ax.plot(np.arange(begin, begin + pred.size), pred, linewidth=1.2, label=name)
    begins = {begin for begin, _ in curves.values()}
    if len(begins) == 1 and 0 < (begin := begins.pop()) < series.size:
        ax.axvline(begin, color="gray", linestyle="--", linewidth=0.8, label="_forecast start")
    ax.set_xlabel("time step")
    ax.grid(True, alpha=0.3)
    ax.legend()
    if title is not None:
        ax.set_title(title)
    return fig


# --------------------------------------------------------------------------- week 07


def gradient_norms(
    lengths: Sequence[float] | npt.ArrayLike,
    norms: Mapping[str, Sequence[float] | npt.ArrayLike],
    title: str | None = None,
    xlabel: str = "sequence length",
) -> Figure:
    """Gradient norm against sequence length on a log scale (week 07, vanishing gradients).

    ``lengths`` are the x values (sequence lengths, or time steps back); ``norms`` maps a
    model's name (``"SimpleRNN"``, ``"LSTM"``) to one gradient norm per length. The log scale
    turns exponential decay into a straight line. Norms of exactly 0 (underflow) cannot be drawn
    on a log scale and are left out of the line.
    """
    func = "gradient_norms"
    x = _as_float(func, "lengths", lengths).ravel()
    if not norms:
        raise ValueError(f"{func}: got no norms; pass a dict such as {{'SimpleRNN': values}}")
    fig = _new_figure(6.0, 3.6)
    ax = fig.subplots()
    for name, values in norms.items():
        y = _as_float(func, f"norms[{name!r}]", values).ravel()
        if y.size != x.size:
            raise ValueError(
                f"{func}: norms[{name!r}] has {y.size} values for {x.size} lengths; "
                "pass one norm per length"
            )
        if np.any(y < 0):
            raise ValueError(f"{func}: norms[{name!r}] holds a negative norm")
        ax.plot(x, np.where(y > 0, y, np.nan), marker="o", markersize=4, label=str(name))
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("gradient norm")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    if title is not None:
        ax.set_title(title)
    return fig


# --------------------------------------------------------------------------- week 03b


def architectures(rows: Sequence[Mapping[str, Any]], title: str | None = None) -> Figure:
    """Famous CNNs side by side: depth, parameters and ImageNet top-5 error (week 03b).

    ``rows`` are dicts with the keys ``network``, ``year``, ``weight layers``,
    ``parameters (M)`` and ``top-5 error (%)`` (``None`` where the network has no ImageNet
    result), e.g. ``dlcourse.architectures.as_rows()``. Three bar charts share the networks'
    order; parameters are on a log scale, because they span three orders of magnitude.
    """
    func = "architectures"
    keys = ("network", "year", "weight layers", "parameters (M)", "top-5 error (%)")
    if not rows:
        raise ValueError(f"{func}: got no rows; pass e.g. dlcourse.architectures.as_rows()")
    for i, row in enumerate(rows):
        missing = [k for k in keys if k not in row]
        if missing:
            raise ValueError(f"{func}: row {i} has no {', '.join(map(repr, missing))}")
    names = [f"{row['network']}\n{row['year']}" for row in rows]
    panels = (
        ("weight layers", "weight layers (depth)", False),
        ("parameters (M)", "parameters (millions, log scale)", True),
        ("top-5 error (%)", "ImageNet top-5 error (%)", False),
    )
    fig = _new_figure(12.0, 3.8)
    axes = fig.subplots(1, len(panels))
    positions = np.arange(len(rows))
    for ax, (key, label, log) in zip(axes, panels, strict=True):
        values = [row[key] for row in rows]
        heights = [np.nan if v is None else float(v) for v in values]
        if any(h is not None and h < 0 for h in heights if not np.isnan(h)):
            raise ValueError(f"{func}: {key!r} holds a negative value")
        bars = ax.bar(positions, np.nan_to_num(heights, nan=0.0), color="tab:blue")
        for bar, value in zip(bars, values, strict=True):
            text = "n/a" if value is None else f"{value:g}"
            ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=7)
        if log:
            ax.set_yscale("log")
        ax.set_xticks(positions, names, fontsize=7, rotation=35, ha="right",
                      rotation_mode="anchor")
        ax.set_title(label, fontsize=9)
        ax.grid(True, axis="y", alpha=0.3)
    if title is not None:
        fig.suptitle(title)
    return fig


# --------------------------------------------------------------------------- instructor's report


def score_histogram(
    totals: Sequence[float] | npt.ArrayLike, max_score: float, title: str | None = None
) -> Figure:
    """How many submissions reached each total (``dlcourse report``, the instructor's view).

    One bar per point from 0 to ``max_score`` (totals are rounded down to a whole point, a full
    score has its own bar), labelled with its count, and the mean as a dashed line.
    """
    func = "score_histogram"
    values = _as_float(func, "totals", totals).ravel()
    if not (np.isfinite(max_score) and max_score > 0):
        raise ValueError(f"{func}: max_score must be a positive number, got {max_score!r}")
    if values.size and values.min() < 0:
        raise ValueError(f"{func}: totals must not be negative, got {values.min():g}")
    top = int(math.ceil(max_score))
    values = np.minimum(values, top)  # extra credit above the maximum joins the top bar
    edges = np.arange(top + 2) - 0.5
    counts, _ = np.histogram(np.floor(values + 1e-9), bins=edges)
    fig = _new_figure(6.0, 3.4)
    ax = fig.subplots()
    bars = ax.bar(np.arange(top + 1), counts, width=0.8, color="#4c72b0")
    ax.bar_label(bars, labels=[str(c) if c else "" for c in counts], padding=2)
    if values.size:
        ax.axvline(float(values.mean()), color="black", linestyle="--",
                   label=f"mean {values.mean():.1f}")
        ax.legend(loc="upper left")
    ax.set_xlabel(f"total points (of {max_score:g})")
    ax.set_ylabel("submissions")
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlim(-0.7, top + 0.7)
    ax.set_ylim(0, max(1, int(counts.max()) if counts.size else 1) * 1.3)
    ax.set_title(title if title is not None else f"totals of {values.size} submissions")
    return fig


#: Colours of the outcomes in :func:`cell_outcomes` (full, partial, zero, waiting).
OUTCOME_COLOURS = ("#55a868", "#dd8452", "#c44e52", "#bbbbbb")


def cell_outcomes(
    cells: Sequence[str],
    full: Sequence[float],
    partial: Sequence[float],
    zero: Sequence[float],
    waiting: Sequence[float] | None = None,
    title: str | None = None,
) -> Figure:
    """One horizontal bar per graded cell, split into the share of submissions with full,
    partial and zero marks (and, for cells graded by hand, still waiting for a grader).

    The shares of a cell add up to 1; each part wider than 6 % carries its percentage.
    """
    func = "cell_outcomes"
    parts = [_as_float(func, name, values).ravel()
             for name, values in (("full", full), ("partial", partial), ("zero", zero))]
    parts.append(_as_float(func, "waiting", waiting if waiting is not None
                           else np.zeros(len(cells))).ravel())
    if not cells:
        raise ValueError(f"{func}: got no cells")
    if any(p.size != len(cells) for p in parts):
        raise ValueError(f"{func}: pass one share per cell for full, partial, zero and waiting")
    fig = _new_figure(7.0, 0.45 * len(cells) + 1.3)
    ax = fig.subplots()
    y = np.arange(len(cells))
    left = np.zeros(len(cells))
    labels = ("full marks", "partial", "zero", "not graded yet")
    for share, colour, label in zip(parts, OUTCOME_COLOURS, labels, strict=True):
        if label == "not graded yet" and not share.any():
            continue
        bars = ax.barh(y, share, left=left, color=colour, label=label, height=0.7)
        ax.bar_label(bars, labels=[f"{s:.0%}" if s > 0.06 else "" for s in share],
                     label_type="center", fontsize=8)
        left += share
    ax.set_yticks(y, [str(c) for c in cells])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("share of submissions")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=4, frameon=False,
              fontsize=8)
    if title is not None:
        ax.set_title(title, pad=24)
    return fig
