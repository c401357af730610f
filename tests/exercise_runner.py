"""Exercise-level checks: one kernel runs the solution notebook top to bottom; just before each
exercise's answer cell, every mutant (wrong answer) and every alternative correct answer of that
exercise is run in its place, followed by the cells up to its test cells, whose failure is
recorded. The real answer then runs and the notebook goes on. One notebook execution serves all
of a week's variants, so a variant costs only its own cell and the cells up to its tests."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat
from mutants import Alternative, Mutant
from nbclient import NotebookClient

from dlcourse.grading.execute import SandboxedKernelManager
from dlcourse.grading.synthetic import nbgrader_meta


class _KernelManager(SandboxedKernelManager):
    """The sandboxed kernel with one numeric thread per core this process may use."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if hasattr(os, "sched_getaffinity"):
            self.threads = len(os.sched_getaffinity(0))


@dataclass
class ExerciseOutcome:
    mutant: Mutant | Alternative  # the variant tried (a wrong or an alternative correct answer)
    failed: dict[str, bool]  # test grade_id -> did the test cell raise?
    errors: dict[str, str]  # test grade_id -> the error line, when it raised
    own_error: str | None = None  # the mutant's own cell raised (its test proves nothing then)


def _grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _error(cell: nbformat.NotebookNode) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename')}: {output.get('evalue')}"
    return None


def _partial_credit(cell: nbformat.NotebookNode) -> str | None:
    """nbgrader reads a number shown as a graded cell's result (its last line's value) as the
    cell's score: a test cell must never end with an expression that gives a number."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "execute_result":
            text = output.get("data", {}).get("text/plain", "")
            try:
                float(text)
            except ValueError:
                continue
            return f"the cell's last line gives {text}, which nbgrader reads as partial credit"
    return None


def tests_after(nb: nbformat.NotebookNode) -> dict[str, tuple[str, ...]]:
    """For every answer cell, the graded test cells that follow it (up to the next answer)."""
    tests: dict[str, list[str]] = {}
    current = None
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("solution"):
            current = meta["grade_id"]
            tests[current] = []
        elif current and cell.cell_type == "code" and meta.get("grade"):
            tests[current].append(meta["grade_id"])
    return {cell: tuple(ids) for cell, ids in tests.items()}


def run_exercise_mutants(
    notebook: Path,
    mutants: list[Mutant],
    timeout: int = 600,
    alternatives: list[Alternative] = (),
) -> tuple[list[ExerciseOutcome], dict[str, str | None]]:
    """Run ``mutants`` and ``alternatives`` against the solution ``notebook``.

    Returns their outcomes (in notebook order; an alternative's
    ``failed`` covers the test cells after its answer cell, and a test cell that shows a
    number, which nbgrader reads as partial credit, counts as failed) and, for every test cell
    of the real solution, its error (``None`` when it passed) — the solution's own result from
    the same kernel.
    """
    nb = nbformat.read(notebook, as_version=4)
    index = {_grade_id(c): i for i, c in enumerate(nb.cells) if _grade_id(c)}
    checked_by = tests_after(nb)
    by_cell: dict[str, list[Mutant | Alternative]] = {}
    for variant in [*mutants, *alternatives]:
        if variant.cell not in index:
            raise KeyError(f"{notebook.name}: {variant.name!r} names unknown {variant.cell}")
        by_cell.setdefault(variant.cell, []).append(variant)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        kernel_manager_class=_KernelManager,
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    outcomes: list[ExerciseOutcome] = []
    solution_tests: dict[str, str | None] = {}
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            for mutant in by_cell.get(_grade_id(cell) or "", []):
                alternative = isinstance(mutant, Alternative)
                checked = checked_by[mutant.cell] if alternative else mutant.fails
                last = max(index[g] for g in checked)
                probe = nbformat.v4.new_code_cell(mutant.source)
                client.execute_cell(probe, i)
                own_error = _error(probe)
                failed, errors = {}, {}
                for j in range(i + 1, last + 1):
                    if nb.cells[j].cell_type != "code":
                        continue
                    trial = copy.deepcopy(nb.cells[j])
                    trial.outputs = []
                    client.execute_cell(trial, j)
                    gid = _grade_id(trial)
                    if gid in checked:
                        error = _error(trial) or (_partial_credit(trial) if alternative else None)
                        failed[gid] = error is not None
                        if error:
                            errors[gid] = error
                outcomes.append(ExerciseOutcome(mutant, failed, errors, own_error))
            client.execute_cell(cell, i)
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                solution_tests[meta["grade_id"]] = _error(cell) or _partial_credit(cell)
    return outcomes, solution_tests
