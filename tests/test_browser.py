"""The student's experience in a real browser: JupyterLab, started from the project's own
configuration (:mod:`dlcourse.lab`), driven by Playwright in Debian's headless Chromium.

One JupyterLab server and one browser serve the whole module. The server serves a throw-away
copy of the course in which every week's notebook in ``course/`` is *answered* the way a student
would answer it (the solution code filled into the student version, as the grading-contract
tests do), because the untouched student version stops at its first ``NotImplementedError`` by
design; the untouched version stays next to it in ``untouched/`` for the Validate button.

What is exercised:

* the front page: ``make lab``'s start URL shows ``course/README.md`` rendered (not as
  Markdown source), with a link to every week's notebook that opens it; nothing (such as
  JupyterLab's news notification) covers the page;
* every week notebook in ``course/`` (found by itself, so new weeks are covered as they land)
  opens, runs to the end with *Run → Run All Cells* with no error output in the page, saves, and
  its saved outputs read well with widgets not rendered (exported to HTML by nbconvert);
* week 02's kernel editor: typing a number into the kernel grid redraws the feature map;
* the slider explorers of weeks 03, 05, 06 and 07 (feature maps, occlusion, dilation, RNN
  gradients): one arrow-key step on the first slider redraws the explorer's picture;
* nbgrader's **Validate** button on the untouched student notebook: its dialog lists the
  failing test cells;
* nbgrader's *Assignments* panel (*Nbgrader → Assignment List*) opens without an error;
* the instructor's report of ``dlcourse report`` (the graded cohort of
  ``tests/report_cohort.py``), opened from disk: its plots load, its tables and the copied pair
  are there (no JupyterLab needed).

Screenshots are written to ``artifacts/screenshots/`` (git-ignored). Without
``/usr/bin/chromium`` (``scripts/install-system-deps.sh`` installs it) the module skips.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from contract import answered, copy_course, nbgrader_meta
from static_export import widget_fallback_problems

from dlcourse import binder
from dlcourse.lab import install_settings, lab_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
WEEK_02 = "02_convolution/convolution_by_hand.ipynb"
RUN_TIMEOUT_S = 600  # one week notebook, Run All Cells; each should take about a minute

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} not found: install Debian's chromium (scripts/install-system-deps.sh, "
        "run by `make test`) to run the browser tests",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")



def week_notebooks() -> list[str]:
    """Every week notebook in ``course/``, as ``WEEK/NOTEBOOK.ipynb``, in teaching order."""
    return [nb.path.removeprefix("course/") for nb in binder.week_notebooks(REPO)]


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


# --------------------------------------------------------------------------- server


#: The explorers in dlcourse.widgets whose first control is a slider that redraws a picture.
SLIDER_EXPLORERS = (
    "feature_map_browser",
    "occlusion_explorer",
    "dilation_explorer",
    "rnn_gradient_explorer",
)


def has_slider_explorer(name: str) -> bool:
    source = (REPO / "course" / name).read_text(encoding="utf-8")
    return any(f"widgets.{explorer}(" in source for explorer in SLIDER_EXPLORERS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab server on a copy of the course."""

    root: Path
    base: str
    token: str
    log: Path

    def url(self, path: str = "", **query: str) -> str:
        params = "&".join([*(f"{k}={v}" for k, v in query.items()), f"token={self.token}"])
        return f"{self.base}/{path.lstrip('/')}?{params}"

    def api(self, method: str, path: str) -> tuple[int, object]:
        request = urllib.request.Request(
            f"{self.base}/api/{path}", method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
                return response.status, json.loads(body) if body else None
        except urllib.error.HTTPError as err:
            return err.code, None

    def ready(self) -> bool:
        try:
            return self.api("GET", "status")[0] == 200
        except OSError:  # not listening yet
            return False

    def shutdown_kernels(self) -> None:
        """Shut every kernel down (one week's TensorFlow kernel at a time is enough)."""
        _, sessions = self.api("GET", "sessions")
        for session in sessions or []:
            self.api("DELETE", f"sessions/{session['id']}")


def serve_copy(root: Path) -> None:
    """Lay out the course copy: ``course/`` answered, ``untouched/`` the student version."""
    copy_course(root)
    for name in week_notebooks():
        student = root / "course" / name
        solution = root / "solutions" / name
        assert solution.is_file(), f"course/{name} has no source notebook solutions/{name}"
        (root / "untouched" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(student, root / "untouched" / name)
        nbformat.write(
            answered(nbformat.read(student, as_version=4), nbformat.read(solution, as_version=4)),
            student,
        )


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("browser")
    root = tmp / "served"
    serve_copy(root)
    install_settings()  # what `make lab` and Binder's postBuild do
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    env.update(  # nothing leaks into or out of the user's own Jupyter folders
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        IPYTHONDIR=str(tmp / "ipython"),
    )
    port, token = free_port(), secrets.token_hex(16)
    log = tmp / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            lab_command(root, port=port, open_browser=False, token=token),
            cwd=root,  # nbgrader's Validate button reads nbgrader_config.py from here
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        server = Lab(root, f"http://127.0.0.1:{port}", token, log)
        deadline = time.monotonic() + 90
        while not server.ready():
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"JupyterLab did not answer within 90 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield server
        # A clean shutdown: the server stops its kernels and exits by itself.
        server.api("POST", "shutdown")
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            pytest.fail("JupyterLab did not shut down within 30 s of POST /api/shutdown")
    assert proc.returncode == 0, f"JupyterLab exited with {proc.returncode}"
    left = sorted(p.name for p in (tmp / "runtime").glob("kernel-*.json"))
    assert not left, f"kernels still running after the server stopped: {left}"


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """Debian's Chromium, headless, with a fresh profile."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(60_000)
        yield context
        context.close()


@pytest.fixture
def page(browser, lab: Lab):
    page = browser.new_page()
    yield page
    page.close()
    lab.shutdown_kernels()


def open_notebook(page, lab: Lab, path: str) -> None:
    """Open a notebook in a fresh JupyterLab workspace and wait for its kernel."""
    page.goto(lab.url(f"lab/tree/{path}", reset=""))
    page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for()
    page.locator(".jp-StatusBar-TextItem", has_text="| Idle").wait_for()


def code_prompts(page) -> list[str]:
    # textContent, not innerText: cells scrolled out of view are not rendered.
    return page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-prompt").evaluate_all(
        "els => els.map(e => e.textContent.trim())"
    )


def error_outputs(page) -> list[str]:
    """Tracebacks shown in the page (error outputs; not warnings printed to stderr)."""
    texts = page.locator(
        ".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).evaluate_all("els => els.map(e => e.textContent)")
    return [t for t in texts if re.search(r"Traceback|^\w*(Error|Exception)\b", t, re.M)]


def run_all_cells(page, timeout_s: float = RUN_TIMEOUT_S) -> float:
    """Run → Run All Cells; wait until the kernel is done. Returns the seconds it took."""
    start = time.monotonic()
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    status = page.locator(".jp-StatusBar-TextItem", has_text="| ")
    while time.monotonic() - start < timeout_s:
        prompts = code_prompts(page)
        finished = all(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
        # Run All stops at the first error: the queued cells go back to "[ ]:".
        stopped = any(re.fullmatch(r"\[\d+\]:", p) for p in prompts) and not any(
            "*" in p for p in prompts
        )
        if (finished or stopped) and status.first.text_content().endswith("Idle"):
            return time.monotonic() - start
        time.sleep(0.5)
    pytest.fail(f"Run All Cells did not finish within {timeout_s:.0f} s: prompts {prompts}")


def save(page) -> None:
    page.locator(".jp-NotebookPanel .jp-Notebook").first.press("Control+s")
    page.locator(".lm-DockPanel .lm-TabBar-tab.jp-mod-current:not(.jp-mod-dirty)").wait_for()


@dataclass
class NotebookRun:
    """A week notebook opened in JupyterLab and run to the end (or its first error)."""

    name: str
    page: object
    seconds: float
    prompts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saved: nbformat.NotebookNode | None = None


class Runner:
    """Runs each notebook once per module and keeps only the latest one (and its kernel)."""

    def __init__(self, browser, lab: Lab) -> None:
        self.browser, self.lab = browser, lab
        self.current: NotebookRun | None = None

    def run(self, name: str) -> NotebookRun:
        if self.current is not None and self.current.name == name:
            return self.current
        self.close()
        page = self.browser.new_page()
        picture = f"week{name[:2]}-{Path(name).stem}-run-all"
        try:
            open_notebook(page, self.lab, f"course/{name}")
            seconds = run_all_cells(page)
            run = NotebookRun(name, page, seconds, code_prompts(page), error_outputs(page))
            save(page)
            run.saved = nbformat.read(self.lab.root / "course" / name, as_version=4)
            shot(page, picture)
        except BaseException:
            shot(page, f"{picture}-failed")
            page.close()
            self.lab.shutdown_kernels()
            raise
        self.current = run
        return run

    def close(self) -> None:
        if self.current is not None:
            self.current.page.close()
            self.lab.shutdown_kernels()
            self.current = None


@pytest.fixture(scope="module")
def runner(browser, lab: Lab) -> Iterator[Runner]:
    runner = Runner(browser, lab)
    yield runner
    runner.close()


# --------------------------------------------------------------------------- tests


def test_front_page_is_rendered_and_links_every_week(page, lab: Lab) -> None:
    page.goto(lab.url(""))  # `make lab` opens its default URL: course/README.md
    page.locator(".jp-RenderedMarkdown h1").first.wait_for()
    assert page.url.split("?")[0].endswith("/lab/tree/course/README.md")
    assert page.locator(".jp-FileEditor").count() == 0, "README.md opened as Markdown source"
    page.wait_for_timeout(2000)  # notifications arrive shortly after start-up
    toasts = page.locator(".Toastify__toast").all_text_contents()
    assert not toasts, f"a notification covers the page: {toasts}"
    markdown = page.locator(".jp-RenderedMarkdown").first
    assert "dl-course" in markdown.locator("h1").first.text_content()
    links = markdown.locator("table a").evaluate_all("els => els.map(e => e.href)")
    for name in week_notebooks():
        assert any(href.split("?")[0].endswith(f"/course/{name}") for href in links), (
            f"course/README.md's table has no link to {name}"
        )
    shot(page, "front-page")
    first = week_notebooks()[0]
    markdown.locator(f"table a[href*='{first}']").first.click()  # a student's first click
    current_tab = page.locator(".lm-DockPanel .lm-TabBar-tab.jp-mod-current")
    current_tab.filter(has_text=Path(first).name).wait_for()
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").wait_for()


def test_kernel_editor_redraws_the_feature_map(runner: Runner) -> None:
    assert WEEK_02 in week_notebooks()
    page = runner.run(WEEK_02).page
    editor = page.locator(".jp-OutputArea-output .widget-hbox", has_text="feature map").first
    editor.scroll_into_view_if_needed()
    cells = editor.locator(".widget-gridbox input[type=number]")
    assert cells.count() == 9
    feature_map = editor.locator(".widget-vbox", has_text="feature map").locator("img").last
    message = editor.locator(".widget-html-content", has_text="values").first
    before = (feature_map.get_attribute("src"), feature_map.screenshot(), message.text_content())
    shot(page, "week02-kernel-editor-before")

    old = cells.nth(5).input_value()  # row 2, column 3
    cells.nth(5).fill("1" if old.strip() in {"-1", "-1.0"} else "-1")
    cells.nth(5).press("Enter")
    page.wait_for_function(
        "([img, src]) => img.src !== src", arg=[feature_map.element_handle(), before[0]]
    )
    page.wait_for_timeout(300)  # let the new PNG paint before the screenshots
    assert feature_map.screenshot() != before[1], "the feature map's pixels did not change"
    assert message.text_content() != before[2]
    shot(page, "week02-kernel-editor-after")


def step_first_slider(page, name: str) -> tuple[list[str], list[str]]:
    """Press the right arrow key on the first slider of the notebook's explorer widget and
    return the ``src`` of the widget's images before and after it redrew (or 60 s passed)."""
    output = page.locator(".jp-OutputArea-output").filter(has=page.locator(".widget-hslider"))
    output = output.first
    output.scroll_into_view_if_needed()
    images = output.locator("img")
    sources = "els => els.map(e => e.src)"
    before = images.evaluate_all(sources)
    shot(page, f"week{name[:2]}-explorer-before")
    handle = output.locator(".widget-hslider .noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    after = before
    deadline = time.monotonic() + 60
    while after == before and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        after = images.evaluate_all(sources)
    page.wait_for_timeout(300)  # let the new PNG paint before the screenshot
    shot(page, f"week{name[:2]}-explorer-after")
    return before, after


def notebooks_with_widgets() -> list[str]:
    """The week notebooks that show ipywidgets: what only a browser can check. (Every week's
    solution also runs top to bottom in the grading-contract tests, so a week without
    widgets would only be run a second time here, at a minute's cost.)"""
    return [
        name for name in week_notebooks()
        if "widgets." in (REPO / "course" / name).read_text(encoding="utf-8")
    ]


def test_weeks_with_widgets_are_found() -> None:
    assert WEEK_02 in notebooks_with_widgets()
    assert set(notebooks_with_widgets()) < set(week_notebooks())


@pytest.mark.parametrize("name", notebooks_with_widgets())
def test_week_notebook_runs_to_the_end(runner: Runner, name: str) -> None:
    """Run All in JupyterLab; check that the widgets' saved fallbacks are readable; then, in
    a week with a slider explorer, move its first slider one step, as a student would, and see
    the picture redrawn (same test: the notebook's kernel is still running, and running a
    week again costs a minute)."""
    run = runner.run(name)
    assert not run.errors, f"{name}: error output in the page:\n" + "\n".join(run.errors)
    assert all(re.fullmatch(r"\[\d+\]:", p) for p in run.prompts), (
        f"{name}: not every code cell ran: {run.prompts}"
    )
    errors = [
        o for c in run.saved.cells if c.cell_type == "code" for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors, f"{name}: saved notebook holds errors: {errors}"
    # JupyterLab saves no widget state by default: this is what an HTML export shows.
    problems = widget_fallback_problems(run.saved)
    assert not problems, f"{name}: " + "; ".join(problems)
    if has_slider_explorer(name):
        before, after = step_first_slider(run.page, name)
        assert before and all(before), f"{name}: the explorer shows no picture: {before}"
        assert after != before, f"{name}: the explorer did not redraw after its slider moved"


def test_validate_button_lists_failing_cells_of_the_untouched_notebook(page, lab: Lab) -> None:
    student = nbformat.read(lab.root / "untouched" / WEEK_02, as_version=4)
    tests = [
        c.source for c in student.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("grade")
        and not nbgrader_meta(c).get("solution")
    ]
    open_notebook(page, lab, f"untouched/{WEEK_02}")
    page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=180_000)  # nbgrader runs the notebook in a fresh kernel
    text = dialog.inner_text()
    shot(page, "week02-validate-untouched")
    assert "Validation Results" in text
    assert "Success" not in text
    assert "NotImplementedError" in text
    assert text.count("The following cell failed") >= len(tests) > 0
    for source in tests:
        assert source.splitlines()[0] in text, f"failing test cell not listed: {source[:80]}"
    dialog.get_by_role("button", name="Ok").click()
    dialog.wait_for(state="detached")


def test_assignments_panel_opens(page, lab: Lab) -> None:
    page.goto(lab.url("lab", reset=""))
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    panel = page.locator(".jp-MainAreaWidget", has_text="Released assignments").last
    panel.get_by_text("There are no assignments to fetch").wait_for()
    text = panel.inner_text()
    for section in ("Released assignments", "Downloaded assignments", "Submitted assignments"):
        assert section in text
    assert "does not exist" not in text and "Traceback" not in text, text
    shot(page, "nbgrader-assignments")


def test_grading_report_page_shows_its_plots_and_tables(browser, tiny_graded_course,
                                                         tmp_path: Path) -> None:
    import report_cohort

    from dlcourse.grading.report import write_week_report

    course = report_cohort.copy_built(tiny_graded_course, tmp_path / "course")
    report = write_week_report(course, report_cohort.WEEK).path
    page = browser.new_page()
    try:
        page.goto(report.as_uri())
        page.locator("#cells").wait_for()
        loaded = page.locator("img").evaluate_all(
            "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
        assert loaded == [True, True], "the embedded plots do not load"
        cells = page.locator("#cells tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.cell)")
        assert cells == [*report_cohort.TEST_POINTS, report_cohort.WRITTEN]  # notebook order
        assert page.locator("[data-pair]").all_text_contents() == [
            "ada and ben: similarity 1.00"]
        assert page.locator(".concern").count() == 2  # test_scale and test_clip rows
        shot(page, "grading-report")
    finally:
        page.close()
