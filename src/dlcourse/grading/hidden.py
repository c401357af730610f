"""Keep hidden tests out of the feedback students get back (nbgrader issues #917, #1363).

:class:`HideHiddenTests` runs in ``nbgrader generate_feedback``: it removes the hidden-test
regions from graded test cells and replaces the traceback of a failed test with the test's own
message (``AssertionError: conv2d_valid on a (9, 5) image: ...``), because a traceback quotes the
hidden source line that failed.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class HideHiddenTests(NbGraderPreprocessor):
    begin = Unicode("### BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("### END HIDDEN TESTS").tag(config=True)

    def _strip(self, source: str) -> tuple[str, bool]:
        kept, inside, removed = [], False, False
        for line in source.splitlines():
            if self.begin in line:
                inside, removed = True, True
                continue
            if self.end in line:
                inside = False
                continue
            if not inside:
                kept.append(line)
        if removed:
            kept.append("# (hidden tests ran here when your notebook was graded)")
        return "\n".join(kept), removed

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict, index: int
    ) -> tuple[NotebookNode, dict]:
        if cell.cell_type != "code":
            return cell, resources
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not (meta.get("grade") and not meta.get("solution")) and self.begin not in cell.source:
            return cell, resources
        cell.source, _ = self._strip(cell.source)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                message = ANSI.sub("", f"{output.get('ename')}: {output.get('evalue')}")
                output["traceback"] = [message]
        return cell, resources
