"""Tests of dlcourse.assets: registry, cache, mirror, real downloads from a local HTTP server.

No test touches the internet. The mirror is the real read-only mirror of online assets
(``$DLCOURSE_MIRROR``, default ``../shared/datasets`` beside the repository); tests that need it
are skipped with a printed reason when it is absent. Every test gets its own cache folder and
KERAS_HOME, so nothing is written outside pytest's temporary folders, and never to the mirror.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import http.server
import io
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from tqdm.std import tqdm as std_tqdm

from dlcourse import assets
from dlcourse.assets import Asset, AssetUnavailable

REPO = Path(__file__).resolve().parents[1]
_DEFAULT_MIRROR = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def _find_mirror() -> Path | None:
    value = os.environ.get("DLCOURSE_MIRROR", "").strip()
    if value:
        return Path(value).expanduser()
    return _DEFAULT_MIRROR if _DEFAULT_MIRROR.is_dir() else None


MIRROR = _find_mirror()
FILE_ASSETS = [name for name, a in assets.REGISTRY.items() if a.kind == "file"]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache and KERAS_HOME per test; no mirror and online unless a test says so."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("DLCOURSE_CACHE", str(cache))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.delenv("DLCOURSE_MIRROR", raising=False)
    monkeypatch.delenv("DLCOURSE_OFFLINE", raising=False)
    monkeypatch.delenv("DLCOURSE_GRADING", raising=False)
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return cache


@pytest.fixture
def mirror(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real mirror, named by DLCOURSE_MIRROR, offline so that nothing can be downloaded."""
    if MIRROR is None or not MIRROR.is_dir():
        pytest.skip(
            f"mirror ../shared/datasets not found: {MIRROR or _DEFAULT_MIRROR} is not a folder "
            "(set DLCOURSE_MIRROR to the folder of online-asset copies)"
        )
    monkeypatch.setenv("DLCOURSE_MIRROR", str(MIRROR))
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    return MIRROR


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _assert_one_sentence(message: str) -> None:
    assert "\n" not in message
    assert message.endswith(".")
    assert ". " not in message, message  # no second sentence


# --- a local HTTP server standing in for the internet ---------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """(base URL, folder it serves) of an HTTP server on 127.0.0.1 in a thread."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 whose port nothing listens on (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/pg2701.txt"


class _RecordingBar(std_tqdm):  # type: ignore[misc]
    """tqdm that remembers its instances, to check the progress bar's total."""

    made: list[_RecordingBar] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _RecordingBar.made.append(self)


@pytest.fixture
def bars(monkeypatch: pytest.MonkeyPatch) -> list[_RecordingBar]:
    _RecordingBar.made = []
    monkeypatch.setattr(assets, "tqdm", _RecordingBar)
    return _RecordingBar.made


def _register(monkeypatch: pytest.MonkeyPatch, a: Asset) -> Asset:
    monkeypatch.setitem(assets.REGISTRY, a.name, a)
    return a


def _test_asset(url: str, data: bytes, **changes: Any) -> Asset:
    fields: dict[str, Any] = {
        "name": "test_text",
        "url": url,
        "filename": "served.txt",
        "sha256": _sha256(data),
        "size": len(data),
        "mirror_path": "test/served.txt",
        "description": "a test file",
        "licence": "CC0",
    }
    fields.update(changes)
    return Asset(**fields)


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".")] if folder.exists() else []


# --- registry and settings ------------------------------------------------------------------


def test_registry_has_the_course_assets() -> None:
    required = {
        "moby_dick",
        "shakespeare",
        "mnist_test_images",
        "mnist_test_labels",
        "mnist_train_labels",
        "cats_and_dogs_filtered",
        "mobilenet_v2_0.35_224_no_top",
    }
    assert required <= set(assets.REGISTRY)
    for name, a in assets.REGISTRY.items():
        assert a.name == name
        assert a.url.startswith("https://")
        assert a.licence and a.description and a.weeks
        assert set(a.weeks) <= {"01", "02", "03", "04", "05", "06", "07"}
        assert not a.mirror_path.startswith("/") and "\\" not in a.mirror_path
        verifiable = a.sha256 or a.content_sha256 or a.must_contain or a.magic or a.required
        assert verifiable, f"{name} has no way to be verified"

    moby = assets.REGISTRY["moby_dick"]
    assert moby.url == "https://www.gutenberg.org/cache/epub/2701/pg2701.txt"
    assert moby.sha256 is None and moby.must_contain == "Call me Ishmael"
    assert moby.mirror_path == "moby_dick/2701-0.txt"
    shakespeare = assets.REGISTRY["shakespeare"]
    assert shakespeare.sha256 == "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
    assert shakespeare.mirror_path == "text/shakespeare.txt"
    for name in ("mnist_test_images", "mnist_test_labels", "mnist_train_labels"):
        a = assets.REGISTRY[name]
        assert a.url.startswith("https://storage.googleapis.com/cvdf-datasets/mnist/")
        assert a.sha256 is None and a.content_sha256 is not None
    cats = assets.REGISTRY["cats_and_dogs_filtered"]
    assert cats.kind == "directory"
    assert cats.url == "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"
    assert cats.mirror_path == "cats_and_dogs_filtered_subset/cats_and_dogs_filtered"
    weights = assets.REGISTRY["mobilenet_v2_0.35_224_no_top"]
    assert weights.sha256 is None
    assert weights.url.endswith("/mobilenet_v2/" + weights.filename)
    assert weights.mirror_path == "keras_home/models/" + weights.filename


