"""Tests of dlcourse.widgets, driven from Python without a browser (weeks 02, 03, 05, 06 and 07).

Each test changes a widget's value the way the frontend would (by setting ``.value``) and
checks what the explorer shows: the PNG bytes, the feature map, the label, the message.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from dlcourse import widgets
from dlcourse.kernels import CLASSIC_KERNELS, apply_kernel

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _no_figures_left() -> Iterator[None]:
    yield
    assert plt.get_fignums() == [], "a widget left a pyplot figure open"


def _photo() -> np.ndarray:
    rows, cols = np.mgrid[0:20, 0:24]
    return (np.sin(rows / 3.0) * np.cos(cols / 4.0) * 100 + 120).astype(np.uint8)


def _png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "PNG"
        return picture.size


# --------------------------------------------------------------------------- KernelEditor


@pytest.fixture
def editor() -> widgets.KernelEditor:
    return widgets.kernel_editor(_photo())


def test_kernel_editor_starts_with_the_first_preset(editor: widgets.KernelEditor) -> None:
    assert isinstance(editor, widgets.KernelEditor)
    assert editor.preset.value == "identity"
    assert list(editor.preset.options) == list(CLASSIC_KERNELS)
    assert len(editor.cells) == 9
    np.testing.assert_array_equal(editor.kernel, CLASSIC_KERNELS["identity"])
    np.testing.assert_allclose(editor.feature_map, _photo())
    assert _png_size(editor.image.value) == (24, 20)  # (width, height)
    assert editor.error is None
    assert "feature map 20×24" in editor.message.value


@pytest.mark.parametrize("name", list(CLASSIC_KERNELS))
def test_choosing_a_preset_fills_the_grid_and_redraws(
    editor: widgets.KernelEditor, name: str
) -> None:
    editor.preset.value = "sharpen" if name == "identity" else "identity"
    before = editor.image.value
    editor.preset.value = name
    assert [cell.value for cell in editor.cells] == list(CLASSIC_KERNELS[name].ravel())
    np.testing.assert_allclose(editor.feature_map, apply_kernel(_photo(), CLASSIC_KERNELS[name]))
    assert editor.image.value != before


def test_editing_a_cell_updates_the_feature_map_live(editor: widgets.KernelEditor) -> None:
    before = editor.image.value
    editor.cells[5].value = -1.0  # row 2, column 3
    expected_kernel = np.array([[0, 0, 0], [0, 1, -1], [0, 0, 0]], dtype=float)
    np.testing.assert_array_equal(editor.kernel, expected_kernel)
    np.testing.assert_allclose(editor.feature_map, apply_kernel(_photo(), expected_kernel))
    assert editor.image.value != before
    assert editor.preset.value is None  # no preset matches any more


def test_editing_back_to_a_preset_selects_it(editor: widgets.KernelEditor) -> None:
    editor.kernel = CLASSIC_KERNELS["edge detect"] + 0  # a writable copy
    assert editor.preset.value == "edge detect"
    editor.cells[0].value = 1.0
    assert editor.preset.value is None
    editor.cells[0].value = 0.0
    assert editor.preset.value == "edge detect"


def test_setting_the_kernel_redraws_once(
    editor: widgets.KernelEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[np.ndarray] = []

    def counting(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
        calls.append(kernel)
        return apply_kernel(image, kernel)

    monkeypatch.setattr(editor, "_convolve", counting)
    editor.kernel = np.arange(9.0).reshape(3, 3)
    assert len(calls) == 1
    np.testing.assert_array_equal(calls[0], np.arange(9.0).reshape(3, 3))
    with pytest.raises(ValueError, match=r"expected a 3×3 array, got \(2, 2\)"):
        editor.kernel = np.ones((2, 2))


def test_a_nan_cell_shows_a_message_and_keeps_the_last_picture(
    editor: widgets.KernelEditor,
) -> None:
    editor.preset.value = "box blur"
    picture, feature_map = editor.image.value, editor.feature_map.copy()
    editor.cells[7].value = float("nan")
    assert editor.error is not None
    assert "row 3, column 2 is not a number" in editor.message.value
    assert editor.image.value == picture
    np.testing.assert_array_equal(editor.feature_map, feature_map)
    editor.cells[7].value = 0.0  # fixing the cell clears the message
    assert editor.error is None
    assert "not a number" not in editor.message.value


def test_a_student_convolution_is_used_and_its_errors_are_shown() -> None:
    def conv2d_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
        if kernel[0, 0] == 7:
            raise IndexError("index 3 is out of bounds")
        height, width = image.shape
        out = np.zeros((height - 2, width - 2))
        for i in range(height - 2):
            for j in range(width - 2):
                out[i, j] = np.sum(image[i : i + 3, j : j + 3] * kernel)
        return out

    editor = widgets.kernel_editor(_photo(), convolve=conv2d_valid)
    editor.preset.value = "sobel vertical"
    assert editor.feature_map.shape == (18, 22)
    np.testing.assert_allclose(
        editor.feature_map, apply_kernel(_photo(), CLASSIC_KERNELS["sobel vertical"])[1:-1, 1:-1]
    )
    assert _png_size(editor.image.value) == (22, 18)
    editor.cells[0].value = 7.0
    assert "conv2d_valid(image, kernel) raised IndexError: index 3 is out of bounds" in (
        editor.message.value
    )
    assert editor.feature_map.shape == (18, 22)


def test_a_convolution_returning_the_wrong_shape_is_reported() -> None:
    editor = widgets.kernel_editor(_photo(), convolve=lambda image, kernel: image.ravel())
    assert editor.error == "<lambda>(image, kernel) returned shape (480,); expected (H, W)"


def test_kernel_editor_colour_photo_and_custom_presets() -> None:
    colour = np.stack([_photo()] * 3, axis=-1)
    presets = {"shift": np.eye(3)[::-1], "blur": np.full((3, 3), 1 / 9)}
    editor = widgets.kernel_editor(colour, kernels=presets)
    assert editor.photo.shape == (20, 24)
    np.testing.assert_allclose(editor.photo, _photo(), atol=1e-9)  # equal channels stay gray
    assert list(editor.preset.options) == ["shift", "blur"]
    np.testing.assert_array_equal(editor.kernel, np.eye(3)[::-1])


@pytest.mark.parametrize(
    ("image", "kernels", "message"),
    [
        (np.zeros((4, 4, 2)), CLASSIC_KERNELS, r"photo of shape \(H, W\) or \(H, W, 3\)"),
        (np.zeros((4, 4)), {"big": np.ones((5, 5))}, r"preset 'big' must be a 3×3 array"),
        (np.zeros((4, 4)), {}, "got no kernels"),
    ],
)
def test_kernel_editor_bad_arguments(
    image: np.ndarray, kernels: dict[str, np.ndarray], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        widgets.kernel_editor(image, kernels=kernels)


def test_kernel_editor_displays_as_a_widget_with_a_static_fallback(
    editor: widgets.KernelEditor,
) -> None:
    bundle = editor._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == editor.widget.model_id
    assert bundle["text/plain"].startswith("KernelEditor(preset='identity', kernel=[0 0 0; 0 1 0")
    assert "<table>" in bundle["text/html"]
    assert editor.image in editor.widget.children[2].children


# --------------------------------------------------------------------------- DilationExplorer


@pytest.fixture
def explorer() -> widgets.DilationExplorer:
    return widgets.dilation_explorer(max_layers=5)


def test_dilation_explorer_starts_with_doubling(explorer: widgets.DilationExplorer) -> None:
    assert explorer.dilations == [1, 2, 4, 8]
    assert explorer.receptive_field == 16
    assert explorer.label.value == "receptive field: 1 + 1·1 + 1·2 + 1·4 + 1·8 = 16 time steps"
    assert explorer.dilations_text.value == "1, 2, 4, 8"
    assert explorer.layers.max == 5
    assert _png_size(explorer.image.value)[0] > 100


def test_moving_a_slider_redraws(explorer: widgets.DilationExplorer) -> None:
    before = explorer.image.value
    explorer.layers.value = 5
    assert explorer.dilations == [1, 2, 4, 8, 16]
    assert explorer.receptive_field == 32
    assert explorer.label.value.endswith("= 32 time steps")
    assert explorer.image.value != before
    before = explorer.image.value
    explorer.kernel_size.value = 3
    assert explorer.receptive_field == 63
    assert "2·16" in explorer.label.value
    assert explorer.image.value != before


def test_scheme_none_grows_the_field_linearly(explorer: widgets.DilationExplorer) -> None:
    explorer.scheme.value = "none"
    assert explorer.dilations == [1, 1, 1, 1]
    assert explorer.receptive_field == 5
    assert explorer.dilations_text.value == "1, 1, 1, 1"
    explorer.layers.value = 2
    assert explorer.receptive_field == 3


def test_typing_dilations_switches_to_custom(explorer: widgets.DilationExplorer) -> None:
    before = explorer.image.value
    explorer.dilations_text.value = "1, 3, 9"
    assert explorer.scheme.value == "custom"
    assert explorer.dilations == [1, 3, 9]
    assert explorer.layers.value == 3
    assert explorer.layers.disabled
    assert explorer.receptive_field == 14
    assert explorer.image.value != before
    explorer.kernel_size.value = 3  # the custom list stays
    assert explorer.dilations == [1, 3, 9]
    assert explorer.receptive_field == 27
    explorer.scheme.value = "doubling"  # back to a scheme, with the custom list's depth
    assert explorer.dilations == [1, 2, 4]
    assert not explorer.layers.disabled


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1, two, 4", "'two' is not a whole number"),
        ("1, 0", "A dilation must be at least 1, got 0."),
        ("", "Type the dilations as whole numbers"),
        ("1 1 1 1 1 1", "6 dilations, but this explorer draws at most 5 layers."),
    ],
)
def test_invalid_dilations_show_a_message_not_an_exception(
    explorer: widgets.DilationExplorer, text: str, message: str
) -> None:
    before = explorer.image.value
    explorer.dilations_text.value = text
    assert explorer.error is not None and message in explorer.error
    assert message in explorer.message.value.replace("&#x27;", "'")
    assert explorer.image.value == before
    assert explorer.dilations == [1, 2, 4, 8]
    explorer.dilations_text.value = "2, 4"  # a valid list clears the message
    assert explorer.error is None
    assert explorer.message.value == ""


def test_dilation_explorer_display_and_bad_argument(explorer: widgets.DilationExplorer) -> None:
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == (
        "DilationExplorer(kernel_size=2, dilations=[1, 2, 4, 8], receptive_field=16)"
    )
    assert "= 16 time steps" in bundle["text/html"]
    with pytest.raises(ValueError, match="max_layers must be a positive integer, got 0"):
        widgets.dilation_explorer(max_layers=0)


# --------------------------------------------------------------------------- RnnGradientExplorer


@pytest.fixture
def gradient_explorer() -> widgets.RnnGradientExplorer:
    return widgets.rnn_gradient_explorer()


def test_rnn_gradient_explorer_starts_with_tanh(
    gradient_explorer: widgets.RnnGradientExplorer,
) -> None:
    assert (gradient_explorer.weight.value, gradient_explorer.length.value) == (0.9, 50)
    assert gradient_explorer.activation.value == "tanh"
    grads = gradient_explorer.gradients
    assert grads.shape == (50,)
    assert np.all(grads > 0) and grads[-1] < 1e-3 * grads[0]  # vanishes with tanh and w < 1
    assert "average factor per step" in gradient_explorer.label.value
    assert _png_size(gradient_explorer.image.value)[0] > 100


def test_rnn_gradient_explorer_matches_backprop_by_hand() -> None:
    # One unit, linear: h_T = sum_k w^k x_{T-k}, so the gradient k steps back is |w|^k exactly.
    explorer = widgets.rnn_gradient_explorer()
    explorer.activation.value = "linear"
    explorer.weight.value = 1.5
    explorer.length.value = 20
    np.testing.assert_allclose(explorer.gradients, 1.5 ** np.arange(20))
    assert "1.5" in explorer.label.value


def test_rnn_gradient_explorer_tanh_slopes_are_the_derivative() -> None:
    explorer = widgets.rnn_gradient_explorer()
    explorer.length.value = 10
    weight = explorer.weight.value
    x = np.random.default_rng(0).normal(scale=0.5, size=10)
    h, slopes = 0.0, []
    for value in x:
        h = np.tanh(weight * h + value)
        slopes.append(1 - h**2)
    expected_newest = slopes[-1]
    expected_oldest = slopes[0] * np.prod([weight * s for s in slopes[1:]])
    assert explorer.gradients[0] == pytest.approx(expected_newest)
    assert explorer.gradients[-1] == pytest.approx(expected_oldest)


def test_rnn_gradient_explorer_redraws_and_displays(
    gradient_explorer: widgets.RnnGradientExplorer,
) -> None:
    before = gradient_explorer.image.value
    gradient_explorer.weight.value = 2.0
    gradient_explorer.activation.value = "linear"
    assert gradient_explorer.image.value != before
    assert gradient_explorer.gradients[-1] > gradient_explorer.gradients[0]  # explodes
    assert repr(gradient_explorer) == (
        "RnnGradientExplorer(weight=2, length=50, activation='linear')"
    )
    bundle = gradient_explorer._repr_mimebundle_()
    assert "RNN gradient explorer" in bundle["text/html"]
    assert bundle["text/plain"] == repr(gradient_explorer)
    with pytest.raises(ValueError, match="max_length must be an integer of at least 10"):
        widgets.rnn_gradient_explorer(max_length=5)


# --------------------------------------------------------------------------- FeatureMapBrowser


def _digits() -> np.ndarray:
    rng = np.random.default_rng(3)
    return rng.uniform(0.0, 1.0, size=(5, 12, 12, 1)).astype(np.float32)


def _probes() -> dict:
    def pool(x: np.ndarray) -> np.ndarray:  # (1, 12, 12, 1) -> (1, 6, 6, 2)
        pooled = x.reshape(1, 6, 2, 6, 2, 1).max(axis=(2, 4))
        return np.concatenate([pooled, -pooled], axis=-1)

    return {"identity": lambda x: x, "pool": pool}


@pytest.fixture
def browser() -> widgets.FeatureMapBrowser:
    return widgets.feature_map_browser(_digits(), _probes(), labels=[7, 2, 1, 0, 4])


def test_feature_map_browser_starts_with_the_first_image_and_layer(
    browser: widgets.FeatureMapBrowser,
) -> None:
    assert isinstance(browser, widgets.FeatureMapBrowser)
    assert (browser.index.value, browser.index.max) == (0, 4)
    assert list(browser.layer.options) == ["identity", "pool"]
    np.testing.assert_allclose(browser.maps, _digits()[0])
    assert _png_size(browser.original.value) == (12, 12)
    assert _png_size(browser.image.value)[0] > 12  # the feature_maps figure
    assert browser.error is None
    assert "1 feature maps of 12×12" in browser.message.value
    assert "image 0, label 7" in browser.caption.value


def test_feature_map_browser_follows_the_slider_and_the_layer(
    browser: widgets.FeatureMapBrowser,
) -> None:
    before = browser.image.value
    browser.index.value = 3
    np.testing.assert_allclose(browser.maps, _digits()[3])
    assert "label 0" in browser.caption.value
    browser.layer.value = "pool"
    assert browser.maps.shape == (6, 6, 2)
    np.testing.assert_allclose(browser.maps[..., 1], -browser.maps[..., 0])
    assert browser.image.value != before
    assert "2 feature maps of 6×6" in browser.message.value


def test_feature_map_browser_reports_a_failing_probe_and_keeps_the_last_maps() -> None:
    def broken(x: np.ndarray) -> np.ndarray:
        raise RuntimeError("no such layer")

    probes = {"identity": lambda x: x, "broken": broken, "flat": lambda x: x.reshape(1, -1)}
    browser = widgets.feature_map_browser(_digits()[..., 0], probes)  # (n, H, W) is accepted
    shown = browser.maps
    browser.layer.value = "broken"
    assert browser.error == "layer 'broken' raised RuntimeError: no such layer"
    assert "no such layer" in browser.message.value
    np.testing.assert_allclose(browser.maps, shown)
    browser.layer.value = "flat"
    assert "shape (1, 144)" in browser.error
    browser.layer.value = "identity"
    assert browser.error is None


def test_feature_map_browser_bad_arguments_and_display(browser: widgets.FeatureMapBrowser) -> None:
    with pytest.raises(ValueError, match="got no probes"):
        widgets.feature_map_browser(_digits(), {})
    with pytest.raises(ValueError, match="got 2 labels for 5 images"):
        widgets.feature_map_browser(_digits(), _probes(), labels=[1, 2])
    with pytest.raises(ValueError, match=r"expected images of shape"):
        widgets.feature_map_browser(np.zeros((4, 4)), _probes())
    with pytest.raises(ValueError, match="is not callable"):
        widgets.feature_map_browser(_digits(), {"x": 3})
    assert repr(browser) == "FeatureMapBrowser(image=0, layer='identity', 5 images, 2 layers)"
    bundle = browser._repr_mimebundle_()
    assert "Feature map browser" in bundle["text/html"]
    assert bundle["text/plain"] == repr(browser)


# --------------------------------------------------------------------------- OcclusionExplorer


def _looker(batch: np.ndarray) -> np.ndarray:
    """Two classes; p(class 1) is the mean brightness of the 4×4 square at rows 4-7, cols 6-9."""
    x = np.asarray(batch, dtype=np.float64)
    seen = x[:, 4:8, 6:10, :].mean(axis=(1, 2, 3))
    return np.stack([1.0 - seen, seen], axis=1)


def _bright(n: int = 3) -> np.ndarray:
    return np.ones((n, 12, 12, 1), dtype=np.float32)


def test_occlusion_explorer_measures_the_drop_where_the_network_looks() -> None:
    explorer = widgets.occlusion_explorer(_looker, _bright(), labels=[1, 1, 1], patch=4)
    assert isinstance(explorer, widgets.OcclusionExplorer)
    assert (explorer.row.max, explorer.column.max) == (8, 8)
    assert explorer.explained_class == 1 and explorer.error is None
    # Patch at (0, 0) does not touch the square the model reads: no drop.
    assert explorer.original_probability == pytest.approx(1.0)
    assert explorer.drop == pytest.approx(0.0)
    explorer.row.value, explorer.column.value = 4, 6  # covers the whole square
    assert explorer.probability == pytest.approx(0.0)
    assert explorer.drop == pytest.approx(1.0)
    assert explorer.predicted == 0
    assert "p(1) = 100.0% without the patch, 0.0% with it at rows 4–7, columns 6–9" in (
        explorer.message.value
    )
    assert "the network now says 0" in explorer.message.value
    explorer.column.value = 8  # half of the square
    assert explorer.drop == pytest.approx(0.5)
    # The map: stride 2, 5×5 positions; its maximum is at the square's position (2, 3).
    drop_map = explorer.drop_map
    assert drop_map.shape == (5, 5)
    assert np.unravel_index(np.argmax(drop_map), drop_map.shape) == (2, 3)
    assert drop_map[2, 3] == pytest.approx(1.0) and drop_map[0, 0] == pytest.approx(0.0)
    assert _png_size(explorer.image.value) == (12, 12)
    assert _png_size(explorer.heatmap.value)[0] > 12


def test_occlusion_explorer_follows_the_patch_size_and_the_image() -> None:
    images = _bright()
    images[2, 4:8, 6:10] = 0.5  # the third image is only half as sure
    explorer = widgets.occlusion_explorer(
        _looker, images, labels=[1, 1, 1], class_names=["dark", "bright"], patch=4
    )
    explorer.row.value, explorer.column.value = 8, 8
    explorer.patch.value = 6  # the corner moves back into range
    assert (explorer.row.value, explorer.column.value) == (6, 6)
    assert (explorer.row.max, explorer.column.max) == (6, 6)
    assert explorer.drop_map.shape == (3, 3)  # stride 3: positions 0, 3, 6
    assert "p(bright)" in explorer.message.value
    explorer.index.value = 2
    assert explorer.original_probability == pytest.approx(0.5)
    assert "image=2, patch=6" in repr(explorer)


def test_occlusion_explorer_explains_the_predicted_class_without_labels() -> None:
    images = np.zeros((1, 12, 12, 1), dtype=np.float32)
    explorer = widgets.occlusion_explorer(_looker, images, patch=3, fill=1.0)
    assert explorer.explained_class == 0
    explorer.row.value, explorer.column.value = 4, 6  # a bright 3×3 patch in the square
    assert explorer.drop == pytest.approx(9 / 16)


def test_occlusion_explorer_reports_a_failing_network_and_bad_arguments() -> None:
    calls = {"n": 0}

    def flaky(batch: np.ndarray) -> np.ndarray:
        calls["n"] += 1
        if calls["n"] > 3:
            raise RuntimeError("out of memory")
        return _looker(batch)

    explorer = widgets.occlusion_explorer(flaky, _bright(), labels=[1, 1, 1], patch=4)
    explorer.row.value = 2
    assert explorer.error == "the network raised RuntimeError: out of memory"
    assert "out of memory" in explorer.message.value
    flat = widgets.occlusion_explorer(lambda b: np.ones(len(b)), _bright(), patch=4)
    assert "expected class probabilities of shape (1, classes), got (1,)" in flat.error
    with pytest.raises(ValueError, match="predict must be a function"):
        widgets.occlusion_explorer(3, _bright())
    with pytest.raises(ValueError, match="patch must be a whole number from 1 to 12, got 13"):
        widgets.occlusion_explorer(_looker, _bright(), patch=13)
    with pytest.raises(ValueError, match="got 2 labels for 3 images"):
        widgets.occlusion_explorer(_looker, _bright(), labels=[1, 1])
    with pytest.raises(ValueError, match="expected images of shape"):
        widgets.occlusion_explorer(_looker, np.zeros((4, 4)))
    bundle = explorer._repr_mimebundle_()
    assert "Occlusion explorer" in bundle["text/html"]
    assert bundle["text/plain"] == repr(explorer)


def test_occlusion_explorer_outlines_the_square_in_grey() -> None:
    images = np.zeros((1, 12, 12, 1), dtype=np.float32)
    images[0, 6:, :] = 1.0  # bottom half white
    explorer = widgets.occlusion_explorer(_looker, images, patch=4)
    explorer.row.value, explorer.column.value = 5, 2  # the square straddles black and white
    with Image.open(io.BytesIO(explorer.image.value)) as picture:
        pixels = np.asarray(picture.convert("L"), dtype=float)
    edge = [pixels[5, 2], pixels[5, 5], pixels[8, 2], pixels[8, 5], pixels[6, 2], pixels[5, 3]]
    assert all(100 <= p <= 160 for p in edge), edge  # mid grey
    assert pixels[6, 3] < 20 and pixels[7, 4] < 20  # inside: covered with fill 0
    assert pixels[0, 0] < 20 and pixels[11, 11] > 235  # outside: unchanged
