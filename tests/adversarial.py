"""Adversarial submissions of week 02, built from the student version, each with the outcome
the grader must produce. Used by test_adversarial.py (and the cohort benchmark)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from contract import answered, nbgrader_meta
from mutants import mutants_for

WEEK = "02_convolution"
NOTEBOOK = "convolution_by_hand.ipynb"
ALL_TESTS = ("test_conv2d_valid", "test_pooling", "test_slide_slips", "test_conv2d_multi",
             "test_sizes", "test_receptive_field")


@dataclass
class Case:
    student: str
    build: Callable[[nbformat.NotebookNode, nbformat.NotebookNode], object]
    lost: tuple[str, ...] = ()  # test cells that must score zero; all others full marks
    flagged: bool = False  # must be flagged for review
    zero: bool = False  # the whole submission scores zero
    reason: str = ""  # text the report's reason must contain
    keep: tuple[str, ...] | None = None  # only these cells are checked for full marks
    notes: list[str] = field(default_factory=list)


def cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    for c in nb.cells:
        if nbgrader_meta(c).get("grade_id") == grade_id:
            return c
    raise KeyError(grade_id)


def mutant_source(name: str) -> str:
    return next(m for m in mutants_for(WEEK) if m.name == name).source


def honest(student_nb, solution_nb):
    return answered(student_nb, solution_nb)


def with_prefix(grade_id: str, code: str):
    def build(student_nb, solution_nb):
        nb = answered(student_nb, solution_nb)
        target = cell(nb, grade_id)
        target.source = code.strip("\n") + "\n" + target.source
        return nb
    return build


def with_suffix(grade_id: str, code: str):
    def build(student_nb, solution_nb):
        nb = answered(student_nb, solution_nb)
        target = cell(nb, grade_id)
        target.source = target.source + "\n" + code.strip("\n")
        return nb
    return build


def replaced(grade_id: str, code: str, extra: Callable | None = None):
    def build(student_nb, solution_nb):
        nb = answered(student_nb, solution_nb)
        cell(nb, grade_id).source = code.strip("\n")
        if extra is not None:
            extra(nb)
        return nb
    return build


def deleted_test_cell(student_nb, solution_nb):
    nb = answered(student_nb, solution_nb)
    nb.cells = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") != "test_pooling"]
    cell(nb, "pooling").source = mutant_source("average pooling instead of max pooling")
    return nb


def test_edited_to_pass(student_nb, solution_nb):
    nb = answered(student_nb, solution_nb)
    cell(nb, "conv2d_valid").source = mutant_source("flips the kernel (true convolution)")
    cell(nb, "test_conv2d_valid").source = "pass"
    return nb


def solution_to_markdown(student_nb, solution_nb):
    nb = answered(student_nb, solution_nb)
    for i, c in enumerate(nb.cells):
        if nbgrader_meta(c).get("grade_id") == "conv2d_multi":
            md = nbformat.v4.new_markdown_cell(c.source)
            md.metadata = copy.deepcopy(c.metadata)
            md.id = c.id
            nb.cells[i] = md
    return nb


def changed_metadata(student_nb, solution_nb):
    nb = answered(student_nb, solution_nb)
    cell(nb, "test_sizes").metadata["nbgrader"]["points"] = 100
    cell(nb, "sizes").source = mutant_source("forgets the + 1 and the bias count")
    cell(nb, "test_receptive_field").metadata["nbgrader"]["grade_id"] = "my_own_test"
    return nb


def fake_outputs(student_nb, solution_nb):
    nb = answered(student_nb, solution_nb)
    cell(nb, "slide_slips").source = mutant_source("keeps the true layout")
    for c in nb.cells:
        if c.cell_type == "code":
            c.execution_count = 1
            c.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                text="All tests passed! 100/100\n")]
    return nb


def bad_kernelspec(student_nb, solution_nb):
    nb = answered(student_nb, solution_nb)
    nb.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "nope",
                                 "language": "python"}
    return nb


RAW_FILES = {"invalid-json": '{"cells": [ this is not json', "empty-file": ""}

CASES: list[Case] = [
    Case("honest", honest),
    Case("infinite-loop", with_prefix("conv2d_valid", "while True:\n    pass"),
         lost=("test_conv2d_valid",)),
    Case("memory-bomb", with_prefix("pooling", "_bomb = bytearray(10 * 1024**3)"),
         lost=("test_pooling",)),
    Case("sys-exit", with_suffix("sizes", "import sys\nsys.exit()"), flagged=True),
    Case("raise-systemexit", with_suffix("slide_slips", "raise SystemExit"), flagged=True),
    Case("os-exit", with_prefix("receptive_field", "import os\nos._exit(1)"),
         lost=("test_receptive_field",), flagged=True),
    Case("kill-9", with_prefix("conv2d_multi", "import os\nos.kill(os.getpid(), 9)"),
         lost=("test_conv2d_multi", "test_sizes", "test_receptive_field"), flagged=True),
    Case("deleted-test-cell", deleted_test_cell, lost=("test_pooling",)),
    Case("test-edited-to-pass", test_edited_to_pass, lost=("test_conv2d_valid",)),
    # nbgrader turns the answer back into code (its metadata says so), so it is graded as code.
    Case("solution-to-markdown", solution_to_markdown),
    Case("changed-metadata", changed_metadata, lost=("test_sizes",), flagged=True),
    Case("monkeypatch-allclose", replaced(
        "conv2d_valid", mutant_source("flips the kernel (true convolution)")
        + "\nnp.allclose = lambda *a, **k: True"
        + "\nnp.testing.assert_allclose = lambda *a, **k: None"),
        lost=("test_conv2d_valid",), flagged=True),
    Case("monkeypatch-checks", replaced(
        "pooling", mutant_source("average pooling instead of max pooling")
        + "\nchecks.check_array = lambda *a, **k: None"
        + "\nchecks.check_scalar = lambda *a, **k: None"),
        lost=("test_pooling",), flagged=True),
    Case("monkeypatch-keras", with_suffix(
        "conv2d_multi",
        "import keras\nkeras.Model.evaluate = lambda self, *a, **k: [0.0, 1.0]\n"
        "keras.Model.predict = lambda self, x, *a, **k: x"), flagged=True),
    Case("attack-gradebook", with_prefix("conv2d_valid", """
