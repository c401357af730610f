"""Generate the student notebooks in ``course/`` from ``solutions/``, and check they agree.

Every generation also records the week in the gradebook, with its configured due date
(:mod:`dlcourse.grading.late`).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlcourse.grading.course import COURSE_ID, Course, CourseError, ensure_sqlite_folder
from dlcourse.grading.late import record_due_date

#: Notebook metadata that changes with the machine or the Jupyter version, not the content.
VOLATILE_NOTEBOOK_METADATA = ("language_info", "widgets", "toc", "celltoolbar")


def _generate(course: Course, week: str, release_dir: Path, db_url: str) -> None:
    ensure_sqlite_folder(db_url)
    config = course.config(release_directory=str(release_dir), db_url=db_url)
    result = course.api(config).generate_assignment(week, force=True, create=True)
    if not result.get("success"):
        log = (result.get("error") or result.get("log") or "").strip().splitlines()
        reason = log[-1] if log else "no log"
        raise CourseError(f"nbgrader could not generate the student version of {week}: {reason}")
    record_due_date(config, week, db_url, COURSE_ID)


def release(course: Course, weeks: list[str] | None = None) -> list[Path]:
    """Regenerate ``course/WEEK`` for ``weeks`` (default: all) and return the notebooks written.

    The gradebook is updated too (nbgrader records the assignment's cells there), so that the
    course can be autograded afterwards.
    """
    weeks = [course.check_week(w) for w in weeks] if weeks else course.weeks()
    for week in weeks:
        _generate(course, week, course.release_dir, course.db_url)
    return [nb for week in weeks for nb in course.released_notebooks(week)]


def register(course: Course, week: str, db_url: str | None = None) -> None:
    """Record ``week`` in the gradebook without touching ``course/`` (needed before autograding)."""
    with tempfile.TemporaryDirectory(prefix="dlcourse-release-") as tmp:
        _generate(course, week, Path(tmp) / "release", db_url or course.db_url)


def normalized(path: Path) -> dict[str, Any]:
    """A notebook's content with volatile metadata removed, for comparisons."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    meta = {k: v for k, v in nb.get("metadata", {}).items() if k not in VOLATILE_NOTEBOOK_METADATA}
    cells = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        cells.append(
            {
                "cell_type": cell.get("cell_type"),
                "source": "".join(source) if isinstance(source, list) else source,
                "nbgrader": cell.get("metadata", {}).get("nbgrader"),
                "outputs": cell.get("outputs", []),
            }
        )
    return {"metadata": meta, "cells": cells}


@dataclass(frozen=True)
class ReleaseDifference:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def check_release(course: Course, weeks: list[str] | None = None) -> list[ReleaseDifference]:
    """Compare committed ``course/`` with a fresh nbgrader release; return the differences."""
    weeks = [course.check_week(w) for w in weeks] if weeks else course.weeks()
    differences: list[ReleaseDifference] = []
    with tempfile.TemporaryDirectory(prefix="dlcourse-check-") as tmp:
        fresh_root = Path(tmp) / "release"
        db_url = f"sqlite:///{Path(tmp) / 'gradebook.db'}"
        for week in weeks:
            _generate(course, week, fresh_root, db_url)
            fresh = {p.name: p for p in sorted((fresh_root / week).glob("*.ipynb"))}
            committed = {p.name: p for p in course.released_notebooks(week)}
            for name in sorted(fresh.keys() - committed.keys()):
                differences.append(ReleaseDifference(f"course/{week}/{name}", "missing"))
            for name in sorted(committed.keys() - fresh.keys()):
                differences.append(
                    ReleaseDifference(f"course/{week}/{name}", "has no source in solutions/")
                )
            for name in sorted(fresh.keys() & committed.keys()):
                if normalized(fresh[name]) != normalized(committed[name]):
                    differences.append(
                        ReleaseDifference(
                            f"course/{week}/{name}",
                            "differs from what nbgrader generates from solutions/",
                        )
                    )
    return differences
