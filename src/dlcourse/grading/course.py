"""Where the course lives: its folders, its weeks, and its nbgrader configuration."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

#: A week folder: two digits, an optional letter for a second assignment of the week, an
#: underscore, a topic (``02_convolution``, ``03b_cnn_architectures``).
WEEK_PATTERN = re.compile(r"^\d\d[a-z]?_[a-z0-9_]+$")
CONFIG_FILE = "nbgrader_config.py"
COURSE_ID = "dl-course"


class CourseError(Exception):
    """A problem the user can fix; the message is one sentence that says how."""


@dataclass(frozen=True)
class Course:
    """The course folder: ``solutions/``, ``course/``, ``autograde/`` and ``nbgrader_config.py``."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Course:
        """The course that holds ``start`` (default: ``$DLCOURSE_ROOT`` or the working folder)."""
        if start is None:
            start = Path(os.environ.get("DLCOURSE_ROOT", Path.cwd()))
        start = start.resolve()
        for folder in (start, *start.parents):
            if (folder / CONFIG_FILE).is_file() and (folder / "solutions").is_dir():
                return cls(folder)
        raise CourseError(
            f"No course found in {start} or above it: run dlcourse inside the course folder "
            f"(the one with {CONFIG_FILE} and solutions/), or set DLCOURSE_ROOT to it."
        )

    @property
    def solutions_dir(self) -> Path:
        return self.root / "solutions"

    @property
    def release_dir(self) -> Path:
        return self.root / "course"

    @property
    def autograde_dir(self) -> Path:
        return self.root / "autograde"

    @property
    def submitted_dir(self) -> Path:
        return self.autograde_dir / "submitted"

    @property
    def autograded_dir(self) -> Path:
        return self.autograde_dir / "autograded"

    @property
    def feedback_dir(self) -> Path:
        return self.autograde_dir / "feedback"

    def weeks(self) -> list[str]:
        """Every week (nbgrader assignment) in teaching order."""
        if not self.solutions_dir.is_dir():
            return []
        return sorted(
            p.name
            for p in self.solutions_dir.iterdir()
            if p.is_dir() and WEEK_PATTERN.match(p.name) and any(p.glob("*.ipynb"))
        )

    def check_week(self, week: str) -> str:
        """Return ``week`` if it exists, else raise one sentence listing the weeks."""
        weeks = self.weeks()
        if week in weeks:
            return week
        # "03" names 03_cnn_mnist, not 03b_cnn_architectures: a week's number first, then prefixes.
        numbered = [w for w in weeks if w.split("_", 1)[0] == week]
        matches = numbered or [w for w in weeks if w.startswith(week)]
        if len(matches) == 1:
            return matches[0]
        raise CourseError(f"Unknown week {week!r}: the weeks are {', '.join(weeks) or 'none'}.")

    def source_notebooks(self, week: str) -> list[Path]:
        return sorted((self.solutions_dir / week).glob("*.ipynb"))

    def released_notebooks(self, week: str) -> list[Path]:
        return sorted((self.release_dir / week).glob("*.ipynb"))

    def config(self, **overrides: Any) -> Config:
        """The course's nbgrader configuration, with ``CourseDirectory`` settings overridden.

        ``overrides`` are ``CourseDirectory`` traits, e.g. ``db_url=...`` or
        ``release_directory=...`` (absolute paths are allowed).
        """
        loader = PyFileConfigLoader(CONFIG_FILE, path=str(self.root))
        config = loader.load_config()
        config.CourseDirectory.root = str(self.root)
        for key, value in overrides.items():
            setattr(config.CourseDirectory, key, value)
        return config

    def api(self, config: Config | None = None) -> Any:
        """An :class:`nbgrader.apps.NbGraderAPI` for this course."""
        ensure_scripts_on_path()
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = config if config is not None else self.config()
        exchange = config.get("Exchange", {}).get("root")
        if exchange:
            Path(exchange).mkdir(parents=True, exist_ok=True)
        coursedir = CourseDirectory(config=config)
        return NbGraderAPI(coursedir=coursedir, config=config)

    @property
    def db_url(self) -> str:
        return str(self.config().CourseDirectory.db_url)

    def gradebook(self) -> Any:
        """nbgrader's :class:`~nbgrader.api.Gradebook` of this course (a context manager)."""
        from nbgrader.api import Gradebook

        ensure_scripts_on_path()
        ensure_sqlite_folder(self.db_url)
        return Gradebook(self.db_url, COURSE_ID)


def ensure_sqlite_folder(db_url: str) -> None:
    """SQLite creates a missing gradebook file but not the folder it is in: create that."""
    if db_url.startswith("sqlite:///"):
        Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def ensure_scripts_on_path() -> None:
    """Put this Python's script folder on PATH, for the commands nbgrader starts, also when
    the venv is not activated (``.venv/bin/dlcourse ...``); and let nbgrader create a
    gradebook without starting ``alembic`` (:mod:`dlcourse.grading.startup`)."""
    from dlcourse.grading.startup import read_schema_version_in_process

    scripts = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if scripts not in path.split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + path
    read_schema_version_in_process()


@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """Run a block with ``path`` as the working folder (nbgrader resolves some paths there)."""
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)
