"""Autograde a week's submissions with nbgrader and read the scores back from the gradebook."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dlcourse.grading.course import Course, CourseError
from dlcourse.grading.release import register


@dataclass
class CellScore:
    grade_id: str
    score: float
    max_score: float
    auto: bool  # graded by tests (code) rather than by hand (markdown)


@dataclass
class SubmissionResult:
    """One student's graded submission of one week."""

    student: str
    week: str
    status: str  # "graded" or "failed"
    reason: str = ""
    cells: list[CellScore] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(c.score for c in self.cells)

    @property
    def auto_score(self) -> float:
        return sum(c.score for c in self.cells if c.auto)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.cells)

    @property
    def auto_max_score(self) -> float:
        return sum(c.max_score for c in self.cells if c.auto)

    def cell(self, grade_id: str) -> CellScore:
        for cell in self.cells:
            if cell.grade_id == grade_id:
                return cell
        raise KeyError(grade_id)


def _notebook_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def collect(course: Course, week: str, submissions: Path) -> list[str]:
    """Copy submissions from ``submissions/STUDENT/[WEEK/]*.ipynb`` into ``autograde/submitted``.

    Returns the student ids found. A student folder without notebooks is reported, not copied.
    """
    week = course.check_week(week)
    if not submissions.is_dir():
        raise CourseError(f"Submission folder {submissions} does not exist.")
    students = []
    for student_dir in sorted(p for p in submissions.iterdir() if p.is_dir()):
        source = student_dir / week if (student_dir / week).is_dir() else student_dir
        notebooks = _notebook_files(source)
        if not notebooks:
            continue
        dest = course.submitted_dir / student_dir.name / week
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for nb in notebooks:
            shutil.copy2(nb, dest / nb.name)
        timestamp = source / "timestamp.txt"
        if timestamp.is_file():
            shutil.copy2(timestamp, dest / "timestamp.txt")
        students.append(student_dir.name)
    if not students:
        raise CourseError(
            f"No submissions of {week} found in {submissions}: expected one folder per student "
            f"holding the week's notebook (STUDENT/{week}/NOTEBOOK.ipynb or "
            "STUDENT/NOTEBOOK.ipynb)."
        )
    return students


def submitted_students(course: Course, week: str) -> list[str]:
    if not course.submitted_dir.is_dir():
        return []
    return sorted(p.name for p in course.submitted_dir.iterdir() if (p / week).is_dir())


def _assignment_registered(course: Course, week: str) -> bool:
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        try:
            gb.find_assignment(week)
        except MissingEntry:
            return False
    return True


def read_scores(course: Course, week: str, student: str) -> SubmissionResult:
    """The gradebook's scores for one student's submission of ``week``."""
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        try:
            submission = gb.find_submission(week, student)
        except MissingEntry:
            return SubmissionResult(student, week, "failed", "no submission in the gradebook")
        cells = [
            CellScore(
                grade_id=grade.name,
                score=float(grade.score or 0.0),
                max_score=float(grade.max_score or 0.0),
                auto=grade.cell.cell_type == "code",
            )
            for notebook in submission.notebooks
            for grade in notebook.grades
        ]
    return SubmissionResult(student, week, "graded", cells=cells)


def autograde(
    course: Course,
    week: str,
    *,
    submissions: Path | None = None,
    students: Iterable[str] | None = None,
    on_result: Callable[[SubmissionResult], None] | None = None,
) -> list[SubmissionResult]:
    """Autograde ``week`` for the given students (default: every submitted student).

    With ``submissions``, the notebooks are first collected from that folder. A submission
    nbgrader cannot grade is reported with ``status == "failed"`` and its reason; the others are
    graded regardless.
    """
    week = course.check_week(week)
    if submissions is not None:
        collected = collect(course, week, submissions)
        students = collected if students is None else students
    students = list(students) if students is not None else submitted_students(course, week)
    if not students:
        raise CourseError(
            f"No submissions of {week} to grade: put them in "
            f"{course.submitted_dir}/STUDENT/{week}/ or pass --submissions DIR."
        )
    if not _assignment_registered(course, week):
        register(course, week)
    api = course.api()
    results = []
    for student in students:
        outcome = api.autograde(week, student, force=True, create=True)
        if outcome.get("success"):
            result = read_scores(course, week, student)
        else:
            lines = (outcome.get("error") or outcome.get("log") or "").strip().splitlines()
            result = SubmissionResult(
                student, week, "failed", lines[-1] if lines else "nbgrader failed without a log"
            )
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
