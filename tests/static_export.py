"""Does an executed notebook read well where widgets are not rendered (an HTML export)?

A widget output carries the widget view plus, from :mod:`dlcourse.widgets`, a ``text/html``
and ``text/plain`` summary. nbconvert shows the summary whenever the notebook holds no saved
widget state (JupyterLab's default when saving, GitHub, nbgrader's feedback); a plain ipywidgets
box would show only its Python repr (``HBox(children=(...))``) there.
"""

from __future__ import annotations

import copy
import html
import re

import nbformat
from nbconvert import HTMLExporter

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# ipywidgets' own repr, e.g. "HBox(children=(VBox(children=(Dropdown(...". Not for readers.
DEFAULT_REPR = re.compile(r"^\w+\((children|value|description|layout|options)=")


def visible_text(fragment: str) -> str:
    """The text an HTML fragment shows, tags removed and whitespace collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def export_html(nb: nbformat.NotebookNode, widget_state: bool = False) -> str:
    """The notebook as nbconvert's HTML (lab template); without the saved widget state unless
    ``widget_state``."""
    nb = copy.deepcopy(nb)
    if not widget_state:
        nb.metadata.pop("widgets", None)
    body, _ = HTMLExporter().from_notebook_node(nb)
    return body


def widget_outputs(nb: nbformat.NotebookNode) -> list[tuple[int, dict]]:
    """(cell index, output data) of every output that displays a widget."""
    return [
        (index, output.get("data", {}))
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]


def widget_fallback_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Widget outputs that would show nothing, or only a Python repr, exported to HTML."""
    problems = []
    exported = visible_text(export_html(nb))
    for index, data in widget_outputs(nb):
        fallback_html = data.get("text/html", "")
        fallback_text = visible_text(fallback_html) or data.get("text/plain", "").strip()
        if not fallback_text:
            problems.append(f"cell {index}: the widget has no text/html or text/plain fallback")
        elif not fallback_html and DEFAULT_REPR.match(fallback_text):
            problems.append(
                f"cell {index}: without widgets it shows only ipywidgets' repr "
                f"{fallback_text[:60]!r}; give the object a _repr_html_ summary"
            )
        elif " ".join(fallback_text.split()) not in exported:
            problems.append(f"cell {index}: its fallback {fallback_text[:60]!r} is not in the HTML")
    return problems
