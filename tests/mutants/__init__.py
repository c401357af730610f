"""Plausible wrong answers ("mutants"), one module per week, named after the week folder.

Each module defines ``MUTANTS``: a list of :class:`Mutant`. The grading-contract tests check
that every exercise (graded solution cell) has at least one mutant, that each mutant makes the
test cells it names fail, and, for mutants marked ``full``, that nbgrader grading the whole
mutated notebook takes exactly those cells' points and keeps all others.
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
    full: bool = False  # also grade the whole mutated notebook with nbgrader

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
