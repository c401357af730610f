"""Wrong and right answers that the grading-contract tests try, one module per week, named after
the week folder (``w02_convolution.py``).

Each module defines

``MUTANTS``
    plausible wrong answers (:class:`Mutant`);
``ALTERNATIVES``
    correct answers written in a genuinely different style (:class:`Alternative`): another
    Keras API, another NumPy idiom, other names. Each must get full marks. At least two per
    graded answer cell. ``make test`` grades one alternative of each exercise that no
    ``full`` mutant touches end to end with nbgrader, inside the combined-mutant submission
    (``contract.split_alternatives``), and tries every other one at the exercise level (see
    ``exercise_runner``). ``scripts/grade_variants.py --alternatives`` grades the alternatives
    of the same ``group`` together in ONE submission, so a group holds at most one
    alternative per answer cell;
``AUDIT``
    the parameter audit (:class:`AuditRow`): one row per argument or setting that the
    instructions of a graded answer cell name, with the test cell that checks it and the
    mutant that proves the check works.

About mutants: The grading-contract tests check
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
    # The wrong answer raises in its own cell (as a student's would); its names are those it
    # defined before the error, so its test cells still judge it.
    crashes: bool = False

    @property
    def id(self) -> str:
        return f"{self.cell}:{self.name}"


@dataclass(frozen=True)
class Alternative:
    name: str
    cell: str  # grade_id of the solution cell whose code the alternative replaces
    source: str  # the correct answer, in another style
    group: int = 1  # grade_variants.py grades the alternatives of one group in one submission

    @property
    def id(self) -> str:
        return f"{self.cell}:{self.name}"


@dataclass(frozen=True)
class AuditRow:
    cell: str  # grade_id of the answer cell whose instructions name the parameter
    parameter: str  # the argument or setting, e.g. "stride (tried at 1, 2 and 3)"
    test: str  # grade_id of the test cell that checks it
    mutant: str  # name of the Mutant (of that cell) that gets it wrong and loses the points


def _week_module(week: str):
    try:
        return importlib.import_module(f"mutants.w{week}")
    except ModuleNotFoundError:
        return None


def mutants_for(week: str) -> list[Mutant]:
    """The mutants of ``week`` (``tests/mutants/w<week>.py``); empty if the file is missing."""
    module = _week_module(week)
    return list(getattr(module, "MUTANTS", []))


def alternatives_for(week: str) -> list[Alternative]:
    """The alternative correct answers of ``week``; empty if there are none."""
    module = _week_module(week)
    return list(getattr(module, "ALTERNATIVES", []))


def audit_for(week: str) -> list[AuditRow]:
    """The parameter audit of ``week``; empty if there is none."""
    module = _week_module(week)
    return list(getattr(module, "AUDIT", []))
