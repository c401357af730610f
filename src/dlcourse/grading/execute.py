"""nbgrader's Execute preprocessor, hardened for grading untrusted notebooks.

- Every kernel starts inside :mod:`dlcourse.grading.sandbox` (address-space cap, fixed threads
  and seeds; for autograding also a read-only file system and no network, see
  :class:`IsolatedExecute`).
- A kernel that dies (``os._exit``, a kill, a crash) costs the cells from there on, with an
  error saying why, instead of failing the whole submission.
- Before each graded test cell, the runtime guard (:mod:`dlcourse.grading.guard`) restores what
  a submission monkeypatched; what it restored is recorded as a flag for manual review.
"""

from __future__ import annotations

import os
import sys
import tempfile
import typing as t

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, Unicode

from dlcourse.grading import guard

#: Where flags and kernel deaths are collected in the conversion's resources.
STATE_KEY = "dlcourse"


def grading_state(resources: dict) -> dict:
    state = resources.setdefault(STATE_KEY, {})
    state.setdefault("flags", [])
    state.setdefault("kernel_died_in", None)
    return state


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that launches the kernel through :mod:`dlcourse.grading.sandbox`."""

    memory_limit_mb = Integer(4096, help="Address-space cap of the kernel process (MB).").tag(
        config=True
    )
    threads = Integer(2, help="CPU threads the kernel's numeric libraries may use.").tag(
        config=True
    )
    isolate = Unicode(
        "none", help="'bwrap': read-only file system except the working folder, no network."
    ).tag(config=True)
    cpus = Unicode("", help="CPU list the kernel may run on, e.g. '0' or '0,1' (empty: all).").tag(
        config=True
    )
    writable = Unicode("", help="The one folder an isolated kernel may write to.").tag(
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
        ]
        if self.cpus:
            prefix += ["--cpus", self.cpus]
        if self.isolate == "bwrap":
            # A SIGINT to the process group would reach bubblewrap and end the sandbox: ask the
            # kernel to interrupt itself over its control channel instead.
            self.kernel_spec.interrupt_mode = "message"
            prefix += ["--isolate", "--writable", self.writable or "."]
            prefix += ["--connection-dir", self.connection_dir_for_sandbox()]
        return [*prefix, "--", *cmd]

    def connection_dir_for_sandbox(self) -> str:
        return os.path.dirname(os.path.realpath(self.connection_file))


class SandboxedExecute(Execute):
    """Execute a notebook in a sandboxed kernel, guarded against monkeypatching.

    Switched on for validation and (as :class:`IsolatedExecute`) autograding in
    ``nbgrader_config.py``.
    """

    memory_limit_mb = Integer(4096, help="Address-space cap of the kernel process (MB).").tag(
        config=True
    )
    threads = Integer(2, help="CPU threads the kernel's numeric libraries may use.").tag(
        config=True
    )
    cpus = Unicode("", help="CPU list the kernel may run on, e.g. '0' (empty: all).").tag(
        config=True
    )
    guard = Bool(True, help="Restore monkeypatched functions before each test cell.").tag(
        config=True
    )
    isolate = "none"

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    def create_kernel_manager(self) -> AsyncKernelManager:
        km = super().create_kernel_manager()
        if isinstance(km, SandboxedKernelManager):
            km.memory_limit_mb = self.memory_limit_mb
            km.threads = self.threads
            km.cpus = self.cpus
            km.isolate = self.isolate
            km.writable = str(self.resources.get("metadata", {}).get("path", "") or ".")
            if km.isolate == "bwrap":
                # No network inside the sandbox, so the kernel talks over Unix sockets in a
                # private folder (the only other folder it may write to).
                folder = tempfile.mkdtemp(prefix="dlcourse-kernel-")
                km.transport = "ipc"
                km.connection_file = os.path.join(folder, "kernel.json")
                km.ip = os.path.join(folder, "kernel-ipc")
        return km

    # -- the guard ----------------------------------------------------------------------------

    def _run_hidden(self, code: str, index: int) -> NotebookNode:
        cell = new_code_cell(code)
        original = self.nb.cells[index]
        try:
            self.execute_cell(cell, index, store_history=False)
        except CellTimeoutError:
            # The kernel is still busy with the cell before (e.g. flushing a huge output): the
            # guard's report is missing, which is flagged; grading goes on.
            cell.outputs = []
        finally:
            self.nb.cells[index] = original  # nbclient stores the executed cell at its index
        return cell

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict, index: int
    ) -> tuple[NotebookNode, dict]:
        state = grading_state(resources)
        if cell.cell_type != "code":
            return cell, resources
        if state["kernel_died_in"] is not None:
            died_in = state["kernel_died_in"]
            cell.outputs = [_error("NotRun", f"not run: the kernel died in {died_in}")]
            return cell, resources
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id", f"cell {index}")
        try:
            if self.guard:
                if not state.get("guard_ready"):
                    self._run_hidden(guard.SETUP, index)
                    state["guard_ready"] = True
                if meta.get("grade") and not meta.get("solution"):
                    report = guard.parse_report(self._run_hidden(guard.RESTORE, index).outputs)
                    if report is None:
                        state["flags"].append(
                            f"before test {grade_id}: the grader's guard was removed or broken"
                        )
                    elif report:
                        state["flags"].append(
                            f"before test {grade_id}: restored {', '.join(report)} "
                            "(monkeypatched by the submission)"
                        )
            cell, resources = super().preprocess_cell(cell, resources, index)
            if self.guard and not meta.get("solution"):
                self._run_hidden(guard.REMEMBER, index)
        except DeadKernelError:
            state["kernel_died_in"] = grade_id
            state["flags"].append(f"the kernel died in {grade_id}; later cells were not run")
            cell.outputs = list(cell.get("outputs", [])) + [
                _error("KernelDied", "the kernel died while running this cell (os._exit, a kill, "
                       "or a crash such as running out of memory)")
            ]
        return cell, resources


class IsolatedExecute(SandboxedExecute):
    """:class:`SandboxedExecute` plus isolation for autograding: with bubblewrap available, the
    kernel sees a read-only file system except its own working folder and a private /tmp, and
    has no network. Without bubblewrap it runs like :class:`SandboxedExecute` (the grading
    pipeline still works on private copies and checks the gradebook)."""

    isolate_with = Unicode("auto", help="'auto' (bwrap when installed), 'bwrap' or 'none'.").tag(
        config=True
    )

    @property
    def isolate(self) -> str:  # type: ignore[override]
        import shutil

        if self.isolate_with == "auto":
            return "bwrap" if shutil.which("bwrap") else "none"
        return self.isolate_with


def _error(ename: str, evalue: str) -> NotebookNode:
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])
