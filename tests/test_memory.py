"""dlcourse.memory: glibc's allocator tuned at run time, never where the environment says so."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dlcourse import memory

pytestmark = pytest.mark.skipif(memory._libc() is None, reason="no glibc on this platform")


def _run(code: str, **env: str) -> str:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    environment.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=environment, timeout=60).stdout.strip()


def test_limit_retention_sets_every_parameter():
    assert _run("from dlcourse import memory; print(memory.limit_retention())") == (
        "{'M_ARENA_MAX': 1, 'M_MMAP_THRESHOLD': 1048576, 'M_TRIM_THRESHOLD': 67108864}"
    )


def test_the_environment_wins():
    assert _run("from dlcourse import memory; print(memory.limit_retention())",
                MALLOC_ARENA_MAX="4", MALLOC_MMAP_THRESHOLD_="131072") == (
        "{'M_TRIM_THRESHOLD': 67108864}"
    )


_FRAGMENTING = """
import ctypes, sys
size, count = int(sys.argv[2]) * 2**20, int(sys.argv[3])
if sys.argv[1] == "tuned":
    from dlcourse import memory
    memory.limit_retention()
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
def anon_mb():
    for line in open('/proc/self/status'):
        if line.startswith('RssAnon'):
            return int(line.split()[1]) // 1024
before = anon_mb()
kept = []
for _ in range(5):  # like batches of activations, with small long-lived objects in between
    blocks = []
    for _ in range(count):
        blocks.append(libc.malloc(size))
        kept.append(libc.malloc(64 * 1024))
    for b in blocks:
        libc.memset(b, 1, size)
    for b in blocks:
        libc.free(b)
print(anon_mb() - before)
"""


def _grown_mb(mode: str, size_mb: int, count: int) -> int:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    return int(subprocess.run([sys.executable, "-c", _FRAGMENTING, mode, str(size_mb), str(count)],
                              capture_output=True, text=True, check=True, env=environment,
                              timeout=60).stdout)


@pytest.mark.parametrize(("size_mb", "count"), [(20, 4), (2, 40)])
def test_large_blocks_go_back_to_the_system_when_freed(size_mb, count):
    """Freed blocks (20 MB, and 2 MB like a training step's activations) behind small live
    ones: glibc's default keeps them in the heap once its threshold has moved up (about 80-100
    MB here); tuned, they are unmapped when freed."""
    default, tuned = _grown_mb("default", size_mb, count), _grown_mb("tuned", size_mb, count)
    assert default >= 60, f"the default allocator kept only {default} MB: the case shows nothing"
    assert tuned < 10, f"with limit_retention the process kept {tuned} MB of freed blocks"


def test_threads_share_one_arena_after_setup():
    """With the cap, eight threads that allocate all use the main arena (malloc_info counts
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
    assert int(_run(code)) == 1


_HOLES = """
import ctypes, sys
from dlcourse import memory
memory.limit_retention()
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
def anon_mb():
    for line in open('/proc/self/status'):
        if line.startswith('RssAnon'):
            return int(line.split()[1]) // 1024
def holes():
    # 512 KiB blocks (below the mmap threshold: they come from the heap), a live 100 kB block
    # after each, so freeing leaves holes in the middle of the heap, not at its top
    blocks, kept = [], []
    for _ in range(300):
        blocks.append(libc.malloc(2**19))
        kept.append(libc.malloc(100_000))
    for b in blocks:
        libc.memset(b, 1, 2**19)
    for b in blocks:
        libc.free(b)
    return kept
"""


def test_release_free_memory_gives_back_the_holes_inside_the_heap():
    code = _HOLES + """
before = anon_mb()
kept = holes()
freed_but_resident = anon_mb() - before
released = memory.release_free_memory()
print(freed_but_resident, anon_mb() - before, released)
"""
    resident, after, released = _run(code).split()
    assert int(resident) >= 100, f"only {resident} MB stayed resident: the case shows nothing"
    assert released == "True"
    assert int(after) < 20, f"{after} MB of freed blocks stayed resident after malloc_trim(0)"


def test_release_after_each_cell_runs_after_every_cell_and_registers_once():
    """In a real IPython shell: registering twice leaves one hook, and after a cell that
    leaves holes in the heap they are no longer resident."""
    code = _HOLES + """
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shell.user_ns['holes'] = holes
registered = memory.release_after_each_cell(), memory.release_after_each_cell()
hooks = shell.events.callbacks['post_run_cell'].count(memory._release_after_cell)
before = anon_mb()
shell.run_cell('kept = holes()')
print(all(registered), hooks, anon_mb() - before)
"""
    registered, hooks, grown = _run(code).split()
    assert (registered, hooks) == ("True", "1")
    assert int(grown) < 20, f"the kernel kept {grown} MB of freed blocks after the cell"


def test_release_after_each_cell_outside_ipython_does_nothing():
    assert _run("from dlcourse import memory; print(memory.release_after_each_cell())") == "False"


def test_release_training_functions_drops_the_traced_step_and_fit_still_trains():
    """The trained model's ``train_function`` is dropped (and counted); the next ``fit``
    traces it again and trains on from the same weights."""
    keras = pytest.importorskip("keras")
    import numpy as np

    from dlcourse import provenance

    provenance.install()
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 4)).astype("float32"), rng.integers(0, 2, size=64)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=1, verbose=0)
    assert model.train_function is not None
    assert memory.release_training_functions() >= 1
    assert model.train_function is None
    assert memory.release_training_functions() == 0  # nothing left to drop
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
