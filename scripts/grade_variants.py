"""Try a week's wrong answers (mutants) and alternative correct answers, the way the
grading-contract tests do, and print what each test cell said.

    .venv/bin/python scripts/grade_variants.py 02_convolution            # both
    .venv/bin/python scripts/grade_variants.py 02_convolution --mutants  # exercise level only
    .venv/bin/python scripts/grade_variants.py 02_convolution --alternatives --cell pooling

Mutants run at the exercise level (one kernel, see tests/exercise_runner.py): each line says
which test cells failed, with their message, and flags a mutant whose cells still pass.
Alternatives are graded end to end by nbgrader in a throw-away course copy, one submission per
group, and every auto-graded cell that loses points is printed with its failure text. The
script is for authors of hidden tests; ``make test`` asserts the same outcomes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import nbformat  # noqa: E402
from contract import copy_course, failure_text, grade_week  # noqa: E402
from exercise_runner import run_exercise_mutants  # noqa: E402
from mutants import alternatives_for, mutants_for  # noqa: E402

from dlcourse.grading.course import Course  # noqa: E402


def try_mutants(week: str, cells: set[str] | None) -> int:
    course = Course(REPO)
    bad = 0
    for notebook in course.source_notebooks(week):
        names = {
            c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            for c in nbformat.read(notebook, as_version=4).cells
        }
        chosen = [m for m in mutants_for(week)
                  if m.cell in names and (cells is None or m.cell in cells)]
        outcomes, solution_tests = run_exercise_mutants(notebook, chosen)
        for gid, error in solution_tests.items():
            if error:
                bad += 1
                print(f"SOLUTION FAILS {gid}: {error}")
        for outcome in outcomes:
            passed = [gid for gid, failed in outcome.failed.items() if not failed]
            status = "STILL PASSES " + ", ".join(passed) if passed else "caught"
            if outcome.own_error and not outcome.mutant.crashes:
                status = f"ITS OWN CELL RAISED {outcome.own_error[:200]}"
            bad += bool(passed) or bool(outcome.own_error and not outcome.mutant.crashes)
            print(f"[{status}] {outcome.mutant.id}")
            for gid, error in outcome.errors.items():
                print(f"    {gid}: {error[:400]}")
    return bad


def try_alternatives(week: str, cells: set[str] | None) -> int:
    chosen = [a for a in alternatives_for(week) if cells is None or a.cell in cells]
    if not chosen:
        print("no alternatives to grade")
        return 0
    bad = 0
    with tempfile.TemporaryDirectory(prefix="dlcourse-variants-") as tmp:
        course = copy_course(Path(tmp) / "course")
        graded = grade_week(course, week, alternatives=chosen, reference=False)
        for student, alternatives in graded.alternatives.items():
            result = graded.results[student]
            print(f"{student}: {result.status} {result.auto_score}/{result.auto_max_score} "
                  f"({', '.join(a.id for a in alternatives)}) {result.reason}")
            for cell in result.cells:
                if cell.auto and cell.score < cell.max_score:
                    bad += 1
                    print(f"    LOST {cell.grade_id} {cell.score}/{cell.max_score}: "
                          f"{failure_text(course, student, week, cell.grade_id)[:400]}")
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("week")
    parser.add_argument("--mutants", action="store_true", help="only the mutants")
    parser.add_argument("--alternatives", action="store_true", help="only the alternatives")
    parser.add_argument("--cell", action="append", help="only these answer cells (grade_id)")
    args = parser.parse_args()
    cells = set(args.cell) if args.cell else None
    both = not (args.mutants or args.alternatives)
    bad = 0
    if args.mutants or both:
        bad += try_mutants(args.week, cells)
    if args.alternatives or both:
        bad += try_alternatives(args.week, cells)
    print("all as expected" if not bad else f"{bad} unexpected outcome(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
