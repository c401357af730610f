"""Plausible wrong answers ("mutants"), one module per week, named after the week folder.

Each module defines ``MUTANTS``: a list of :class:`Mutant`. The grading-contract tests check
that every exercise (graded solution cell) has at least one mutant and that each mutant makes
the test cells it names fail (exercise level: one kernel, see ``exercise_runner``). The mutants
marked ``full`` are also put together into ONE submission that nbgrader grades end to end: it
must lose exactly those mutants' test-cell points and keep every other cell's. So ``full``
mutants target different exercises and leave at least one exercise answered correctly.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    name: str
    cell: str  # grade_id of the solution cell whose code the mutant replaces
    source: str  # the wrong answer
    fails: tuple[str, ...]  # grade_ids of the test cells that must lose their points
    full: bool = False  # also in the week's combined submission graded by nbgrader

    @property
    def id(self) -> str:
        return f"{self.cell}:{self.name}"


def mutants_for(week: str) -> list[Mutant]:
    """The mutants of ``week`` (``tests/mutants/w<week>.py``); empty if the file is missing."""
    try:
        module = importlib.import_module(f"mutants.w{week}")
    except ModuleNotFoundError:
        return []
    return list(module.MUTANTS)
