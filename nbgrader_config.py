"""nbgrader configuration of dl-course.

Plain `nbgrader ...` commands, the formgrader and Validate button in JupyterLab, and the
`dlcourse` CLI all read this file, so the grading behaviour below holds for all of them.
"""

import contextlib
import os
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from dlcourse.grading.execute import IsolatedExecute, SandboxedExecute
from dlcourse.grading.flags import FlagSuspiciousCode
from dlcourse.grading.hidden import HideHiddenTests
from dlcourse.grading.late import LatePenalty
from dlcourse.grading.limits import LimitOutputSize
from dlcourse.grading.stderr import StderrIsNotFailure

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "dl-course"
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "course"
c.CourseDirectory.submitted_directory = "autograde/submitted"
c.CourseDirectory.autograded_directory = "autograde/autograded"
c.CourseDirectory.feedback_directory = "autograde/feedback"
# The gradebook: SQLite in autograde/ by default; graders on several machines share one
# PostgreSQL gradebook by setting DLCOURSE_DB_URL=postgresql+psycopg2://USER@HOST:PORT/DB on each.
c.CourseDirectory.db_url = os.environ.get(
    "DLCOURSE_DB_URL", f"sqlite:///{HERE / 'autograde' / 'gradebook.db'}"
)
# The exchange (release/fetch/submit between instructor and students on one machine or hub);
# `dlcourse classroom` points DLCOURSE_EXCHANGE at the hub's shared exchange.
c.Exchange.root = os.environ.get("DLCOURSE_EXCHANGE", str(HERE / "autograde" / "exchange"))
# JupyterLab's Assignments panel shows an error instead of empty lists when it is missing
# (autograde/ is git-ignored, so a fresh clone or Binder has none).
with contextlib.suppress(OSError):  # read-only checkout: the panel reports the missing folder
    Path(c.Exchange.root).mkdir(parents=True, exist_ok=True)
# Course files that are not notebooks (none are needed today); never copy caches.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".DS_Store"]

# What the student sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Execution: each notebook runs in a fresh kernel whose process gets an address-space cap,
# fixed thread counts and seeds (dlcourse.grading.sandbox); a cell may train a small model,
# so the per-cell timeout is minutes, not nbgrader's default 30 s. Autograding also isolates
# the kernel (read-only file system but for its own folder, no network) when bubblewrap is
# installed, and a guard restores monkeypatched functions before every test cell.
c.Execute.timeout = 300
c.Execute.startup_timeout = 120
# After a cell finishes, wait this long for its output to arrive (nbclient's default 4 s is too
# short for a submission that prints 100 MB; nbgrader would then fail the whole notebook).
c.Execute.iopub_timeout = 120
c.SandboxedExecute.memory_limit_mb = 4096
c.SandboxedExecute.threads = 2
c.Autograde.autograde_preprocessors = [
    IsolatedExecute,
    StderrIsNotFailure,  # a warning on stderr is not a failed test (an exception is)
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    LimitOutputSize,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
    FlagSuspiciousCode,
]
# The late policy, the one place it is set (see dlcourse.grading.late): each week's due date
# (`dlcourse release` writes it into the gradebook as nbgrader's duedate; a submission's time
# is its timestamp.txt) and the penalty AssignLatePenalties records for a late notebook.
# Shown in `dlcourse report` and applied in `dlcourse grades`.
c.AssignLatePenalties.plugin_class = LatePenalty
c.LatePenalty.due_dates = {}  # e.g. {"02_convolution": "2027-01-20 23:59:00 Europe/Berlin"}
c.LatePenalty.grace_minutes = 15
c.LatePenalty.percent_per_day = 10  # of the score, per started day late
c.LatePenalty.zero_after_days = 7
# Feedback: no hidden-test source, and failed tests show their message, not a traceback that
# quotes hidden code.
c.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
c.Validator.preprocessors = [
    ClearOutput,
    CheckCellMetadata,
    SandboxedExecute,
    StderrIsNotFailure,
]
