"""The course's front page, course/README.md: its table lists every week in course/.

(The browser tests check that JupyterLab renders it and that its links open the notebooks.)
"""

from __future__ import annotations

import re

from conftest import REPO

from dlcourse.binder import week_notebooks

FRONT_PAGE = REPO / "course" / "README.md"
ROW = re.compile(r"^\|\s*(?P<week>\d\d[a-z]?)\s*\|(?P<cells>.*)\|\s*$")
LINK = re.compile(r"\[(?P<title>[^\]]+)\]\((?P<target>[^)\s]+)\)")


def _rows() -> list[tuple[str, list[str]]]:
    rows = []
    for line in FRONT_PAGE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match["week"], [c.strip() for c in match["cells"].split("|")]))
    return rows


def test_front_page_lists_every_week_with_a_link_goals_and_time() -> None:
    rows = _rows()
    weeks = [week for week, _ in rows]
    assert weeks == sorted(weeks), f"weeks out of teaching order: {weeks}"
    linked = set()
    for week, (notebook, goals, time) in ((w, cells[:3]) for w, cells in rows):
        links = LINK.findall(notebook)
        assert links, f"week {week}: no link to its notebook in {notebook!r}"
        for _, target in links:
            assert target.startswith(f"{week}_"), f"week {week} links to {target}"
            assert (FRONT_PAGE.parent / target).is_file(), f"week {week}: {target} is missing"
            assert f"course/{target}" not in linked, f"{target} is listed twice"
            linked.add(f"course/{target}")
        assert goals, f"week {week}: say what students will learn"
        assert re.fullmatch(r"\d+(–\d+)? (min|h)", time), f"week {week}: time {time!r}"
    released = {nb.path for nb in week_notebooks(REPO)}
    missing = sorted(released - linked)
    assert not missing, f"course/README.md's table has no row for {missing}"


def test_front_page_explains_how_to_submit() -> None:
    text = FRONT_PAGE.read_text(encoding="utf-8")
    assert "Validate" in text and "Submit" in text
