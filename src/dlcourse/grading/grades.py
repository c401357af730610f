"""The gradebook as a table: one row per student and week, written as CSV and printed.

``score`` is what the tests (and graders) gave; ``late_penalty`` what the late policy takes
from it (:mod:`dlcourse.grading.late`, from the current score); ``final_score`` the
difference, which the LMS exports (:mod:`dlcourse.grading.lms`) use.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from dlcourse.grading.autograde import read_report
from dlcourse.grading.course import Course
from dlcourse.grading.late import late_policy, penalty_points

COLUMNS = (
    "student",
    "week",
    "score",
    "max_score",
    "auto_score",
    "auto_max_score",
    "needs_manual",
    "flagged",
    "reason",
    "late_penalty",
    "final_score",
)


@dataclass(frozen=True)
class GradeRow:
    student: str
    week: str
    score: float
    max_score: float
    auto_score: float
    auto_max_score: float
    needs_manual: int  # cells still waiting for a grader
    flagged: bool = False  # marked for manual review (tampering, a failed run, a renamed file)
    reason: str = ""  # why points are zero or what was flagged (autograde/reports)
    late_penalty: float = 0.0  # points taken for handing in late (dlcourse.grading.late)

    @property
    def final_score(self) -> float:
        """The score after the late penalty: what goes into the LMS."""
        return max(0.0, self.score - self.late_penalty)

    def as_list(self) -> list[str]:
        return [
            self.student,
            self.week,
            f"{self.score:g}",
            f"{self.max_score:g}",
            f"{self.auto_score:g}",
            f"{self.auto_max_score:g}",
            str(self.needs_manual),
            "yes" if self.flagged else "",
            self.reason,
            f"{self.late_penalty:g}",
            f"{self.final_score:g}",
        ]


def grade_rows(course: Course, week: str | None = None) -> list[GradeRow]:
    """Every graded submission in the gradebook (of ``week`` only, when given)."""
    rows = []
    policy = late_policy(course.config())
    with course.gradebook() as gb:
        for assignment in gb.assignments:
            if week is not None and assignment.name != week:
                continue
            for submission in assignment.submissions:
                grades = [g for nb in submission.notebooks for g in nb.grades]
                auto = [g for g in grades if g.cell.cell_type == "code"]
                report = read_report(course, assignment.name, submission.student.id)
                reasons = [report.get("reason", "")] + list(report.get("flags", []))
                rows.append(
                    GradeRow(
                        student=submission.student.id,
                        week=assignment.name,
                        score=float(sum(g.score or 0 for g in grades)),
                        max_score=float(sum(g.max_score or 0 for g in grades)),
                        auto_score=float(sum(g.score or 0 for g in auto)),
                        auto_max_score=float(sum(g.max_score or 0 for g in auto)),
                        needs_manual=sum(1 for g in grades if g.needs_manual_grade),
                        flagged=any(nb.flagged for nb in submission.notebooks),
                        reason="; ".join(r for r in reasons if r),
                        late_penalty=penalty_points(
                            policy, float(submission.total_seconds_late or 0.0),
                            float(sum(g.score or 0 for g in grades))),
                    )
                )
    return sorted(rows, key=lambda r: (r.week, r.student))


def write_csv(rows: list[GradeRow], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(r.as_list() for r in rows)


def format_table(rows: list[GradeRow]) -> str:
    """A plain-text table for the terminal."""
    body = [list(COLUMNS)] + [r.as_list() for r in rows]
    widths = [max(len(line[i]) for line in body) for i in range(len(COLUMNS))]
    out = io.StringIO()
    for n, line in enumerate(body):
        out.write("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        out.write("\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")
    return out.getvalue()
