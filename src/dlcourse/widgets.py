"""Interactive explorers for the notebooks, built on ipywidgets 8 (weeks 02, 03, 05, 06, 07).

* :func:`kernel_editor` (week 02, convolution by hand): edit a 3×3 kernel, or pick a classic
  one, and watch the feature map of a photo change.
* :func:`feature_map_browser` (week 03, CNNs on MNIST): step through images and the layers
  of a trained CNN and see every channel's feature map.
* :func:`occlusion_explorer` (week 05, saliency): cover a square of an image and watch
  the network's probability drop, beside the occlusion map for that square's size.
* :func:`dilation_explorer` (week 06, 1D causal CNNs): choose kernel size, number of layers and
  dilations of a causal convolution stack and see its receptive field grow.
* :func:`rnn_gradient_explorer` (week 07, RNNs): the gradient of a one-unit recurrent network
  with respect to inputs further and further back, for a chosen recurrent weight, sequence
  length and activation (vanishing and exploding gradients).

Each returns an object whose ``.widget`` is the ipywidgets box; the object itself displays as
that box when it is the last expression of a cell. Its state can be read and set from Python
(the tests do so without a browser), and where no widget frontend is running (a terminal, a
notebook rendered on GitHub) it shows a short text or HTML summary instead. Input a student
types that cannot be used (a NaN in a cell, an unreadable list of dilations, an exception from
their own convolution function) is reported in the widget's message line; the picture keeps
showing the last valid state and nothing is raised into the notebook.

Nothing here imports TensorFlow.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import matplotlib.image
import numpy as np
import numpy.typing as npt

from dlcourse import plots
from dlcourse.kernels import CLASSIC_KERNELS, apply_kernel

__all__ = [
    "DilationExplorer",
    "FeatureMapBrowser",
    "KernelEditor",
    "OcclusionExplorer",
    "RnnGradientExplorer",
    "dilation_explorer",
    "feature_map_browser",
    "kernel_editor",
    "occlusion_explorer",
    "rnn_gradient_explorer",
]

FloatArray = npt.NDArray[np.float64]
Convolve = Callable[[FloatArray, FloatArray], npt.ArrayLike]

# ITU-R 709 luma weights, as skimage.color.rgb2gray uses.
_LUMA = np.array([0.2125, 0.7154, 0.0721])
_ERROR_STYLE = "color: #b00020"


def _grayscale(image: npt.ArrayLike) -> FloatArray:
    """The photo as a 2-D float array; colour photos (H, W, 3|4) are converted to gray."""
    array = np.asarray(image, dtype=np.float64)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    elif array.ndim == 3 and array.shape[-1] in (3, 4):
        array = array[..., :3] @ _LUMA
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(
            f"kernel_editor: expected a photo of shape (H, W) or (H, W, 3), got {array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError("kernel_editor: the photo holds NaN or infinity")
    return array


def _png(values: FloatArray, robust: bool = False) -> bytes:
    """A 2-D array as a grayscale PNG: minimum black, maximum white.

    With ``robust`` the 1st and 99th percentiles are black and white instead, so that a few
    extreme pixels (the strongest edges) do not wash the rest of a feature map out to gray.
    """
    low, high = float(values.min()), float(values.max())
    if robust:
        p_low, p_high = (float(p) for p in np.percentile(values, [1, 99]))
        if p_high > p_low:
            low, high = p_low, p_high
    if high > low:
        scaled = np.clip((values - low) / (high - low), 0.0, 1.0)
    else:
        scaled = np.full_like(values, 0.5)
    buffer = io.BytesIO()
    matplotlib.image.imsave(buffer, scaled, cmap="gray", vmin=0.0, vmax=1.0, format="png")
    return buffer.getvalue()


def _image_batch(func: str, images: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Images as a float32 batch (n, H, W, C) with one or three channels; (n, H, W) gets C=1."""
    batch = np.asarray(images, dtype=np.float32)
    if batch.ndim == 3:
        batch = batch[..., np.newaxis]
    if batch.ndim != 4 or batch.shape[0] == 0 or batch.shape[-1] not in (1, 3):
        raise ValueError(
            f"{func}: expected images of shape (n, H, W), (n, H, W, 1) or (n, H, W, 3), "
            f"got {np.shape(images)}"
        )
    return batch


def _gray(picture: npt.NDArray[np.float32]) -> FloatArray:
    """One image (H, W, C) of a batch from :func:`_image_batch` as a 2-D array for display."""
    gray = picture[..., 0] if picture.shape[-1] == 1 else picture.mean(axis=-1)
    return gray.astype(np.float64)


def _error_html(text: str) -> str:
    return f'<span style="{_ERROR_STYLE}">{html.escape(text)}</span>'


def _mimebundle(widget: w.Widget, text: str, fallback_html: str, **kwargs: Any) -> dict[str, Any]:
    """The widget's own bundle plus a text and an HTML summary for frontends without widgets."""
    bundle = dict(widget._repr_mimebundle_(**kwargs) or {})
    bundle["text/plain"] = text
    bundle["text/html"] = fallback_html
    return bundle


