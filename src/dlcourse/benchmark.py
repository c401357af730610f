"""``make bench``: run every week's solution notebook and measure wall time and peak memory.

Each notebook runs in its own worker process (``python -m dlcourse.benchmark NOTEBOOK``) that
executes it in a fresh kernel with nbclient; the kernel's peak resident memory is read from the
worker's ``RUSAGE_CHILDREN`` after the kernel has exited. A second run (``--one-cpu``) pins the
worker, and so the kernel it starts, to one core with every thread pool at one thread: what a
Binder session (1 CPU) gives a student. Timing is never asserted in a test: the table goes into
the README.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dlcourse.grading.course import Course

BUDGET_SECONDS = 60.0
BUDGET_MB = 1024.0  # what a Binder session is guaranteed; many hubs give the same
ONE_CPU_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
}
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


@dataclass
class BenchResult:
    week: str
    notebook: str
    wall_s: float
    peak_mb: float
    metrics: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    one_cpu_s: float | None = None  # wall time of the run pinned to one core
    # the cells that raised the kernel's peak memory most: (cell index, grade_id or "", MB)
    raised_by: list[tuple[int, str, float]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def pin_to_one_cpu() -> None:
    """Pin this process (and the kernels it starts) to one core, thread pools at one thread."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    os.environ.update(ONE_CPU_ENV)


