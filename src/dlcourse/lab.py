"""Start the course in JupyterLab with the project's own settings (``make lab``).

The settings live here, not in a test or a README step: the JupyterLab "news" notification is
switched off (it covers the page on first start), Markdown files open rendered (the front page
``course/README.md``), and a root user (CI, containers) gets
``--allow-root``. Binder's ``postBuild`` calls :func:`install_settings` too.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

#: JupyterLab settings overrides for everyone using this environment.
LAB_OVERRIDES: dict[str, dict[str, object]] = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # Markdown files (the course's front page, course/README.md) open rendered, not as source.
    "@jupyterlab/docmanager-extension:plugin": {
        "defaultViewers": {"markdown": "Markdown Preview"},
    },
}


def settings_dir(prefix: Path | None = None) -> Path:
    """JupyterLab's application settings folder of this environment."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def install_settings(prefix: Path | None = None) -> Path:
    """Merge :data:`LAB_OVERRIDES` into the environment's ``overrides.json``; return its path."""
    path = settings_dir(prefix) / "overrides.json"
    current: dict[str, dict[str, object]] = {}
    if path.is_file():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            current = {}
    for plugin, values in LAB_OVERRIDES.items():
        current.setdefault(plugin, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    return path


def lab_command(
    root: Path,
    *,
    port: int | None = None,
    ip: str = "127.0.0.1",
    open_browser: bool = True,
    token: str | None = None,
    extra: Sequence[str] = (),
) -> list[str]:
    """The ``jupyter lab`` command line that serves the course from ``root``."""
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.ip={ip}",
        "--LabApp.default_url=/lab/tree/course/README.md",
    ]
    if port is not None:
        cmd.append(f"--ServerApp.port={port}")
    if not open_browser:
        cmd.append("--no-browser")
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    cmd.extend(extra)
    return cmd