def _format_number(value: float) -> str:
    return f"{value:.4g}"


class _Explorer:
    """Display plumbing shared by the explorers: the ipywidgets box where widgets render, and
    a one-line text and HTML summary where they do not (a terminal, an HTML export)."""

    widget: w.Widget
    _KIND = "Explorer"

    def _summary(self) -> str:
        return html.escape(repr(self))

    def _repr_html_(self) -> str:
        return f"<p>{self._KIND} (interactive: run the notebook to use it). {self._summary()}</p>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return _mimebundle(self.widget, repr(self), self._repr_html_(), **kwargs)


# --------------------------------------------------------------------------- week 02


class KernelEditor(_Explorer):
    """A 3×3 kernel you edit by hand, applied live to a photo (week 02, convolution by hand).

    Create it with :func:`kernel_editor`. Parts (public, for notebooks and tests):

    * ``preset``: a ``Dropdown`` of named kernels; choosing one fills the grid. It goes blank
      when the grid no longer matches a preset.
    * ``cells``: the nine ``FloatText`` boxes, row by row.
    * ``image``: the ``ipywidgets.Image`` (PNG) with the feature map, its 1st percentile
      black and its 99th white (so a few strong edges do not turn the rest gray);
      ``original`` shows the photo.
    * ``message``: an ``HTML`` line with the feature map's value range, or what is wrong.
    * ``kernel`` (settable), ``feature_map``, ``error`` and ``widget`` (the whole box).

    Every change of a cell recomputes ``feature_map = convolve(photo, kernel)`` and redraws.
    """

    _KIND = "Kernel editor"

    def __init__(
        self,
        image: npt.ArrayLike,
        kernels: Mapping[str, npt.ArrayLike] = CLASSIC_KERNELS,
        convolve: Convolve | None = None,
        display_width: int = 256,
    ) -> None:
        self._photo = _grayscale(image)
        self._convolve: Convolve = apply_kernel if convolve is None else convolve
        self._presets: dict[str, FloatArray] = {}
        for name, values in kernels.items():
            preset = np.array(values, dtype=np.float64)
            if preset.shape != (3, 3) or not np.all(np.isfinite(preset)):
                raise ValueError(
                    f"kernel_editor: preset {name!r} must be a 3×3 array of finite numbers, "
                    f"got shape {preset.shape}"
                )
            self._presets[str(name)] = preset
        if not self._presets:
            raise ValueError("kernel_editor: got no kernels; pass at least one 3×3 preset")
        first = next(iter(self._presets))

        self._syncing = False
        self._feature_map: FloatArray = self._photo.copy()
        self._error: str | None = None

        self.preset = w.Dropdown(options=list(self._presets), value=first, description="preset")
        self.cells = [w.FloatText(value=0.0, layout=w.Layout(width="72px")) for _ in range(9)]
        grid = w.GridBox(
            self.cells,
            layout=w.Layout(grid_template_columns="repeat(3, 76px)", grid_gap="4px"),
        )
        width = w.Layout(width=f"{display_width}px")
        self.original = w.Image(value=_png(self._photo), format="png", layout=width)
        self.image = w.Image(value=b"", format="png", layout=w.Layout(width=f"{display_width}px"))
        self.message = w.HTML()
        self.widget = w.HBox(
            [
                w.VBox([self.preset, w.HTML("<b>kernel</b>"), grid, self.message]),
                w.VBox([w.HTML("<b>photo</b>"), self.original]),
                w.VBox([w.HTML("<b>feature map</b>"), self.image]),
            ]
        )

        for cell in self.cells:
            cell.observe(self._on_cell, names="value")
        self.preset.observe(self._on_preset, names="value")
        self._fill(self._presets[first])
        self._update()

    # -- state --------------------------------------------------------------------------

    @property
    def kernel(self) -> FloatArray:
        """The kernel in the grid, as a new 3×3 array (it may hold NaN while being edited)."""
        return np.array([cell.value for cell in self.cells], dtype=np.float64).reshape(3, 3)

    @kernel.setter
    def kernel(self, values: npt.ArrayLike) -> None:
        kernel = np.asarray(values, dtype=np.float64)
        if kernel.shape != (3, 3):
            raise ValueError(f"KernelEditor.kernel: expected a 3×3 array, got {kernel.shape}")
        self._fill(kernel)
        self._sync_preset()
        self._update()

    @property
    def feature_map(self) -> FloatArray:
        """The feature map on display: ``convolve(photo, kernel)`` of the last valid kernel."""
        return self._feature_map

    @property
    def photo(self) -> FloatArray:
        """The grayscale photo the kernel is applied to."""
        return self._photo

    @property
    def error(self) -> str | None:
        """What is wrong with the current input, or None when the feature map is current."""
        return self._error

    # -- events -------------------------------------------------------------------------

    def _fill(self, kernel: FloatArray) -> None:
        """Write a kernel into the nine cells, redrawing once afterwards, not nine times."""
        self._syncing = True
        try:
            for cell, value in zip(self.cells, kernel.ravel(), strict=True):
                cell.value = float(value)
        finally:
            self._syncing = False

    def _sync_preset(self) -> None:
        """Select the preset equal to the grid, or none if the grid matches no preset."""
        kernel = self.kernel
        match = next(
            (name for name, preset in self._presets.items() if np.array_equal(preset, kernel)),
            None,
        )
        self._syncing = True
        try:
            self.preset.value = match
        finally:
            self._syncing = False

    def _on_cell(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        self._sync_preset()
        self._update()

    def _on_preset(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] is None:
            return
        self._fill(self._presets[change["new"]])
        self._update()

    def _fail(self, text: str) -> None:
        self._error = text
        self.message.value = _error_html(text)

    def _update(self) -> None:
        kernel = self.kernel
        bad = np.argwhere(~np.isfinite(kernel))
        if bad.size:
            row, col = (int(i) + 1 for i in bad[0])
            self._fail(
                f"The cell in row {row}, column {col} is not a number; type a number there. "
                "The feature map still shows the last valid kernel."
            )
            return
        name = getattr(self._convolve, "__name__", "convolve")
        try:
            result = np.asarray(self._convolve(self._photo.copy(), kernel), dtype=np.float64)
        except Exception as error:  # a student's own function may fail in any way
            self._fail(f"{name}(image, kernel) raised {type(error).__name__}: {error}")
            return
        if result.ndim != 2 or result.size == 0:
            self._fail(f"{name}(image, kernel) returned shape {result.shape}; expected (H, W)")
            return
        if not np.all(np.isfinite(result)):
            self._fail(f"{name}(image, kernel) returned NaN or infinity")
            return
        self._feature_map = result
        self._error = None
        self.image.value = _png(result, robust=True)
        low, high = _format_number(result.min()), _format_number(result.max())
        self.message.value = html.escape(
            f"feature map {result.shape[0]}×{result.shape[1]}, values {low} … {high}; "
            "shown from its 1st percentile (black) to its 99th (white)"
        )

    # -- display ------------------------------------------------------------------------

    def __repr__(self) -> str:
        rows = "; ".join(" ".join(_format_number(v) for v in row) for row in self.kernel)
        return (
            f"KernelEditor(preset={self.preset.value!r}, kernel=[{rows}], "
            f"photo {self._photo.shape[0]}×{self._photo.shape[1]})"
        )

    def _repr_html_(self) -> str:
        cells = "".join(
            "<tr>" + "".join(f"<td>{_format_number(v)}</td>" for v in row) + "</tr>"
            for row in self.kernel
        )
        return (
            f"<p>Kernel editor (interactive: run the notebook to use it). "
            f"Preset: {html.escape(str(self.preset.value))}.</p><table>{cells}</table>"
        )


def kernel_editor(
    image: npt.ArrayLike,
    kernels: Mapping[str, npt.ArrayLike] = CLASSIC_KERNELS,
    convolve: Convolve | None = None,
) -> KernelEditor:
    """Edit a 3×3 kernel and see its feature map on ``image`` live (week 02).

    ``image`` is a photo, (H, W) or (H, W, 3) (colour is converted to gray), e.g.
    ``skimage.data.camera()``. ``kernels`` are the presets of the dropdown
    (default :data:`dlcourse.kernels.CLASSIC_KERNELS`). ``convolve(image, kernel)`` computes
    the feature map; it defaults to :func:`dlcourse.kernels.apply_kernel`, and a student can
    pass their own function (a "valid" convolution, smaller than the photo, is fine). A pure
    Python loop is slow on a 512×512 photo: pass a crop such as ``camera()[::4, ::4]`` then.
    Display the result by making it the last expression of a cell.
    """
    return KernelEditor(image, kernels=kernels, convolve=convolve)


# --------------------------------------------------------------------------- week 03

Probe = Callable[[npt.NDArray[np.float32]], npt.ArrayLike]


class FeatureMapBrowser(_Explorer):
    """Browse what the layers of a CNN make of each image (week 03, CNNs on MNIST).

    Create it with :func:`feature_map_browser`. Parts (public, for notebooks and tests):

    * ``index`` (``IntSlider``): which image; ``layer`` (``Dropdown``): which layer.
    * ``original``: the image itself (PNG); ``image``: :func:`dlcourse.plots.feature_maps` of
      the chosen layer's output for it, one panel per channel.
    * ``message``: an ``HTML`` line with the maps' size and value range, or what went wrong.
    * ``maps`` (the channels on display, (h, w, c)), ``error`` and ``widget`` (the whole box).

    A layer is given as a *probe*: a function from a batch of one image, shape (1, H, W, C),
    to that layer's output, (1, h, w, c) — e.g. a Keras model that ends at the layer.
    """

    _KIND = "Feature map browser"

    def __init__(
        self,
        images: npt.ArrayLike,
        probes: Mapping[str, Probe],
        labels: Any = None,
        ncols: int = 8,
        display_width: int = 160,
        dpi: float = 60,
    ) -> None:
        batch = _image_batch("feature_map_browser", images)
        if not probes:
            raise ValueError("feature_map_browser: got no probes; pass {'name': function}")
        for name, probe in probes.items():
            if not callable(probe):
                raise ValueError(f"feature_map_browser: probe {name!r} is not callable")
        self._images = batch
        self._probes = {str(name): probe for name, probe in probes.items()}
        self._labels = None if labels is None else [str(v) for v in np.asarray(labels).ravel()]
        if self._labels is not None and len(self._labels) != len(batch):
            raise ValueError(
                f"feature_map_browser: got {len(self._labels)} labels for {len(batch)} images"
            )
        self._ncols, self._dpi = ncols, dpi
        self._maps: FloatArray = np.zeros((1, 1, 1))
        self._error: str | None = None

        self.index = w.IntSlider(value=0, min=0, max=len(batch) - 1, description="image")
        self.layer = w.Dropdown(options=list(self._probes), description="layer")
        self.original = w.Image(format="png", layout=w.Layout(width=f"{display_width}px"))
        self.image = w.Image(format="png")
        self.message = w.HTML()
        self.caption = w.HTML()
        self.widget = w.VBox(
            [
                w.HBox([self.index, self.layer]),
                w.HBox([w.VBox([self.caption, self.original]), self.image]),
                self.message,
            ]
        )
        self.index.observe(self._on_change, names="value")
        self.layer.observe(self._on_change, names="value")
        self._update()

    @property
    def maps(self) -> FloatArray:
        """The feature maps on display, (h, w, channels)."""
        return self._maps.copy()

    @property
    def error(self) -> str | None:
        """What went wrong with the current layer, or None when the maps are current."""
        return self._error

    def _on_change(self, change: dict[str, Any]) -> None:
        self._update()

    def _update(self) -> None:
        i, name = int(self.index.value), str(self.layer.value)
        picture = self._images[i]
        label = "" if self._labels is None else f", label {self._labels[i]}"
        self.caption.value = html.escape(f"image {i}{label}")
        self.original.value = _png(_gray(picture))
        try:
            output = np.asarray(self._probes[name](self._images[i : i + 1]), dtype=np.float64)
        except Exception as error:  # a probe is the notebook's code: report, do not raise
            self._fail(f"layer {name!r} raised {type(error).__name__}: {error}")
            return
        if output.ndim == 4 and output.shape[0] == 1:
            output = output[0]
        if output.ndim != 3 or 0 in output.shape:
            self._fail(
                f"layer {name!r} gave an output of shape {output.shape}; feature maps need "
                "(1, h, w, channels): pick a convolution, activation or pooling layer"
            )
            return
        if not np.all(np.isfinite(output)):
            self._fail(f"layer {name!r} gave NaN or infinite values")
            return
        self._maps, self._error = output, None
        self.image.value = plots.render_png(
            plots.feature_maps, output, ncols=self._ncols, title=name, dpi=self._dpi
        )
        h, w_, c = output.shape
        self.message.value = html.escape(
            f"{c} feature maps of {h}×{w_}, values {_format_number(output.min())} … "
            f"{_format_number(output.max())} (each panel on its own colour scale)"
        )

    def _fail(self, text: str) -> None:
        self._error = text
        self.message.value = _error_html(text)

    def __repr__(self) -> str:
        return (
            f"FeatureMapBrowser(image={self.index.value}, layer={self.layer.value!r}, "
            f"{len(self._images)} images, {len(self._probes)} layers)"
        )


def feature_map_browser(
    images: npt.ArrayLike, probes: Mapping[str, Probe], labels: Any = None, ncols: int = 8
) -> FeatureMapBrowser:
    """Step through ``images`` and a CNN's layers and see each layer's feature maps (week 03).

    ``probes`` maps a layer's name to a function that takes a batch of one image (1, H, W, C)
    and returns the layer's output (1, h, w, c); for a Keras model ``model``, the sub-model
    ``keras.Sequential(model.layers[: k + 1])`` ends at layer ``k`` (its layers are shared, so
    it shows the trained weights). ``labels`` (one per image) are shown above the image.
    Display the result by making it the last expression of a cell.
    """
    return FeatureMapBrowser(images, probes, labels=labels, ncols=ncols)


# --------------------------------------------------------------------------- week 05

Predict = Callable[[npt.NDArray[np.float32]], npt.ArrayLike]


def _occluded(
    image: npt.NDArray[np.float32], top: int, left: int, patch: int, fill: float
) -> npt.NDArray[np.float32]:
    covered = image.copy()
    covered[top : top + patch, left : left + patch, :] = fill
    return covered


def _outlined(gray: FloatArray, top: int, left: int, patch: int) -> FloatArray:
    """A copy of ``gray`` with the edge of the ``patch × patch`` square at (top, left) set to
    the middle of its value range: grey on black and on white alike (on a flat image, which has
    no range, the edge is drawn brighter than the rest)."""
    shown = gray.copy()
    low, high = float(gray.min()), float(gray.max())
    edge = (low + high) / 2 if high > low else low + 1.0
    bottom, right = top + patch - 1, left + patch - 1
    shown[top, left : right + 1] = shown[bottom, left : right + 1] = edge
    shown[top : bottom + 1, left] = shown[top : bottom + 1, right] = edge
    return shown


class OcclusionExplorer(_Explorer):
    """Cover a square of an image and watch a network's answer change (week 05, saliency).

    Create it with :func:`occlusion_explorer`. Parts (public, for notebooks and tests):

    * ``index`` (``IntSlider``): which image; ``patch`` (``IntSlider``): the square's side;
      ``row`` and ``column`` (``IntSlider``): its top-left corner.
    * ``image``: the occluded image (PNG) with the square's edge drawn in grey; ``heatmap``:
      the occlusion map of the current image and patch size (the drop of the probability for
      every position, stride ``patch // 2``) laid over the image.
    * ``message``: an ``HTML`` line with the probability before and after, or what went wrong.
    * ``probability`` / ``original_probability`` (of the explained class), ``drop``,
      ``drop_map``, ``predicted`` (the class the network chooses for the occluded image),
      ``error`` and ``widget`` (the whole box).

    The explained class is the image's label when labels are given, otherwise the class the
    network predicts for the unoccluded image.
    """

    _KIND = "Occlusion explorer"

    def __init__(
        self,
        predict: Predict,
        images: npt.ArrayLike,
        labels: Any = None,
        class_names: Any = None,
        patch: int = 7,
        fill: float = 0.0,
        display_width: int = 200,
        dpi: float = 60,
    ) -> None:
        func = "occlusion_explorer"
        if not callable(predict):
            raise ValueError(
                f"{func}: predict must be a function from a batch of images to class "
                f"probabilities (e.g. a Keras model), got {type(predict).__name__}"
            )
        batch = _image_batch(func, images)
        height, width = batch.shape[1:3]
        side = min(height, width)
        if not isinstance(patch, (int, np.integer)) or not 1 <= patch <= side:
            raise ValueError(
                f"{func}: patch must be a whole number from 1 to {side}, got {patch!r}"
            )
        self._labels = None if labels is None else [int(v) for v in np.asarray(labels).ravel()]
        if self._labels is not None and len(self._labels) != len(batch):
            raise ValueError(f"{func}: got {len(self._labels)} labels for {len(batch)} images")
        self._names = None if class_names is None else [str(n) for n in class_names]
        self._predict, self._images, self._fill, self._dpi = predict, batch, float(fill), dpi
        self._error: str | None = None
        self._class = 0
        self._original = self._probability = float("nan")
        self._predicted = -1
        self._map: FloatArray = np.zeros((1, 1))
        self._map_key: tuple[int, int] | None = None
        self._adjusting = False

        self.index = w.IntSlider(value=0, min=0, max=len(batch) - 1, description="image")
        self.patch = w.IntSlider(value=int(patch), min=1, max=side, description="patch")
        self.row = w.IntSlider(value=0, min=0, max=height - int(patch), description="row")
        self.column = w.IntSlider(value=0, min=0, max=width - int(patch), description="column")
        self.image = w.Image(format="png", layout=w.Layout(width=f"{display_width}px"))
        self.heatmap = w.Image(format="png")
        self.message = w.HTML()
        self.widget = w.VBox(
            [
                w.HBox([self.index, self.patch]),
                w.HBox([self.row, self.column]),
                w.HBox([self.image, self.heatmap]),
                self.message,
            ]
        )
        for control in (self.index, self.row, self.column):
            control.observe(self._on_change, names="value")
        self.patch.observe(self._on_patch, names="value")
        self._update()

    @property
    def probability(self) -> float:
        """The explained class's probability for the occluded image."""
        return self._probability

    @property
    def original_probability(self) -> float:
        """The explained class's probability for the image without the patch."""
        return self._original

    @property
    def drop(self) -> float:
        """How much the patch lowers the explained class's probability."""
        return self._original - self._probability

    @property
    def predicted(self) -> int:
        """The class the network chooses for the occluded image."""
        return self._predicted

    @property
    def explained_class(self) -> int:
        return self._class

    @property
    def drop_map(self) -> FloatArray:
        """The occlusion map on display: the drop for every patch position (stride patch // 2)."""
        return self._map.copy()

    @property
    def error(self) -> str | None:
        """What went wrong with the network's answer, or None when the display is current."""
        return self._error

    def _on_patch(self, change: dict[str, Any]) -> None:
        height, width = self._images.shape[1:3]
        patch = int(self.patch.value)
        # Move the corner into range first (shrinking the range first would clamp the value),
        # and redraw once, when both are consistent with the new patch size.
        self._adjusting = True
        try:
            self.row.value = min(self.row.value, height - patch)
            self.column.value = min(self.column.value, width - patch)
            self.row.max, self.column.max = height - patch, width - patch
        finally:
            self._adjusting = False
        self._update()

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._adjusting:
            self._update()

    def _name(self, label: int) -> str:
        if self._names is not None and 0 <= label < len(self._names):
            return self._names[label]
        return str(label)

    def _probabilities(self, batch: npt.NDArray[np.float32]) -> FloatArray:
        output = np.asarray(self._predict(batch), dtype=np.float64)
        if output.ndim != 2 or output.shape[0] != len(batch):
            raise ValueError(
                f"expected class probabilities of shape ({len(batch)}, classes), got {output.shape}"
            )
        if not np.all(np.isfinite(output)):
            raise ValueError("the network gave NaN or infinite values")
        return output

    def _update(self) -> None:
        i, patch = int(self.index.value), int(self.patch.value)
        top, left = int(self.row.value), int(self.column.value)
        picture = self._images[i]
        covered = _occluded(picture, top, left, patch, self._fill)
        self.image.value = _png(_outlined(_gray(covered), top, left, patch))
        try:
            self._refresh(i, patch, top, left, covered)
        except Exception as error:  # predict is the notebook's model: report, do not raise
            self._error = f"the network raised {type(error).__name__}: {error}"
            self.message.value = _error_html(self._error)
            return
        self._error = None
        name, now = self._name(self._class), self._name(self._predicted)
        self.message.value = html.escape(
            f"p({name}) = {self._original:.1%} without the patch, {self._probability:.1%} with "
            f"it at rows {top}–{top + patch - 1}, columns {left}–{left + patch - 1} "
            f"(drop {self.drop * 100:+.1f} points); the network now says {now}."
        )

    def _refresh(self, i: int, patch: int, top: int, left: int, covered: Any) -> None:
        if self._map_key != (i, patch):
            self._map_key = None
            picture = self._images[i]
            first = self._probabilities(picture[np.newaxis])[0]
            label = self._labels[i] if self._labels is not None else int(np.argmax(first))
            if not 0 <= label < first.size:
                raise ValueError(f"label {label} is not one of the {first.size} classes")
            self._class, self._original = label, float(first[label])
            stride = max(1, patch // 2)
            height, width = picture.shape[:2]
            corners = [
                (r, c)
                for r in range(0, height - patch + 1, stride)
                for c in range(0, width - patch + 1, stride)
            ]
            occluded = np.stack([_occluded(picture, r, c, patch, self._fill) for r, c in corners])
            scores = np.concatenate(
                [
                    self._probabilities(occluded[k : k + 64])[:, label]
                    for k in range(0, len(occluded), 64)
                ]
            )
            rows = (height - patch) // stride + 1
            self._map = (self._original - scores).reshape(rows, -1)
            self._map_key = (i, patch)
            self.heatmap.value = plots.render_png(
                plots.saliency_overlay,
                picture,
                self._map,
                title=f"drop of p({self._name(label)}), patch {patch}",
                dpi=self._dpi,
            )
        now = self._probabilities(covered[np.newaxis])[0]
        self._probability, self._predicted = float(now[self._class]), int(np.argmax(now))

    def __repr__(self) -> str:
        return (
            f"OcclusionExplorer(image={self.index.value}, patch={self.patch.value}, "
            f"row={self.row.value}, column={self.column.value}, {len(self._images)} images)"
        )


def occlusion_explorer(
    predict: Predict,
    images: npt.ArrayLike,
    labels: Any = None,
    class_names: Any = None,
    patch: int = 7,
    fill: float = 0.0,
) -> OcclusionExplorer:
    """Move a ``patch × patch`` square over ``images`` and watch ``predict``'s answer (week 05).

    ``predict`` maps a batch of images (n, H, W, C) to class probabilities (n, classes) — a
    Keras classifier ending in softmax will do. The square is set to ``fill`` in every
    channel. Beside the occluded image the explorer draws the occlusion map of the whole image
    for the chosen patch size (stride ``patch // 2``), so the student can compare a single
    position with the map. Display the result by making it the last expression of a cell.
    """
    return OcclusionExplorer(
        predict, images, labels=labels, class_names=class_names, patch=patch, fill=fill
    )


# --------------------------------------------------------------------------- week 06


def _parse_dilations(text: str) -> list[int]:
    """``"1, 2, 4"`` → ``[1, 2, 4]``; raises ValueError with a sentence for the message line."""
    parts = [part for part in text.replace(",", " ").split() if part]
    if not parts:
        raise ValueError("Type the dilations as whole numbers, e.g. 1, 2, 4, 8.")
    values: list[int] = []
    for part in parts:
        try:
            value = int(part)
        except ValueError:
            raise ValueError(
                f"{part!r} is not a whole number; type the dilations like 1, 2, 4, 8."
            ) from None
        if value < 1:
            raise ValueError(f"A dilation must be at least 1, got {value}.")
        values.append(value)
    return values


class DilationExplorer(_Explorer):
    """Kernel size, layers and dilations of a causal CNN against its receptive field (week 06).

    Create it with :func:`dilation_explorer`. Parts (public, for notebooks and tests):

    * ``kernel_size`` and ``layers``: ``IntSlider`` widgets.
    * ``scheme``: a ``Dropdown``: ``"doubling"`` (dilations 1, 2, 4, 8, …, as in WaveNet),
      ``"none"`` (all 1) or ``"custom"`` (the list typed into ``dilations_text``; typing there
      switches to custom, and the number of layers follows the list).
    * ``image``: an ``ipywidgets.Image`` with :func:`dlcourse.plots.receptive_field_diagram`.
    * ``label``: a ``Label`` stating the receptive field; ``message``: what is wrong, if anything.
    * ``dilations``, ``receptive_field`` and ``widget`` (the whole box).
    """

    _KIND = "Dilation explorer"

    SCHEMES = ("doubling", "none", "custom")

    def __init__(self, max_layers: int = 6, dpi: float = 72) -> None:
        if isinstance(max_layers, bool) or not isinstance(max_layers, int) or max_layers < 1:
            raise ValueError(
                f"dilation_explorer: max_layers must be a positive integer, got {max_layers!r}"
            )
        self._max_layers = max_layers
        self._dpi = dpi
        self._syncing = False
        self._error: str | None = None

        self.kernel_size = w.IntSlider(value=2, min=2, max=5, description="kernel size")
        self.layers = w.IntSlider(
            value=min(4, max_layers), min=1, max=max_layers, description="layers"
        )
        self.scheme = w.Dropdown(
            options=list(self.SCHEMES), value="doubling", description="dilation"
        )
        self.dilations_text = w.Text(description="dilations", continuous_update=False)
        self._dilations = self._scheme_dilations()
        self.dilations_text.value = self._format(self._dilations)
        self.label = w.Label()
        self.message = w.HTML()
        self.image = w.Image(value=b"", format="png")
        self.widget = w.VBox(
            [
                w.HBox([self.kernel_size, self.layers]),
                w.HBox([self.scheme, self.dilations_text]),
                self.label,
                self.message,
                self.image,
            ]
        )
        for control in (self.kernel_size, self.layers, self.scheme):
            control.observe(self._on_control, names="value")
        self.dilations_text.observe(self._on_text, names="value")
        self._update()

    # -- state --------------------------------------------------------------------------

    @property
    def dilations(self) -> list[int]:
        """The dilation of each layer, bottom to top, as drawn."""
        return list(self._dilations)

    @property
    def receptive_field(self) -> int:
        """``1 + Σ (k − 1)·d``: how many input steps one output step depends on."""
        return plots._receptive_field(self.kernel_size.value, self._dilations)

    @property
    def error(self) -> str | None:
        """What is wrong with the typed dilations, or None when the picture is current."""
        return self._error

    # -- events -------------------------------------------------------------------------

    @staticmethod
    def _format(dilations: list[int]) -> str:
        return ", ".join(str(d) for d in dilations)

    def _scheme_dilations(self) -> list[int]:
        n = self.layers.value
        return [2**i for i in range(n)] if self.scheme.value == "doubling" else [1] * n

    def _set_quietly(self, widget: w.ValueWidget, value: Any) -> None:
        self._syncing = True
        try:
            widget.value = value
        finally:
            self._syncing = False

    def _on_control(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        custom = self.scheme.value == "custom"
        self.layers.disabled = custom
        if not custom:
            self._dilations = self._scheme_dilations()
            self._set_quietly(self.dilations_text, self._format(self._dilations))
        self._update()

    def _on_text(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        try:
            dilations = _parse_dilations(change["new"])
        except ValueError as error:
            self._fail(str(error))
            return
        if len(dilations) > self._max_layers:
            self._fail(
                f"{len(dilations)} dilations, but this explorer draws at most "
                f"{self._max_layers} layers."
            )
            return
        self._dilations = dilations
        self._set_quietly(self.scheme, "custom")
        self._set_quietly(self.layers, len(dilations))
        self.layers.disabled = True
        self._update()

    def _fail(self, text: str) -> None:
        self._error = text
        self.message.value = _error_html(text + " The picture shows the last valid dilations.")

    def _update(self) -> None:
        self._error = None
        self.message.value = ""
        k = self.kernel_size.value
        terms = " + ".join(f"{k - 1}·{d}" for d in self._dilations)
        self.label.value = f"receptive field: 1 + {terms} = {self.receptive_field} time steps"
        self.image.value = plots.render_png(
            plots.receptive_field_diagram, k, self._dilations, dpi=self._dpi
        )

    # -- display ------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"DilationExplorer(kernel_size={self.kernel_size.value}, "
            f"dilations={self._dilations}, receptive_field={self.receptive_field})"
        )

    def _summary(self) -> str:
        return html.escape(self.label.value)


def dilation_explorer(max_layers: int = 6) -> DilationExplorer:
    """Explore how kernel size, depth and dilation set a causal CNN's receptive field (week 06).

    Sliders choose the kernel size (2-5) and the number of layers (1-``max_layers``); the
    dilation scheme is "doubling" (1, 2, 4, 8, …), "none" (all 1) or a custom list typed as
    ``1, 2, 4, 1, 2, 4``. The explorer redraws :func:`dlcourse.plots.receptive_field_diagram`
    and states the receptive field ``1 + Σ (k − 1)·d``. Display it as a cell's last expression.
    """
    return DilationExplorer(max_layers=max_layers)


# --------------------------------------------------------------------------- week 07


def _scalar_rnn_gradients(weight: float, length: int, activation: str) -> FloatArray:
    """``|∂h_T/∂x_{T−k}|`` for ``k = 0 … T−1`` of the one-unit RNN ``h_t = φ(w·h_{t−1} + x_t)``.

    The input is a fixed random sequence (seed 0, standard deviation 0.5) and ``h_0 = 0``.
    Entry ``k`` is ``φ'(a_{T−k}) · Π_{j > T−k} w·φ'(a_j)``: one factor ``w·φ'`` per step back.
    """
    x = np.random.default_rng(0).normal(scale=0.5, size=length)
    h = 0.0
    slopes = np.empty(length)  # φ'(a_t)
    for t in range(length):
        a = weight * h + x[t]
        if activation == "tanh":
            h = float(np.tanh(a))
            slopes[t] = 1.0 - h * h
        else:
            h = a
            slopes[t] = 1.0
    newest_first = slopes[::-1]
    factors = np.concatenate([[1.0], np.cumprod(abs(weight) * newest_first[:-1])])
    return np.asarray(newest_first * factors, dtype=np.float64)


class RnnGradientExplorer(_Explorer):
    """How far back a recurrent network's gradient reaches (week 07, vanishing gradients).

    Create it with :func:`rnn_gradient_explorer`. The model is the smallest recurrent network,
    one unit: ``h_t = φ(w·h_{t−1} + x_t)`` with ``φ`` = tanh or linear, run over a fixed random
    input. Back-propagating from ``h_T`` multiplies one factor ``w·φ'(a_t)`` per step, so the
    gradient with respect to an input ``k`` steps back shrinks or grows geometrically. Parts
    (public, for notebooks and tests):

    * ``weight`` (``FloatSlider``, the recurrent weight ``w``), ``length`` (``IntSlider``, the
      sequence length ``T``) and ``activation`` (``Dropdown``: ``"tanh"`` or ``"linear"``);
    * ``image``: :func:`dlcourse.plots.gradient_norms` of the gradient against steps back;
    * ``label``: the average factor per step and the ratio oldest / newest gradient;
    * ``gradients`` (entry ``k − 1`` is the gradient ``k`` steps back) and ``widget``.
    """

    _KIND = "RNN gradient explorer"

    ACTIVATIONS = ("tanh", "linear")

    def __init__(self, max_length: int = 200, dpi: float = 72) -> None:
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 10:
            raise ValueError(
                f"rnn_gradient_explorer: max_length must be an integer of at least 10, "
                f"got {max_length!r}"
            )
        self._dpi = dpi
        self.weight = w.FloatSlider(
            value=0.9,
            min=0.1,
            max=2.5,
            step=0.05,
            description="weight w",
            continuous_update=False,
        )
        self.length = w.IntSlider(
            value=min(50, max_length),
            min=10,
            max=max_length,
            step=5,
            description="length T",
            continuous_update=False,
        )
        self.activation = w.Dropdown(
            options=list(self.ACTIVATIONS), value="tanh", description="activation"
        )
        self.label = w.Label()
        self.image = w.Image(value=b"", format="png")
        self.widget = w.VBox(
            [w.HBox([self.weight, self.length, self.activation]), self.label, self.image]
        )
        self._gradients = np.ones(1)
        for control in (self.weight, self.length, self.activation):
            control.observe(self._on_control, names="value")
        self._update()

    @property
    def gradients(self) -> FloatArray:
        """``|∂h_T/∂x|`` for inputs 1, 2, …, T steps back (entry 0: the newest input)."""
        return self._gradients.copy()

    def _on_control(self, change: dict[str, Any]) -> None:
        self._update()

    def _update(self) -> None:
        weight, length = float(self.weight.value), int(self.length.value)
        self._gradients = _scalar_rnn_gradients(weight, length, self.activation.value)
        grads = self._gradients
        ratio = grads[-1] / grads[0] if grads[0] > 0 else float("nan")
        per_step = ratio ** (1.0 / (length - 1)) if ratio > 0 else 0.0
        self.label.value = (
            f"average factor per step |w·φ'| ≈ {per_step:.3g}: the input {length} steps back "
            f"gets {ratio:.2g} times the gradient of the newest input"
        )
        steps_back = np.arange(1, length + 1)
        self.image.value = plots.render_png(
            plots.gradient_norms,
            steps_back,
            {f"{self.activation.value}, w = {weight:g}": grads},
            title="gradient of h_T with respect to earlier inputs",
            xlabel="steps back",
            dpi=self._dpi,
        )

    def __repr__(self) -> str:
        return (
            f"RnnGradientExplorer(weight={self.weight.value:g}, length={self.length.value}, "
            f"activation={self.activation.value!r})"
        )

    def _summary(self) -> str:
        return html.escape(self.label.value)


def rnn_gradient_explorer(max_length: int = 200) -> RnnGradientExplorer:
    """Explore vanishing and exploding gradients in a one-unit RNN (week 07).

    Sliders set the recurrent weight ``w`` (0.1-2.5) and the sequence length (10-``max_length``);
    the activation is tanh or linear. The explorer draws ``|∂h_T/∂x_{T−k}|`` against ``k`` on a
    log scale (:func:`dlcourse.plots.gradient_norms`) and states the average factor per step.
    Display it as a cell's last expression.
    """
    return RnnGradientExplorer(max_length=max_length)
