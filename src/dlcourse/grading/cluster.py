"""Grade submissions on a Dask cluster: one task per (week, student), results back as data.

A task carries everything its submission needs as bytes (the week's source files, the released
notebooks, ``nbgrader_config.py``, the student's submitted folder and the template gradebook), so
workers need the course environment but no shared disk. On the worker, the task unpacks them into
a private folder and runs there exactly what a local ``--jobs N`` run does for one submission: the
sandboxed ``python -m dlcourse.grading.worker`` process. It returns the worker's result with the
graded notebooks as bytes, the worker's address and the seconds it took. The coordinator
(:func:`dlcourse.grading.autograde.autograde`) stays the only writer of the gradebook.

A submission that fails (its kernel dies, it loops, nbgrader refuses it) is a *returned* result
with status ``failed``, never an exception: Dask re-runs only tasks whose worker died (the
scheduler reschedules them, up to ``distributed.scheduler.allowed-failures``) or that raised
(``retries``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from dlcourse.grading.course import CONFIG_FILE, Course, CourseError

CONNECT_TIMEOUT = "10s"
RETRIES = 2


def _files_under(folder: Path, base: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def submission_hash(course: Course, week: str, student: str) -> str:
    """Identifies one submitted attempt: the hash of the student's submitted files."""
    digest = hashlib.sha256()
    for name, data in _files_under(course.submitted_dir / student / week,
                                   course.submitted_dir).items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


def payload(course: Course, week: str, student: str, template: Path) -> dict:
    """What one task needs, as data."""
    root = course.root
    files = {CONFIG_FILE: (root / CONFIG_FILE).read_bytes()}
    for folder in (root / "solutions" / week, root / "course" / week,
                   course.submitted_dir / student / week):
        files.update(_files_under(folder, root))
    return {"week": week, "student": student, "files": files,
            "template": template.read_bytes(),
            "attempt": submission_hash(course, week, student)}


def environment_for_grading(environ: dict[str, str] | None = None) -> dict[str, str]:
    """This worker's environment without what Dask's nanny set for the worker process itself
    (``distributed.nanny.pre-spawn-environ``: ``MALLOC_TRIM_THRESHOLD_=65536`` and one
    OpenMP/MKL/OpenBLAS thread), so that a submission is graded as in a local run. Inherited,
    that trim threshold makes glibc hand the heap's top back after nearly every training step.
    A variable set to another value (by whoever started the worker) is kept."""
    import dask
    import distributed  # noqa: F401  (loads distributed's defaults into dask.config)

    environ = dict(os.environ if environ is None else environ)
    preset = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    return {k: v for k, v in environ.items() if k not in preset or str(preset[k]) != v}


def grade_task(task: dict, timeout: int | None, memory_mb: int | None) -> dict:
    """Runs on a Dask worker: unpack, grade in the sandboxed worker process, return data."""
    from distributed import get_worker

    from dlcourse.grading.autograde import _run_worker

    started = time.monotonic()
    worker = get_worker()
    root = Path(tempfile.mkdtemp(prefix="dlcourse-task-", dir=worker.local_directory))
    try:
        for name, data in task["files"].items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        template = root / "template.db"
        template.write_bytes(task["template"])
        # the cores this worker may use (a batch job's allocation, not the whole node)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
            os.cpu_count() or 1)
        threads = max(1, cores // max(1, worker.state.nthreads))
        result = _run_worker(Course(root), task["week"], task["student"], template,
                             ("", threads), timeout, memory_mb, env=environment_for_grading())
        graded = Path(result.get("autograded") or root / "none")
        result["autograded_files"] = {p.name: p.read_bytes() for p in sorted(graded.glob("*"))
                                      if p.is_file()}
        shutil.rmtree(result.pop("work", "") or root / "none", ignore_errors=True)
        result["autograded"] = ""
    finally:
        shutil.rmtree(root, ignore_errors=True)
    result["attempt"] = task["attempt"]
    result["worker"] = worker.address
    result["task_seconds"] = round(time.monotonic() - started, 2)
    return result


def connect(scheduler: str, workers: int = 1):
    """A Dask client for ``scheduler`` (``tcp://HOST:PORT``, or ``local`` for a LocalCluster
    of ``workers`` single-threaded processes). Raises CourseError if it cannot connect."""
    from distributed import Client, LocalCluster

    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster)
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as err:
        raise CourseError(
            f"Cannot reach the Dask scheduler at {scheduler} within {CONNECT_TIMEOUT} "
            f"({type(err).__name__}); start it with `dask scheduler` or check the address."
        ) from None


def run(client, course: Course, week: str, students: list[str], template: Path,
        timeout: int | None, memory_mb: int | None) -> Iterator[dict]:
    """Submit one task per student and yield their results as they complete. On Ctrl-C the
    tasks not finished are cancelled and named by the GradingInterrupted raised."""
    from distributed import as_completed

    futures = {
        client.submit(grade_task, payload(course, week, s, template), timeout, memory_mb,
                      key=f"grade-{week}-{s}-{submission_hash(course, week, s)}",
                      retries=RETRIES, pure=False): s
        for s in students
    }
    pending = set(futures)
    try:
        for future in as_completed(futures):
            pending.discard(future)
            yield future.result()
    except KeyboardInterrupt:
        from dlcourse.grading.autograde import GradingInterrupted

        client.cancel(list(pending))
        raise GradingInterrupted(sorted(futures[f] for f in pending)) from None
