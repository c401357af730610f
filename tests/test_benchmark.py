"""The benchmark: measures a real notebook run, formats the table, rewrites the README block."""

from __future__ import annotations

import nbformat
import pytest

from dlcourse.benchmark import BenchResult, execute_and_measure, format_results, update_readme
from dlcourse.metrics import MIME_TYPE, from_notebook


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def test_execute_and_measure_reports_memory_metrics_and_errors(tmp_path):
    path = _notebook(
        tmp_path / "nb.ipynb",
        "import numpy as np\nblock = np.ones(200 * 1024**2 // 8)  # 200 MB",
        "from dlcourse import metrics\nmetrics.record('test accuracy', 0.975)",
        "1 / 0",
    )
    result = execute_and_measure(path, timeout=120)
    assert result["peak_mb"] > 200
    assert result["wall_s"] > 0
    assert result["metrics"] == {"test accuracy": 0.975}
    assert len(result["errors"]) == 1 and "ZeroDivisionError" in result["errors"][0]


def test_metrics_from_notebook_reads_only_tagged_outputs():
    nb = {"cells": [{"outputs": [{"data": {MIME_TYPE: {"name": "mse", "value": 0.5}}},
                                 {"data": {"text/plain": "mse: 9"}}]}]}
    assert from_notebook(nb) == {"mse": 0.5}


def test_format_results_marks_budget_and_errors():
    table = format_results([
        BenchResult("02_convolution", "a.ipynb", 6.4, 809.0, {"max |d|": 1e-5}, one_cpu_s=9.25),
        BenchResult("03_cnn_mnist", "b.ipynb", 75.0, 900.0),
        BenchResult("04_transfer", "c.ipynb", 0.0, 0.0, errors=["cell 3: ValueError: x"]),
        BenchResult("05_saliency", "d.ipynb", 30.0, 1100.0),
    ])
    lines = table.splitlines()
    assert "| wall s, 1 CPU |" in lines[0]
    assert lines[2].startswith("| 02_convolution | a.ipynb | 6.4 | 9.2 | 809 |")
    assert lines[2].endswith("| yes |") and "max \\|d\\| 1e-05" in lines[2]
    assert lines[3].endswith("| no |") and "| 75.0 | – | 900 |" in lines[3]
    assert "error: cell 3: ValueError: x" in lines[4]
    assert lines[5].endswith("| no |")  # 1,100 MB is over the 1 GB budget


def test_one_cpu_run_pins_the_kernel_to_one_core(tmp_path):
    import json
    import os
    import subprocess
    import sys

    path = _notebook(
        tmp_path / "nb.ipynb",
        "import os\nfrom dlcourse import metrics\n"
        "metrics.record('cores', len(os.sched_getaffinity(0)))\n"
        "metrics.record('omp', int(os.environ['OMP_NUM_THREADS']))",
    )
    # Start from every core (the test workers run on a share of them).
    proc = subprocess.run([sys.executable, "-m", "dlcourse.benchmark", str(path), "--one-cpu"],
                          capture_output=True, text=True, check=True, timeout=300,
                          preexec_fn=lambda: os.sched_setaffinity(0, range(os.cpu_count())))
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["metrics"] == {"cores": 1, "omp": 1}
    assert result["errors"] == []


def test_update_readme_replaces_only_the_marked_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- bench:start -->\nold\n<!-- bench:end -->\noutro\n")
    update_readme(readme, "| new |", "measured today")
    assert readme.read_text() == (
        "intro\n<!-- bench:start -->\nmeasured today\n\n| new |\n<!-- bench:end -->\noutro\n"
    )
    (tmp_path / "plain.md").write_text("no markers")
    with pytest.raises(ValueError, match="bench:start"):
        update_readme(tmp_path / "plain.md", "x", "y")


def test_synthetic_cohort_mixes_answered_and_untouched(tmp_path):
    import nbformat
    from conftest import REPO

    from dlcourse.grading.course import Course
    from dlcourse.grading.synthetic import synthetic_cohort

    students = synthetic_cohort(Course(REPO), "02_convolution", 4, tmp_path)
    assert students == ["student-001", "student-002", "student-003", "student-004"]
    sources = [
        "".join(c.source for c in nbformat.read(
            tmp_path / s / "02_convolution" / "convolution_by_hand.ipynb", as_version=4).cells
            if c.cell_type == "code")
        for s in students
    ]
    assert "NotImplementedError" not in sources[0]
    assert sources[2].count("NotImplementedError") > 0  # half answered
    assert "BEGIN SOLUTION" not in "".join(sources)