def test_src_never_names_the_shared_mirror() -> None:
    for module in ("assets.py", "data.py"):
        assert "/work/shared" not in (REPO / "src" / "dlcourse" / module).read_text()


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, isolated_env: Path
) -> None:
    assert assets.cache_dir() == isolated_env
    assert assets.cache_path("shakespeare") == isolated_env / "shakespeare" / "shakespeare.txt"
    assert assets.cache_path("cats_and_dogs_filtered") == (
        isolated_env / "cats_and_dogs_filtered" / "cats_and_dogs_filtered"
    )
    monkeypatch.delenv("DLCOURSE_CACHE")
    assert assets.cache_dir() == Path.home() / ".cache" / "dlcourse"
    assert assets.mirror_dir() is None
    monkeypatch.setenv("DLCOURSE_MIRROR", "")
    assert assets.mirror_dir() is None
    monkeypatch.setenv("DLCOURSE_MIRROR", "/somewhere/mirror")
    assert assets.mirror_dir() == Path("/somewhere/mirror")


@pytest.mark.parametrize(
    ("value", "offline"),
    [("1", True), ("yes", True), ("true", True), ("0", False), ("", False), ("false", False)],
)
def test_offline_flag(monkeypatch: pytest.MonkeyPatch, value: str, offline: bool) -> None:
    monkeypatch.setenv("DLCOURSE_OFFLINE", value)
    assert assets.is_offline() is offline


def test_unknown_asset_lists_the_valid_names() -> None:
    with pytest.raises(ValueError, match="moby_dick"):
        assets.fetch("war_and_peace")


# --- mirror and cache -----------------------------------------------------------------------


