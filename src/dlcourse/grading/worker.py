"""Grade ONE submission in a private, throw-away copy of the course.

Run as ``python -m dlcourse.grading.worker ...`` by :mod:`dlcourse.grading.autograde`, one
process per submission. The copy has its own gradebook (made from a template holding only the
assignment), its own submitted and autograded folders, and nothing else of the course: so a
submission can neither see nor damage the real gradebook or another student's files, and
parallel workers never lock each other's database. The worker prints one JSON line with the
scores, which the parent merges into the real gradebook.

The worker runs ``nbgrader autograde`` in its own process (nbgrader's command-line app, with
the same arguments and configuration files), not as one more child process: a Python start
and nbgrader's imports cost about 1.8 s per submission, a fifth of a short week's grading.
The kernel that runs the submission is a separate, sandboxed process either way.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from dlcourse.grading.startup import skip_slow_optional_imports

skip_slow_optional_imports()

import nbformat  # noqa: E402  (after the start-up fix above)

from dlcourse.grading.course import (  # noqa: E402
    CONFIG_FILE,
    COURSE_ID,
    ensure_scripts_on_path,
)
from dlcourse.grading.flags import flags_of  # noqa: E402


def restore_metadata(path: Path, released: Path) -> list[str]:
    """Put back nbgrader metadata a student changed (grade_id, points, cell flags), matching
    cells by their notebook cell id; nbgrader would otherwise refuse the whole notebook."""
    if not released.is_file():
        return []
    nb = nbformat.read(path, as_version=4)
    reference = {c.get("id"): c for c in nbformat.read(released, as_version=4).cells}
    changed = []
    for cell in nb.cells:
        original = reference.get(cell.get("id"))
        if original is None or "nbgrader" not in original.get("metadata", {}):
            continue
        want = original.metadata["nbgrader"]
        have = cell.get("metadata", {}).get("nbgrader")
        if have != want:
            cell.setdefault("metadata", {})["nbgrader"] = want
            changed.append(want.get("grade_id", "?"))
    if changed:
        nbformat.write(nb, path)
        return [f"{path.name}: nbgrader metadata of {', '.join(changed)} was changed (restored)"]
    return []


def check_submission(
    folder: Path, expected: list[str], released_dir: Path | None = None
) -> tuple[list[str], list[str]]:
    """Make a submission folder gradable; return (reasons a score is zero, flags for review).

    Unreadable notebooks are set aside (nbgrader then scores them as missing); a single notebook
    under another name is graded under the expected name, and flagged; changed nbgrader
    metadata is restored from the released notebook, and flagged.
    """
    zero_reasons: list[str] = []
    flags: list[str] = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
        except Exception as err:  # invalid JSON, empty file, not a notebook
            detail = str(err).strip().splitlines()[0][:120] if str(err).strip() else "empty file"
            zero_reasons.append(f"{path.name} is not a readable notebook ({detail})")
            path.rename(path.with_suffix(".ipynb.unreadable"))
    present = sorted(p.name for p in folder.glob("*.ipynb"))
    missing = [name for name in expected if name not in present]
    extra = [name for name in present if name not in expected]
    if len(missing) == 1 and len(extra) == 1:
        (folder / extra[0]).rename(folder / missing[0])
        flags.append(f"submitted as {extra[0]}; graded as {missing[0]}")
        missing = []
    for name in missing:
        if not any(name in reason for reason in zero_reasons):
            zero_reasons.append(f"no notebook {name} was submitted")
    if released_dir is not None:
        for path in sorted(folder.glob("*.ipynb")):
            flags += restore_metadata(path, released_dir / path.name)
    return zero_reasons, flags


def make_private_course(root: Path, week: str, student: str, template_db: Path) -> Path:
    work = Path(tempfile.mkdtemp(prefix=f"dlcourse-{week}-"))
    shutil.copy2(root / CONFIG_FILE, work / CONFIG_FILE)
    shutil.copytree(root / "solutions" / week, work / "solutions" / week)
    (work / "autograde").mkdir()
    shutil.copy2(template_db, work / "autograde" / "gradebook.db")
    source = root / "autograde" / "submitted" / student / week
    target = work / "autograde" / "submitted" / student / week
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True)
    return work


def read_private_results(work: Path, week: str, student: str) -> dict:
    from nbgrader.api import Gradebook

    grades, comments, notebooks = [], [], []
    with Gradebook(f"sqlite:///{work / 'autograde' / 'gradebook.db'}", COURSE_ID) as gb:
        submission = gb.find_submission(week, student)
        timestamp = submission.timestamp.isoformat() if submission.timestamp else None
        for notebook in submission.notebooks:
            notebooks.append(
                {"name": notebook.name, "late_penalty": notebook.late_submission_penalty}
            )
            for grade in notebook.grades:
                grades.append(
                    {
                        "notebook": notebook.name,
                        "grade_id": grade.name,
                        "auto_score": grade.auto_score,
                        "max_score": grade.max_score,
                        "needs_manual": bool(grade.needs_manual_grade),
                        "auto": grade.cell.cell_type == "code",
                    }
                )
            for comment in notebook.comments:
                if comment.auto_comment:
                    comments.append(
                        {"notebook": notebook.name, "grade_id": comment.name,
                         "auto_comment": comment.auto_comment}
                    )
    return {"grades": grades, "comments": comments, "notebooks": notebooks,
            "timestamp": timestamp}


def run_nbgrader(argv: list[str], cwd: Path) -> tuple[int, str]:
    """Run the ``nbgrader`` command line with ``argv`` in this process, in folder ``cwd``, as
    ``python -m nbgrader`` would (same configuration files); return (exit code, its output).

    Meant for a process that grades one submission and then exits: nbgrader's apps are
    process-wide singletons and its log handlers stay installed."""
    from nbgrader.apps.nbgraderapp import NbGraderApp

    output = io.StringIO()
    previous = Path.cwd()
    code = 0
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            try:
                NbGraderApp.launch_instance(argv=argv)  # what `python -m nbgrader` runs
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None
                                                                       else 1)
            except Exception as err:  # nbgrader itself broke: report it as its log would
                code = 1
                print(f"[AutogradeApp | ERROR] {type(err).__name__}: {err}", file=output)
    finally:
        os.chdir(previous)
    return code, output.getvalue()


def _wall_limit_watchdog(wall_limit: float, work: Path, result: dict) -> threading.Timer:
    """A timer that, after ``wall_limit`` seconds, kills the kernel and whatever else this
    worker started, prints the submission's result as failed and ends the process: the
    per-cell timeout stops a looping cell, this stops anything that escapes it."""

    def give_up() -> None:
        import psutil

        for child in psutil.Process().children(recursive=True):
            with contextlib.suppress(psutil.Error):
                child.kill()
        shutil.rmtree(work, ignore_errors=True)
        failed = dict(result, status="failed", work="", autograded="", seconds=wall_limit,
                      reason=f"grading took longer than {wall_limit:.0f} s")
        print(json.dumps(failed), file=sys.__stdout__, flush=True)
        os._exit(0)

    timer = threading.Timer(wall_limit, give_up)
    timer.daemon = True
    timer.start()
    return timer


def grade(
    root: Path,
    week: str,
    student: str,
    template_db: Path,
    *,
    timeout: int | None = None,
    memory_mb: int | None = None,
    cpus: str = "",
    threads: int | None = None,
    wall_limit: float = 3600.0,
) -> dict:
    """Grade ``student``'s submission of ``week``; return a JSON-able result."""
    ensure_scripts_on_path()
    started = time.monotonic()
    work = make_private_course(root, week, student, template_db)
    expected = sorted(p.name for p in (root / "solutions" / week).glob("*.ipynb"))
    folder = work / "autograde" / "submitted" / student / week
    zero_reasons, flags = check_submission(folder, expected, root / "course" / week)
    private_db = f"sqlite:///{work / 'autograde' / 'gradebook.db'}"
    argv = ["autograde", week, "--student", student, "--force",
            f"--CourseDirectory.db_url={private_db}"]
    if timeout:
        argv.append(f"--Execute.timeout={timeout}")
    if memory_mb:
        argv.append(f"--SandboxedExecute.memory_limit_mb={memory_mb}")
    if cpus:
        argv.append(f"--SandboxedExecute.cpus={cpus}")
    if threads:
        argv.append(f"--SandboxedExecute.threads={threads}")
    result: dict = {"student": student, "week": week, "work": str(work), "flags": flags,
                    "zero_reasons": zero_reasons}
    if not any(folder.glob("*.ipynb")):
        # Nothing nbgrader could read: every cell scores zero, for the reasons found.
        result.update(status="graded", reason="; ".join(zero_reasons), grades=[])
        result["autograded"] = ""
        result["seconds"] = round(time.monotonic() - started, 2)
        return result
    # The kernel must not learn where the real gradebook is (it inherits this environment).
    os.environ.pop("DLCOURSE_DB_URL", None)
    watchdog = _wall_limit_watchdog(wall_limit, work, result)
    try:
        returncode, log = run_nbgrader(argv, work)
    finally:
        watchdog.cancel()
    (work / "autograde" / "nbgrader.log").write_text(log, encoding="utf-8")
    errors = [line for line in log.splitlines() if "ERROR]" in line and "Traceback" not in line]
    detail = next((e for e in errors if "failed to validate" in e), errors[0] if errors else "")
    try:
        scores = read_private_results(work, week, student)
    except Exception as err:
        scores = {}
        detail = detail or str(err)
    graded = bool(scores) and any(
        g["auto_score"] is not None for g in scores["grades"] if g["auto"]
    )
    if returncode == 0 and graded:
        for entry in scores["grades"]:
            if entry["auto"] and entry["auto_score"] is None:  # the test cell was deleted
                entry["auto_score"] = 0.0
                zero_reasons.append(f"test cell {entry['grade_id']} is missing")
        result.update(scores, status="graded", reason="; ".join(zero_reasons))
    else:
        detail = detail.split("]", 1)[-1].strip() or "no error message"
        result.update(status="failed", reason=f"nbgrader could not grade it: {detail[:300]}")
    autograded = work / "autograde" / "autograded" / student / week
    for path in sorted(autograded.glob("*.ipynb")):
        try:
            result["flags"] += flags_of(nbformat.read(path, as_version=4))
        except Exception:
            result["flags"].append(f"{path.name}: the graded notebook is unreadable")
    result["autograded"] = str(autograded)
    result["seconds"] = round(time.monotonic() - started, 2)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.grading.worker")
    parser.add_argument("--root", required=True)
    parser.add_argument("--week", required=True)
    parser.add_argument("--student", required=True)
    parser.add_argument("--template-db", required=True)
    parser.add_argument("--timeout", type=int, default=None)
    parser.add_argument("--memory-mb", type=int, default=None)
    parser.add_argument("--cpus", default="")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--wall-limit", type=float, default=3600.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    result = grade(
        Path(args.root), args.week, args.student, Path(args.template_db),
        timeout=args.timeout, memory_mb=args.memory_mb, cpus=args.cpus, threads=args.threads,
        wall_limit=args.wall_limit,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
