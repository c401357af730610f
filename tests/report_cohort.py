"""A graded week with known properties, for the tests of the instructor's report.

Nothing is executed: the week (``01_tiny``, one notebook) is released by nbgrader for real into
a throw-away course, the submissions and their scores are written through nbgrader's
``Gradebook`` API, the late penalties by nbgrader's own ``AssignLatePenalties`` preprocessor
with the course's plugin, and the graded notebooks and per-submission reports are written as
``dlcourse autograde`` writes them (answer code in the answer cells, the error each failed test
showed as its output). What the report must find:

* ``test_scale`` fails for everybody with the same message (other numbers each time);
* ``test_clip`` is passed by the weakest students and failed by the strongest (negative
  discrimination);
* ``ben`` handed in ``ada``'s code with renamed variables; every other pair shares at most one
  of the four answers (each answer cell has five styles, assigned so that two students agree
  in at most one cell);
* ``why`` is a written answer graded by hand for six students, waiting for the other four;
* ``hal`` timed out in ``test_count_words``, ``jon``'s kernel died in ``count_words``, ``gus``
  is flagged for review; ``zoe`` is in the gradebook but handed nothing in;
* ``cyd`` handed in a day early, ``dee`` 5 minutes late (within the grace), ``eve`` 2 hours late
  (one started day: 10 %), ``fay`` 10 days late (zero).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import nbformat
from conftest import REPO
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from dlcourse.grading.course import Course
from dlcourse.grading.release import release

WEEK = "01_tiny"
NOTEBOOK = "tiny"
DUE = "2027-01-20 12:00:00 UTC"
DUE_UTC = datetime(2027, 1, 20, 12, 0)
ANSWER_CELLS = ("mean_of", "scale", "clip", "count_words")
TEST_POINTS = {"test_mean_of": 2, "test_scale": 1, "test_clip": 1, "test_count_words": 2}
WRITTEN = "why"
WRITTEN_POINTS = 2
MAX_SCORE = sum(TEST_POINTS.values()) + WRITTEN_POINTS  # 8

# -- the source notebook --------------------------------------------------------------------------

SOLUTIONS = {
    "mean_of": "def mean_of(values):\n    ### BEGIN SOLUTION\n    return sum(values) / len(values)"
               "\n    ### END SOLUTION",
    "scale": "def scale(values):\n    ### BEGIN SOLUTION\n    top = max(values)\n"
             "    return [v / top for v in values]\n    ### END SOLUTION",
    "clip": "def clip(values, low, high):\n    ### BEGIN SOLUTION\n"
            "    return [min(max(v, low), high) for v in values]\n    ### END SOLUTION",
    "count_words": "def count_words(text):\n    ### BEGIN SOLUTION\n    counts = {}\n"
                   "    for word in text.split():\n        counts[word] = counts.get(word, 0) + 1\n"
                   "    return counts\n    ### END SOLUTION",
}
TESTS = {
    "test_mean_of": "assert mean_of([1, 2, 3]) == 2, f'mean_of([1, 2, 3]) should be 2, found "
                    "{mean_of([1, 2, 3])}'",
    "test_scale": "assert scale([1, 2]) == [0.5, 1.0], f'scale([1, 2]) should be [0.5, 1.0], "
                  "found {scale([1, 2])}'",
    "test_clip": "assert clip([5, -1], 0, 3) == [3, 0]",
    "test_count_words": "assert count_words('a a b') == {'a': 2, 'b': 1}",
}


def _meta(grade_id: str, *, grade: bool, solution: bool, points: int = 0) -> dict:
    meta = {"grade": grade, "solution": solution, "locked": not solution, "grade_id": grade_id,
            "schema_version": 3}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# A tiny week\nFour small functions and one question.")]
    for answer, test in zip(ANSWER_CELLS, TEST_POINTS, strict=True):
        cells.append(new_code_cell(SOLUTIONS[answer],
                                   metadata=_meta(answer, grade=False, solution=True)))
        cells.append(new_code_cell(TESTS[test], metadata=_meta(
            test, grade=True, solution=False, points=TEST_POINTS[test])))
    cells.append(new_markdown_cell("Why does `scale` divide by the largest value?\n\n"
                                   "=== BEGIN MARK SCHEME ===\nIt maps the values into [0, 1].\n"
                                   "=== END MARK SCHEME ===",
                                   metadata=_meta(WRITTEN, grade=True, solution=True,
                                                  points=WRITTEN_POINTS)))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


# -- what students wrote: five styles per answer cell ---------------------------------------------

STYLES = {
    "mean_of": [
        "def mean_of(values):\n    total = 0.0\n    count = 0\n    for value in values:\n"
        "        total += value\n        count += 1\n    return total / count",
        "def mean_of(values):\n    if len(values) == 0:\n"
        "        raise ValueError('mean_of needs at least one value')\n"
        "    return sum(values) / len(values)",
        "import numpy as np\n\ndef mean_of(values):\n    array = np.asarray(values, dtype=float)\n"
        "    return float(array.mean())",
        "from functools import reduce\n\ndef mean_of(values):\n"
        "    return reduce(lambda acc, v: acc + v, values, 0.0) / len(values)",
        "import statistics\n\ndef mean_of(values):\n    return statistics.fmean(values)",
    ],
    "scale": [
        "def scale(values):\n    largest = values[0]\n    for value in values[1:]:\n"
        "        if value > largest:\n            largest = value\n    result = []\n"
        "    for value in values:\n        result.append(value / largest)\n    return result",
        "def scale(values):\n    top = max(values)\n    return [v / top for v in values]",
        "import numpy as np\n\ndef scale(values):\n    array = np.array(values, dtype=float)\n"
        "    return list(array / array.max())",
        "def scale(values):\n    return list(map(lambda v: v / max(values), values))",
        "def scale(values):\n    peak = sorted(values)[-1]\n    scaled = [0.0] * len(values)\n"
        "    for i, v in enumerate(values):\n        scaled[i] = v / peak\n    return scaled",
    ],
    "clip": [
        "def clip(values, low, high):\n    clipped = []\n    for value in values:\n"
        "        if value < low:\n            clipped.append(low)\n"
        "        elif value > high:\n            clipped.append(high)\n        else:\n"
        "            clipped.append(value)\n    return clipped",
        "def clip(values, low, high):\n    return [min(max(v, low), high) for v in values]",
        "import numpy as np\n\ndef clip(values, low, high):\n"
        "    return np.clip(np.asarray(values), low, high).tolist()",
        "def clip(values, low, high):\n    out = list(values)\n    i = 0\n    while i < len(out):\n"
        "        out[i] = low if out[i] < low else (high if out[i] > high else out[i])\n"
        "        i += 1\n    return out",
        "def clip(values, low, high):\n    return [sorted((low, v, high))[1] for v in values]",
    ],
    "count_words": [
        "def count_words(text):\n    counts = {}\n    for word in text.split():\n"
        "        if word in counts:\n            counts[word] += 1\n        else:\n"
        "            counts[word] = 1\n    return counts",
        "from collections import Counter\n\ndef count_words(text):\n"
        "    return dict(Counter(text.split()))",
        "import re\n\ndef count_words(text):\n    found = {}\n"
        "    for token in re.findall(r'\\S+', text):\n        found.setdefault(token, 0)\n"
        "        found[token] += 1\n    return found",
        "from collections import defaultdict\n\ndef count_words(text):\n"
        "    tally = defaultdict(int)\n    for w in text.split():\n        tally[w] += 1\n"
        "    return dict(tally)",
        "def count_words(text):\n    words = text.split()\n"
        "    return {w: words.count(w) for w in set(words)}",
    ],
}

#: ada's names -> ben's (ben copied ada's notebook and renamed the variables).
BEN_RENAMES = {"total": "acc_sum", "count": "n_items", "value": "x", "largest": "biggest",
               "result": "out_list", "clipped": "kept", "counts": "freq", "word": "tok"}


def renamed(code: str, names: dict[str, str]) -> str:
    for old, new in names.items():
        code = re.sub(rf"\b{old}\b", new, code)
    return code.replace("def count_words(text):", "def count_words(text):\n    # my version")


# -- the cohort -----------------------------------------------------------------------------------


@dataclass
class Student:
    name: str
    styles: tuple[int, ...] | None  # per answer cell; None: ada's code, renamed
    tests: dict[str, float]  # test cell -> score
    messages: dict[str, tuple[str, str]] = field(default_factory=dict)  # test -> (ename, evalue)
    written: float | None = None  # score of the written answer; None: not graded yet
    submitted: timedelta = timedelta(days=-2)  # relative to the due date
    flags: list[str] = field(default_factory=list)
    kernel_died_in: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # answer cell -> code


def _design(k: int) -> tuple[int, ...]:
    """Styles of student k: a line over GF(5), so two students agree in at most one cell."""
    a, b = k % 5, k // 5
    return tuple((a + b * c) % 5 for c in range(len(ANSWER_CELLS)))


def _scale_message(found: str) -> tuple[str, str]:
    return "AssertionError", f"scale([1, 2]) should be [0.5, 1.0], found {found}"


def _mean_message(found: str) -> tuple[str, str]:
    return "AssertionError", f"mean_of([1, 2, 3]) should be 2, found {found}"


CLIP_FAILED = ("AssertionError", "clip([5, -1], 0, 3) returned [5, -1]")
CLIP_TYPE = ("TypeError", "'<' not supported between instances of 'list' and 'int'")
SCALE_FOUND = ["[1, 2]", "[0.25, 0.5]", "[2.0, 4.0]", "[0.3333, 0.6667]", "[1.0, 2.0]",
               "[0.1, 0.2]", "[5, 10]", "[0.5, 0.5]", "[0.0, 1.0]", "[1.5, 3.0]"]


def students() -> list[Student]:
    full = {"test_mean_of": 2, "test_clip": 0, "test_count_words": 2}
    cohort = [
        Student("ada", _design(0), dict(full), {"test_clip": CLIP_FAILED}, written=2),
        Student("ben", None, dict(full), {"test_clip": CLIP_FAILED}, written=2),
        Student("cyd", _design(1), dict(full), {"test_clip": CLIP_FAILED}, written=1,
                submitted=timedelta(days=-1)),
        Student("dee", _design(2), dict(full), {"test_clip": CLIP_TYPE}, written=2,
                submitted=timedelta(minutes=5)),
        Student("eve", _design(3), {"test_mean_of": 2, "test_clip": 1, "test_count_words": 2},
                written=1, submitted=timedelta(hours=2)),
        Student("fay", _design(4), {"test_mean_of": 1, "test_clip": 0, "test_count_words": 2},
                {"test_clip": CLIP_TYPE}, written=0, submitted=timedelta(days=10)),
        Student("gus", _design(5), {"test_mean_of": 0, "test_clip": 1, "test_count_words": 0},
                {"test_mean_of": _mean_message("1.5"), "test_count_words": ("KeyError", "'a'")},
                flags=["mean_of: starts other processes"]),
        Student("hal", _design(6), {"test_mean_of": 0, "test_clip": 1, "test_count_words": 0},
                {"test_mean_of": _mean_message("3"),
                 "test_count_words": ("CellTimeoutError", "No reply from kernel before timeout")}),
        Student("ivy", _design(7), {"test_mean_of": 0, "test_clip": 1, "test_count_words": 0},
                {"test_mean_of": ("NameError", "name 'mean_of' is not defined"),
                 "test_count_words": ("AssertionError", "")}),
        Student("jon", _design(8), {"test_mean_of": 0, "test_clip": 1, "test_count_words": 0},
                {"test_mean_of": _mean_message("6"),
                 "test_count_words": ("NotRun", "not run: the kernel died in count_words")},
                flags=["count_words: exits or kills the kernel",
                       "the kernel died in count_words; later cells were not run"],
                kernel_died_in="count_words",
                overrides={"count_words": "import os\n\nos._exit(1)"}),
    ]
    for student, found in zip(cohort, SCALE_FOUND, strict=True):
        student.tests["test_scale"] = 0
        student.messages["test_scale"] = _scale_message(found)
    return cohort


def answers_of(student: Student) -> dict[str, str]:
    if student.styles is None:
        ada = answers_of(students()[0])
        return {cell: renamed(code, BEN_RENAMES) for cell, code in ada.items()}
    code = {cell: STYLES[cell][style] for cell, style in zip(ANSWER_CELLS, student.styles,
                                                              strict=True)}
    code.update(student.overrides)
    return code


def graded_notebook(released: nbformat.NotebookNode, student: Student) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    answers = answers_of(student)
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
            cell.outputs = []
            if grade_id == student.kernel_died_in:
                cell.outputs = [new_output("error", ename="KernelDied",
                                           evalue="the kernel died while running this cell",
                                           traceback=[])]
        elif grade_id == WRITTEN:
            cell.source = f"{student.name}: so that the largest value becomes 1."
        elif grade_id in TEST_POINTS:
            cell.outputs = []
            if grade_id in student.messages:
                ename, evalue = student.messages[grade_id]
                cell.outputs = [new_output("error", ename=ename, evalue=evalue,
                                           traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])]
            elif 0 < student.tests[grade_id] < TEST_POINTS[grade_id]:
                cell.outputs = [new_output("execute_result", execution_count=1,
                                           data={"text/plain": f"{student.tests[grade_id]:g}"})]
    nb.metadata["dlcourse"] = {"flags": student.flags, "kernel_died_in": student.kernel_died_in}
    return nb


def make_course(root: Path) -> Course:
    """A course holding only the tiny week, with its due date set in nbgrader_config.py, released
    by nbgrader (which records the week and its due date in the gradebook)."""
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    config += f"\nc.LatePenalty.due_dates = {{{WEEK!r}: {DUE!r}}}\n"
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    (root / "solutions" / WEEK).mkdir(parents=True)
    nbformat.write(source_notebook(), root / "solutions" / WEEK / f"{NOTEBOOK}.ipynb")
    course = Course(root)
    release(course, [WEEK])
    return course


def grade_cohort(course: Course, cohort: list[Student], absent: tuple[str, ...] = ("zoe",)) -> None:
    """Record ``cohort`` in the course's gradebook and autograde folders, as grading would."""
    from nbgrader.preprocessors import AssignLatePenalties

    released = nbformat.read(course.release_dir / WEEK / f"{NOTEBOOK}.ipynb", as_version=4)
    with course.gradebook() as gb:
        for name in absent:
            gb.update_or_create_student(name)
        for student in cohort:
            gb.update_or_create_student(student.name)
            gb.add_submission(WEEK, student.name, timestamp=DUE_UTC + student.submitted)
            for grade_id, score in student.tests.items():
                grade = gb.find_grade(grade_id, NOTEBOOK, WEEK, student.name)
                grade.auto_score = float(score)
                grade.needs_manual_grade = False
            gb.db.commit()
    # As in autograding: nbgrader's own preprocessor, with the course's late-penalty plugin.
    penalties = AssignLatePenalties(config=course.config())
    for student in cohort:
        nb = graded_notebook(released, student)
        penalties.preprocess(nb, {"nbgrader": {"db_url": course.db_url, "assignment": WEEK,
                                               "student": student.name, "notebook": NOTEBOOK}})
        folder = course.autograded_dir / student.name / WEEK
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")
        reports = course.autograde_dir / "reports" / WEEK
        reports.mkdir(parents=True, exist_ok=True)
        (reports / f"{student.name}.json").write_text(json.dumps({
            "student": student.name, "week": WEEK, "status": "graded", "reason": "",
            "flags": student.flags, "score": sum(student.tests.values()),
            "max_score": MAX_SCORE, "seconds": 1.0,
        }), encoding="utf-8")
    # Later, a person grades some of the written answers in the formgrader.
    with course.gradebook() as gb:
        for student in cohort:
            if student.written is not None:
                grade = gb.find_grade(WRITTEN, NOTEBOOK, WEEK, student.name)
                grade.manual_score = float(student.written)
                grade.needs_manual_grade = False
        gb.db.commit()


def build(root: Path) -> Course:
    course = make_course(root)
    grade_cohort(course, students())
    return course


def copy_built(source: Course, target: Path) -> Course:
    shutil.copytree(source.root, target)
    return Course(target)
