"""`dlcourse report` and `dlcourse grades --format` on a graded week with known properties
(tests/report_cohort.py): the numbers in the written report, the late policy from nbgrader's
gradebook to the export, the similarity pair, and that nothing of it touches a grade."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest
import report_cohort as rc

from dlcourse.cli import main
from dlcourse.grading.course import Course
from dlcourse.grading.lms import CANVAS_IDENTITY, MOODLE_IDENTITY
from dlcourse.grading.report import HISTOGRAM_NAME, OUTCOMES_NAME, REPORT_NAME, report_dir


@pytest.fixture(scope="module")
def graded_course(tiny_graded_course: Course, tmp_path_factory: pytest.TempPathFactory) -> Course:
    return rc.copy_built(tiny_graded_course, tmp_path_factory.mktemp("tiny") / "course")


@pytest.fixture
def course(graded_course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Course:
    """A private copy, for tests that write into the course (and run commands in it)."""
    monkeypatch.delenv("DLCOURSE_ROOT", raising=False)
    return rc.copy_built(graded_course, tmp_path / "course")


@pytest.fixture(scope="module")
def report_html(graded_course: Course) -> str:
    from dlcourse.grading.report import write_week_report

    return write_week_report(graded_course, rc.WEEK).path.read_text(encoding="utf-8")


def row(html: str, attr: str, key: str) -> str:
    found = re.search(rf'<tr {attr}="{re.escape(key)}".*?</tr>', html, re.S)
    assert found, f"no row {attr}={key!r} in the report"
    return found.group(0)


def col(row_html: str, name: str) -> str:
    found = re.search(rf'<td data-col="{name}"[^>]*>(.*?)</td>', row_html, re.S)
    assert found, f"no column {name!r} in {row_html[:200]}"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def card(html: str, name: str) -> str:
    found = re.search(rf'<div data-card="{name}"><b>(.*?)</b>', html)
    assert found, f"no summary card {name!r}"
    return found.group(1)


def scores(course: Course) -> dict[tuple[str, str], tuple]:
    with course.gradebook() as gb:
        return {
            (s.student.id, g.name): (g.auto_score, g.manual_score, g.needs_manual_grade)
            for s in gb.find_assignment(rc.WEEK).submissions
            for nb in s.notebooks for g in nb.grades
        }


# -- per graded cell ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "mean", "full", "partial", "zero", "difficulty"),
    [
        ("test_mean_of", "1.10", "50%", "10%", "40%", "0.55"),
        ("test_scale", "0.00", "0%", "0%", "100%", "0.00"),
        ("test_clip", "0.50", "50%", "0%", "50%", "0.50"),
        ("test_count_words", "1.20", "60%", "0%", "40%", "0.60"),
        ("why", "1.33", "50%", "33%", "17%", "0.67"),
    ],
)
def test_each_cell_has_its_mean_shares_and_difficulty(report_html, cell, mean, full, partial,
                                                      zero, difficulty):
    line = row(report_html, "data-cell", cell)
    assert (col(line, "mean"), col(line, "full"), col(line, "partial"), col(line, "zero"),
            col(line, "difficulty")) == (mean, full, partial, zero, difficulty)


def test_discrimination_is_the_correlation_with_the_rest_of_the_total(report_html):
    import numpy as np

    cohort = rc.students()
    tests = list(rc.TEST_POINTS)
    for cell in tests:
        own = [s.tests[cell] for s in cohort]
        rest = [sum(s.tests[t] for t in tests if t != cell) for s in cohort]
        shown = col(row(report_html, "data-cell", cell), "discrimination")
        if len(set(own)) == 1:
            assert shown == "—", f"{cell} has one score for everybody: no correlation"
        else:
            assert shown == f"{np.corrcoef(own, rest)[0, 1]:+.2f}", cell
    assert col(row(report_html, "data-cell", "test_clip"), "discrimination") == "-0.79"


def test_written_answers_not_graded_yet_are_waiting_not_zero(report_html):
    line = row(report_html, "data-cell", "why")
    assert col(line, "graded") == "6 (4 not graded yet)"
    assert col(line, "kind") == "graded by hand"
    # 2 + 2 + 1 + 2 + 1 + 0 over the six graded: 1.33; counting the four as zero would give 0.80
    assert col(line, "mean") == "1.33"


def test_failure_messages_are_grouped_with_counts(report_html):
    scale = row(report_html, "data-cell", "test_scale")
    assert re.findall(r'data-count="(\d+)"', scale) == ["10"]
    assert "scale([#, #]) should be [#, #], found [#, #]" in scale
    mean_of = row(report_html, "data-cell", "test_mean_of")
    assert re.findall(r'data-count="(\d+)"', mean_of) == ["3", "1"]
    assert "NameError" in mean_of
    clip = row(report_html, "data-cell", "test_clip")
    assert re.findall(r'data-count="(\d+)"', clip) == ["3", "2"]


def test_cells_to_look_at(report_html):
    concerns = re.findall(r'<li data-concern="([^"]+)">(.*?)</li>', report_html)
    assert [c for c, _ in concerns] == ["test_scale", "test_scale", "test_clip"]
    reasons = " ".join(text for _, text in concerns)
    assert "100% of the graded submissions score zero" in reasons
    assert "10 of 10 submissions failed with the same message" in reasons
    assert "discrimination -0.79" in reasons


# -- the cohort as a whole ------------------------------------------------------------------------


def test_summary_counts(report_html):
    expected = {"submissions": "10", "without a submission": "1", "mean total": "3.6 / 8",
                "late": "3", "timed out": "1", "crashed kernels": "1", "grading failed": "0",
                "flagged for review": "2", "similar pairs": "1"}
    assert {name: card(report_html, name) for name in expected} == expected


def test_timeouts_crashes_and_flags_are_listed_per_student(report_html):
    assert "timed out in test_count_words" in row(report_html, "data-student", "hal")
    assert "the kernel died in count_words" in row(report_html, "data-student", "jon")
    assert "flag: mean_of: starts other processes" in row(report_html, "data-student", "gus")
    problems = re.search(r'<table id="problems">.*?</table>', report_html, re.S).group(0)
    assert set(re.findall(r'data-student="(\w+)"', problems)) == {"hal", "jon", "gus"}


def test_student_without_submission_is_named(report_html):
    assert re.search(r'<p id="without">zoe</p>', report_html)


def test_plots_are_embedded_and_written_beside_the_report(graded_course, report_html):
    folder = report_dir(graded_course, rc.WEEK)
    for name in (HISTOGRAM_NAME, OUTCOMES_NAME):
        assert (folder / name).read_bytes().startswith(b"\x89PNG")
    assert report_html.count('src="data:image/png;base64,') == 2


# -- late policy ----------------------------------------------------------------------------------


def test_due_date_from_the_config_is_in_the_gradebook(graded_course):
    with graded_course.gradebook() as gb:
        assert gb.find_assignment(rc.WEEK).duedate == rc.DUE_UTC


def test_nbgrader_recorded_the_plugins_penalty_when_it_autograded(graded_course):
    """nbgrader's AssignLatePenalties with the configured plugin: before the deadline and
    within the grace nothing; 2 hours late 10 % of the autograded 5 points; 10 days late all
    of the autograded 3 points."""
    with graded_course.gradebook() as gb:
        stored = {s.student.id: s.notebooks[0].late_submission_penalty
                  for s in gb.find_assignment(rc.WEEK).submissions}
    assert (stored["cyd"], stored["dee"]) == (None, None)
    assert stored["eve"] == pytest.approx(0.5)
    assert stored["fay"] == pytest.approx(3.0)


def test_report_shows_late_submissions_with_the_penalty_on_the_current_score(report_html):
    """After the written answers were graded: eve 6 points, 10 % -> 5.4; fay 3 points, zero."""
    late = re.search(r'<table id="late">.*?</table>', report_html, re.S).group(0)
    assert re.findall(r'data-student="(\w+)"', late) == ["dee", "eve", "fay"]
    table = {s: (col(row(late, "data-student", s), "late by"),
                 col(row(late, "data-student", s), "penalty"),
                 col(row(late, "data-student", s), "final")) for s in ("dee", "eve", "fay")}
    assert table == {"dee": ("5 min", "0", "6"), "eve": ("2 h 0 min", "0.6", "5.4"),
                     "fay": ("10 d 0 h", "3", "0")}
    assert "Due: <b>2027-01-20 12:00 UTC</b>" in report_html
    text = html.unescape(report_html)
    assert "15 minutes' grace" in text and "10 % of the score per started day" in text


# -- similarity -----------------------------------------------------------------------------------


def test_the_copied_pair_and_only_it_is_listed_with_its_cells_side_by_side(report_html):
    assert re.findall(r'data-pair="([^"]+)"', report_html) == ["ada|ben"]
    section = report_html.split('data-pair="ada|ben"', 1)[1]
    assert re.findall(r'<tr data-cell="(\w+)">', section) == list(rc.ANSWER_CELLS)
    assert "<mark>" in section
    assert "acc_sum" in section and "total" in section  # both versions, side by side


def test_report_changes_no_grade_and_writes_nothing_for_students(course, monkeypatch):
    monkeypatch.chdir(course.root)
    before = scores(course)
    assert main(["report", rc.WEEK]) == 0
    assert scores(course) == before
    assert not course.feedback_dir.exists()


# -- the commands ---------------------------------------------------------------------------------


def test_report_command_prints_a_summary_and_the_path(course, capsys, monkeypatch):
    monkeypatch.chdir(course.root)
    assert main(["report", "01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("01_tiny: 10 submission(s), mean 3.6 of 8 points; 1 student(s) "
                          "without a submission; 3 late; 1 timed out; 1 crashed kernel(s)")
    assert "1 similar pair(s)" in out and "4 answer(s) waiting for a grader" in out
    assert "look at test_scale" in out and "look at test_clip" in out
    assert f"report: {report_dir(course, rc.WEEK) / REPORT_NAME}" in out


def test_a_week_without_submissions_and_the_index_of_all_weeks(course, capsys, monkeypatch):
    from dlcourse.grading.release import release

    empty = "02_empty"
    (course.solutions_dir / empty).mkdir()
    (course.solutions_dir / empty / "empty.ipynb").write_text(
        (course.solutions_dir / rc.WEEK / f"{rc.NOTEBOOK}.ipynb").read_text())
    monkeypatch.chdir(course.root)
    assert main(["report", empty]) == 0  # not even in the gradebook yet
    assert capsys.readouterr().out.startswith("02_empty: no submissions graded yet.")
    release(course, [empty])  # in the gradebook, nobody handed it in
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "02_empty: no submissions graded yet." in out
    page = (report_dir(course, empty) / REPORT_NAME).read_text()
    assert "No submissions of this week have been graded yet" in page
    assert card(page, "submissions") == "0"
    index = (course.autograde_dir / "reports" / "index.html").read_text()
    assert f'href="{rc.WEEK}/{REPORT_NAME}"' in index and f'href="{empty}/{REPORT_NAME}"' in index


def test_grades_in_canvas_and_moodle_layouts(course, capsys, monkeypatch):
    monkeypatch.chdir(course.root)
    mapping = course.autograde_dir / "lms_ids.csv"
    students = [s.name for s in rc.students()]
    lines = ["student,lms_id,name,section,email"]
    lines += [f"{s},{1000 + i},\"{s.title()}, Student\",A,{s}@uni.example"
              for i, s in enumerate(students)]
    mapping.write_text("\n".join(lines) + "\n")

    assert main(["grades", "--format", "canvas"]) == 0
    table = list(csv.reader((course.autograde_dir / "grades-canvas.csv").open()))
    assert table[0] == [*CANVAS_IDENTITY, rc.WEEK]
    assert table[1] == ["Points Possible", "", "", "", "", "8"]
    by_id = {line[1]: line for line in table[2:]}
    assert by_id["1004"] == ["Eve, Student", "1004", "", "", "A", "5.4"]
    assert by_id["1005"][-1] == "0"  # fay, 10 days late
    assert by_id["1003"][-1] == "6"  # dee, 5 minutes late: within the grace

    assert main(["grades", "--format", "moodle"]) == 0
    table = list(csv.reader((course.autograde_dir / "grades-moodle.csv").open()))
    assert table[0] == [*MOODLE_IDENTITY, rc.WEEK]
    assert ["1004", "eve@uni.example", "5.4"] in table

    assert main(["grades"]) == 0
    out = capsys.readouterr().out
    assert "2 late submission(s), exported after the penalty: eve 01_tiny -0.6, fay 01_tiny -3" in (
        out)
    rows = {r["student"]: r for r in csv.DictReader((course.autograde_dir / "grades.csv").open())}
    assert (rows["eve"]["score"], rows["eve"]["late_penalty"], rows["eve"]["final_score"]) == (
        "6", "0.6", "5.4")


def test_grades_export_names_every_student_without_an_lms_id(course, capsys, monkeypatch):
    monkeypatch.chdir(course.root)
    mapping = course.autograde_dir / "ids.csv"
    known = [s.name for s in rc.students() if s.name not in ("ivy", "jon")]
    mapping.write_text("student,lms_id\n" + "".join(f"{s},{s}-id\n" for s in known))
    assert main(["grades", "--format", "canvas", "--mapping", str(mapping)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"dlcourse grades: 2 student(s) have grades but no LMS id in {mapping}: "
                   "ivy, jon. Add a row (student,lms_id,...) for each.")
    assert not (course.autograde_dir / "grades-canvas.csv").exists()
