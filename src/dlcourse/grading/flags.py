"""Flag submissions for manual review: what a kernel cannot be prevented from trying.

:class:`FlagSuspiciousCode` runs last in autograding. It scans the cells a student may edit for
tampering (monkeypatching, file-system and network access, killing the kernel, spawning
processes), adds what the runtime guard restored and whether the kernel died, stores the list in
the graded notebook's metadata (``metadata.dlcourse.flags``), and sets nbgrader's own ``flagged``
mark on the submitted notebook, which the formgrader shows. A flag never changes a score: the
guard and the sandbox already keep cheating from earning points; a person decides the rest.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from dlcourse.grading.execute import STATE_KEY, grading_state

#: (pattern, what it means) — matched line by line against editable cells.
SUSPICIOUS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"^\s*(np|numpy|checks|dlcourse|keras|tf|tensorflow|builtins|__builtins__)"
            r"(\.\w+)+\s*=[^=]"
        ),
        "assigns to a library attribute (monkeypatching what the tests use)",
    ),
    (re.compile(r"\b(setattr|delattr)\s*\("), "changes attributes with setattr/delattr"),
    (re.compile(r"\bsys\.modules\b|\bimportlib\.reload\b|__builtins__"),
     "manipulates imported modules or builtins"),
    (re.compile(r"\b(os\.(remove|unlink|rmdir|removedirs|rename|replace)|shutil\.(rmtree|move))"
                r"\s*\(|\.unlink\s*\(|\.rmdir\s*\("),
     "deletes or moves files"),
    (re.compile(r"gradebook|\.db\b|autograde[d]?/|submitted/|feedback/"),
     "refers to the grader's files"),
    (re.compile(r"\b(os\._exit|os\.kill|os\.abort|signal\.|sys\.exit|SystemExit|exit\(\))"),
     "exits or kills the kernel"),
    (re.compile(r"\b(subprocess|os\.system|os\.popen|os\.fork|multiprocessing|pty\.)"),
     "starts other processes"),
    (re.compile(r"\b(socket|urllib|requests|http\.client|ftplib|smtplib)\b"),
     "uses the network"),
    (re.compile(r"\bthreading\.Thread|\bos\.cpu_count\b|sched_setaffinity"),
     "starts threads or changes CPU use"),
]


def scan_source(source: str) -> list[str]:
    """What looks like tampering in one cell's source, one reason per kind found."""
    reasons: list[str] = []
    for line in source.splitlines():
        code = line.split("#", 1)[0]
        for pattern, meaning in SUSPICIOUS:
            if pattern.search(code) and meaning not in reasons:
                reasons.append(meaning)
    return reasons


def scan_notebook(nb: NotebookNode) -> list[str]:
    """Flags for every editable (solution) cell and every cell the student added."""
    flags = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("locked") and not meta.get("solution"):
            continue  # restored from the gradebook by nbgrader: not the student's code
        where = meta.get("grade_id") or f"cell {index}"
        flags.extend(f"{where}: {reason}" for reason in scan_source(cell.source))
    return flags


class FlagSuspiciousCode(NbGraderPreprocessor):
    """Record tamper flags in the notebook and in the gradebook (autograde, last step)."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        state = grading_state(resources)
        flags = scan_notebook(nb) + list(state["flags"])
        nb.metadata[STATE_KEY] = {"flags": flags, "kernel_died_in": state["kernel_died_in"]}
        if flags:
            self._mark_flagged(resources)
        return nb, resources

    def _mark_flagged(self, resources: dict) -> None:
        info = resources.get("nbgrader", {})
        needed = ("db_url", "notebook", "assignment", "student")
        if not all(info.get(key) for key in needed):
            return
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(info["db_url"], info.get("course_id", "")) as gb:
            try:
                notebook = gb.find_submission_notebook(
                    info["notebook"], info["assignment"], info["student"]
                )
            except MissingEntry:
                return
            notebook.flagged = True
            gb.db.commit()


def flags_of(nb: NotebookNode | dict) -> list[str]:
    """The flags a graded notebook carries (empty when none)."""
    return list(nb.get("metadata", {}).get(STATE_KEY, {}).get("flags", []))