import glob, os, shutil
_found = glob.glob('../../../../**/*.db', recursive=True)
for _path in _found + glob.glob('/tmp/**/*.db', recursive=True):
    try:
        os.remove(_path)
    except OSError as err:
        print('blocked:', err)
for _folder in ['../../../submitted', '../../../../autograde', '__ROOT__/autograde']:
    try:
        shutil.rmtree(_folder)
    except OSError as err:
        print('blocked:', err)
try:
    open('__ROOT__/autograde/gradebook.db', 'w').write('gone')
except OSError as err:
    print('blocked:', err)
"""), flagged=True),
    Case("huge-output", with_suffix("receptive_field", "print('x' * 100_000_000)")),
    Case("fake-outputs", fake_outputs, lost=("test_slide_slips",)),
    Case("invalid-json", honest, zero=True, reason="not a readable notebook"),
    Case("empty-file", honest, zero=True, reason="not a readable notebook"),
    Case("wrong-name", honest, flagged=True),
    Case("missing-notebook", honest, zero=True, reason="no notebook convolution_by_hand.ipynb"),
    Case("bad-kernelspec", bad_kernelspec),
    # The grader's own machine serves a secret on loopback (the test starts the server): an
    # isolated kernel has no network at all, so it cannot fetch it — and no packet ever leaves.
    Case("network", with_prefix("conv2d_valid", """
import urllib.request
try:
    print('network open:', urllib.request.urlopen('http://127.0.0.1:__PORT__/', timeout=60).read())
except OSError as err:
    print('network blocked:', err)
"""), flagged=True),
    Case("cpu-hog", with_prefix("conv2d_valid", """
import multiprocessing, os
import time
def _spin():
    end = time.time() + 10  # long enough to compete with the grading of its own cells
    while time.time() < end:
        pass
_hogs = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(2 * os.cpu_count())]
for _p in _hogs:
    _p.start()
"""), flagged=True),
]


def write_cohort(course_root: Path, student_nb_path: Path, solution_nb_path: Path,
                 cases: list[Case] = CASES, port: int = 9) -> Path:
    """Write every case as a student folder under ``course_root/inbox``; return the inbox."""
    inbox = course_root / "inbox"
    student_nb = nbformat.read(student_nb_path, as_version=4)
    solution_nb = nbformat.read(solution_nb_path, as_version=4)
    for case in cases:
        folder = inbox / case.student / WEEK
        folder.mkdir(parents=True, exist_ok=True)
        if case.student in RAW_FILES:
            (folder / NOTEBOOK).write_text(RAW_FILES[case.student])
            continue
        if case.student == "missing-notebook":
            continue
        nb = case.build(copy.deepcopy(student_nb), solution_nb)
        name = "my_notebook.ipynb" if case.student == "wrong-name" else NOTEBOOK
        text = nbformat.writes(nb).replace("__ROOT__", str(course_root))
        text = text.replace("__PORT__", str(port))
        (folder / name).write_text(text)
    return inbox
