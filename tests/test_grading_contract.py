"""The grading contract (design section 3), checked over every week found in solutions/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, course_weeks
from mutants import alternatives_for, audit_for, mutants_for

from dlcourse.grading.course import Course
from dlcourse.grading.release import check_release

WEEKS = course_weeks()


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _notebooks(folder: str) -> list[Path]:
    return sorted((REPO / folder).glob("*/*.ipynb"))


def test_weeks_are_discovered():
    assert "02_convolution" in WEEKS
    assert sorted(WEEKS) == WEEKS


# --- metadata and release ------------------------------------------------------------------


@pytest.mark.parametrize("path", _notebooks("solutions") + _notebooks("course"), ids=str)
def test_notebook_is_stored_without_outputs(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        assert not cell.get("outputs"), f"{path.name} cell {i} has stored outputs"
        assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", _notebooks("solutions"), ids=str)
def test_graded_cells_have_unique_ids_and_points(path: Path):
    nb = nbformat.read(path, as_version=4)
    ids = [_meta(c)["grade_id"] for c in nb.cells if _meta(c)]
    assert len(ids) == len(set(ids)), f"duplicate grade_ids in {path.name}"
    graded = [c for c in nb.cells if _meta(c).get("grade")]
    assert graded, f"{path.name} has no graded cell"
    for cell in graded:
        assert _meta(cell).get("points", 0) > 0, f"{_meta(cell)['grade_id']} has no points"
    tests = [c for c in graded if c.cell_type == "code"]
    assert tests, f"{path.name} has no autograded test cell"


@pytest.mark.parametrize("path", _notebooks("solutions"), ids=str)
def test_every_answer_cell_is_followed_by_its_test(path: Path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        meta = _meta(cell)
        if cell.cell_type == "code" and meta.get("solution"):
            following = nb.cells[i + 1]
            assert _meta(following).get("grade") and following.cell_type == "code", (
                f"{path.name}: answer cell {meta['grade_id']} is not followed by a test cell"
            )


def test_course_is_what_nbgrader_generates():
    assert check_release(Course(REPO)) == []


def _marked_regions(source: str, begin: str, end: str) -> list[str]:
    pattern = re.compile(re.escape(begin) + r"(.*?)" + re.escape(end), re.S)
    return pattern.findall(source)


@pytest.mark.parametrize("week", WEEKS)
def test_course_has_no_solution_or_hidden_test_text(week: str):
    course = Course(REPO)
    for source_path in course.source_notebooks(week):
        source_nb = nbformat.read(source_path, as_version=4)
        released = (course.release_dir / week / source_path.name).read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in released and "END SOLUTION" not in released
        assert "BEGIN HIDDEN TESTS" not in released and "END HIDDEN TESTS" not in released
        outside = "\n".join(
            re.sub(r"### BEGIN (SOLUTION|HIDDEN TESTS).*?### END \1", "", c.source, flags=re.S)
            for c in source_nb.cells
        )
        secret_lines = set()
        for cell in source_nb.cells:
            for marker in ("SOLUTION", "HIDDEN TESTS"):
                for region in _marked_regions(cell.source, f"### BEGIN {marker}",
                                              f"### END {marker}"):
                    secret_lines.update(line.strip() for line in region.splitlines())
        # Distinctive lines only: long enough to be specific, not shared with visible text.
        distinctive = {
            line for line in secret_lines if len(line) >= 24 and line not in outside
        }
        assert distinctive, f"{week}: no distinctive solution lines to look for"
        leaked = [line for line in distinctive if json.dumps(line)[1:-1] in released]
        assert not leaked, f"course/{week} contains solution or hidden-test text: {leaked[:3]}"


# --- grading: one test class per week -------------------------------------------------------
#
# Grading a week executes its notebooks several times, so each week's tests live in their own
# class: the suite runs with ``--dist loadscope``, which keeps a class on one pytest-xdist
# worker, and the session fixtures (the week graded once, its mutants run once) are computed
# once per week. (``xdist_group`` marks are not used: with pytest 9.2 and pytest-xdist 3.8 the
# group never reaches the scheduler, and every worker graded the same week again.)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "mutant" in metafunc.fixturenames:
        mutants = mutants_for(metafunc.cls.WEEK)
        metafunc.parametrize("mutant", mutants, ids=[m.id for m in mutants])


class WeekContract:
    """The grading contract for one week (subclassed below, one class per week)."""

    WEEK: str = ""

    @pytest.mark.slow
    def test_solution_gets_full_marks(self, graded):
        result = graded(self.WEEK).solution
        assert result.status == "graded", result.reason
        assert result.auto_max_score > 0
        lost = [c.grade_id for c in result.cells if c.auto and c.score < c.max_score]
        assert not lost, f"{self.WEEK}: the solution loses points in {lost}"

    @pytest.mark.slow
    def test_untouched_student_version_scores_zero(self, graded):
        result = graded(self.WEEK).results["untouched"]
        assert result.status == "graded", f"the grader did not finish: {result.reason}"
        assert result.cells, "no graded cells recorded"
        scored = [c.grade_id for c in result.cells if c.score > 0]
        assert not scored, f"{self.WEEK}: the untouched notebook scores in {scored}"

    @pytest.mark.slow
    def test_a_second_execution_gives_the_same_score(self, graded, exercise_mutants):
        """nbgrader's grade of the solution and an independent second execution of it in the
        same sandboxed kernel environment (the exercise-level run) agree cell by cell. (Grading
        the same submissions twice through nbgrader is tested in the cohort tests.)"""
        first = {
            c.grade_id: c.score == c.max_score for c in graded(self.WEEK).solution.cells if c.auto
        }
        _, solution_tests = exercise_mutants(self.WEEK)
        second = {gid: error is None for gid, error in solution_tests.items()}
        assert first == second

    def test_every_exercise_has_a_mutant(self):
        course = Course(REPO)
        exercises = [
            _meta(c)["grade_id"]
            for nb in course.source_notebooks(self.WEEK)
            for c in nbformat.read(nb, as_version=4).cells
            if c.cell_type == "code" and _meta(c).get("solution")
        ]
        mutants = mutants_for(self.WEEK)
        covered = {m.cell for m in mutants}
        assert set(exercises) - covered == set(), f"{self.WEEK}: exercises without a mutant"
        full = [m.cell for m in mutants if m.full]
        assert full, f"{self.WEEK}: no mutant is graded end to end"
        assert len(full) == len(set(full)), f"{self.WEEK}: two full mutants target one exercise"
        assert set(exercises) - set(full), f"{self.WEEK}: full mutants must leave one correct"

    def _answer_cells(self) -> list[str]:
        course = Course(REPO)
        return [
            _meta(c)["grade_id"]
            for nb in course.source_notebooks(self.WEEK)
            for c in nbformat.read(nb, as_version=4).cells
            if c.cell_type == "code" and _meta(c).get("solution")
        ]

    def _test_cells(self) -> set[str]:
        course = Course(REPO)
        return {
            _meta(c)["grade_id"]
            for nb in course.source_notebooks(self.WEEK)
            for c in nbformat.read(nb, as_version=4).cells
            if c.cell_type == "code" and _meta(c).get("grade") and not _meta(c).get("solution")
        }

    def test_every_answer_cell_has_two_alternative_correct_answers(self):
        alternatives = alternatives_for(self.WEEK)
        answers = self._answer_cells()
        unknown = {a.cell for a in alternatives} - set(answers)
        assert not unknown, f"{self.WEEK}: alternatives name unknown answer cells {unknown}"
        short = {
            cell: n for cell in answers
            if (n := sum(a.cell == cell for a in alternatives)) < 2
        }
        assert not short, f"{self.WEEK}: answer cells with fewer than two alternatives: {short}"
        for group in {a.group for a in alternatives}:
            cells = [a.cell for a in alternatives if a.group == group]
            assert len(cells) == len(set(cells)), (
                f"{self.WEEK}: group {group} holds two alternatives of one answer cell"
            )

    def test_parameter_audit_is_complete(self):
        audit = audit_for(self.WEEK)
        mutants = {(m.cell, m.name): m for m in mutants_for(self.WEEK)}
        tests = self._test_cells()
        uncovered = set(self._answer_cells()) - {row.cell for row in audit}
        assert not uncovered, f"{self.WEEK}: answer cells without an audited parameter"
        for row in audit:
            assert row.test in tests, f"{row.parameter}: {row.test} is not a graded test cell"
            mutant = mutants.get((row.cell, row.mutant))
            assert mutant is not None, (
                f"{row.parameter}: no mutant {row.mutant!r} of cell {row.cell}"
            )
            assert row.test in mutant.fails, (
                f"{row.parameter}: mutant {row.mutant!r} does not claim to fail {row.test}"
            )

    def test_every_alternative_is_tried(self):
        from contract import split_alternatives

        combined, rest = split_alternatives(Course(REPO), self.WEEK)
        assert combined, f"{self.WEEK}: no alternative is graded end to end by nbgrader"
        tried = sorted(a.id for a in combined + rest)
        assert tried == sorted(a.id for a in alternatives_for(self.WEEK))

    @pytest.mark.slow
    def test_alternative_correct_answers_get_full_marks(self, graded):
        """The alternatives in the combined submission, graded end to end by nbgrader."""
        from contract import COMBINED, failure_text

        week_result = graded(self.WEEK)
        alternatives = week_result.alternatives[COMBINED]
        result = week_result.results[COMBINED]
        assert result.status == "graded", f"{COMBINED}: {result.reason}"
        failing = {gid for m in week_result.full_mutants for gid in m.fails}
        lost = [
            f"{cell.grade_id} {cell.score}/{cell.max_score} "
            f"({failure_text(week_result.course, COMBINED, self.WEEK, cell.grade_id)})"
            for cell in result.cells
            if cell.auto and cell.grade_id not in failing and cell.score < cell.max_score
        ]
        names = [a.name for a in alternatives]
        assert not lost, f"correct answers lost points with {names}:\n" + "\n".join(lost)

    @pytest.mark.slow
    def test_other_alternatives_pass_at_the_exercise_level(self, exercise_mutants):
        """The alternatives that the combined submission cannot hold, each run in place of the
        answer in the sandboxed kernel, followed by the cells up to its tests."""
        from mutants import Alternative

        outcomes, _ = exercise_mutants(self.WEEK)
        tried = [o for o in outcomes if isinstance(o.mutant, Alternative)]
        problems = [
            f"{o.mutant.id}: own cell raised {o.own_error}" for o in tried if o.own_error
        ] + [
            f"{o.mutant.id}: {gid} failed ({o.errors.get(gid, '')})"
            for o in tried for gid, failed in o.failed.items() if failed
        ]
        assert all(o.failed for o in tried), "an alternative was checked by no test cell"
        assert not problems, "correct answers lost points:\n" + "\n".join(problems)

    @pytest.mark.slow
    def test_every_failure_says_what_was_checked(self, exercise_mutants):
        """No graded test cell fails with an empty message, for any mutant."""
        outcomes, _ = exercise_mutants(self.WEEK)
        silent = []
        for outcome in outcomes:
            for gid, failed in outcome.failed.items():
                text = outcome.errors.get(gid, "")
                message = text.split(":", 1)[1].strip() if ":" in text else ""
                if failed and len(message) < 12:
                    silent.append(f"{outcome.mutant.name} -> {gid}: {text!r}")
        assert not silent, "failures without a message:\n" + "\n".join(silent)

    @pytest.mark.slow
    def test_mutant_fails_its_tests(self, exercise_mutants, mutant):
        outcomes, _ = exercise_mutants(self.WEEK)
        outcome = next(o for o in outcomes if o.mutant == mutant)
        # A wrong answer that crashes its own cell leaves the previous answer's names in the
        # kernel, so its test cells would be judged on someone else's code: mutants must run.
        assert outcome.own_error is None or mutant.crashes, (
            f"{mutant.name}: the mutant's own cell raised {outcome.own_error}"
        )
        passed = [gid for gid, failed in outcome.failed.items() if not failed]
        assert not passed, f"{mutant.name}: test cells {passed} still pass"

    @pytest.mark.slow
    def test_solution_passes_every_test_in_the_mutant_run(self, exercise_mutants):
        _, solution_tests = exercise_mutants(self.WEEK)
        failing = {gid: err for gid, err in solution_tests.items() if err}
        assert solution_tests and not failing

    @pytest.mark.slow
    def test_combined_mutants_lose_exactly_their_points(self, graded):
        from contract import COMBINED

        week_result = graded(self.WEEK)
        result = week_result.results[COMBINED]
        assert result.status == "graded", result.reason
        failing = {gid for m in week_result.full_mutants for gid in m.fails}
        kept = [c.grade_id for c in result.cells if c.auto and c.grade_id not in failing]
        assert kept, "the combined submission keeps no exercise correct"
        for cell in result.cells:
            if not cell.auto:
                continue
            if cell.grade_id in failing:
                assert cell.score == 0, f"{cell.grade_id} kept {cell.score} points"
            else:
                assert cell.score == cell.max_score, f"{cell.grade_id} lost points it should keep"


# The heaviest weeks first, so that the two workers finish at about the same time.
_HEAVY = (
    "03_cnn_mnist", "04_transfer_learning", "03b_cnn_architectures", "07_rnn", "01_fcnn_recap"
)
for _week in sorted(WEEKS, key=lambda w: _HEAVY.index(w) if w in _HEAVY else len(_HEAVY)):
    _name = "TestWeek" + "".join(part.title() for part in _week.split("_"))
    globals()[_name] = type(_name, (WeekContract,), {"WEEK": _week, "__doc__": f"Week {_week}."})