def execute_and_measure(path: Path, timeout: int = 900, one_cpu: bool = False) -> dict:
    """Run one notebook in a fresh kernel (in this process's child); return the measurements.
    With ``one_cpu`` this process is pinned to one core first (see :func:`pin_to_one_cpu`)."""
    import resource

    import nbformat
    from nbclient import NotebookClient

    from dlcourse.metrics import from_notebook

    if one_cpu:
        pin_to_one_cpu()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    raised: list[tuple[int, str, float]] = []  # cells that raised the kernel's peak memory
    with client.setup_kernel():
        pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
        before = _peak_rss_mb(pid)
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
            after = _peak_rss_mb(pid)
            if after > before:
                label = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or ""
                raised.append((index, label, round(after - before, 1)))
                before = after
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    errors = [
        f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
        for i, cell in enumerate(nb.cells)
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    return {
        "wall_s": wall,
        "peak_mb": peak_kb / 1024,
        "metrics": from_notebook(nb),
        "errors": errors,
        "raised_by": sorted(raised, key=lambda r: -r[2])[:5],
    }


def _peak_rss_mb(pid: int | None, field: str = "VmHWM") -> float:
    """A process's peak (``VmHWM``) or current (``VmRSS``) resident memory in MB; 0 if
    unknown."""
    if pid is None:
        return 0.0
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


def rerun_growth(path: Path, grade_id: str, times: int = 3, timeout: int = 900) -> list[float]:
    """Run a notebook down to the cell ``grade_id``, then run that cell ``times`` more times,
    as a student re-running an exercise does. Returns the kernel's resident memory (MB) after
    the first run of the cell and after each re-run."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells]
    if grade_id not in ids:
        raise ValueError(f"{path.name} has no cell {grade_id!r}")
    target = ids.index(grade_id)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    sizes = []
    with client.setup_kernel():
        pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
        for index, cell in enumerate(nb.cells[: target + 1]):
            client.execute_cell(cell, index)
        sizes.append(_peak_rss_mb(pid, "VmRSS"))
        for _ in range(times):
            client.execute_cell(nb.cells[target], target)
            sizes.append(_peak_rss_mb(pid, "VmRSS"))
    return sizes


def _measure_in_worker(notebook: Path, one_cpu: bool) -> dict:
    cmd = [sys.executable, "-m", "dlcourse.benchmark", str(notebook)]
    proc = subprocess.run(
        cmd + (["--one-cpu"] if one_cpu else []), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"wall_s": 0.0, "peak_mb": 0.0, "errors": [tail]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_benchmark(
    course: Course,
    weeks: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    one_cpu: bool = True,
) -> list[BenchResult]:
    """Benchmark the solution notebooks of ``weeks`` (default: all), one worker each; with
    ``one_cpu`` each notebook runs a second time pinned to one core."""
    weeks = [course.check_week(w) for w in weeks] if weeks else course.weeks()
    results = []
    for week in weeks:
        for notebook in course.source_notebooks(week):
            if progress:
                progress(f"running {week}/{notebook.name} ...")
            result = BenchResult(week, notebook.name, **_measure_in_worker(notebook, False))
            if one_cpu and result.ok:
                if progress:
                    progress(f"running {week}/{notebook.name} on one CPU ...")
                single = _measure_in_worker(notebook, True)
                result.one_cpu_s = single["wall_s"]
                result.peak_mb = max(result.peak_mb, single["peak_mb"])
                result.errors += [f"one CPU: {e}" for e in single.get("errors", [])]
            results.append(result)
    return results


def format_results(results: list[BenchResult]) -> str:
    """A Markdown table: week, wall s (2 cores and one CPU), peak MB, key metrics, and whether
    the budget holds (2-core wall time and peak memory)."""
    lines = [
        "| week | notebook | wall s | wall s, 1 CPU | peak MB | key metrics | within budget |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        metrics = ", ".join(f"{k} {v:.4g}" for k, v in r.metrics.items()) or "–"
        metrics = metrics.replace("|", "\\|")  # keep the Markdown table intact
        if r.errors:
            verdict = f"error: {r.errors[0]}"
        elif r.wall_s <= BUDGET_SECONDS and r.peak_mb <= BUDGET_MB:
            verdict = "yes"
        else:
            verdict = "no"
        single = "–" if r.one_cpu_s is None else f"{r.one_cpu_s:.1f}"
        lines.append(
            f"| {r.week} | {r.notebook} | {r.wall_s:.1f} | {single} | {r.peak_mb:.0f} "
            f"| {metrics} | {verdict} |"
        )
    return "\n".join(lines)


def readme_note(today: datetime.date | None = None) -> str:
    """The sentence above the README table: when, on what machine, with which data."""
    from dlcourse.assets import mirror_dir

    day = (today or datetime.date.today()).isoformat()
    note = (
        f"Measured by `make bench` on {day}: {os.cpu_count()} CPU cores, {platform.machine()}, "
        f"Python {platform.python_version()}."
    )
    if mirror_dir() is not None:
        return note + " The data mirror was set, so the ImageNet parts of weeks 04 and 05 ran."
    return note + " No data mirror was set: the ImageNet parts ran only if downloadable."


def update_readme(readme: Path, table: str, note: str) -> None:
    """Replace the benchmark table between the README's bench markers."""
    text = readme.read_text(encoding="utf-8")
    block = f"{README_START}\n{note}\n\n{table}\n{README_END}"
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        raise ValueError(f"{readme} has no {README_START} ... {README_END} section")
    readme.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")


if __name__ == "__main__":
    print(json.dumps(execute_and_measure(Path(sys.argv[1]), one_cpu="--one-cpu" in sys.argv)))


# -- cohort grading -----------------------------------------------------------------------------

COHORT_WRAPPER = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(p.returncode, time.perf_counter() - t, "
    "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
)


@dataclass
class CohortResult:
    week: str
    size: int
    jobs: int
    wall_s: float
    peak_mb: float  # the largest single process (a grading kernel)
    ok: bool


def run_cohort_benchmark(
    course: Course, week: str, size: int = 20, jobs_list: tuple[int, ...] = (1, 2)
) -> list[CohortResult]:
    """Grade ``size`` synthetic submissions of ``week`` with each ``--jobs`` value, each time
    in a fresh copy of the course; measure wall time and the largest process's peak memory."""
    import shutil
    import tempfile

    from dlcourse.grading.synthetic import synthetic_cohort

    week = course.check_week(week)
    results = []
    for jobs in jobs_list:
        with tempfile.TemporaryDirectory(prefix="dlcourse-cohort-") as tmp:
            root = Path(tmp) / "course"
            root.mkdir()
            shutil.copy2(course.root / "nbgrader_config.py", root / "nbgrader_config.py")
            for folder in ("solutions", "course"):
                shutil.copytree(course.root / folder, root / folder)
            inbox = Path(tmp) / "inbox"
            synthetic_cohort(Course(root), week, size, inbox)
            cmd = [sys.executable, "-c", COHORT_WRAPPER, sys.executable, "-m", "dlcourse",
                   "autograde", week, "--submissions", str(inbox), "--jobs", str(jobs),
                   "--no-progress"]
            proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
            code, wall, peak = proc.stdout.split()[-3:]
            results.append(CohortResult(week, size, jobs, float(wall), float(peak), code == "0"))
    return results


def format_cohort(results: list[CohortResult]) -> str:
    lines = [
        "| week | submissions | --jobs | wall s | s per submission | peak MB (largest process) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.week} | {r.size} | {r.jobs} | {r.wall_s:.0f} | {r.wall_s / r.size:.1f} "
            f"| {r.peak_mb:.0f} |" + ("" if r.ok else " (failed)")
        )
    return "\n".join(lines)
