"""The scale-out path: a PostgreSQL gradebook shared by graders on several machines.

Starts a real PostgreSQL server (Debian's package, installed by `make test`) on loopback in a
temporary folder, then runs two `dlcourse autograde` processes at once — as two grading
machines would — each merging its students into the same gradebook through DLCOURSE_DB_URL.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from contract import answered, copy_course
from mutants import mutants_for

WEEK = "02_convolution"
pytestmark = pytest.mark.slow


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("postgres")
    return Path(which).parent if which else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server not installed (make test installs Debian's postgresql)")
    pytest.importorskip("psycopg2", reason="psycopg2 missing (the dev extra installs it)")
    # Not under pytest's tmp folder: that is private to root, and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="dlcourse-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "--auth=trust",
                    "-U", "postgres", "--no-sync"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l",
                    str(base / "log"), "-o", f"-p {port} -k {sockets} -h 127.0.0.1", "start"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                    "-U", "postgres", "gradebook"], check=True, capture_output=True)
    yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/gradebook"
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                    "stop"], capture_output=True, check=False)
    shutil.rmtree(base, ignore_errors=True)


def test_two_graders_share_one_postgresql_gradebook(postgres, tmp_path):
    course = copy_course(tmp_path / "course")
    released = course.release_dir / WEEK / "convolution_by_hand.ipynb"
    student_nb = nbformat.read(released, as_version=4)
    solution_nb = nbformat.read(course.source_notebooks(WEEK)[0], as_version=4)
    wrong = next(m for m in mutants_for(WEEK) if m.full)
    notebooks = {
        "ada": answered(student_nb, solution_nb),
        "ben": student_nb,
        "cyd": answered(student_nb, solution_nb, [wrong]),
        "dee": answered(student_nb, solution_nb),
    }
    machines = {"machine-a": ["ada", "ben"], "machine-b": ["cyd", "dee"]}
    env = {**os.environ, "DLCOURSE_DB_URL": postgres}
    procs = []
    for machine, students in machines.items():
        inbox = tmp_path / machine
        for student in students:
            (inbox / student).mkdir(parents=True)
            nbformat.write(notebooks[student], inbox / student / released.name)
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "dlcourse", "autograde", WEEK, "--submissions", str(inbox),
             "--jobs", "1", "--no-progress"],
            cwd=course.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))
        time.sleep(0.5)
    for proc in procs:
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, out + err
        assert "2 submission(s): 2 graded" in out, out

    from nbgrader.api import Gradebook

    with Gradebook(postgres, "dl-course") as gb:
        scores = {s.student.id: s.score for s in gb.find_assignment(WEEK).submissions}
        max_score = gb.find_assignment(WEEK).max_score
    assert set(scores) == {"ada", "ben", "cyd", "dee"}
    assert scores["ben"] == 0
    assert 0 < scores["cyd"] < scores["ada"] == scores["dee"]
    assert scores["ada"] == max_score - 2  # the two reflection answers wait for a person

    proc = subprocess.run([sys.executable, "-m", "dlcourse", "grades"], cwd=course.root, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    assert all(student in proc.stdout for student in scores)
    assert not (course.autograde_dir / "gradebook.db").exists(), "SQLite must not be used"


def test_report_and_lms_export_read_a_postgresql_gradebook(postgres, tmp_path, monkeypatch,
                                                          capsys):
    """The synthetic graded week of report_cohort.py, recorded in PostgreSQL instead of SQLite
    (its own database), gives the same report and export."""
    import report_cohort
    from sqlalchemy import create_engine, text

    from dlcourse.cli import main

    engine = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CREATE DATABASE tiny"))
    engine.dispose()
    monkeypatch.setenv("DLCOURSE_DB_URL", postgres.rsplit("/", 1)[0] + "/tiny")
    monkeypatch.delenv("DLCOURSE_ROOT", raising=False)
    course = report_cohort.build(tmp_path / "course")
    monkeypatch.chdir(course.root)
    assert main(["report", report_cohort.WEEK]) == 0
    out = capsys.readouterr().out
    assert out.startswith("01_tiny: 10 submission(s), mean 3.6 of 8 points; 1 student(s) "
                          "without a submission; 3 late; 1 timed out; 1 crashed kernel(s)"), out
    page = (course.autograde_dir / "reports" / report_cohort.WEEK / "report.html").read_text()
    assert 'data-pair="ada|ben"' in page and "Due: <b>2027-01-20 12:00 UTC</b>" in page
    (course.autograde_dir / "lms_ids.csv").write_text(
        "student,lms_id\n" + "".join(f"{s.name},{i}\n"
                                     for i, s in enumerate(report_cohort.students())))
    assert main(["grades", "--format", "moodle"]) == 0
    assert "4,,5.4\n" in (course.autograde_dir / "grades-moodle.csv").read_text()  # eve, late
    assert not (course.autograde_dir / "gradebook.db").exists(), "SQLite must not be used"
