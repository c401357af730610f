"""nbgrader's Execute preprocessor, with every kernel started inside the grading sandbox."""

from __future__ import annotations

import sys
import typing as t

from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute
from traitlets import Integer


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that launches the kernel through :mod:`dlcourse.grading.sandbox`."""

    memory_limit_mb = Integer(4096, help="Address-space cap of the kernel process (MB).").tag(
        config=True
    )
    threads = Integer(2, help="CPU threads the kernel's numeric libraries may use.").tag(
        config=True
    )

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        prefix = [
            sys.executable,
            "-m",
            "dlcourse.grading.sandbox",
            "--memory-mb",
            str(self.memory_limit_mb),
            "--threads",
            str(self.threads),
            "--",
        ]
        return prefix + cmd


class SandboxedExecute(Execute):
    """Execute a notebook in a sandboxed kernel (memory cap, fixed threads, fixed seeds).

    Switched on for autograding and validation in ``nbgrader_config.py``.
    """

    memory_limit_mb = Integer(4096, help="Address-space cap of the kernel process (MB).").tag(
        config=True
    )
    threads = Integer(2, help="CPU threads the kernel's numeric libraries may use.").tag(
        config=True
    )

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    def create_kernel_manager(self) -> AsyncKernelManager:
        km = super().create_kernel_manager()
        if isinstance(km, SandboxedKernelManager):
            km.memory_limit_mb = self.memory_limit_mb
            km.threads = self.threads
        return km
