"""Autograde a week's submissions: in parallel, isolated, and merged into one gradebook.

Each submission is graded by its own worker process in a private copy of the course
(:mod:`dlcourse.grading.worker`). This process is the only writer of the real gradebook: it
merges each worker's scores in turn (no "database is locked"), copies the graded notebook into
``autograde/autograded``, writes a report per submission (``autograde/reports/WEEK/STUDENT.json``,
with the reason for a zero and the flags for review), and checks before every merge that
nobody else changed a SQLite gradebook — if something did, it is restored from the copy taken
after the previous merge. With a PostgreSQL ``db_url``, graders on several machines can merge
into the same gradebook at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from dlcourse.grading.course import COURSE_ID, Course, CourseError
from dlcourse.grading.late import record_due_date
from dlcourse.grading.release import register


@dataclass
class CellScore:
    grade_id: str
    score: float
    max_score: float
    auto: bool  # graded by tests (code) rather than by hand (markdown)


@dataclass
class SubmissionResult:
    """One student's graded submission of one week."""

    student: str
    week: str
    status: str  # "graded" or "failed"
    reason: str = ""
    cells: list[CellScore] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(c.score for c in self.cells)

    @property
    def auto_score(self) -> float:
        return sum(c.score for c in self.cells if c.auto)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.cells)

    @property
    def auto_max_score(self) -> float:
        return sum(c.max_score for c in self.cells if c.auto)

    def cell(self, grade_id: str) -> CellScore:
        for cell in self.cells:
            if cell.grade_id == grade_id:
                return cell
        raise KeyError(grade_id)


def _notebook_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def collect(course: Course, week: str, submissions: Path) -> list[str]:
    """Copy submissions from ``submissions/STUDENT/[WEEK/]*.ipynb`` into ``autograde/submitted``.

    Returns the student ids found. A student folder without any notebook is collected too (it
    is graded as missing, with that reason).
    """
    week = course.check_week(week)
    if not submissions.is_dir():
        raise CourseError(f"Submission folder {submissions} does not exist.")
    students = []
    for student_dir in sorted(p for p in submissions.iterdir() if p.is_dir()):
        source = student_dir / week if (student_dir / week).is_dir() else student_dir
        dest = course.submitted_dir / student_dir.name / week
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for path in _notebook_files(source):
            shutil.copy2(path, dest / path.name)
        timestamp = source / "timestamp.txt"
        if timestamp.is_file():
            shutil.copy2(timestamp, dest / "timestamp.txt")
        students.append(student_dir.name)
    if not students:
        raise CourseError(
            f"No submissions of {week} found in {submissions}: expected one folder per student "
            f"holding the week's notebook (STUDENT/{week}/NOTEBOOK.ipynb or "
            "STUDENT/NOTEBOOK.ipynb)."
        )
    return students


def submitted_students(course: Course, week: str) -> list[str]:
    if not course.submitted_dir.is_dir():
        return []
    return sorted(p.name for p in course.submitted_dir.iterdir() if (p / week).is_dir())


def _assignment_registered(course: Course, week: str) -> bool:
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        try:
            gb.find_assignment(week)
        except MissingEntry:
            return False
    return True


def read_scores(course: Course, week: str, student: str) -> SubmissionResult:
    """The gradebook's scores for one student's submission of ``week``."""
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        try:
            submission = gb.find_submission(week, student)
        except MissingEntry:
            return SubmissionResult(student, week, "failed", "no submission in the gradebook")
        cells = [
            CellScore(
                grade_id=grade.name,
                score=float(grade.score or 0.0),
                max_score=float(grade.max_score or 0.0),
                auto=grade.cell.cell_type == "code",
            )
            for notebook in submission.notebooks
            for grade in notebook.grades
        ]
    return SubmissionResult(student, week, "graded", cells=cells)


def _ensure_registered(course: Course, week: str) -> None:
    """Record the week in the gradebook unless it is there; graders starting at once on several
    machines may race to do it, so a failed attempt is retried after checking again."""
    import time

    for attempt in range(5):
        if _assignment_registered(course, week):
            return
        try:
            register(course, week)
            return
        except CourseError:
            if attempt == 4:
                raise
            time.sleep(1 + attempt)


# -- the gradebook guard (SQLite) ---------------------------------------------------------------


def _sqlite_path(db_url: str) -> Path | None:
    prefix = "sqlite:///"
    return Path(db_url[len(prefix):]) if db_url.startswith(prefix) else None


