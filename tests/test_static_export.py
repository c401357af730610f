"""Week 02 reads well with widgets not rendered: its solution, executed by nbclient (as
``jupyter nbconvert --execute`` does) and exported to HTML by nbconvert. No browser needed; the
browser tests make the same check for every week on the notebook JupyterLab saved."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import REPO
from contract import answered
from nbclient import NotebookClient
from static_export import (
    WIDGET_STATE,
    WIDGET_VIEW,
    export_html,
    visible_text,
    widget_fallback_problems,
    widget_outputs,
)

WEEK_02 = "02_convolution/convolution_by_hand.ipynb"


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    """Week 02 answered the way a student would, executed top to bottom."""
    nb = answered(
        nbformat.read(REPO / "course" / WEEK_02, as_version=4),
        nbformat.read(REPO / "solutions" / WEEK_02, as_version=4),
    )
    folder = REPO / "course" / WEEK_02.split("/")[0]
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    return nb


def editor(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, dict]:
    """The kernel-editor cell and its widget output's data."""
    found = [(nb.cells[i], data) for i, data in widget_outputs(nb)
             if "kernel_editor(" in nb.cells[i].source]
    assert len(found) == 1, "week 02 should display one kernel editor"
    return found[0]


def cell_html(page: str, cell_id: str) -> str:
    """The exported HTML of one cell (from its div to the next cell's)."""
    start = page.index(f'id="cell-id={cell_id}"')
    following = re.search(r'<div class="jp-Cell ', page[start:])
    return page[start : start + following.start()] if following else page[start:]


def test_widget_cell_shows_a_readable_fallback_in_html(executed: nbformat.NotebookNode) -> None:
    assert not widget_fallback_problems(executed)
    cell, data = editor(executed)
    shown = visible_text(cell_html(export_html(executed), cell.id))
    summary = visible_text(data["text/html"])
    assert "Kernel editor (interactive: run the notebook to use it)" in summary
    assert re.search(r"Preset: [\w ]+\. (-?\d+ ){8}-?\d+", summary), summary  # the 3×3 kernel
    assert summary in shown, f"the widget cell shows {shown!r}"


def test_saved_widget_state_is_exported_for_the_widget_manager(
    executed: nbformat.NotebookNode,
) -> None:
    # With the state saved (nbconvert --execute does so), nbconvert exports the widget view and
    # its state; the html-manager script (from a CDN) then draws the editor. Offline, that
    # output is empty: export without the state (JupyterLab's default) to get the summary.
    _, data = editor(executed)
    model_id = data[WIDGET_VIEW]["model_id"]
    assert model_id in executed.metadata["widgets"][WIDGET_STATE]["state"]
    page = export_html(executed, widget_state=True)
    assert model_id in page and WIDGET_STATE in page


@pytest.mark.filterwarnings("ignore:Your element with mimetype:UserWarning")
def test_a_widget_without_a_summary_is_reported() -> None:
    nb = nbformat.v4.new_notebook()
    view = {"model_id": "m1", "version_major": 2, "version_minor": 0}
    bundles = [
        {WIDGET_VIEW: view, "text/plain": "HBox(children=(IntSlider(value=3),))"},
        {WIDGET_VIEW: view},
        {WIDGET_VIEW: view, "text/plain": "Explorer(k=3)", "text/html": "<p>Explorer, k = 3</p>"},
    ]
    nb.cells = [
        nbformat.v4.new_code_cell(
            "w", outputs=[nbformat.v4.new_output("display_data", data=data)]
        )
        for data in bundles
    ]
    problems = widget_fallback_problems(nb)
    assert len(problems) == 2
    assert problems[0].startswith("cell 0: without widgets it shows only ipywidgets' repr")
    assert problems[1] == "cell 1: the widget has no text/html or text/plain fallback"
