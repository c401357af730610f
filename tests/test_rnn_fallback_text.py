"""Week 07's text-generation exercises also work without Moby Dick.

The grading-contract tests run week 07 with the test mirror, so the language model is trained on
*Moby Dick*. Offline and without a mirror, ``data.load_corpus`` falls back to Python's own help
texts; this test runs the text section of the solution notebook that way (set-up cell, the text
cells and their exercises and tests, nothing else) and checks that the solution still passes.
"""

from __future__ import annotations

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

from dlcourse.grading.execute import SandboxedKernelManager
from dlcourse.grading.synthetic import nbgrader_meta, strip_markers

NOTEBOOK = REPO / "solutions" / "07_rnn" / "rnn.ipynb"
TEXT_CELLS = ("setup", "text_data", "char_model", "test_char_model", "sample", "test_sample")


def _error(cell: nbformat.NotebookNode) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename')}: {output.get('evalue')}"
    return None


@pytest.mark.slow
def test_07_rnn_text_exercises_pass_on_the_fallback_text(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    solution = nbformat.read(NOTEBOOK, as_version=4)
    by_id = {nbgrader_meta(c).get("grade_id"): c for c in solution.cells}
    cells = []
    for grade_id in TEXT_CELLS:
        cell = nbformat.v4.new_code_cell(strip_markers(by_id[grade_id].source))
        cell.metadata["grade_id"] = grade_id
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)

    # No mirror, no network, an empty cache: the loader must fall back (the kernel inherits this).
    monkeypatch.delenv("DLCOURSE_MIRROR", raising=False)
    monkeypatch.setenv("DLCOURSE_OFFLINE", "1")
    monkeypatch.setenv("DLCOURSE_CACHE", str(tmp_path / "cache"))
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=True,
        kernel_manager_class=SandboxedKernelManager,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()

    errors = {c.metadata["grade_id"]: _error(c) for c in nb.cells if _error(c)}
    assert not errors, f"cells failed on the fallback text: {errors}"
    printed = "".join(
        o.get("text", "") for o in nb.cells[1].outputs if o.get("output_type") == "stream"
    )
    assert "Could not load the text 'moby_dick'" in printed
    assert "pydoc_data.topics" in printed
