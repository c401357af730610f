"""nbgitpuller links for a real JupyterHub (``dlcourse links --hub URL``).

A link makes the hub pull the course repository into the student's home (nbgitpuller's
``git-pull`` endpoint, which merges instead of overwriting the student's changes) and open the
week's notebook in JupyterLab. The repository is the one the Binder badges launch (the
README's ``BINDER_REPO`` note) unless given.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

from dlcourse.binder import read_repo, week_notebooks
from dlcourse.grading.course import Course, CourseError


def clone_folder(repo_url: str) -> str:
    """The folder nbgitpuller clones ``repo_url`` into (its last path part without ``.git``)."""
    name = urlparse(repo_url).path.rstrip("/").rsplit("/", 1)[-1]
    return name.removesuffix(".git")


def pull_link(hub: str, repo_url: str, branch: str, path: str) -> str:
    """The nbgitpuller link that pulls ``repo_url`` at ``branch`` and opens ``path`` in lab."""
    query = urlencode({
        "repo": repo_url,
        "branch": branch,
        "urlpath": f"lab/tree/{clone_folder(repo_url)}/{path}",
    })
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def week_links(course: Course, hub: str, *, repo: str | None = None,
               branch: str = "main") -> list[tuple[str, str]]:
    """``(week, link)`` for every week's notebook in ``course/``."""
    parsed = urlparse(hub)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise CourseError(f"--hub must be the hub's address, like https://hub.example.edu; "
                          f"got {hub!r}.")
    if repo is None:
        try:
            repo = read_repo((course.root / "README.md").read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise CourseError(f"No repository to link to ({err}): pass --repo URL.") from err
    repo_url = repo if "://" in repo else f"https://github.com/{repo}"
    return [(nb.week, pull_link(hub, repo_url, branch, nb.path))
            for nb in week_notebooks(course.root)]
