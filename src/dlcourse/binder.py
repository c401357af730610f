"""Binder launch badges in README.md: one per week notebook in ``course/`` plus the whole course.

The repository's public address is kept in one place, the ``BINDER_REPO = "owner/name"`` note
just above the badge block in README.md. :func:`update_readme` (run by ``dlcourse release``)
regenerates the block between ``<!-- binder:start -->`` and ``<!-- binder:end -->`` from that
note and the notebooks in ``course/``; the rest of the README is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import nbformat

from dlcourse.grading.course import WEEK_PATTERN

BINDER = "https://mybinder.org/v2/gh"
BADGE = "https://mybinder.org/badge_logo.svg"
START, END = "<!-- binder:start -->", "<!-- binder:end -->"
REPO_NOTE = re.compile(r'BINDER_REPO\s*=\s*"(?P<repo>[\w.-]+/[\w.-]+)"')
#: What the whole-course badge opens: the course's front page.
FRONT_PAGE = "course/README.md"


@dataclass(frozen=True)
class WeekNotebook:
    """A student notebook of the course: ``week`` folder, ``path`` from the repo root, title."""

    week: str
    path: str
    title: str


def launch_url(repo: str, path: str = FRONT_PAGE, ref: str = "HEAD") -> str:
    """The mybinder.org URL that builds ``repo`` (``owner/name`` on GitHub) and opens ``path``
    (relative to the repository root) in JupyterLab."""
    return f"{BINDER}/{repo}/{ref}?urlpath=lab/tree/{quote(path, safe='/')}"


def _title(notebook: Path) -> str:
    """The notebook's first Markdown heading without its "Week NN —" prefix, else its name."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return re.sub(r"^Week\s+\d+[a-z]?\s*[—–:-]\s*", "", line[2:].strip())
            break
    return notebook.stem.replace("_", " ")


def week_notebooks(root: Path) -> list[WeekNotebook]:
    """Every student notebook in ``root/course/WEEK/``, in teaching order."""
    return [
        WeekNotebook(path.parent.name, path.relative_to(root).as_posix(), _title(path))
        for path in sorted((root / "course").glob("*/*.ipynb"))
        if WEEK_PATTERN.match(path.parent.name)
    ]


def read_repo(readme_text: str) -> str:
    """The ``BINDER_REPO = "owner/name"`` note of the README."""
    match = REPO_NOTE.search(readme_text)
    if match is None:
        raise ValueError(
            'README.md has no BINDER_REPO = "owner/name" note; add one above '
            f"{START} to name the GitHub repository the Binder badges launch"
        )
    return match["repo"]


def badge_block(repo: str, notebooks: list[WeekNotebook]) -> str:
    """The Markdown between (and including) the start and end markers."""
    badge = f"[![Launch on Binder]({BADGE})]"
    lines = [
        START,
        f"{badge}({launch_url(repo)}) the whole course (opens the front page, `{FRONT_PAGE}`)",
        "",
        "| week | notebook | launch |",
        "| --- | --- | --- |",
        *(
            f"| {nb.week.split('_', 1)[0]} | {nb.title} | {badge}({launch_url(repo, nb.path)}) |"
            for nb in notebooks
        ),
        END,
    ]
    return "\n".join(lines)


def render(readme_text: str, root: Path) -> str:
    """The README text with its badge block regenerated (unchanged if it has no block)."""
    start, end = readme_text.find(START), readme_text.find(END)
    if start < 0 or end < start:
        return readme_text
    block = badge_block(read_repo(readme_text), week_notebooks(root))
    return readme_text[:start] + block + readme_text[end + len(END) :]


def update_readme(root: Path) -> bool:
    """Regenerate ``root/README.md``'s badge block; True if the file changed (False too when
    there is no README or no block in it)."""
    readme = root / "README.md"
    if not readme.is_file():
        return False
    text = readme.read_text(encoding="utf-8")
    new = render(text, root)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text
