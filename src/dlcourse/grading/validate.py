"""What the Validate button does, for a terminal: run a notebook and report failing tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dlcourse.grading.course import Course, CourseError

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class ValidationReport:
    path: Path
    failed: list[str] = field(default_factory=list)  # one text per failing cell
    changed: list[str] = field(default_factory=list)  # locked cells the student changed

    @property
    def ok(self) -> bool:
        return not self.failed and not self.changed


def validate(path: Path, course: Course | None = None) -> ValidationReport:
    """Execute the notebook at ``path`` like nbgrader's Validate button and collect failures."""
    from nbgrader.validator import Validator

    path = Path(path)
    if not path.is_file():
        raise CourseError(f"Notebook {path} not found.")
    if path.suffix != ".ipynb":
        raise CourseError(f"{path} is not a notebook (.ipynb).")
    course = course or Course.find(path.parent)
    config = course.config()
    validator = Validator(config=config)
    results = validator.validate(str(path.resolve()))
    report = ValidationReport(path)
    for cell in results.get("failed", []):
        error = ANSI_ESCAPE.sub("", cell.get("raw_error") or cell.get("error", "")).strip()
        report.failed.append(f"{cell['source'].strip()}\n{error}")
    for cell in results.get("changed", []) + results.get("type_changed", []):
        report.changed.append(cell.get("source", "").strip())
    return report
