"""The dlcourse command: errors are one sentence with a non-zero exit; each command works."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO

from dlcourse.cli import main


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dlcourse", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_unknown_week_is_one_sentence_and_exit_2(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main(["autograde", "99_nothing"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("dlcourse autograde: Unknown week '99_nothing': the weeks are ")
    assert "02_convolution" in err and len(err.splitlines()) == 1


def test_missing_submission_folder(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(REPO)
    assert main(["autograde", "02", "--submissions", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_missing_notebook_for_validate(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main(["validate", "course/02_convolution/missing.ipynb"]) == 2
    assert "missing.ipynb not found" in capsys.readouterr().err


def test_outside_a_course(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DLCOURSE_ROOT", raising=False)
    assert main(["grades"]) == 2
    assert "No course found" in capsys.readouterr().err


def test_week_prefix_resolves(monkeypatch):
    from dlcourse.grading.course import Course

    assert Course(REPO).check_week("02") == "02_convolution"
    assert Course(REPO).check_week("03") == "03_cnn_mnist"
    assert Course(REPO).check_week("03b") == "03b_cnn_architectures"
    assert Course(REPO).check_week("03b_cnn") == "03b_cnn_architectures"
    weeks = Course(REPO).weeks()
    assert weeks.index("03_cnn_mnist") + 1 == weeks.index("03b_cnn_architectures")
    assert weeks.index("03b_cnn_architectures") + 1 == weeks.index("04_transfer_learning")


def test_release_check_passes_on_the_repo():
    proc = run_cli("release", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "in sync" in proc.stdout


def test_release_check_fails_on_a_stale_course(tmp_path):
    from contract import copy_course

    course = copy_course(tmp_path / "c")
    released = course.release_dir / "02_convolution" / "convolution_by_hand.ipynb"
    nb = nbformat.read(released, as_version=4)
    nb.cells[0].source += "\nAn edit made by hand in course/."
    nbformat.write(nb, released)
    proc = run_cli("release", "--check", cwd=course.root)
    assert proc.returncode == 1
    assert "differs from what nbgrader generates" in proc.stdout
    proc = run_cli("release", cwd=course.root)
    assert proc.returncode == 0 and "wrote course/02_convolution" in proc.stdout
    assert run_cli("release", "--check", cwd=course.root).returncode == 0


@pytest.mark.slow
def test_validate_fails_loudly_on_the_untouched_notebook(tmp_path):
    from contract import copy_course

    course = copy_course(tmp_path / "c")
    path = course.release_dir / "02_convolution" / "convolution_by_hand.ipynb"
    proc = run_cli("validate", str(path), cwd=course.root)
    assert proc.returncode == 1
    assert "cell(s) fail" in proc.stdout
    assert "NotImplementedError" in proc.stdout


@pytest.mark.slow
def test_validate_passes_on_an_answered_notebook(tmp_path):
    from contract import answered, copy_course

    course = copy_course(tmp_path / "c")
    path = course.release_dir / "02_convolution" / "convolution_by_hand.ipynb"
    solution = nbformat.read(course.source_notebooks("02_convolution")[0], as_version=4)
    nbformat.write(answered(nbformat.read(path, as_version=4), solution), path)
    proc = run_cli("validate", str(path), cwd=course.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all tests pass" in proc.stdout


@pytest.mark.slow
def test_autograde_from_a_submissions_folder_then_feedback_and_grades(tmp_path):
    from contract import copy_course

    course = copy_course(tmp_path / "c")
    # A due date in the one place it is set, and a submission handed in two days after it.
    with (course.root / "nbgrader_config.py").open("a") as config:
        config.write('\nc.LatePenalty.due_dates = {"02_convolution": "2027-01-20 12:00:00 UTC"}\n')
    inbox = tmp_path / "inbox" / "student-a"
    inbox.mkdir(parents=True)
    shutil.copy2(course.release_dir / "02_convolution" / "convolution_by_hand.ipynb", inbox)
    (inbox / "timestamp.txt").write_text("2027-01-22 12:00:00.000000 UTC")
    proc = run_cli("autograde", "02_convolution", "--submissions", str(tmp_path / "inbox"),
                   cwd=course.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "student-a: 0 / " in proc.stdout
    assert "1 submission(s): 1 graded (1 with zero points), 0 flagged for review, 0 failed." in (
        proc.stdout
    )

    proc = run_cli("feedback", "02_convolution", cwd=course.root)
    assert proc.returncode == 0, proc.stderr
    html = course.feedback_dir / "student-a" / "02_convolution" / "convolution_by_hand.html"
    assert html.is_file() and "NotImplementedError" in html.read_text(encoding="utf-8")

    proc = run_cli("grades", cwd=course.root)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader((course.autograde_dir / "grades.csv").open()))
    assert [(r["student"], r["week"], r["auto_score"]) for r in rows] == [
        ("student-a", "02_convolution", "0")
    ]
    assert float(rows[0]["auto_max_score"]) > 0
    assert "student-a" in proc.stdout

    # The instructor's report, from what this real grading run left behind.
    proc = run_cli("report", "02_convolution", cwd=course.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("02_convolution: 1 submission(s), mean 0.0 of "), proc.stdout
    assert "; 1 late; 0 timed out; 0 crashed kernel(s); 0 flagged for review" in proc.stdout
    assert "look at test_conv2d_valid: 100% of the graded submissions score zero" in proc.stdout
    page = (course.autograde_dir / "reports" / "02_convolution" / "report.html").read_text()
    conv = re.search(r'<tr data-cell="test_conv2d_valid".*?</tr>', page, re.S).group(0)
    assert 'data-count="1"' in conv and "NotImplementedError" in conv
    late = re.search(r'<table id="late">.*?</table>', page, re.S).group(0)
    assert "2027-01-22 12:00 UTC" in late and "2 d 0 h" in late  # timestamp.txt, via the worker
