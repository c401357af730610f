"""Issue 6, week 03: a weak CNN that cheats its way past the accuracy threshold.

The submission answers every week-03 exercise correctly except ``my_cnn``, which is a plain CNN
trained for one epoch (about 90 %, below the 96 % the test asks for). After training it, the
student's cell replaces everything the accuracy test could use: ``dlcourse.checks``'s
accuracy check, ``keras.Model.predict``/``evaluate``, and the ``__call__`` of every Keras layer
and Sequential model, with a lookup of the *true labels* of the validation and held-out digits
(which the student can load with ``data.mnist_split()``). Without the grader's guard this
scores full marks. With it, the patches are removed before each test cell: the accuracy test
loses its points, the submission is flagged for review, and every other cell keeps its marks.
"""

from __future__ import annotations

import nbformat
import pytest
from contract import answered, copy_course
from mutants import mutants_for

from dlcourse.grading.autograde import autograde, read_report

pytestmark = pytest.mark.slow

WEEK = "03_cnn_mnist"
NOTEBOOK = "cnn_mnist.ipynb"

CHEAT = '''
import keras as _keras
import numpy as _np

from dlcourse import checks as _checks
from dlcourse import data as _data

_split = _data.mnist_split()
_truth = {}
for _x, _y in [(_split.x_val, _split.y_val), (_split.x_test, _split.y_test)]:
    for _image, _label in zip(_np.asarray(_x, "float32") / 255.0, _y):
        _truth[_image.round(3).tobytes()] = int(_label)


def _perfect(self, x, *args, **kwargs):
    images = _np.asarray(x, "float32").reshape(len(x), 28, 28).round(3)
    return _np.eye(10, dtype="float32")[[_truth.get(i.tobytes(), 0) for i in images]]


_keras.Sequential.__call__ = _perfect
_keras.Layer.__call__ = _perfect
_keras.Model.predict = _perfect
_keras.Model.evaluate = lambda self, *args, **kwargs: [0.0, 1.0]
_checks.check_accuracy = lambda *args, **kwargs: 1.0
assert my_cnn(X_VAL[:50]).argmax(axis=1).tolist() == y_val[:50].tolist()  # the cheat works
'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("cheat03"))
    solution_nb = nbformat.read(course.source_notebooks(WEEK)[0], as_version=4)
    student_nb = nbformat.read(course.release_dir / WEEK / NOTEBOOK, as_version=4)
    weak = next(m for m in mutants_for(WEEK) if m.name == "stops after one epoch")
    nb = answered(student_nb, solution_nb, [weak])
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "my_cnn":
            cell.source += "\n" + CHEAT
    folder = tmp_path_factory.mktemp("inbox03") / "cheater" / WEEK
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / NOTEBOOK)
    (result,) = autograde(course, WEEK, submissions=folder.parents[1], jobs=1)
    return course, result


def test_the_cheat_earns_nothing_and_is_flagged(graded) -> None:
    course, result = graded
    assert result.status == "graded", result.reason
    scores = {c.grade_id: c for c in result.cells if c.auto}
    assert scores["test_my_cnn"].score == 0, "a faked accuracy earned points"
    kept = [gid for gid, c in scores.items() if gid != "test_my_cnn" and c.score < c.max_score]
    assert not kept, f"honest answers lost points: {kept}"
    assert result.flags, "the monkeypatching was not flagged for review"
    flags = " ".join(result.flags)
    for patched in ("check_accuracy", "predict", "__call__"):
        assert patched in flags, f"{patched} is not named in the flags: {result.flags}"
    report = read_report(course, WEEK, "cheater")
    assert report["flags"] == result.flags
