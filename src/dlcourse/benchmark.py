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
COHORT_START = "<!-- cohort:start -->"
COHORT_END = "<!-- cohort:end -->"


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


def update_readme(readme: Path, table: str, note: str, start: str = README_START,
                  end: str = README_END) -> None:
    """Replace the table between the README's bench markers (or the ``start``/``end`` given,
    e.g. :data:`COHORT_START` and :data:`COHORT_END` for the cohort table)."""
    text = readme.read_text(encoding="utf-8")
    block = f"{start}\n{note}\n\n{table}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"{readme} has no {start} ... {end} section")
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

#: How a cohort is graded: ``("jobs", N)`` is ``dlcourse autograde --jobs N``; ``("dask", N)``
#: the same with ``--scheduler`` on a real ``dask scheduler`` with N ``dask worker`` processes
#: (one thread each, each in its own folder); ``("nbgrader", 1)`` plain ``nbgrader autograde``
#: of the collected submissions, one at a time, with the project's ``nbgrader_config.py``.
CohortMode = tuple[str, int]
DEFAULT_MODES: tuple[CohortMode, ...] = (("jobs", 1), ("jobs", 2), ("dask", 1), ("dask", 2))


@dataclass
class CohortResult:
    week: str
    size: int
    mode: CohortMode
    wall_s: float
    peak_mb: float | None  # the largest grading process (None: it ran under a Dask worker)
    ok: bool

    @property
    def how(self) -> str:
        kind, n = self.mode
        if kind == "jobs":
            return f"`--jobs {n}`"
        if kind == "dask":
            return f"`--scheduler`, {n} worker{'s' if n > 1 else ''}"
        return "plain `nbgrader autograde`"


def parse_cohort(spec: str) -> tuple[str, int, tuple[CohortMode, ...]]:
    """``WEEK[:SIZE[:MODE,...]]`` with MODE ``jobsN``, ``daskN`` or ``nbgrader``, e.g.
    ``03_cnn_mnist:8:jobs1,jobs2,dask1,dask2`` -> (week, size, modes)."""
    week, _, rest = spec.partition(":")
    size_text, _, modes_text = rest.partition(":")
    size = int(size_text) if size_text else 20
    modes: list[CohortMode] = []
    for word in filter(None, modes_text.split(",")):
        match = re.fullmatch(r"(jobs|dask)(\d+)|nbgrader", word)
        if match is None:
            raise ValueError(f"cohort mode {word!r}: expected jobsN, daskN or nbgrader")
        modes.append(("nbgrader", 1) if word == "nbgrader"
                     else (match.group(1), int(match.group(2))))
    return week, size, tuple(modes) or DEFAULT_MODES


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DaskProcesses:
    """A real ``dask scheduler`` and ``workers`` ``dask worker`` processes on localhost, each
    worker with one thread in its own folder under ``folder`` (as if on its own machine)."""

    def __init__(self, folder: Path, workers: int) -> None:
        self.folder, self.workers = folder, workers
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> DaskProcesses:
        dask = str(Path(sys.executable).parent / "dask")
        port = self.address.rsplit(":", 1)[1]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.folder.mkdir(parents=True, exist_ok=True)
        self.procs.append(subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", port,
             "--dashboard-address", ":0"], cwd=self.folder, **quiet))
        for i in range(self.workers):
            home = self.folder / f"worker-{i + 1}"
            home.mkdir()
            self.procs.append(subprocess.Popen(
                [dask, "worker", self.address, "--nthreads", "1", "--name", f"w{i + 1}",
                 "--local-directory", str(home), "--dashboard-address", ":0",
                 "--host", "127.0.0.1"], cwd=home, **quiet))
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(self.workers, timeout=120)
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _timed(cmd: list[str], cwd: Path) -> tuple[bool, float, float]:
    """Run ``cmd`` under :data:`COHORT_WRAPPER`: (exit code 0, wall s, largest child MB)."""
    proc = subprocess.run([sys.executable, "-c", COHORT_WRAPPER, *cmd], cwd=cwd,
                          capture_output=True, text=True, check=False)
    code, wall, peak = proc.stdout.split()[-3:]
    return code == "0", float(wall), float(peak)


def run_cohort_benchmark(
    course: Course, week: str, size: int = 20, modes: tuple[CohortMode, ...] = DEFAULT_MODES
) -> list[CohortResult]:
    """Grade ``size`` synthetic submissions of ``week`` in each of ``modes``, each time in a
    fresh copy of the course; measure wall time and the largest grading process's peak memory
    (not measured under Dask: the kernels are the workers' children there)."""
    import shutil
    import tempfile

    from dlcourse.grading.autograde import _ensure_registered, collect
    from dlcourse.grading.synthetic import synthetic_cohort

    week = course.check_week(week)
    results = []
    for mode in modes:
        kind, n = mode
        with tempfile.TemporaryDirectory(prefix="dlcourse-cohort-") as tmp:
            root = Path(tmp) / "course"
            root.mkdir()
            shutil.copy2(course.root / "nbgrader_config.py", root / "nbgrader_config.py")
            for folder in ("solutions", "course"):
                shutil.copytree(course.root / folder, root / folder)
            inbox = Path(tmp) / "inbox"
            synthetic_cohort(Course(root), week, size, inbox)
            grade = [sys.executable, "-m", "dlcourse", "autograde", week, "--submissions",
                     str(inbox), "--no-progress"]
            if kind == "jobs":
                ok, wall, peak = _timed([*grade, "--jobs", str(n)], root)
            elif kind == "dask":
                with DaskProcesses(Path(tmp) / "dask", n) as cluster:
                    ok, wall, _ = _timed([*grade, "--scheduler", cluster.address], root)
                peak = None
            elif kind == "nbgrader":
                fresh = Course(root)
                collect(fresh, week, inbox)  # what nbgrader's collect would leave
                _ensure_registered(fresh, week)
                nbgrader = str(Path(sys.executable).parent / "nbgrader")
                ok, wall, peak = _timed([nbgrader, "autograde", week, "--create"], root)
            else:
                raise ValueError(f"unknown cohort mode {mode!r}")
            results.append(CohortResult(week, size, mode, wall, peak, ok))
    return results


def format_cohort(results: list[CohortResult]) -> str:
    """A Markdown table; "vs local" compares a Dask run with ``--jobs`` of as many workers, per
    submission (the overhead of Dask), and plain nbgrader with ``--jobs 1``."""
    lines = [
        "| week | submissions | graded with | wall s | s per submission | vs local "
        "| peak MB (largest process) |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    local = {(r.week, r.size, r.mode[1]): r.wall_s for r in results if r.mode[0] == "jobs"}
    for r in results:
        reference = local.get((r.week, r.size, r.mode[1])) if r.mode[0] != "jobs" else None
        versus = f"{(r.wall_s / reference - 1) * 100:+.0f} %" if reference else "–"
        peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "–"
        lines.append(
            f"| {r.week} | {r.size} | {r.how} | {r.wall_s:.0f} | {r.wall_s / r.size:.1f} "
            f"| {versus} | {peak} |" + ("" if r.ok else " (failed)")
        )
    return "\n".join(lines)
