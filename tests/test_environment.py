"""environment.yml (Binder) and pyproject.toml agree; README's commands are the real ones."""

from __future__ import annotations

import re
import tomllib

from conftest import REPO


def _pyproject_pins() -> dict[str, str]:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {}
    for dep in deps:
        requirement, _, marker = dep.partition(";")
        if "sys_platform != 'linux'" in marker:
            continue  # the non-Linux TensorFlow wheel; Binder is Linux
        name = re.match(r"[A-Za-z0-9_.-]+", requirement.strip()).group(0)
        pins[name.lower()] = requirement.strip()[len(name):].replace(" ", "")
    return pins


def _environment_pins() -> dict[str, str]:
    text = (REPO / "environment.yml").read_text()
    block = text.split("- pip:", 1)[1]
    pins = {}
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("- "):
            spec = line[2:].split("#")[0].strip()
            name = re.match(r"[A-Za-z0-9_.-]+", spec).group(0)
            pins[name.lower()] = spec[len(name):].replace(" ", "")
    return pins


def test_environment_yml_and_pyproject_agree():
    assert _environment_pins() == _pyproject_pins()


def test_environment_yml_uses_python_311():
    assert re.search(r"^\s*- python=3\.11\s*$", (REPO / "environment.yml").read_text(), re.M)


def test_readme_names_the_two_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    ci = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^exec make test$", ci, re.M)


def test_postbuild_fails_fast():
    assert "set -e" in (REPO / "postBuild").read_text()


def test_repo2docker_builds_binder_from_environment_yml_and_postbuild():
    """What mybinder.org would build: repo2docker (without Docker, --no-build) must pick the
    conda buildpack for Python 3.11 from environment.yml and run postBuild."""
    import subprocess
    import sys
    from pathlib import Path

    repo2docker = Path(sys.executable).parent / "repo2docker"
    proc = subprocess.run(
        [str(repo2docker), "--no-build", "--debug", str(REPO)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-2000:]
    assert "Building conda environment for python=3.11" in output
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"' in output
    assert re.search(r"^RUN \./postBuild$", output, re.M), "postBuild is not run"
