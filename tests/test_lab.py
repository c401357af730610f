"""`make lab`'s server: JupyterLab with the nbgrader and widgets extensions, serving the course."""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

from dlcourse.lab import LAB_OVERRIDES, install_settings, lab_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    port, token = free_port(), secrets.token_hex(16)
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    env = {**__import__("os").environ, "JUPYTER_RUNTIME_DIR": str(runtime)}
    log = (runtime / "server.log").open("w")
    proc = subprocess.Popen(
        lab_command(REPO, port=port, open_browser=False, token=token),
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited: {(runtime / 'server.log').read_text()[-2000:]}")
        try:
            if get(f"{base}/api/status", token)[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("JupyterLab did not answer within 90 s")
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_lab_page_has_nbgrader_and_widgets(lab_server):
    base, token = lab_server
    status, html = get(f"{base}/lab", token)
    assert status == 200
    assert "@jupyter/nbgrader" in html
    assert "@jupyter-widgets/jupyterlab-manager" in html


def test_week_02_notebook_is_served(lab_server):
    base, token = lab_server
    status, body = get(f"{base}/api/contents/course/02_convolution/convolution_by_hand.ipynb",
                       token)
    assert status == 200
    model = json.loads(body)
    assert model["type"] == "notebook"
    sources = "".join("".join(c["source"]) for c in model["content"]["cells"])
    assert "Convolution by hand" in sources and "BEGIN SOLUTION" not in sources


def test_nbgrader_server_extension_answers(lab_server):
    base, token = lab_server
    status, _ = get(f"{base}/formgrader", token)
    assert status == 200


def test_server_refuses_requests_without_the_token(lab_server):
    base, _ = lab_server
    status, _ = get(f"{base}/api/contents/course", "wrong-token")
    assert status == 403


def test_install_settings_merges_overrides(tmp_path: Path):
    settings = tmp_path / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True)
    (settings / "overrides.json").write_text(json.dumps({"other": {"x": 1}}))
    path = install_settings(tmp_path)
    merged = json.loads(path.read_text())
    assert merged["other"] == {"x": 1}
    for plugin, values in LAB_OVERRIDES.items():
        assert merged[plugin] == values


def test_lab_command_serves_the_course_root():
    cmd = lab_command(REPO, port=8899, open_browser=False, token="t")
    assert f"--ServerApp.root_dir={REPO}" in cmd
    assert "--ServerApp.port=8899" in cmd and "--no-browser" in cmd
    assert "--LabApp.default_url=/lab/tree/course/README.md" in cmd
    assert (REPO / "course" / "README.md").is_file()
