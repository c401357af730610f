"""A warning is not a failed test: graded cells' stderr output kept, but not scored as an error.

nbgrader scores a graded code cell 0 as soon as it wrote anything to stderr
(``nbgrader.utils.determine_grade``), even when every assertion in it passed. In a Keras
course that takes points from correct answers for reasons no student controls: a
``UserWarning`` from Keras about input structure, TensorFlow's C++ log lines (which ipykernel
forwards from file descriptor 2), a deprecation notice from a library. A failed test always
raises, and an exception is an ``error`` output, which still scores 0.

:class:`StderrIsNotFailure` relabels the stderr stream outputs of graded code cells as stdout,
after execution and before the grade is saved (Autograde) or read (Validate). The text stays in
the graded notebook and the feedback, so a warning the student should act on is still shown.
"""

from __future__ import annotations

from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor


class StderrIsNotFailure(NbGraderPreprocessor):
    def preprocess_cell(
        self, cell: NotebookNode, resources: dict, index: int
    ) -> tuple[NotebookNode, dict]:
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
        return cell, resources
