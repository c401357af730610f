"""Start a grading kernel with resource limits and a fixed, deterministic environment.

Used as a command prefix by :class:`dlcourse.grading.execute.SandboxedKernelManager`::

    python -m dlcourse.grading.sandbox --memory-mb 4096 --threads 2 -- python -m ipykernel ...

The address-space limit (``RLIMIT_AS``) turns a memory bomb into a ``MemoryError`` inside the
kernel instead of an out-of-memory kill of the grading machine; the thread counts and
``PYTHONHASHSEED`` make a submission compute the same numbers on every run.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

#: Environment every grading kernel gets (on top of the grader's own environment).
DETERMINISTIC_ENV: dict[str, str] = {
    "PYTHONHASHSEED": "0",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "TF_DETERMINISTIC_OPS": "1",
    "DLCOURSE_GRADING": "1",
    "MPLBACKEND": "Agg",
}


def kernel_environment(threads: int) -> dict[str, str]:
    """The environment variables a grading kernel runs with, for ``threads`` CPU threads."""
    env = dict(DETERMINISTIC_ENV)
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
    ):
        env[name] = str(threads)
    env["TF_NUM_INTEROP_THREADS"] = "1"
    return env


def apply_memory_limit(memory_mb: int) -> None:
    """Cap this process's address space at ``memory_mb`` megabytes (no-op where unsupported)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows has no rlimits
        return
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.grading.sandbox")
    parser.add_argument("--memory-mb", type=int, default=0, help="address-space cap (0: none)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for numeric code")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the kernel command")
    args = parser.parse_args(list(argv))
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        parser.error("give the kernel command after --")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.update(kernel_environment(args.threads))
    if args.memory_mb > 0:
        apply_memory_limit(args.memory_mb)
    os.execvp(args.command[0], args.command)


if __name__ == "__main__":
    main()
