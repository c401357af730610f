"""The ``dlcourse`` command (also ``python -m dlcourse``): release, validate, grade, report,
benchmark."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dlcourse.grading.course import Course, CourseError


def _cmd_release(args: argparse.Namespace) -> int:
    from dlcourse.binder import update_readme
    from dlcourse.grading.release import check_release, release

    course = Course.find()
    if args.check:
        differences = check_release(course, args.weeks or None)
        if differences:
            for difference in differences:
                print(difference)
            print("course/ is out of date: run `dlcourse release` and commit the result.")
            return 1
        print(f"course/ is in sync with solutions/ ({', '.join(args.weeks or course.weeks())}).")
        return 0
    for path in release(course, args.weeks or None):
        print(f"wrote {path.relative_to(course.root)}")
    if update_readme(course.root):
        print("wrote README.md (Binder badges)")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from dlcourse.grading.validate import validate

    path = Path(args.path)
    if not path.exists():
        raise CourseError(f"Notebook {path} not found.")
    report = validate(path)
    if report.changed:
        print(f"{path}: {len(report.changed)} read-only cell(s) were changed; restore them:")
        for source in report.changed:
            print("-" * 60 + "\n" + source)
    if report.failed:
        print(f"{path}: {len(report.failed)} cell(s) fail:")
        for text in report.failed:
            print("-" * 60 + "\n" + text)
    if report.ok:
        print(f"{path}: all tests pass (hidden tests run only when it is graded).")
        return 0
    return 1


def _cmd_autograde(args: argparse.Namespace) -> int:
    from dlcourse.grading.startup import skip_slow_optional_imports

    skip_slow_optional_imports()  # before nbgrader's imports; see that module
    from dlcourse.grading.autograde import GradingInterrupted, SubmissionResult, autograde

    course = Course.find()

    def show(result: SubmissionResult) -> None:
        line = f"{result.student}: {result.score:g} / {result.max_score:g}"
        if result.status != "graded":
            line += f"  FAILED: {result.reason}"
        elif result.reason:
            line += f"  ({result.reason})"
        if result.flags:
            line += f"  FLAGGED: {'; '.join(result.flags)}"
        print(line, file=sys.stderr if args.progress else sys.stdout)

    merged: list[str] = []

    def show_and_count(result: SubmissionResult) -> None:
        merged.append(result.student)
        show(result)

    submissions = Path(args.submissions) if args.submissions else None
    try:
        results = autograde(
            course,
            args.week,
            submissions=submissions,
            students=args.student or None,
            jobs=args.jobs,
            timeout=args.timeout,
            memory_mb=args.memory_mb,
            on_result=show_and_count,
            progress=args.progress,
            scheduler=args.scheduler,
        )
    except GradingInterrupted as err:
        again = " ".join(f"--student {s}" for s in err.not_graded)
        print(f"dlcourse autograde: interrupted. {len(merged)} submission(s) graded and in the "
              f"gradebook{': ' + ', '.join(merged) if merged else ''}; not graded: "
              f"{', '.join(err.not_graded) or 'none'}. Grade those with: dlcourse autograde "
              f"{args.week} {again}", file=sys.stderr)
        return 130
    failed = [r for r in results if r.status != "graded"]
    zero = [r for r in results if r.status == "graded" and r.auto_score == 0]
    flagged = [r for r in results if r.flags]
    print(
        f"{len(results)} submission(s): {len(results) - len(failed)} graded "
        f"({len(zero)} with zero points), {len(flagged)} flagged for review, "
        f"{len(failed)} failed."
    )
    for result in failed:
        print(f"  failed  {result.student}: {result.reason}")
    for result in flagged:
        print(f"  flagged {result.student}: {'; '.join(result.flags)}")
    return 0


def _cmd_feedback(args: argparse.Namespace) -> int:
    from dlcourse.grading.feedback import generate_feedback

    course = Course.find()
    for path in generate_feedback(course, args.week, args.student or None):
        print(f"wrote {path.relative_to(course.root)}")
    return 0


def _cmd_grades(args: argparse.Namespace) -> int:
    from dlcourse.grading.grades import format_table, grade_rows, write_csv
    from dlcourse.grading.late import late_policy
    from dlcourse.grading.lms import default_mapping_path, write_lms_csv

    course = Course.find()
    week = course.check_week(args.week) if args.week else None
    rows = grade_rows(course, week)
    name = "grades.csv" if args.format == "csv" else f"grades-{args.format}.csv"
    output = Path(args.output) if args.output else course.autograde_dir / name
    if args.format == "csv":
        write_csv(rows, output)
    else:
        mapping = Path(args.mapping) if args.mapping else default_mapping_path(course)
        write_lms_csv(args.format, rows, mapping, output)
    print(format_table(rows), end="")
    late = [r for r in rows if r.late_penalty > 0]
    if late:
        print(f"{len(late)} late submission(s), exported after the penalty: "
              + ", ".join(f"{r.student} {r.week} -{r.late_penalty:g}" for r in late))
        print(late_policy(course.config()).describe())
    print(f"{len(rows)} row(s) written to {output} ({args.format} layout)")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from dlcourse.grading.report import write_reports
    from dlcourse.grading.similarity import THRESHOLD

    course = Course.find()
    threshold = THRESHOLD if args.similarity_threshold is None else args.similarity_threshold
    for report in write_reports(course, args.weeks or None, threshold):
        print(report.summary)
        for concern in report.analysis.concerns:
            print(f"  look at {concern.grade_id}: {concern.reason}")
        print(f"  report: {report.path}")
    return 0


def _cmd_lab(args: argparse.Namespace) -> int:
    from dlcourse.lab import install_settings, lab_command

    course = Course.find()
    install_settings()
    cmd = lab_command(course.root, port=args.port, open_browser=not args.no_browser)
    os.chdir(course.root)  # nbgrader's Validate button reads nbgrader_config.py from here
    os.execv(cmd[0], cmd)
    return 0  # pragma: no cover


def _cmd_classroom(args: argparse.Namespace) -> int:
    from dlcourse.classroom import (
        DEFAULT_INSTRUCTOR,
        DEFAULT_PASSWORD,
        DEFAULT_STUDENTS,
        Classroom,
        parse_users,
        run,
    )

    course = Course.find()
    extra = Path(args.config) if args.config else None
    if extra is not None and not extra.is_file():
        raise CourseError(f"The hub configuration {extra} does not exist: give an existing file.")
    room = Classroom(
        course=course,
        state=Path(args.state).resolve() if args.state else course.root / "classroom",
        port=args.port,
        instructor=parse_users(args.instructor, (DEFAULT_INSTRUCTOR,))[0],
        students=parse_users(args.students, DEFAULT_STUDENTS),
        password=args.password or DEFAULT_PASSWORD,
        extra_config=extra,
    )
    return run(room)


def _cmd_links(args: argparse.Namespace) -> int:
    from dlcourse.links import week_links

    course = Course.find()
    for week, link in week_links(course, args.hub, repo=args.repo, branch=args.branch):
        print(f"{week}  {link}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from dlcourse import benchmark

    course = Course.find()
    if args.rerun:
        week, grade_id = args.rerun
        for notebook in course.source_notebooks(course.check_week(week)):
            sizes = benchmark.rerun_growth(notebook, grade_id, args.times)
            steps = ", ".join(f"{b - a:+.0f}" for a, b in zip(sizes, sizes[1:], strict=False))
            print(f"{week} {grade_id}: resident MB after the first run and each re-run: "
                  f"{', '.join(f'{s:.0f}' for s in sizes)} (growth per re-run: {steps} MB)")
        return 0
    ok = True
    if not args.cohort_only:
        results = benchmark.run_benchmark(course, args.weeks or None, progress=print,
                                          one_cpu=not args.no_one_cpu)
        table = benchmark.format_results(results)
        print(table)
        for result in results:
            cells = ", ".join(f"cell {i}{f' ({g})' if g else ''} +{mb:.0f} MB"
                              for i, g, mb in result.raised_by)
            print(f"{result.week}: peak memory raised most by {cells or 'no cell measured'}")
        if args.update_readme:
            benchmark.update_readme(course.root / "README.md", table, benchmark.readme_note())
            print("README.md updated (the notebooks' table).")
        ok = all(r.ok for r in results)
    cohorts = []
    for spec in args.cohort or []:
        week, size, modes = benchmark.parse_cohort(spec)
        print(f"grading {size} synthetic submissions of {week}: "
              f"{', '.join(f'{k}{n}' for k, n in modes)} ...")
        cohorts += benchmark.run_cohort_benchmark(course, week, size, modes)
    if cohorts:
        table = benchmark.format_cohort(cohorts)
        print(table)
        if args.update_readme:
            day = datetime.date.today().isoformat()
            note = (f"Autograding a synthetic cohort, measured by `make bench` on {day} "
                    f"({os.cpu_count()} CPU cores; of the submissions half answer everything, "
                    "a quarter half the exercises, a quarter hand in the untouched notebook):")
            benchmark.update_readme(course.root / "README.md", table, note,
                                    benchmark.COHORT_START, benchmark.COHORT_END)
            print("README.md updated (the cohort table).")
        ok = ok and all(r.ok for r in cohorts)
    return 0 if ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dlcourse", description="dl-course: release, validate, autograde and benchmark."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("release", help="regenerate course/ from solutions/ with nbgrader")
    p.add_argument("weeks", nargs="*", help="weeks to release (default: all)")
    p.add_argument("--check", action="store_true", help="only check that course/ is in sync")
    p.set_defaults(func=_cmd_release)

    p = sub.add_parser("validate", help="run a notebook's tests like the Validate button")
    p.add_argument("path", help="the notebook to validate")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("autograde", help="autograde a week's submissions")
    p.add_argument("week")
    p.add_argument("--submissions", help="folder with one sub-folder per student")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--jobs", type=int, default=1,
                   help="submissions graded at once (with --scheduler local: Dask workers)")
    p.add_argument("--scheduler", default=None,
                   help="grade on a Dask cluster: tcp://HOST:8786, or 'local' for a LocalCluster")
    p.add_argument("--timeout", type=int, default=None, help="per-cell timeout in seconds")
    p.add_argument("--memory-mb", type=int, default=None, help="memory cap per kernel (MB)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=sys.stderr.isatty(),
                   help="progress bar over students (default: on in a terminal)")
    p.set_defaults(func=_cmd_autograde)

    p = sub.add_parser("feedback", help="write per-student feedback HTML for a week")
    p.add_argument("week")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.set_defaults(func=_cmd_feedback)

    p = sub.add_parser("grades", help="export the gradebook as CSV and print it")
    p.add_argument("--week", help="only this week")
    p.add_argument("--output", help="CSV path (default: autograde/grades[-FORMAT].csv)")
    p.add_argument("--format", choices=("csv", "canvas", "moodle"), default="csv",
                   help="column layout: ours (csv), Canvas's gradebook import, Moodle's grade "
                   "import")
    p.add_argument("--mapping", help="student id -> LMS id CSV for canvas/moodle "
                   "(default: autograde/lms_ids.csv; see autograde/README.md)")
    p.set_defaults(func=_cmd_grades)

    p = sub.add_parser("report", help="write the instructor's HTML report of graded weeks")
    p.add_argument("weeks", nargs="*", help="weeks to report on (default: all)")
    p.add_argument("--similarity-threshold", type=float, default=None,
                   help="list pairs of submissions at least this similar "
                   "(default: dlcourse.grading.similarity.THRESHOLD)")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("lab", help="start JupyterLab on the course")
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--no-browser", action="store_true")
    p.set_defaults(func=_cmd_lab)

    p = sub.add_parser("classroom", help="start a JupyterHub classroom on localhost (Ctrl-C stops)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--state", help="state folder (default: classroom/ in the course)")
    p.add_argument("--instructor", default=None, help="the instructor's user name")
    p.add_argument("--students", default=None, help="comma-separated demo students")
    p.add_argument("--password", default=None, help="the demo password (DummyAuthenticator)")
    p.add_argument("--config", help="extra jupyterhub_config.py loaded last (a real "
                   "authenticator, other spawner settings)")
    p.set_defaults(func=_cmd_classroom)

    p = sub.add_parser("links", help="print an nbgitpuller link per week for a JupyterHub")
    p.add_argument("--hub", required=True, help="the hub's URL, e.g. https://hub.example.edu")
    p.add_argument("--repo", default=None, help="git repository URL (default: from README)")
    p.add_argument("--branch", default="main")
    p.set_defaults(func=_cmd_links)

    p = sub.add_parser("bench", help="run every solution notebook; print time and memory")
    p.add_argument("weeks", nargs="*")
    p.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    p.add_argument("--cohort", metavar="WEEK[:SIZE[:MODES]]", action="append",
                   help="also grade a synthetic cohort (repeatable); MODES: comma-separated "
                   "jobsN, daskN (a real Dask scheduler with N workers), nbgrader (plain "
                   "nbgrader autograde); default 20 submissions, jobs1,jobs2,dask1,dask2")
    p.add_argument("--cohort-only", action="store_true",
                   help="only the cohorts: do not run the solution notebooks")
    p.add_argument("--rerun", nargs=2, metavar=("WEEK", "CELL"),
                   help="instead: re-run one exercise cell (grade_id) and report memory growth")
    p.add_argument("--times", type=int, default=3, help="re-runs for --rerun")
    p.add_argument("--no-one-cpu", action="store_true",
                   help="skip the second run of each notebook pinned to one CPU (as on Binder)")
    p.set_defaults(func=_cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CourseError as err:
        print(f"dlcourse {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
