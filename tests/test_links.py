"""`dlcourse links --hub URL`: one nbgitpuller link per week, decoded back to what it opens."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from conftest import REPO

from dlcourse.cli import main
from dlcourse.grading.course import Course, CourseError
from dlcourse.links import week_links


def _decode(link: str) -> tuple[str, str, str, str]:
    parsed = urlparse(link)
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    return f"{parsed.scheme}://{parsed.netloc}{parsed.path}", query["repo"], query["branch"], \
        query["urlpath"]


def test_every_week_links_to_its_notebook_in_lab():
    course = Course(REPO)
    links = week_links(course, "https://hub.example.edu/", branch="main")
    assert [week for week, _ in links] == course.weeks()
    for week, link in links:
        endpoint, repo, branch, urlpath = _decode(link)
        assert endpoint == "https://hub.example.edu/hub/user-redirect/git-pull"
        assert repo == "https://github.com/dl-course/dl-course"
        assert branch == "main"
        prefix = "lab/tree/dl-course/"
        assert urlpath.startswith(prefix)
        path = urlpath[len(prefix):]
        assert path.startswith(f"course/{week}/") and (REPO / path).is_file()


def test_other_repository_and_branch(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main(["links", "--hub", "http://localhost:8000", "--repo",
                 "https://gitlab.example.org/teach/dl.git", "--branch", "ws26"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(Course(REPO).weeks())
    week, link = lines[0].split("  ", 1)
    _, repo, branch, urlpath = _decode(link)
    assert (repo, branch) == ("https://gitlab.example.org/teach/dl.git", "ws26")
    assert urlpath.startswith(f"lab/tree/dl/course/{week}/")


def test_bad_hub_address_is_one_sentence():
    with pytest.raises(CourseError, match="--hub must be the hub's address"):
        week_links(Course(REPO), "hub.example.edu")
