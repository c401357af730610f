"""Binder badges: dlcourse.binder, and README.md's badges against the notebooks in course/."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from conftest import REPO

from dlcourse import binder

BADGE_LINK = re.compile(r"\]\((https://mybinder\.org/v2/gh/[^)\s]+)\)")


def _notebook(path: Path, heading: str | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    cells = [nbformat.v4.new_markdown_cell(heading)] if heading else []
    nbformat.write(nbformat.v4.new_notebook(cells=[*cells, nbformat.v4.new_code_cell("1")]), path)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    _notebook(tmp_path / "course" / "02_conv" / "by_hand.ipynb", "# Week 02 — Convolution\n\nx")
    _notebook(tmp_path / "course" / "03_cnn" / "mnist cnn.ipynb", None)
    _notebook(tmp_path / "course" / "03b_famous" / "famous.ipynb", "# Week 03b — Famous CNNs")
    _notebook(tmp_path / "course" / "drafts" / "ignored.ipynb", "# Not a week")
    (tmp_path / "README.md").write_text(
        '# Course\n\n## Binder\n<!-- BINDER_REPO = "me/course" -->\n'
        f"{binder.START}\nold badges\n{binder.END}\n\n## Licence\nMIT\n",
        encoding="utf-8",
    )
    return tmp_path


# --------------------------------------------------------------------------- the module


def test_launch_url() -> None:
    assert binder.launch_url("me/course") == (
        "https://mybinder.org/v2/gh/me/course/HEAD?urlpath=lab/tree/course/README.md"
    )
    assert binder.launch_url("me/course", "course/03_cnn/mnist cnn.ipynb", ref="main") == (
        "https://mybinder.org/v2/gh/me/course/main?urlpath=lab/tree/course/03_cnn/mnist%20cnn.ipynb"
    )


def test_week_notebooks_in_teaching_order_with_titles(course: Path) -> None:
    assert binder.week_notebooks(course) == [
        binder.WeekNotebook("02_conv", "course/02_conv/by_hand.ipynb", "Convolution"),
        binder.WeekNotebook("03_cnn", "course/03_cnn/mnist cnn.ipynb", "mnist cnn"),
        binder.WeekNotebook("03b_famous", "course/03b_famous/famous.ipynb", "Famous CNNs"),
    ]


def test_update_readme_regenerates_only_the_block(course: Path) -> None:
    assert binder.update_readme(course) is True
    text = (course / "README.md").read_text(encoding="utf-8")
    assert "old badges" not in text
    assert text.startswith('# Course\n\n## Binder\n<!-- BINDER_REPO = "me/course" -->\n')
    assert text.endswith(f"{binder.END}\n\n## Licence\nMIT\n")
    assert "| 02 | Convolution | [![Launch on Binder](https://mybinder.org/badge_logo.svg)]" in text
    assert "| 03b | Famous CNNs | [![Launch on Binder]" in text
    urls = BADGE_LINK.findall(text)
    assert urls == [
        binder.launch_url("me/course"),
        binder.launch_url("me/course", "course/02_conv/by_hand.ipynb"),
        binder.launch_url("me/course", "course/03_cnn/mnist cnn.ipynb"),
        binder.launch_url("me/course", "course/03b_famous/famous.ipynb"),
    ]
    assert binder.update_readme(course) is False  # idempotent


def test_readme_without_block_or_note(course: Path) -> None:
    (course / "README.md").write_text("# Course\n", encoding="utf-8")
    assert binder.update_readme(course) is False
    (course / "README.md").unlink()
    assert binder.update_readme(course) is False
    with pytest.raises(ValueError, match='no BINDER_REPO = "owner/name" note'):
        binder.render(f"{binder.START}\n{binder.END}\n", course)


# --------------------------------------------------------------------------- README.md


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def _launched_paths() -> list[str]:
    """The repository paths README's badges open, checking each badge's repository."""
    repo = binder.read_repo(_readme())
    paths = []
    for url in BADGE_LINK.findall(_readme()):
        parts = urlsplit(url)
        assert parts.path.startswith(f"/v2/gh/{repo}/"), f"{url} does not launch {repo}"
        urlpath = dict(p.split("=", 1) for p in parts.query.split("&"))["urlpath"]
        assert urlpath.startswith("lab/tree/"), url
        paths.append(unquote(urlpath.removeprefix("lab/tree/")))
    return paths


def test_every_binder_badge_opens_an_existing_file() -> None:
    paths = _launched_paths()
    assert paths, "README.md has no Binder badges"
    for path in paths:
        assert (REPO / path).is_file(), f"a Binder badge opens {path}, which does not exist"


def test_one_badge_per_week_notebook_plus_the_whole_course() -> None:
    paths = _launched_paths()
    assert len(paths) == len(set(paths)), f"duplicate badges: {paths}"
    expected = {binder.FRONT_PAGE} | {nb.path for nb in binder.week_notebooks(REPO)}
    assert set(paths) == expected, "README.md's Binder badges are stale: run `dlcourse release`"
    weeks = {nb.week for nb in binder.week_notebooks(REPO)}
    assert weeks == {p.split("/")[1] for p in paths if p != binder.FRONT_PAGE}


def test_badge_block_is_up_to_date() -> None:
    assert binder.render(_readme(), REPO) == _readme(), (
        "README.md's Binder block differs from course/: run `dlcourse release`"
    )
