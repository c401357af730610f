"""Key results a notebook reports (accuracy, loss, ...), readable by people and by the benchmark.

``record("test accuracy", 0.975)`` shows ``test accuracy: 0.975`` in the notebook and stores a
machine-readable copy in the cell output, which ``make bench`` collects into its table.
"""

from __future__ import annotations

MIME_TYPE = "application/vnd.dlcourse.metric+json"


def record(name: str, value: float, *, unit: str = "") -> None:
    """Show a named result and tag it for the benchmark table."""
    from IPython.display import display

    text = f"{name}: {value:.4g}{(' ' + unit) if unit else ''}"
    display({MIME_TYPE: {"name": name, "value": float(value), "unit": unit}, "text/plain": text},
            raw=True)


def from_notebook(nb: dict) -> dict[str, float]:
    """All metrics recorded in an executed notebook's outputs, by name."""
    found: dict[str, float] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(MIME_TYPE)
            if payload:
                found[payload["name"]] = float(payload["value"])
    return found
