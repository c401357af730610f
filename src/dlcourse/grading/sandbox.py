"""Start a grading kernel with resource limits and a fixed, deterministic environment.

Used as a command prefix by :class:`dlcourse.grading.execute.SandboxedKernelManager`::

    python -m dlcourse.grading.sandbox --memory-mb 4096 --threads 2 -- python -m ipykernel ...

The address-space limit (``RLIMIT_AS``) turns a memory bomb into a ``MemoryError`` inside the
kernel instead of an out-of-memory kill of the grading machine; the thread counts and
``PYTHONHASHSEED`` make a submission compute the same numbers on every run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
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


def bwrap_works() -> bool:
    """Whether bubblewrap is installed and can create its namespaces here (root, or a kernel
    that allows unprivileged user namespaces)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return False
    probe = subprocess.run(
        [bwrap, "--ro-bind", "/", "/", "--unshare-net", "--", "true"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def readable_in_sandbox() -> list[str]:
    """Folders the kernel must still see when /tmp is replaced by an empty one: this Python
    and its packages, the dlcourse sources, the data mirror and Keras's home (when any of
    them lives under /tmp, as a CI checkout may)."""
    import dlcourse

    candidates = [
        sys.prefix,
        sys.base_prefix,
        os.path.dirname(os.path.dirname(os.path.realpath(dlcourse.__file__))),
        os.environ.get("DLCOURSE_MIRROR", ""),
        os.environ.get("DLCOURSE_CACHE", ""),
        os.environ.get("KERAS_HOME", ""),
    ]
    found = []
    for path in candidates:
        real = os.path.realpath(path) if path else ""
        if real.startswith("/tmp/") and os.path.isdir(real) and real not in found:
            found.append(real)
    return found


def isolated(command: list[str], writable: list[str]) -> list[str]:
    """``command`` wrapped in bubblewrap: the whole file system read-only except ``writable``
    folders and a private, empty /tmp (the home folder), and no network at all."""
    cmd = [
        shutil.which("bwrap") or "bwrap",
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--tmpfs", "/tmp",
        "--dir", "/tmp/home",
        "--setenv", "HOME", "/tmp/home",
        "--setenv", "MPLCONFIGDIR", "/tmp/home/.matplotlib",
        "--unshare-net",
        "--die-with-parent",
    ]
    for folder in readable_in_sandbox():
        cmd += ["--ro-bind", folder, folder]
    for folder in writable:
        cmd += ["--bind", folder, folder]
    return [*cmd, "--", *command]


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.grading.sandbox")
    parser.add_argument("--memory-mb", type=int, default=0, help="address-space cap (0: none)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for numeric code")
    parser.add_argument("--cpus", default="", help="CPU list to pin to, e.g. 0 or 0,1")
    parser.add_argument("--isolate", action="store_true", help="read-only FS, no network (bwrap)")
    parser.add_argument("--writable", action="append", default=[], help="writable folder")
    parser.add_argument("--connection-dir", default=None, help="kernel connection folder")
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
    if args.cpus and hasattr(os, "sched_setaffinity"):
        cpus = {int(c) for c in args.cpus.split(",") if c.strip()}
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, cpus & os.sched_getaffinity(0) or os.sched_getaffinity(0))
    command = list(args.command)
    if args.isolate:
        if bwrap_works():
            writable = [os.path.realpath(w) for w in args.writable]
            if args.connection_dir:
                writable.append(os.path.realpath(args.connection_dir))
            command = isolated(command, writable)
        else:
            print(
                "dlcourse sandbox: bubblewrap is not usable here; the kernel runs without "
                "file-system and network isolation (install bubblewrap to get it).",
                file=sys.stderr,
            )
    if args.memory_mb > 0:
        apply_memory_limit(args.memory_mb)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