class GradebookKeeper:
    """Remembers the SQLite gradebook as this grader last wrote it, and restores it if anything
    else changed or deleted it in between. (A no-op for server databases.)"""

    def __init__(self, course: Course) -> None:
        self.path = _sqlite_path(course.db_url)
        self.backup: Path | None = None
        self.digest: str | None = None
        self.restored: list[str] = []
        if self.path is not None:
            self.backup = Path(tempfile.mkdtemp(prefix="dlcourse-gradebook-")) / "gradebook.db"
            self.remember()

    def _hash(self) -> str | None:
        if self.path is None or not self.path.is_file():
            return None
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def remember(self) -> None:
        if self.path is None or self.backup is None:
            return
        shutil.copy2(self.path, self.backup)
        self.digest = self._hash()

    def check(self) -> None:
        if self.path is None or self.backup is None:
            return
        if self._hash() != self.digest:
            shutil.copy2(self.backup, self.path)
            self.restored.append("the gradebook was changed outside the grader; restored")

    def close(self) -> None:
        if self.backup is not None:
            shutil.rmtree(self.backup.parent, ignore_errors=True)


# -- merging ------------------------------------------------------------------------------------


def merge(course: Course, result: dict) -> None:
    """Write one worker's result into the real gradebook (zeros for a failed submission)."""
    from datetime import datetime

    week, student = result["week"], result["student"]
    flagged = bool(result.get("flags")) or result.get("status") != "graded"
    for attempt in range(3):  # several graders merging into one PostgreSQL gradebook may race
        try:
            with course.gradebook() as gb:
                gb.update_or_create_student(student)
                timestamp = result.get("timestamp")
                kwargs = {"timestamp": datetime.fromisoformat(timestamp)} if timestamp else {}
                submission = gb.update_or_create_submission(week, student, **kwargs)
                by_cell = {(g["notebook"], g["grade_id"]): g for g in result.get("grades", [])}
                for notebook in submission.notebooks:
                    notebook.flagged = flagged
                    for entry in result.get("notebooks", []):
                        if entry["name"] == notebook.name:
                            notebook.late_submission_penalty = entry.get("late_penalty")
                    for grade in notebook.grades:
                        scored = by_cell.get((notebook.name, grade.name))
                        if scored is None:  # nothing gradable: zero, nobody needs to look
                            grade.auto_score = 0.0
                            grade.needs_manual_grade = False
                        else:
                            grade.auto_score = scored["auto_score"]
                            grade.needs_manual_grade = scored["needs_manual"]
                    for comment in notebook.comments:
                        for entry in result.get("comments", []):
                            if (entry["notebook"], entry["grade_id"]) == (
                                notebook.name, comment.name
                            ):
                                comment.auto_comment = entry["auto_comment"]
                gb.db.commit()
            return
        except Exception:
            if attempt == 2:
                raise


def _install_graded_notebooks(course: Course, result: dict) -> None:
    source = Path(result.get("autograded", ""))
    target = course.autograded_dir / result["student"] / result["week"]
    if target.exists():
        shutil.rmtree(target)
    if result.get("autograded") and source.is_dir():
        shutil.copytree(source, target)
    elif result.get("autograded_files"):  # from a cluster worker, as data
        target.mkdir(parents=True)
        for name, data in result["autograded_files"].items():
            (target / Path(name).name).write_bytes(data)


def _write_report(course: Course, result: dict, scores: SubmissionResult) -> Path:
    folder = course.autograde_dir / "reports" / result["week"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result['student']}.json"
    report = {
        "student": result["student"],
        "week": result["week"],
        "status": result.get("status"),
        "reason": result.get("reason", ""),
        "flags": result.get("flags", []),
        "score": scores.score,
        "max_score": scores.max_score,
        "seconds": result.get("seconds"),
        "worker": result.get("worker", "local"),
        "task_seconds": result.get("task_seconds", result.get("seconds")),
    }
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return path


def read_report(course: Course, week: str, student: str) -> dict:
    path = course.autograde_dir / "reports" / week / f"{student}.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


# -- running workers ----------------------------------------------------------------------------


def merge_result(course: Course, keeper: GradebookKeeper, raw: dict,
                 merged: set[tuple]) -> SubmissionResult | None:
    """Merge one worker result, once: a result whose (week, student, attempt) was merged
    already (a Dask retry delivered twice) is ignored and returns None."""
    key = (raw["week"], raw["student"], raw.get("attempt", ""))
    if key in merged:
        return None
    merged.add(key)
    keeper.check()
    merge(course, raw)
    keeper.remember()
    _install_graded_notebooks(course, raw)
    scores = read_scores(course, raw["week"], raw["student"])
    scores.status = raw.get("status", "failed")
    scores.reason = raw.get("reason", "")
    scores.flags = list(raw.get("flags", [])) + keeper.restored
    keeper.restored = []
    scores.seconds = float(raw.get("seconds") or 0.0)
    _write_report(course, raw, scores)
    return scores


