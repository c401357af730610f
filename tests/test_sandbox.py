"""The grading sandbox: memory cap, deterministic environment, kernel command prefix."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dlcourse.grading.execute import SandboxedKernelManager
from dlcourse.grading.sandbox import kernel_environment, parse_args


def sandboxed(code: str, memory_mb: int = 1024) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dlcourse.grading.sandbox", "--memory-mb", str(memory_mb),
         "--threads", "1", "--", sys.executable, "-c", code],
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_memory_bomb_becomes_a_memory_error():
    proc = sandboxed(
        "try:\n    bytearray(3 * 1024**3)\nexcept MemoryError:\n    print('MemoryError')"
    )
    assert proc.stdout.strip() == "MemoryError", proc.stderr


def test_small_allocations_still_work():
    proc = sandboxed("print(len(bytearray(100 * 1024**2)))")
    assert proc.stdout.strip() == str(100 * 1024**2), proc.stderr


def test_environment_is_fixed():
    proc = sandboxed("import os; print(os.environ['PYTHONHASHSEED'], os.environ['OMP_NUM_THREADS'],"
                     " os.environ['DLCOURSE_GRADING'])")
    assert proc.stdout.split() == ["0", "1", "1"]


def test_kernel_environment_threads():
    env = kernel_environment(3)
    assert env["TF_NUM_INTRAOP_THREADS"] == "3" and env["TF_NUM_INTEROP_THREADS"] == "1"


def test_parse_args_requires_a_command():
    with pytest.raises(SystemExit):
        parse_args(["--memory-mb", "10"])
    assert parse_args(["--", "python", "-V"]).command == ["python", "-V"]


def test_kernel_manager_prefixes_the_kernel_command():
    km = SandboxedKernelManager(kernel_name="python3")
    km.memory_limit_mb = 2048
    cmd = km.format_kernel_cmd()
    assert cmd[:6] == [sys.executable, "-m", "dlcourse.grading.sandbox", "--memory-mb", "2048",
                       "--threads"]
    assert "ipykernel_launcher" in " ".join(cmd)


def test_output_size_limit_cuts_long_text():
    from nbformat.v4 import new_code_cell, new_output

    from dlcourse.grading.limits import LimitOutputSize

    cell = new_code_cell("print('x' * 10**6)")
    cell.outputs = [new_output("stream", name="stdout", text="x" * 10**6),
                    new_output("execute_result", data={"text/plain": "short"})]
    cell, _ = LimitOutputSize(max_chars=1000).preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].text.startswith("x" * 1000)
    assert cell.outputs[0].text.endswith("[999,000 more characters cut by the grader]\n")
    assert cell.outputs[1].data["text/plain"] == "short"