def test_readme_note_names_date_machine_and_whether_the_mirror_was_used(
    monkeypatch, tmp_path
) -> None:
    import datetime

    from dlcourse.benchmark import readme_note

    monkeypatch.setenv("DLCOURSE_MIRROR", str(tmp_path))
    with_mirror = readme_note(datetime.date(2026, 11, 23))
    assert with_mirror.startswith("Measured by `make bench` on 2026-11-23: ")
    assert "CPU cores" in with_mirror and "Python 3." in with_mirror
    assert with_mirror.endswith(
        "The data mirror was set, so the ImageNet parts of weeks 04 and 05 ran."
    )
    monkeypatch.delenv("DLCOURSE_MIRROR")
    assert readme_note().endswith(
        "No data mirror was set: the ImageNet parts ran only if downloadable."
    )


def test_rerun_growth_reports_memory_after_each_rerun(tmp_path):
    from dlcourse.benchmark import rerun_growth

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nkept = []"),
        nbformat.v4.new_code_cell("kept.append(np.ones(50 * 1024**2 // 8))",
                                  metadata={"nbgrader": {"grade_id": "leaky"}}),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, tmp_path / "nb.ipynb")
    sizes = rerun_growth(tmp_path / "nb.ipynb", "leaky", times=2, timeout=120)
    assert len(sizes) == 3
    growth = [b - a for a, b in zip(sizes, sizes[1:], strict=False)]
    assert all(45 < g < 80 for g in growth), growth  # 50 MB kept per run
    with pytest.raises(ValueError, match="no cell 'missing'"):
        rerun_growth(tmp_path / "nb.ipynb", "missing")


def test_parse_cohort_reads_week_size_and_modes():
    from dlcourse.benchmark import DEFAULT_MODES, parse_cohort

    assert parse_cohort("03_cnn_mnist:8:jobs1,jobs2,dask2,nbgrader") == (
        "03_cnn_mnist", 8, (("jobs", 1), ("jobs", 2), ("dask", 2), ("nbgrader", 1)))
    assert parse_cohort("02_convolution") == ("02_convolution", 20, DEFAULT_MODES)
    with pytest.raises(ValueError, match="expected jobsN, daskN or nbgrader"):
        parse_cohort("02_convolution:6:threads4")


def test_format_cohort_compares_dask_and_nbgrader_with_local_jobs():
    from dlcourse.benchmark import CohortResult, format_cohort

    rows = format_cohort([
        CohortResult("03_cnn_mnist", 8, ("jobs", 1), 240.0, 1100.0, True),
        CohortResult("03_cnn_mnist", 8, ("jobs", 2), 140.0, 1090.0, True),
        CohortResult("03_cnn_mnist", 8, ("dask", 1), 252.0, None, True),
        CohortResult("03_cnn_mnist", 8, ("dask", 2), 147.0, None, False),
        CohortResult("02_convolution", 6, ("nbgrader", 1), 36.0, 800.0, True),
    ]).splitlines()
    assert rows[2] == "| 03_cnn_mnist | 8 | `--jobs 1` | 240 | 30.0 | – | 1100 |"
    assert rows[4] == "| 03_cnn_mnist | 8 | `--scheduler`, 1 worker | 252 | 31.5 | +5 % | – |"
    assert rows[5].startswith("| 03_cnn_mnist | 8 | `--scheduler`, 2 workers | 147 | 18.4 | +5 % |")
    assert rows[5].endswith("(failed)")
    assert rows[6] == "| 02_convolution | 6 | plain `nbgrader autograde` | 36 | 6.0 | – | 800 |"


def test_update_readme_replaces_only_its_own_block(tmp_path):
    from dlcourse.benchmark import COHORT_END, COHORT_START, README_END, README_START

    readme = tmp_path / "README.md"
    readme.write_text(f"a\n{README_START}\nold table\n{README_END}\nb\n{COHORT_START}\nold "
                      f"cohort\n{COHORT_END}\nc\n")
    update_readme(readme, "| new cohort |", "note", COHORT_START, COHORT_END)
    text = readme.read_text()
    assert "old table" in text and "old cohort" not in text
    assert f"{COHORT_START}\nnote\n\n| new cohort |\n{COHORT_END}\nc\n" in text
