"""The classroom in a real browser (Playwright + Debian's Chromium): a student signs in to the
hub, sees the released week in the Assignments panel, fetches it, opens it, runs a cell and
submits; the instructor signs in and sees the submission in the Formgrader. Screenshots of each
step go to ``artifacts/screenshots/classroom-*.png``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from classroom_support import NOTEBOOK, WEEK, check, inbound, instructor_api, make_classroom
from classroom_support import proxy as find_proxy_or_skip
from conftest import REPO

from dlcourse.classroom import DEFAULT_PASSWORD, free_port, start_hub, stop_hub, wait_for_hub
from dlcourse.grading.release import register
from dlcourse.lab import install_settings

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (scripts/install-system-deps.sh)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.slow
SCREENSHOTS = REPO / "artifacts" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"classroom-{name}.png"))


def sign_in(page, url: str, user: str) -> None:
    page.goto(f"{url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", DEFAULT_PASSWORD)
    page.click("#login_submit")
    page.locator(".jp-LabShell, #jp-main-dock-panel").first.wait_for(timeout=240_000)


def test_student_fetches_runs_submits_and_instructor_sees_it(tmp_path_factory):
    base = tmp_path_factory.mktemp("classroom-browser")
    install_settings()  # as `dlcourse classroom` does: no news pop-up over the page
    room = make_classroom(base, ("alice",), proxy=find_proxy_or_skip(), port=free_port())
    proc = start_hub(room, base / "hub.log")
    try:
        wait_for_hub(room, proc)
        api = instructor_api(room)
        register(room.course, WEEK)
        check(api.release_assignment(WEEK), "release")
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.set_default_timeout(60_000)
            page = context.new_page()
            sign_in(page, room.url, "alice")
            shot(page, "1-student-signed-in")
            page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
            page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
            panel = page.locator(".jp-MainAreaWidget", has_text="Released assignments").last
            panel.get_by_text(WEEK).first.wait_for()
            shot(page, "2-assignments-panel")
            panel.get_by_role("button", name="Fetch").first.click()
            panel.get_by_text("There are no downloaded assignments").wait_for(state="hidden")
            assert (room.home("alice") / WEEK / NOTEBOOK).is_file()
            shot(page, "3-fetched")
            page.goto(f"{room.url}/user/alice/lab/tree/{WEEK}/{NOTEBOOK}")
            page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for()
            page.locator(".jp-StatusBar-TextItem", has_text="| Idle").wait_for(timeout=120_000)
            page.locator(".jp-CodeCell .jp-InputPrompt").first.click()  # the set-up cell
            page.keyboard.press("Shift+Enter")
            page.locator(".jp-CodeCell .jp-InputPrompt", has_text="[1]").first.wait_for(
                timeout=180_000)
            shot(page, "4-ran-a-cell")
            page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
            page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
            panel = page.locator(".jp-MainAreaWidget", has_text="Released assignments").last
            panel.get_by_role("button", name="Submit").first.click()
            deadline = time.monotonic() + 60
            while not inbound(room) and time.monotonic() < deadline:
                time.sleep(0.5)
            assert [n.split("+")[0] for n in inbound(room)] == ["alice"]
            shot(page, "5-submitted")
            check(api.collect(WEEK), "collect")
            instructor = context.new_page()
            context.clear_cookies()
            sign_in(instructor, room.url, "instructor")
            instructor.goto(f"{room.url}/user/instructor/formgrader/manage_submissions/{WEEK}")
            instructor.get_by_text("alice").first.wait_for()
            shot(instructor, "6-formgrader-submission")
            browser.close()
    finally:
        stop_hub(room, proc)
