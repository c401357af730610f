"""Per-exercise statistics of a graded week (a :class:`~dlcourse.grading.cohort.Cohort`).

Per graded cell: the share of submissions with full, partial and zero marks, the mean, the
*difficulty* (classical test theory's item facility: the mean share of the cell's points that
submissions earned, so 1.0 is a cell everybody solves) and the *discrimination* (the Pearson
correlation between the cell's score and the rest of the total, the corrected item-total
correlation: students who do well elsewhere should do better here too), and the failure
messages, grouped so that the same message with other numbers counts once.

Cells to look at, with the thresholds below:

* discrimination below :data:`LOW_DISCRIMINATION` (near zero or negative): the cell does not
  separate students who know the material from those who don't;
* at least :data:`NEAR_UNIVERSAL_FAILURE` of the graded submissions score zero;
* one failure message seen by at least :data:`SHARED_MESSAGE` of the submissions: often a bug
  in the notebook, not in the students.

Cells that a person grades and has not graded yet count as *waiting*, never as zero: their
statistics use the submissions graded so far, and the rest-of-total leaves such cells out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from dlcourse.grading.cohort import Cohort, GradedCell, StudentWeek

LOW_DISCRIMINATION = 0.2
NEAR_UNIVERSAL_FAILURE = 0.9
SHARED_MESSAGE = 0.5
#: Below this many graded submissions a correlation says nothing; it is not computed.
MIN_FOR_DISCRIMINATION = 5
#: How many message groups each cell lists.
MESSAGES_SHOWN = 3

_NUMBER = re.compile(r"(?<![A-Za-z_])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_SPACE = re.compile(r"\s+")


def message_group(message: str) -> str:
    """The message with every number replaced by ``#`` (``expected 0.25, found 0.3`` and
    ``expected 0.5, found 1`` are one group)."""
    return _SPACE.sub(" ", _NUMBER.sub("#", message)).strip()


@dataclass(frozen=True)
class MessageGroup:
    pattern: str  # the message with numbers replaced by '#'
    example: str  # one message as a student saw it
    students: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.students)


@dataclass
class CellStats:
    cell: GradedCell
    graded: int  # submissions with a score for this cell
    waiting: int  # submissions whose answer a person has not graded yet
    mean: float | None = None
    full: float = 0.0  # share of graded submissions with all the points
    partial: float = 0.0
    zero: float = 0.0
    difficulty: float | None = None  # mean share of the points earned (1 = everybody)
    discrimination: float | None = None  # r(cell score, rest of the total)
    messages: list[MessageGroup] = field(default_factory=list)


@dataclass(frozen=True)
class Concern:
    grade_id: str
    reason: str


@dataclass
class WeekAnalysis:
    cohort: Cohort
    cells: list[CellStats]
    concerns: list[Concern]
    # submissions that timed out, whose kernel died, that could not be graded, that are
    # flagged for review, that came after the due date
    timed_out: list[StudentWeek] = field(default_factory=list)
    crashed: list[StudentWeek] = field(default_factory=list)
    failed: list[StudentWeek] = field(default_factory=list)
    flagged: list[StudentWeek] = field(default_factory=list)
    late: list[StudentWeek] = field(default_factory=list)

    @property
    def totals(self) -> list[float]:
        return [s.score for s in self.cohort.submissions]

    def stats(self, grade_id: str) -> CellStats:
        for stats in self.cells:
            if stats.cell.grade_id == grade_id:
                return stats
        raise KeyError(grade_id)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when either list is constant (or too short)."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def group_messages(failures: dict[str, str]) -> list[MessageGroup]:
    """Failure messages by student, grouped; the most common group first."""
    by_pattern: dict[str, list[str]] = {}
    example: dict[str, str] = {}
    for student, message in sorted(failures.items()):
        pattern = message_group(message)
        by_pattern.setdefault(pattern, []).append(student)
        example.setdefault(pattern, message)
    counts = Counter({p: len(s) for p, s in by_pattern.items()})
    return [
        MessageGroup(pattern, example[pattern], tuple(by_pattern[pattern]))
        for pattern, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def cell_stats(cohort: Cohort, cell: GradedCell, complete: list[str]) -> CellStats:
    """Statistics of one cell; ``complete`` are the cells every submission has a score for
    (the rest-of-total is summed over those)."""
    scored = [(s, s.scores.get(cell.grade_id)) for s in cohort.submissions]
    graded = [(s, v) for s, v in scored if v is not None]
    stats = CellStats(cell, graded=len(graded), waiting=len(scored) - len(graded))
    if graded:
        values = [v for _, v in graded]
        n = len(values)
        stats.mean = sum(values) / n
        top = cell.max_score
        stats.full = sum(1 for v in values if top > 0 and v >= top - 1e-9) / n
        stats.zero = sum(1 for v in values if v <= 1e-9) / n
        stats.partial = 1.0 - stats.full - stats.zero
        stats.difficulty = stats.mean / top if top > 0 else None
        if n >= MIN_FOR_DISCRIMINATION:
            rest = [
                sum(s.scores.get(g) or 0.0 for g in complete if g != cell.grade_id)
                for s, _ in graded
            ]
            stats.discrimination = pearson(values, rest)
    failures = {s.student: s.failures[cell.grade_id] for s in cohort.submissions
                if cell.grade_id in s.failures}
    stats.messages = group_messages(failures)
    return stats


def concerns_for(stats: CellStats, submissions: int) -> list[Concern]:
    """Why a cell deserves a look (empty when it does not)."""
    grade_id = stats.cell.grade_id
    found = []
    if stats.discrimination is not None and stats.discrimination < LOW_DISCRIMINATION:
        found.append(Concern(grade_id, (
            f"discrimination {stats.discrimination:+.2f}: students who do well in the rest of "
            "the week do no better here"
        )))
    if stats.graded and stats.zero >= NEAR_UNIVERSAL_FAILURE:
        found.append(Concern(grade_id, (
            f"{stats.zero:.0%} of the graded submissions score zero here"
        )))
    if stats.messages and submissions:
        common = stats.messages[0]
        if common.count / submissions >= SHARED_MESSAGE:
            found.append(Concern(grade_id, (
                f"{common.count} of {submissions} submissions failed with the same message "
                f"({common.example!r}): check the notebook before the students"
            )))
    return found


def analyse(cohort: Cohort) -> WeekAnalysis:
    complete = [
        c.grade_id for c in cohort.cells
        if all(s.scores.get(c.grade_id) is not None for s in cohort.submissions)
    ]
    stats = [cell_stats(cohort, cell, complete) for cell in cohort.cells]
    concerns = [c for s in stats for c in concerns_for(s, len(cohort.submissions))]
    submissions = cohort.submissions
    return WeekAnalysis(
        cohort, stats, concerns,
        timed_out=[s for s in submissions if s.timed_out_in],
        crashed=[s for s in submissions if s.kernel_died_in],
        failed=[s for s in submissions if s.grading_failed],
        flagged=[s for s in submissions if s.flags],
        late=[s for s in submissions if s.seconds_late > 0],
    )
