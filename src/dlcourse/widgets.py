"""Interactive explorers for the notebooks, built on ipywidgets 8 (weeks 02 and 06).

* :func:`kernel_editor` (week 02, convolution by hand): edit a 3×3 kernel, or pick a classic
  one, and watch the feature map of a photo change.
* :func:`dilation_explorer` (week 06, 1D causal CNNs): choose kernel size, number of layers and
  dilations of a causal convolution stack and see its receptive field grow.

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

__all__ = ["DilationExplorer", "KernelEditor", "dilation_explorer", "kernel_editor"]

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


# --------------------------------------------------------------------------- week 02


class KernelEditor:
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

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return _mimebundle(self.widget, repr(self), self._repr_html_(), **kwargs)


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


class DilationExplorer:
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

    def _repr_html_(self) -> str:
        return (
            "<p>Dilation explorer (interactive: run the notebook to use it). "
            f"{html.escape(self.label.value)}</p>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return _mimebundle(self.widget, repr(self), self._repr_html_(), **kwargs)


def dilation_explorer(max_layers: int = 6) -> DilationExplorer:
    """Explore how kernel size, depth and dilation set a causal CNN's receptive field (week 06).

    Sliders choose the kernel size (2-5) and the number of layers (1-``max_layers``); the
    dilation scheme is "doubling" (1, 2, 4, 8, …), "none" (all 1) or a custom list typed as
    ``1, 2, 4, 1, 2, 4``. The explorer redraws :func:`dlcourse.plots.receptive_field_diagram`
    and states the receptive field ``1 + Σ (k − 1)·d``. Display it as a cell's last expression.
    """
    return DilationExplorer(max_layers=max_layers)
