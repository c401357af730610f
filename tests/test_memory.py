"""dlcourse.memory: glibc's arenas capped at run time, never when the environment says so."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dlcourse import memory

pytestmark = pytest.mark.skipif(memory._libc() is None, reason="no glibc on this platform")


def _run(code: str, **env: str) -> str:
    import os

    environment = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    environment.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=environment, timeout=60).stdout.strip()


def test_limit_retention_caps_the_arenas():
    assert _run("from dlcourse import memory; print(memory.limit_retention())") == (
        "{'M_ARENA_MAX': 2}"
    )


def test_the_environment_wins():
    assert _run("from dlcourse import memory; print(memory.limit_retention())",
                MALLOC_ARENA_MAX="4") == "{}"


def test_threads_share_two_arenas_after_setup():
    """With the cap, eight threads that allocate use at most two arenas (malloc_info counts
    the heaps)."""
    code = """
import ctypes, threading
from dlcourse import memory
memory.limit_retention()
keep = []
def work():
    keep.append([bytearray(4096) for _ in range(200)])
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
libc = ctypes.CDLL(None)
libc.open_memstream.restype = ctypes.c_void_p
buf, size = ctypes.c_char_p(), ctypes.c_size_t()
stream = libc.open_memstream(ctypes.byref(buf), ctypes.byref(size))
libc.malloc_info(0, ctypes.c_void_p(stream)); libc.fclose(ctypes.c_void_p(stream))
print(buf.value.decode().count('<heap nr='))
"""
    assert int(_run(code)) <= 2
