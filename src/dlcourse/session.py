"""The one call at the top of every week notebook: :func:`setup`."""

from __future__ import annotations

import importlib.metadata
import warnings

from dlcourse import memory, provenance
from dlcourse.seeding import DEFAULT_SEED, set_seed

#: Versions the course is written and tested for (major.minor), as pinned in pyproject.toml.
EXPECTED_VERSIONS: dict[str, str] = {
    "keras": "3.15",
    "numpy": "2",
    "matplotlib": "3.11",
    "ipywidgets": "8.1",
}
TENSORFLOW_DISTRIBUTIONS = ("tensorflow-cpu", "tensorflow")
EXPECTED_TENSORFLOW = "2.21"


def _installed(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def version_problems() -> list[str]:
    """One sentence per package whose installed version differs from the course's pin."""
    problems = []
    expected = dict(EXPECTED_VERSIONS)
    tf_version = next(
        (v for v in (_installed(d) for d in TENSORFLOW_DISTRIBUTIONS) if v is not None), None
    )
    found = {name: _installed(name) for name in expected}
    found["tensorflow"] = tf_version
    expected["tensorflow"] = EXPECTED_TENSORFLOW
    for name, want in expected.items():
        have = found[name]
        if have is None:
            problems.append(f"{name} is not installed (the course needs {want}.x).")
        elif not (have == want or have.startswith(want + ".")):
            problems.append(
                f"{name} {have} is installed, the course is tested with {want}.x: "
                "results may differ (run `make lab` to get the course's environment)."
            )
    return problems


def plot_defaults() -> None:
    """Matplotlib defaults shared by every figure of the course."""
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (8.0, 4.0),
            "figure.dpi": 90,
            "axes.grid": False,
            "image.cmap": "gray",
            "axes.titlesize": "medium",
        }
    )


def setup(seed: int = DEFAULT_SEED, *, deterministic: bool = True) -> None:
    """Prepare a week notebook: keep the kernel's memory lean (:mod:`dlcourse.memory`), check
    versions, seed everything, record what every model is trained on
    (:mod:`dlcourse.provenance`), set plot defaults.

    ``deterministic`` switches TensorFlow's op determinism on, so that a notebook computes the
    same numbers (and gets the same grade) on every run.
    """
    memory.limit_retention()  # before TensorFlow is imported (by set_seed)
    memory.release_after_each_cell()
    for problem in version_problems():
        warnings.warn(problem, stacklevel=2)
    set_seed(seed, deterministic=deterministic)
    provenance.install()
    plot_defaults()
