"""Cap what a submission's outputs may add to its graded notebook.

nbgrader's ``LimitOutput`` counts lines, so one ``print('x' * 100_000_000)`` still stores 100 MB
in the graded notebook, the feedback and the formgrader. :class:`LimitOutputSize` keeps the
start of each text output up to ``max_chars`` and says how much it cut.
"""

from __future__ import annotations

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer


class LimitOutputSize(NbGraderPreprocessor):
    max_chars = Integer(100_000, help="Characters kept of each text output.").tag(config=True)

    def _cut(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        cut = len(text) - self.max_chars
        return text[: self.max_chars] + f"\n... [{cut:,} more characters cut by the grader]\n"

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict, index: int
    ) -> tuple[NotebookNode, dict]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text = output.get("text", "")
                output["text"] = self._cut("".join(text) if isinstance(text, list) else text)
            for key, value in list(output.get("data", {}).items()):
                if key.startswith("text/") and isinstance(value, str):
                    output["data"][key] = self._cut(value)
        return cell, resources