@pytest.mark.parametrize("name", FILE_ASSETS)
def test_fetch_copies_a_verified_mirror_file_into_the_cache(
    name: str, mirror: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = assets.REGISTRY[name]
    source = mirror / a.mirror_path
    path = assets.fetch(name)
    assert path == isolated_env / name / a.filename
    assert path.read_bytes() == source.read_bytes()
    assert _leftovers(isolated_env) == []
    # Now a verified cache hit: no mirror needed any more.
    monkeypatch.delenv("DLCOURSE_MIRROR")
    assert assets.fetch(name) == path
    assert assets.is_available(name)


def test_mirror_gz_is_checked_by_its_decompressed_content(mirror: Path) -> None:
    a = assets.REGISTRY["mnist_test_labels"]
    data = (mirror / a.mirror_path).read_bytes()
    assert hashlib.md5(data).hexdigest() != "ec29112dd5afa0611ce80d1b7f02629c"  # re-gzipped
    assert _sha256(gzip.decompress(data)) == a.content_sha256
    assert assets.fetch("mnist_test_labels").read_bytes() == data


def test_fetch_returns_the_verified_mirror_folder(mirror: Path, isolated_env: Path) -> None:
    path = assets.fetch("cats_and_dogs_filtered")
    assert path == mirror / "cats_and_dogs_filtered_subset" / "cats_and_dogs_filtered"
    assert len(list((path / "train" / "cats").glob("*.jpg"))) == 150
    assert not (isolated_env / "cats_and_dogs_filtered").exists()  # used in place, read-only
    assert assets.is_available("cats_and_dogs_filtered")


def test_a_corrupt_cache_file_is_replaced_from_the_mirror(mirror: Path, isolated_env: Path) -> None:
    target = assets.cache_path("shakespeare")
    target.parent.mkdir(parents=True)
    target.write_text("To be, or not to be\n")
    path = assets.fetch("shakespeare")
    assert path == target
    assert _sha256(path.read_bytes()) == assets.REGISTRY["shakespeare"].sha256


def _copy_of_mirrored_folder(mirror: Path, tmp_path: Path) -> Path:
    import shutil

    fake = tmp_path / "fake_mirror"
    shutil.copytree(
        mirror / "cats_and_dogs_filtered_subset", fake / "cats_and_dogs_filtered_subset"
    )
    return fake


def test_a_mirror_folder_that_differs_from_its_listing_is_refused(
    mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _copy_of_mirrored_folder(mirror, tmp_path)
    monkeypatch.setenv("DLCOURSE_MIRROR", str(fake))
    folder = fake / "cats_and_dogs_filtered_subset" / "cats_and_dogs_filtered"
    assert assets.fetch("cats_and_dogs_filtered") == folder

    (folder / "train" / "dogs" / "dog.7.jpg").write_bytes(b"not a dog")
    with pytest.raises(AssetUnavailable, match=r"dog\.7\.jpg differs from the listing"):
        assets.fetch("cats_and_dogs_filtered")
    assert not assets.is_available("cats_and_dogs_filtered")

    (folder / "train" / "dogs" / "dog.7.jpg").unlink()
    with pytest.raises(AssetUnavailable, match="listed files are missing"):
        assets.fetch("cats_and_dogs_filtered")


def test_mirror_file_with_wrong_content_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "fake_mirror"
    (fake / "mnist").mkdir(parents=True)
    (fake / "mnist" / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\0\0\x08\x01"))
    monkeypatch.setenv("DLCOURSE_MIRROR", str(fake))
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    with pytest.raises(AssetUnavailable) as info:
        assets.fetch("mnist_test_labels")
    assert "decompressed bytes" in info.value.reason
    assert "DLCOURSE_OFFLINE" in info.value.reason
    _assert_one_sentence(str(info.value))


def test_offline_without_mirror_says_what_where_and_how(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    url = "https://www.gutenberg.org/cache/epub/2701/pg2701.txt"
    with pytest.raises(AssetUnavailable) as info:
        assets.fetch("moby_dick")
    message = str(info.value)
    _assert_one_sentence(message)
    assert message.startswith("Asset 'moby_dick' (" + url + ") is not available:")
    assert "DLCOURSE_OFFLINE is set" in message
    assert f"put the file at {isolated_env / 'moby_dick' / 'pg2701.txt'}" in message
    assert "set DLCOURSE_MIRROR to a folder holding moby_dick/2701-0.txt" in message
    assert isinstance(info.value, RuntimeError)
    assert not assets.is_available("moby_dick")
    skip = assets.skip_message("moby_dick")
    _assert_one_sentence(skip)
    assert "moby_dick" in skip and url in skip and "DLCOURSE_MIRROR" in skip


def test_optional_part_runs_when_its_assets_are_there(
    mirror: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert assets.optional_part("mobilenet_v2_0.35_224_no_top", "cats_and_dogs_filtered")
    assert capsys.readouterr().out == ""


def test_optional_part_skips_with_one_sentence_naming_the_missing_asset(
    mirror: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOURSE_MIRROR", str(mirror / "no such folder"))
    assert not assets.optional_part("mobilenet_v2_0.35_224_no_top", "cats_and_dogs_filtered")
    printed = capsys.readouterr().out.strip()
    assert printed == assets.skip_message("mobilenet_v2_0.35_224_no_top")
    _assert_one_sentence(printed)


@pytest.mark.parametrize("value", ["1", "yes"])
def test_optional_part_skips_in_a_grading_kernel_even_with_the_mirror(
    mirror: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("DLCOURSE_GRADING", value)
    assert assets.is_grading()
    assert not assets.optional_part("mobilenet_v2_0.35_224_no_top")
    assert capsys.readouterr().out.strip() == assets.GRADING_SKIP_MESSAGE
    _assert_one_sentence(assets.GRADING_SKIP_MESSAGE)
    monkeypatch.setenv("DLCOURSE_GRADING", "0")
    assert not assets.is_grading()


def test_optional_part_rejects_unknown_or_missing_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLCOURSE_GRADING", "1")
    with pytest.raises(ValueError, match="unknown asset 'imagenet'"):
        assets.optional_part("imagenet")
    with pytest.raises(ValueError, match="name at least one asset"):
        assets.optional_part()


def test_mirror_lacking_the_file_is_named_in_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOURSE_MIRROR", str(tmp_path))
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    with pytest.raises(AssetUnavailable, match=f"the mirror {tmp_path} has no text/shakespeare"):
        assets.fetch("shakespeare")


# --- downloads from a local HTTP server -----------------------------------------------------


def test_download_streams_with_a_progress_bar_verifies_and_caches(
    server: tuple[str, Path],
    bars: list[_RecordingBar],
    isolated_env: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, root = server
    data = b"".join(b"line %d of a served file\n" % i for i in range(60_000))  # 1.5 MB
    (root / "served.txt").write_bytes(data)
    a = _register(monkeypatch, _test_asset(base + "served.txt", data))

    assert assets.is_available(a.name)  # a HEAD request
    path = assets.fetch(a.name)
    assert path == isolated_env / a.name / "served.txt"
    assert path.read_bytes() == data
    assert len(bars) == 1
    assert bars[0].total == len(data) and bars[0].n == len(data)
    assert _leftovers(isolated_env) == []

    (root / "served.txt").unlink()  # a second call is a cache hit
    assert assets.fetch(a.name, progress=False) == path
    assert len(bars) == 1


def test_download_of_a_real_gz_asset_checks_decompressed_bytes(
    mirror: Path, server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, root = server
    monkeypatch.delenv("DLCOURSE_MIRROR")
    monkeypatch.delenv("DLCOURSE_OFFLINE")
    real = assets.REGISTRY["mnist_test_labels"]
    data = (mirror / real.mirror_path).read_bytes()
    (root / real.filename).write_bytes(data)
    _register(monkeypatch, dataclasses.replace(real, url=base + real.filename))
    assert assets.fetch(real.name, progress=False).read_bytes() == data


def test_download_of_the_real_gutenberg_asset_checks_its_text(
    mirror: Path, server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, root = server
    monkeypatch.delenv("DLCOURSE_MIRROR")
    monkeypatch.delenv("DLCOURSE_OFFLINE")
    real = assets.REGISTRY["moby_dick"]
    (root / "pg2701.txt").write_bytes((mirror / real.mirror_path).read_bytes())
    (root / "other.txt").write_text("It was the best of times, it was the worst of times.\n")
    _register(monkeypatch, dataclasses.replace(real, url=base + "pg2701.txt"))
    assert "Call me Ishmael" in assets.fetch("moby_dick", progress=False).read_text("utf-8-sig")

    assets.cache_path("moby_dick").unlink()
    _register(monkeypatch, dataclasses.replace(real, url=base + "other.txt"))
    with pytest.raises(AssetUnavailable, match="does not contain the text 'Call me Ishmael'"):
        assets.fetch("moby_dick", progress=False)
    assert not assets.cache_path("moby_dick").exists()


def test_a_corrupted_download_is_deleted_and_reported(
    server: tuple[str, Path], isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, root = server
    good = b"the file as the publisher made it\n" * 100
    bad = bytearray(good)
    bad[10] ^= 0xFF
    (root / "served.txt").write_bytes(bytes(bad))
    a = _register(monkeypatch, _test_asset(base + "served.txt", good))
    with pytest.raises(AssetUnavailable) as info:
        assets.fetch(a.name, progress=False)
    message = str(info.value)
    _assert_one_sentence(message)
    assert f"its sha256 is {_sha256(bytes(bad))}, expected {a.sha256}" in message
    assert "deleted" in message
    assert not assets.cache_path(a.name).exists()
    assert _leftovers(isolated_env) == []


def test_a_refused_connection_fails_fast_with_one_clear_sentence(
    closed_port_url: str, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = assets.REGISTRY["moby_dick"]
    _register(monkeypatch, dataclasses.replace(real, url=closed_port_url))
    started = time.monotonic()
    assert not assets.is_available("moby_dick")
    with pytest.raises(AssetUnavailable) as info:
        assets.fetch("moby_dick")
    assert time.monotonic() - started < 5
    message = str(info.value)
    _assert_one_sentence(message)
    assert "'moby_dick'" in message and closed_port_url in message
    assert "refused" in message.lower()
    assert "connect to the internet, or put the file at " in message
    assert str(isolated_env / "moby_dick" / "pg2701.txt") in message
    assert "set DLCOURSE_MIRROR to a folder holding moby_dick/2701-0.txt" in message
    assert info.value.url == closed_port_url and info.value.name == "moby_dick"


def test_http_errors_are_reported(
    server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _root = server
    a = _register(monkeypatch, _test_asset(base + "missing.txt", b"x"))
    assert not assets.is_available(a.name)
    with pytest.raises(AssetUnavailable, match="HTTP 404"):
        assets.fetch(a.name, progress=False)


def _zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_a_zipped_folder_is_downloaded_extracted_and_verified(
    server: tuple[str, Path],
    bars: list[_RecordingBar],
    isolated_env: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, root = server
    files = {
        f"cats_and_dogs_filtered/{split}/{kind}/{kind[:3]}.{i}.jpg": f"{split}{kind}{i}".encode()
        for split in ("train", "validation")
        for kind in ("cats", "dogs")
        for i in range(3)
    }
    files["cats_and_dogs_filtered/vectorize.py"] = b"# not an image\n"
    archive = _zip_of(files)
    (root / "cats_and_dogs_filtered.zip").write_bytes(archive)
    real = assets.REGISTRY["cats_and_dogs_filtered"]
    _register(monkeypatch, dataclasses.replace(real, url=base + "cats_and_dogs_filtered.zip"))

    folder = assets.fetch("cats_and_dogs_filtered")
    assert folder == isolated_env / "cats_and_dogs_filtered" / "cats_and_dogs_filtered"
    assert (folder / "train" / "dogs" / "dog.2.jpg").read_bytes() == b"traindogs2"
    assert bars[0].total == len(archive)
    listing = (folder.parent / "SHA256SUMS").read_text().splitlines()
    assert len(listing) == len(files)
    assert not (folder.parent / real.filename).exists()  # the zip is not kept
    assert _leftovers(isolated_env) == []

    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    assert assets.fetch("cats_and_dogs_filtered") == folder  # verified cache hit
    (folder / "validation" / "cats" / "cat.1.jpg").write_bytes(b"tampered")
    with pytest.raises(AssetUnavailable, match="was deleted because the sha256 of"):
        assets.fetch("cats_and_dogs_filtered")
    assert not folder.exists()
    assert not (folder.parent / "SHA256SUMS").exists()


def test_a_broken_zip_is_refused(server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    base, root = server
    (root / "junk.zip").write_bytes(b"<html>Service unavailable</html>")
    (root / "partial.zip").write_bytes(_zip_of({"elsewhere/readme.txt": b"hello"}))
    real = assets.REGISTRY["cats_and_dogs_filtered"]
    _register(monkeypatch, dataclasses.replace(real, url=base + "junk.zip"))
    with pytest.raises(AssetUnavailable, match="does not start with the bytes"):
        assets.fetch("cats_and_dogs_filtered", progress=False)
    _register(monkeypatch, dataclasses.replace(real, url=base + "partial.zip"))
    with pytest.raises(AssetUnavailable, match="unzipped folder is incomplete"):
        assets.fetch("cats_and_dogs_filtered", progress=False)


# --- Keras weights --------------------------------------------------------------------------


def test_ensure_keras_weights_copies_into_keras_models(mirror: Path, tmp_path: Path) -> None:
    a = assets.REGISTRY["mobilenet_v2_0.35_224_no_top"]
    home = tmp_path / "my_keras_home"
    dest = assets.ensure_keras_weights(keras_home=home)
    assert dest == home / "models" / a.filename
    assert dest.read_bytes() == (mirror / a.mirror_path).read_bytes()
    before = dest.stat().st_mtime_ns
    assert assets.ensure_keras_weights(keras_home=home) == dest  # already there: kept
    assert dest.stat().st_mtime_ns == before


def test_mobilenet_v2_loads_the_mirrored_weights_offline(mirror: Path, tmp_path: Path) -> None:
    """Keras reads KERAS_HOME once, at import: the subprocess sets it before importing Keras."""
    keras_home = tmp_path / "keras_home"
    script = textwrap.dedent(
        """
        import json
        from dlcourse import assets

        path = assets.ensure_keras_weights(progress=False)
        import keras

        model = keras.applications.MobileNetV2(
            weights="imagenet", alpha=0.35, include_top=False, input_shape=(224, 224, 3)
        )
        import h5py
        import numpy as np

        with h5py.File(path) as f:  # the file's first kernel is the model's first kernel
            stored = f["Conv1"]["Conv1/kernel"][()]
        same = bool(np.array_equal(model.get_layer("Conv1").kernel.numpy(), stored))
        print(json.dumps({"path": str(path), "params": model.count_params(),
                          "home": str(assets._keras_home()), "same": same}))
        """
    )
    env = {
        **os.environ,
        "KERAS_HOME": str(keras_home),
        "DLCOURSE_CACHE": str(tmp_path / "cache"),
        "DLCOURSE_MIRROR": str(mirror),
        "DLCOURSE_OFFLINE": "1",
        "CUDA_VISIBLE_DEVICES": "",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["params"] == 410_208
    assert report["same"], "the model does not hold the mirrored weights"
    assert report["home"] == str(keras_home)
    weights = keras_home / "models" / assets.REGISTRY["mobilenet_v2_0.35_224_no_top"].filename
    assert report["path"] == str(weights)
    assert (keras_home / "keras.json").exists()  # Keras wrote here, not into the mirror
    assert "Downloading data from" not in result.stdout + result.stderr
