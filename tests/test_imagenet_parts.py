"""The ImageNet parts of weeks 04 and 05: not graded, but run here against the data mirror, and
checked to skip themselves with one sentence when neither the network nor a mirror is there.

The cells tagged ``imagenet`` in a week's solution notebook run in a fresh kernel after the
set-up cell (and, in week 05, after the exercise cells whose functions they apply), with their
own empty cache and Keras home.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from conftest import MIRROR, REPO
from nbclient import NotebookClient

from dlcourse.metrics import MIME_TYPE, from_notebook

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Part:
    week: str
    notebook: str
    metric: str  # the accuracy the part records
    with_answers: bool  # the part applies the functions of the week's exercises


PARTS = [
    Part(
        "04_transfer_learning",
        "transfer_learning.ipynb",
        "cats vs dogs: frozen MobileNetV2 + logistic regression",
        with_answers=False,
    ),
    Part(
        "05_saliency",
        "saliency.ipynb",
        "cats vs dogs: MobileNetV2 features + head, validation accuracy",
        with_answers=True,
    ),
]


def _meta(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _imagenet_cells(part: Part) -> tuple[nbformat.NotebookNode, int]:
    """A notebook of the set-up cell, the exercise answers if needed, and the tagged cells;
    and the index of the first tagged cell."""
    source = nbformat.read(REPO / "solutions" / part.week / part.notebook, as_version=4)
    cells, first = [], None
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        meta = _meta(cell)
        tagged = "imagenet" in cell.get("metadata", {}).get("tags", [])
        answer = part.with_answers and meta.get("solution") and not meta.get("grade")
        if meta.get("grade_id") == "setup" or answer or tagged:
            if tagged and first is None:
                first = len(cells)
            cells.append(nbformat.v4.new_code_cell(cell.source))
    assert first is not None, f"{part.notebook} has no cell tagged 'imagenet'"
    return nbformat.v4.new_notebook(cells=cells), first


def _run(nb: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return nb


def _errors(nb: nbformat.NotebookNode) -> list[str]:
    return [
        f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
        for i, cell in enumerate(nb.cells)
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]


def _printed(cells: list[nbformat.NotebookNode]) -> list[str]:
    return [
        line
        for cell in cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stdout"
        for line in out.get("text", "").splitlines()
        if line.strip()
    ]


@pytest.fixture
def fresh_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Empty cache and Keras home for the kernel (it inherits this process's environment)."""
    monkeypatch.setenv("DLCOURSE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    return tmp_path


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.week)
def test_imagenet_part_runs_against_the_mirror(
    part: Part, fresh_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (MIRROR / "keras_home").is_dir():
        pytest.skip(f"no data mirror at {MIRROR}")
    monkeypatch.setenv("DLCOURSE_MIRROR", str(MIRROR))
    nb, _ = _imagenet_cells(part)
    _run(nb, fresh_environment)
    assert _errors(nb) == []
    found = from_notebook(nb)
    assert part.metric in found, f"{part.week} recorded no '{part.metric}': {found}"
    assert found[part.metric] >= 0.75, f"{part.metric} = {found[part.metric]:.2f}, chance is 0.5"
    weights = fresh_environment / "keras" / "models"
    assert any(weights.glob("mobilenet_v2_*.h5")), "the weights did not go into KERAS_HOME"


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.week)
def test_imagenet_part_skips_with_one_sentence_offline(
    part: Part, fresh_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DLCOURSE_MIRROR", raising=False)
    from dlcourse import assets

    expected = assets.skip_message("mobilenet_v2_0.35_224_no_top")
    nb, first = _imagenet_cells(part)
    _run(nb, fresh_environment)
    assert _errors(nb) == []
    assert _printed(nb.cells[first:]) == [expected]
    assert not any(
        MIME_TYPE in out.get("data", {}) for cell in nb.cells[first:] for out in cell.outputs
    ), "a skipped part recorded a result"
    assert not (fresh_environment / "keras" / "models").exists()


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.week)
def test_imagenet_part_skips_while_grading_even_with_the_mirror(
    part: Part, fresh_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Grading kernels (DLCOURSE_GRADING, set by dlcourse's sandbox) skip the ungraded part:
    no downloads, no minutes spent on MobileNetV2 for zero points."""
    if MIRROR.is_dir():
        monkeypatch.setenv("DLCOURSE_MIRROR", str(MIRROR))
    monkeypatch.setenv("DLCOURSE_GRADING", "1")
    from dlcourse import assets

    nb, first = _imagenet_cells(part)
    _run(nb, fresh_environment)
    assert _errors(nb) == []
    assert _printed(nb.cells[first:]) == [assets.GRADING_SKIP_MESSAGE]
    assert not (fresh_environment / "keras" / "models").exists()