def _cpu_slots(jobs: int) -> list[tuple[str, int]]:
    """CPU list and thread count per parallel job: the cores are shared out between jobs."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if not cpus or jobs > len(cpus):
        return [("", max(1, (len(cpus) or 2) // jobs))] * jobs
    per = len(cpus) // jobs
    return [(",".join(str(c) for c in cpus[i * per:(i + 1) * per]), per) for i in range(jobs)]


def _run_worker(course: Course, week: str, student: str, template: Path, slot: tuple[str, int],
                timeout: int | None, memory_mb: int | None,
                env: dict[str, str] | None = None) -> dict:
    cpus, threads = slot
    cmd = [sys.executable, "-m", "dlcourse.grading.worker", "--root", str(course.root),
           "--week", week, "--student", student, "--template-db", str(template),
           "--threads", str(threads)]
    if cpus:
        cmd += ["--cpus", cpus]
    if timeout:
        cmd += ["--timeout", str(timeout)]
    if memory_mb:
        cmd += ["--memory-mb", str(memory_mb)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    lines = proc.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"student": student, "week": week, "status": "failed",
                "reason": f"the grading worker failed: {tail[:300]}", "flags": []}


@contextlib.contextmanager
def _interrupt_after():
    """Hold back Ctrl-C (SIGINT) until the block is done, then raise KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


class GradingInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run: what was merged stays in the gradebook; ``not_graded`` lists the
    students whose submissions were not graded (cancelled, or still running)."""

    def __init__(self, not_graded: list[str]) -> None:
        super().__init__(f"not graded: {', '.join(not_graded)}")
        self.not_graded = list(not_graded)


def autograde(
    course: Course,
    week: str,
    *,
    submissions: Path | None = None,
    students: Iterable[str] | None = None,
    jobs: int = 1,
    timeout: int | None = None,
    memory_mb: int | None = None,
    on_result: Callable[[SubmissionResult], None] | None = None,
    progress: bool = False,
    scheduler: str | None = None,
) -> list[SubmissionResult]:
    """Autograde ``week`` for the given students (default: every submitted student).

    ``jobs`` submissions are graded at once, each in its own worker and private course copy,
    with the machine's cores shared out between them. A submission that cannot be graded gets
    zero with its reason and a review flag; the others are graded regardless.
    With ``scheduler`` (``tcp://HOST:PORT`` or ``local``), the submissions are graded as Dask
    tasks instead (:mod:`dlcourse.grading.cluster`); this process still merges every result.
    """
    week = course.check_week(week)
    if jobs < 1:
        raise CourseError(f"--jobs must be at least 1, got {jobs}.")
    if submissions is not None:
        collected = collect(course, week, submissions)
        students = collected if students is None else students
    students = list(students) if students is not None else submitted_students(course, week)
    if not students:
        raise CourseError(
            f"No submissions of {week} to grade: put them in "
            f"{course.submitted_dir}/STUDENT/{week}/ or pass --submissions DIR."
        )
    client = None
    if scheduler is not None:  # connect first: an unreachable scheduler leaves all untouched
        from dlcourse.grading import cluster

        client = cluster.connect(scheduler, workers=jobs)
    _ensure_registered(course, week)
    record_due_date(course.config(), week, course.db_url, COURSE_ID)  # as configured now
    template_dir = Path(tempfile.mkdtemp(prefix="dlcourse-template-"))
    template = template_dir / "gradebook.db"
    register(course, week, db_url=f"sqlite:///{template}")
    keeper = GradebookKeeper(course)
    slots = _cpu_slots(jobs)
    free = list(range(jobs))
    lock = threading.Lock()
    results: list[SubmissionResult] = []
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(students), desc=f"grading {week}", unit="student")

    def job(student: str) -> dict:
        with lock:
            slot_index = free.pop()
        try:
            return _run_worker(course, week, student, template, slots[slot_index], timeout,
                               memory_mb)
        finally:
            with lock:
                free.append(slot_index)

    merged: set[tuple] = set()

    def take(raw: dict) -> None:
        with _interrupt_after():  # a merge is never cut half-way by Ctrl-C
            scores = merge_result(course, keeper, raw, merged)
            if scores is None:
                return
            shutil.rmtree(raw.get("work", "") or template_dir / "none", ignore_errors=True)
            results.append(scores)
            if bar is not None:
                bar.update(1)
            if on_result is not None:
                on_result(scores)

    try:
        if client is not None:
            from dlcourse.grading import cluster

            results_on_dask = cluster.run(client, course, week, students, template, timeout,
                                          memory_mb)
            try:
                for raw in results_on_dask:
                    take(raw)
            except GradingInterrupted:
                raise
            except KeyboardInterrupt:  # during a merge: the runner cancels and names the rest
                results_on_dask.throw(KeyboardInterrupt())
        else:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(job, s): s for s in students}
                try:
                    for future in as_completed(futures):
                        take(future.result())
                except KeyboardInterrupt:  # merged results stay; queued ones never start
                    pool.shutdown(wait=False, cancel_futures=True)
                    done = {r.student for r in results}
                    raise GradingInterrupted([s for s in students if s not in done]) from None
    finally:
        if bar is not None:
            bar.close()
        keeper.close()
        shutil.rmtree(template_dir, ignore_errors=True)
        if client is not None:
            client.close()
            if scheduler == "local" and client.cluster is not None:
                client.cluster.close()
    order = {s: i for i, s in enumerate(students)}
    return sorted(results, key=lambda r: order[r.student])
