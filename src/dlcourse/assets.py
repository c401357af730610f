"""Registry of the course's online assets, fetched with checksum, cache, progress bar and mirror.

Most of the course runs on data that ships inside installed packages (see :mod:`dlcourse.data`).
A few parts need files from the internet; each is one :class:`Asset` in :data:`REGISTRY`:

- ``moby_dick``, ``shakespeare``: week 07 (RNNs), character-level language models on real
  prose (:func:`dlcourse.data.load_text`);
- ``mnist_test_images``, ``mnist_test_labels``, ``mnist_train_labels``: week 03 (CNN on
  MNIST), optional evaluation on the official 10,000-image test set
  (:func:`dlcourse.data.mnist_official_test`) and the full training set's class counts;
- ``cats_and_dogs_filtered``: week 04 (transfer learning) and week 05 (saliency)
  (:func:`dlcourse.data.load_cats_and_dogs`);
- ``mobilenet_v2_0.35_224_no_top``: Keras ImageNet weights of MobileNetV2 for weeks 04 and 05
  (:func:`ensure_keras_weights`).

:func:`fetch` looks for an asset in this order, and never needs the network when either of the
first two has it:

1. the cache, ``$DLCOURSE_CACHE`` (default ``~/.cache/dlcourse``), as ``<cache>/<name>/<file>``;
2. the mirror, ``$DLCOURSE_MIRROR``: a folder laid out like the course's test mirror
   (``moby_dick/2701-0.txt``, ``mnist/t10k-labels-idx1-ubyte.gz``, ...), used by CI;
3. the official URL, streamed with a progress bar into a temporary file, verified, and moved
   atomically into the cache. ``DLCOURSE_OFFLINE=1`` forbids this step.

Every copy is verified before use: the sha256 of the file as served when the publisher's file
is stable, the sha256 of the *decompressed* bytes for re-gzipped MNIST files, a text that must
occur for Project Gutenberg books (Gutenberg regenerates its files), the leading bytes (HDF5,
gzip) for files with no published hash, and a ``SHA256SUMS`` listing for folders. Whatever
goes wrong ends in :class:`AssetUnavailable`, whose message is one sentence saying which asset,
from where, why, and how to provide it. Notebooks call :func:`is_available` first and print
:func:`skip_message` when an online-only part cannot run.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from tqdm.auto import tqdm

from dlcourse import __version__

__all__ = [
    "Asset",
    "AssetUnavailable",
    "REGISTRY",
    "asset",
    "cache_dir",
    "cache_path",
    "ensure_keras_weights",
    "fetch",
    "is_available",
    "is_offline",
    "is_grading",
    "mirror_dir",
    "optional_part",
    "skip_message",
]

#: Seconds to wait for a connection (and for each read) when downloading.
CONNECT_TIMEOUT = 10.0
#: Seconds :func:`is_available` waits for the answer to its HEAD request.
HEAD_TIMEOUT = 3.0
_CHUNK = 1 << 20
_LISTING = "SHA256SUMS"
_USER_AGENT = f"dlcourse/{__version__} (Python urllib)"

AssetKind = Literal["file", "directory"]


@dataclass(frozen=True)
class Asset:
    """One online file (or zipped folder) the course uses, with what it takes to verify it.

    Attributes:
        name: registry key, e.g. ``"moby_dick"``.
        url: the official URL the file is downloaded from.
        filename: file name in the cache (for Keras weights: the name Keras looks for).
        sha256: sha256 of the file as served, or ``None`` when the publisher gives none or the
            file changes over time (Gutenberg texts, Keras ImageNet weights, the cats-and-dogs
            zip).
        size: size in bytes as served, or ``None`` when unknown or unstable. Sizes the progress
            bar when the server sends no Content-Length; checked only together with ``sha256``.
        mirror_path: path relative to the mirror root (``$DLCOURSE_MIRROR``), POSIX separators.
        description: what it is, in one line.
        licence: its licence or terms of use.
        weeks: the course weeks that use it.
        content_sha256: sha256 of the *decompressed* bytes of a ``.gz`` file. Used when the
            content is stable but the gzip wrapper is not (re-gzipped MNIST copies).
        must_contain: text that a verified (UTF-8) file must contain, for files with no stable
            bytes such as Project Gutenberg books.
        magic: bytes the file must start with (``b"\\x89HDF"`` for HDF5 weights, ...).
        kind: ``"file"``, or ``"directory"`` for a zip that is extracted into the cache.
        extract_dir: (directories) the top folder inside the zip, which :func:`fetch` returns.
        mirror_listing: (directories) path, relative to the mirror root, of a ``SHA256SUMS``
            file (``sha256sum`` format, paths relative to the listing's folder) that lists every
            file of the mirrored folder.
        required: (directories) sub-paths that must exist in the folder.
    """

    name: str
    url: str
    filename: str
    sha256: str | None
    size: int | None
    mirror_path: str
    description: str
    licence: str
    weeks: tuple[str, ...] = ()
    content_sha256: str | None = None
    must_contain: str | None = None
    magic: bytes | None = None
    kind: AssetKind = "file"
    extract_dir: str | None = None
    mirror_listing: str | None = None
    required: tuple[str, ...] = ()


_MNIST_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"
_MNIST_LICENCE = "MNIST by Y. LeCun, C. Cortes and C. Burges; usually cited as CC BY-SA 3.0"
_GZIP_MAGIC = b"\x1f\x8b"
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
_MOBILENET_FILE = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5"


def _registry(*assets: Asset) -> dict[str, Asset]:
    return {a.name: a for a in assets}


#: Every online asset of the course, by name.
REGISTRY: dict[str, Asset] = _registry(
    Asset(
        name="moby_dick",
        url="https://www.gutenberg.org/cache/epub/2701/pg2701.txt",
        filename="pg2701.txt",
        sha256=None,  # Gutenberg regenerates its files: no stable checksum
        size=None,
        mirror_path="moby_dick/2701-0.txt",
        description="Herman Melville, Moby Dick; or, The Whale (Project Gutenberg eBook #2701), "
        "plain text with Gutenberg's header and licence footer",
        licence="public domain in the USA; the file carries the Project Gutenberg licence",
        weeks=("07",),
        must_contain="Call me Ishmael",
    ),
    Asset(
        name="shakespeare",
        url="https://storage.googleapis.com/download.tensorflow.org/data/shakespeare.txt",
        filename="shakespeare.txt",
        sha256="86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
        size=1_115_394,
        mirror_path="text/shakespeare.txt",
        description="'tiny Shakespeare' (1,115,394 characters), as in TensorFlow's "
        "text-generation tutorial",
        licence="Shakespeare's works are public domain",
        weeks=("07",),
        must_contain="First Citizen",
    ),
    Asset(
        name="mnist_test_images",
        url=_MNIST_URL + "t10k-images-idx3-ubyte.gz",
        filename="t10k-images-idx3-ubyte.gz",
        sha256=None,  # copies are often re-gzipped: check the decompressed bytes instead
        size=1_648_877,
        mirror_path="mnist/t10k-images-idx3-ubyte.gz",
        description="official MNIST test images, 10,000 x 28 x 28, IDX format, gzipped",
        licence=_MNIST_LICENCE,
        weeks=("03",),
        content_sha256="0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        magic=_GZIP_MAGIC,
    ),
    Asset(
        name="mnist_test_labels",
        url=_MNIST_URL + "t10k-labels-idx1-ubyte.gz",
        filename="t10k-labels-idx1-ubyte.gz",
        sha256=None,
        size=4_542,
        mirror_path="mnist/t10k-labels-idx1-ubyte.gz",
        description="official MNIST test labels, 10,000, IDX format, gzipped",
        licence=_MNIST_LICENCE,
        weeks=("03",),
        content_sha256="ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        magic=_GZIP_MAGIC,
    ),
    Asset(
        name="mnist_train_labels",
        url=_MNIST_URL + "train-labels-idx1-ubyte.gz",
        filename="train-labels-idx1-ubyte.gz",
        sha256=None,
        size=28_881,
        mirror_path="mnist/train-labels-idx1-ubyte.gz",
        description="official MNIST training labels, 60,000, IDX format, gzipped",
        licence=_MNIST_LICENCE,
        weeks=("03",),
        content_sha256="65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        magic=_GZIP_MAGIC,
    ),
    Asset(
        name="cats_and_dogs_filtered",
        url="https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip",
        filename="cats_and_dogs_filtered.zip",
        sha256=None,  # Google publishes no checksum; the zip's CRCs are checked instead
        size=68_606_236,
        mirror_path="cats_and_dogs_filtered_subset/cats_and_dogs_filtered",
        description="cats vs dogs photos: train 1000+1000, validation 500+500 JPEGs "
        "(the mirror holds a 150+150 / 50+50 subset with the same layout and names)",
        licence="no licence stated; Kaggle 'Dogs vs. Cats' / Microsoft Research Asirra photos "
        "(Petfinder.com): research and education only",
        weeks=("04", "05"),
        kind="directory",
        extract_dir="cats_and_dogs_filtered",
        mirror_listing="cats_and_dogs_filtered_subset/SHA256SUMS",
        required=("train/cats", "train/dogs", "validation/cats", "validation/dogs"),
        magic=b"PK\x03\x04",  # checked on the downloaded zip
    ),
    Asset(
        name="mobilenet_v2_0.35_224_no_top",
        url="https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
        + _MOBILENET_FILE,
        filename=_MOBILENET_FILE,
        sha256=None,  # Keras publishes no hash for MobileNetV2 weights (file_hash=None)
        size=None,
        mirror_path="keras_home/models/" + _MOBILENET_FILE,
        description="Keras ImageNet weights of MobileNetV2 (alpha 0.35, 224x224, no top): "
        "410,208 parameters, HDF5",
        licence="Apache-2.0 (TF-slim MobileNetV2 checkpoints, converted by Keras)",
        weeks=("04", "05"),
        magic=_HDF5_MAGIC,
    ),
)


class AssetUnavailable(RuntimeError):
    """An asset could be found neither in the cache, nor in the mirror, nor online.

    ``str(error)`` is one sentence naming the asset, its official URL, the reason, and how to
    provide it. The parts are also attributes: ``name``, ``url``, ``reason``, ``remedy``.
    """

    def __init__(self, name: str, url: str, reason: str, remedy: str) -> None:
        self.name = name
        self.url = url
        self.reason = reason
        self.remedy = remedy
        super().__init__(f"Asset '{name}' ({url}) is not available: {reason}; {remedy}.")


# --- settings ---------------------------------------------------------------------------------


def cache_dir() -> Path:
    """The cache folder: ``$DLCOURSE_CACHE``, or ``~/.cache/dlcourse`` when unset."""
    value = os.environ.get("DLCOURSE_CACHE", "").strip()
    return Path(value or "~/.cache/dlcourse").expanduser()


def mirror_dir() -> Path | None:
    """The mirror folder ``$DLCOURSE_MIRROR``, or ``None`` when unset or empty."""
    value = os.environ.get("DLCOURSE_MIRROR", "").strip()
    return Path(value).expanduser() if value else None


def _flag(name: str) -> bool:
    """True when the environment variable ``name`` is set to anything but ``""``, ``0``,
    ``false``, ``no`` or ``off``."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


def is_offline() -> bool:
    """True when ``$DLCOURSE_OFFLINE`` is set (see :func:`_flag`)."""
    return _flag("DLCOURSE_OFFLINE")


def asset(name: str) -> Asset:
    """The registry entry called ``name``; a ValueError lists the valid names otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        valid = ", ".join(sorted(REGISTRY))
        raise ValueError(f"unknown asset {name!r}; valid names: {valid}") from None


def cache_path(name: str) -> Path:
    """Where the asset ``name`` lives in the cache (whether or not it is there yet).

    A file is ``<cache>/<name>/<filename>``; a directory asset is the extracted folder
    ``<cache>/<name>/<extract_dir>``, next to the ``SHA256SUMS`` listing written on extraction.
    """
    a = asset(name)
    if a.kind == "directory":
        return cache_dir() / a.name / (a.extract_dir or a.name)
    return cache_dir() / a.name / a.filename


def _mirror_file(a: Asset) -> Path | None:
    root = mirror_dir()
    return None if root is None else root.joinpath(*PurePosixPath(a.mirror_path).parts)


# --- verification -----------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _sha256_gunzip(path: Path) -> str:
    h = hashlib.sha256()
    with gzip.open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _check_file(a: Asset, path: Path) -> str | None:
    """Why ``path`` is not a good copy of the file asset ``a``, or None when it is."""
    if not path.is_file():
        return f"{path} is not a file"
    try:
        if a.magic is not None:
            with path.open("rb") as f:
                head = f.read(len(a.magic))
            if head != a.magic:
                return f"it does not start with the bytes {a.magic!r}"
        if a.sha256 is not None:
            if a.size is not None and (size := path.stat().st_size) != a.size:
                return f"its size is {size:,} bytes, expected {a.size:,}"
            if (digest := _sha256_file(path)) != a.sha256:
                return f"its sha256 is {digest}, expected {a.sha256}"
        if a.content_sha256 is not None:
            try:
                digest = _sha256_gunzip(path)
            except (OSError, EOFError, gzip.BadGzipFile) as e:
                return f"it cannot be decompressed ({_one_line(e)})"
            if digest != a.content_sha256:
                return (
                    f"the sha256 of its decompressed bytes is {digest}, expected {a.content_sha256}"
                )
        if a.must_contain is not None:
            text = path.read_bytes().decode("utf-8", errors="replace")
            if a.must_contain not in text:
                return f"it does not contain the text {a.must_contain!r}"
    except OSError as e:
        return f"it cannot be read ({_one_line(e)})"
    return None


def _files_under(folder: Path) -> Iterator[Path]:
    for root, _dirs, files in os.walk(folder):
        for file in files:
            yield Path(root, file)


def _check_directory(a: Asset, folder: Path, listing: Path | None) -> str | None:
    """Why ``folder`` is not a good copy of the directory asset ``a``, or None when it is.

    With a ``listing`` (``sha256sum`` format, paths relative to the listing's folder), every
    file under ``folder`` must be listed and every listed file must be present with its hash.
    """
    if not folder.is_dir():
        return f"{folder} is not a folder"
    missing = [r for r in a.required if not (folder / r).exists()]
    if missing:
        return f"{folder} lacks {', '.join(missing)}"
    if listing is None:
        return None
    if not listing.is_file():
        return f"its checksum listing {listing} is missing"
    base = listing.parent
    expected: dict[Path, str] = {}
    try:
        for line in listing.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            digest, _, rel = line.partition("  ")
            expected[base.joinpath(*PurePosixPath(rel.strip()).parts)] = digest.strip()
        present = set(_files_under(folder))
        listed = {p for p in expected if p.is_relative_to(folder)}
        if not listed:
            return f"its listing {listing} names no file in {folder}"
        if absent := sorted(listed - present):
            return f"{len(absent)} listed files are missing, e.g. {absent[0]}"
        if extra := sorted(present - listed):
            return f"{len(extra)} files are not in the listing {listing}, e.g. {extra[0]}"
        for path in sorted(listed):
            if _sha256_file(path) != expected[path]:
                return f"the sha256 of {path} differs from the listing {listing}"
    except (OSError, UnicodeDecodeError) as e:
        return f"it cannot be read ({_one_line(e)})"
    return None


def _check_cached(a: Asset, path: Path) -> str | None:
    if a.kind == "directory":
        listing = path.parent / _LISTING
        return _check_directory(a, path, listing if listing.exists() else None)
    return _check_file(a, path)


def _check_mirrored(a: Asset, path: Path) -> str | None:
    if a.kind == "directory":
        root = mirror_dir()
        listing = None
        if a.mirror_listing is not None and root is not None:
            listing = root.joinpath(*PurePosixPath(a.mirror_listing).parts)
        return _check_directory(a, path, listing)
    return _check_file(a, path)


# --- helpers ----------------------------------------------------------------------------------


def _one_line(error: BaseException | str) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text.rstrip(".")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _copy_atomic(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` through a temporary file in ``dest``'s folder, then rename."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(src, tmp)  # contents only: the mirror's read-only mode is not copied
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _remedy(a: Asset) -> str:
    online = "connect to the internet"
    if is_offline():
        online += " and unset DLCOURSE_OFFLINE"
    if a.kind == "directory":
        local = (
            f"unzip {a.filename} so that its folder {a.extract_dir} sits at {cache_path(a.name)}"
        )
    else:
        local = f"put the file at {cache_path(a.name)}"
    return f"{online}, or {local}, or set DLCOURSE_MIRROR to a folder holding {a.mirror_path}"


def _unavailable(a: Asset, reasons: list[str]) -> AssetUnavailable:
    reason = ", and ".join(_one_line(r) for r in reasons) or "it could not be obtained"
    return AssetUnavailable(a.name, a.url, reason, _remedy(a))


class _DownloadError(Exception):
    pass


def _request(url: str, method: str = "GET") -> urllib.request.Request:
    return urllib.request.Request(url, method=method, headers={"User-Agent": _USER_AGENT})


def _download_to(a: Asset, tmp: Path, progress: bool) -> None:
    """Stream ``a.url`` into ``tmp`` with a tqdm progress bar; raise _DownloadError on failure."""
    try:
        with urllib.request.urlopen(_request(a.url), timeout=CONNECT_TIMEOUT) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else a.size
            received = 0
            with (
                tmp.open("wb") as out,
                tqdm(
                    total=total,
                    unit="B",
                    unit_scale=True,
                    unit_divisor=1024,
                    desc=a.filename,
                    disable=not progress,
                ) as bar,
            ):
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
    except urllib.error.HTTPError as e:
        raise _DownloadError(f"the server answered HTTP {e.code} {e.reason}") from e
    except urllib.error.URLError as e:
        raise _DownloadError(f"the download failed ({_one_line(str(e.reason))})") from e
    except (OSError, ValueError) as e:  # timeouts, resets, IncompleteRead, bad URLs
        raise _DownloadError(f"the download failed ({_one_line(e)})") from e
    if length and length.isdigit() and received != int(length):
        raise _DownloadError(f"the download stopped after {received:,} of {int(length):,} bytes")


def _extract(a: Asset, archive: Path, target: Path) -> None:
    """Unzip ``archive``, check it, and move its folder ``a.extract_dir`` to ``target``.

    Writes ``SHA256SUMS`` (paths relative to ``target.parent``) beside the folder, so that later
    cache hits are verified file by file.
    """
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".extract-"))
    try:
        try:
            with zipfile.ZipFile(archive) as zf:
                if (bad := zf.testzip()) is not None:
                    raise _DownloadError(f"the zip's entry {bad} fails its CRC check")
                for member in zf.namelist():
                    parts = PurePosixPath(member).parts
                    if member.startswith("/") or ".." in parts:
                        raise _DownloadError(f"the zip holds an unsafe path {member}")
                zf.extractall(staging)
        except zipfile.BadZipFile as e:
            raise _DownloadError(f"the download is not a valid zip ({_one_line(e)})") from e
        folder = staging / (a.extract_dir or a.name)
        if (reason := _check_directory(a, folder, None)) is not None:
            raise _DownloadError(f"the unzipped folder is incomplete ({reason})")
        lines = [
            f"{_sha256_file(p)}  {p.relative_to(staging).as_posix()}"
            for p in sorted(_files_under(folder))
        ]
        (staging / _LISTING).write_text("\n".join(lines) + "\n", encoding="utf-8")
        if target.exists():
            _remove(target)
        os.replace(folder, target)
        os.replace(staging / _LISTING, target.parent / _LISTING)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _download(a: Asset, target: Path, progress: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{a.filename}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _download_to(a, tmp, progress)
        if (reason := _check_file(a, tmp)) is not None:
            raise _DownloadError(f"the downloaded file was deleted because {reason}")
        if a.kind == "directory":
            _extract(a, tmp, target)
        else:
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


# --- public API -------------------------------------------------------------------------------


def fetch(name: str, *, progress: bool = True) -> Path:
    """Return a local, verified path to the asset ``name``, downloading it only if needed.

    Order: (1) a verified copy in the cache; (2) the mirror ``$DLCOURSE_MIRROR``: files are
    verified and copied into the cache, a directory is verified and its mirror path returned
    (use it read-only); (3) unless ``$DLCOURSE_OFFLINE`` is set, the official URL, streamed with a
    progress bar (``progress=False`` hides it), verified, moved atomically into the cache (zips
    are extracted). A cached copy that fails its check is deleted and obtained again; a download
    that fails its check is deleted and the call fails.

    Used by :mod:`dlcourse.data` (week 07 texts, week 03 official MNIST test set, week 04/05
    cats and dogs) and by :func:`ensure_keras_weights` (weeks 04 and 05).

    Raises:
        AssetUnavailable: one sentence naming the asset, its URL, why, and how to provide it.
        ValueError: ``name`` is not in :data:`REGISTRY`.
    """
    a = asset(name)
    target = cache_path(name)
    reasons: list[str] = []

    if target.exists():
        if (reason := _check_cached(a, target)) is None:
            return target
        with contextlib.suppress(OSError):
            _remove(target)
            if a.kind == "directory":
                (target.parent / _LISTING).unlink(missing_ok=True)
        reasons.append(f"the cached copy {target} was deleted because {reason}")

    mirrored = _mirror_file(a)
    if mirrored is not None:
        if not mirrored.exists():
            reasons.append(f"the mirror {mirror_dir()} has no {a.mirror_path}")
        elif (reason := _check_mirrored(a, mirrored)) is not None:
            reasons.append(f"the mirror copy {mirrored} was not used because {reason}")
        elif a.kind == "directory":
            return mirrored
        else:
            try:
                _copy_atomic(mirrored, target)
            except OSError:  # no writable cache: read the verified mirror copy in place
                return mirrored
            return target

    if is_offline():
        reasons.append("DLCOURSE_OFFLINE is set, so no download was tried")
        raise _unavailable(a, reasons)
    try:
        _download(a, target, progress)
    except _DownloadError as e:
        reasons.append(str(e))
        raise _unavailable(a, reasons) from e
    except OSError as e:  # e.g. the cache folder is not writable
        reasons.append(f"it could not be saved to {target} ({_one_line(e)})")
        raise _unavailable(a, reasons) from e
    return target


def is_available(name: str) -> bool:
    """Whether :func:`fetch` can provide ``name`` (downloads nothing).

    True when a verified copy is cached or mirrored; otherwise, unless ``$DLCOURSE_OFFLINE`` is
    set, whether the official URL answers a HEAD request within 3 seconds. Notebooks of weeks 04,
    05 and 07 call it before an online-only part and print :func:`skip_message` when it is False.
    """
    a = asset(name)
    target = cache_path(name)
    if target.exists() and _check_cached(a, target) is None:
        return True
    mirrored = _mirror_file(a)
    if mirrored is not None and mirrored.exists() and _check_mirrored(a, mirrored) is None:
        return True
    if is_offline():
        return False
    for method in ("HEAD", "GET"):  # GET (body unread) for servers that refuse HEAD
        try:
            with urllib.request.urlopen(_request(a.url, method), timeout=HEAD_TIMEOUT) as reply:
                return 200 <= reply.status < 400
        except urllib.error.HTTPError as e:
            if e.code not in (403, 405, 501):
                return False
        except (OSError, ValueError):
            return False
    return False


def is_grading() -> bool:
    """True in a kernel started by dlcourse's grader (``$DLCOURSE_GRADING``, set by
    :mod:`dlcourse.grading.sandbox` for autograding, Validate and the grading tests)."""
    return _flag("DLCOURSE_GRADING")


#: What an optional part prints when it skips itself in a grading kernel.
GRADING_SKIP_MESSAGE = (
    "Skipping this part while grading: it earns no points, and a grade must not depend on "
    "downloads (it runs when you run the notebook yourself)."
)


def optional_part(*names: str) -> bool:
    """Whether an optional, ungraded part that needs the assets ``names`` runs now.

    When it does not, print the one sentence that says why, and return False: in a grading
    kernel (:func:`is_grading`: such parts earn no points, so the grader neither downloads nor
    spends minutes on them), or when one of the assets is neither cached, mirrored nor
    downloadable (:func:`skip_message` of the first such asset). Weeks 04 and 05 start their
    ImageNet parts with ``if assets.optional_part(WEIGHTS, PHOTOS): ...``.
    """
    if not names:
        raise ValueError("optional_part: name at least one asset the part needs")
    for name in names:
        asset(name)  # an unknown name is a bug in the notebook: say so even while grading
    if is_grading():
        print(GRADING_SKIP_MESSAGE)
        return False
    for name in names:
        if not is_available(name):
            print(skip_message(name))
            return False
    return True


def skip_message(name: str) -> str:
    """The one sentence a notebook prints when it skips a part that needs the asset ``name``."""
    a = asset(name)
    why = "DLCOURSE_OFFLINE is set" if is_offline() else "it cannot be downloaded here"
    return (
        f"Skipping this part: it needs '{a.name}' ({a.url}), which is neither cached nor "
        f"mirrored and {why}; to run it, {_remedy(a)}."
    )


def _keras_home() -> Path:
    """``keras_home()`` of the running Keras (imports Keras, hence TensorFlow)."""
    import keras

    accessor = getattr(keras.config, "keras_home", None)
    if accessor is None:  # Keras 3.15 keeps it private
        from keras.src.backend import config as keras_backend_config

        accessor = keras_backend_config.keras_home
    return Path(str(accessor()))


def _keras_models_dir(home: Path) -> Path:
    """The folder ``keras.utils.get_file(..., cache_subdir="models")`` uses for ``home``.

    Like Keras: when ``home`` is not writable, Keras falls back to ``/tmp/.keras``.
    """
    home = home.expanduser()
    with contextlib.suppress(OSError):  # a read-only home is handled just below
        home.mkdir(parents=True, exist_ok=True)
    if not os.access(home, os.W_OK):
        home = Path("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    return home / "models"


def ensure_keras_weights(
    name: str = "mobilenet_v2_0.35_224_no_top",
    *,
    keras_home: str | os.PathLike[str] | None = None,
    progress: bool = True,
) -> Path:
    """Put the Keras weights file ``name`` where Keras looks for it, and return that path.

    Weeks 04 (transfer learning) and 05 (saliency) call this before
    ``keras.applications.MobileNetV2(weights="imagenet", alpha=0.35, include_top=False,
    input_shape=(224, 224, 3))``, so that Keras finds the file in ``<keras_home>/models/`` and
    downloads nothing. The file comes from :func:`fetch` (cache, mirror, then the network) and is
    copied into Keras's folder; the mirror is never written to.

    ``keras_home`` defaults to the running Keras's home, which Keras reads from ``$KERAS_HOME``
    once, when it is first imported (default ``~/.keras``): set ``KERAS_HOME`` before importing
    Keras. (Keras 3.15 has no public ``keras.config.keras_home()``; the private
    ``keras.src.backend.config.keras_home()`` is used.) Like Keras, a home folder that is not
    writable is replaced by ``/tmp/.keras``. Passing ``keras_home`` avoids importing Keras here.
    """
    a = asset(name)
    if a.kind != "file":
        raise ValueError(f"asset {name!r} is a directory, not a Keras weights file")
    home = Path(keras_home) if keras_home is not None else _keras_home()
    dest = _keras_models_dir(home) / a.filename
    if dest.exists() and _check_file(a, dest) is None:
        return dest
    source = fetch(name, progress=progress)
    _copy_atomic(source, dest)
    return dest
