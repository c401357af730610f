"""Keep a kernel's resident memory close to what it uses: glibc's allocator, tuned at run time.

Binder guarantees a session 1 GB and many hubs give a student the same, while TensorFlow alone
takes about 620 MB of it. :func:`limit_retention` (called by :func:`dlcourse.setup`, before
TensorFlow is imported) sets three of glibc's ``malloc`` parameters with ``mallopt``:

``M_ARENA_MAX = 1``
    glibc gives each thread that allocates its own arena (up to eight per core), TensorFlow's
    thread pools allocate from many threads, and each arena keeps the memory freed into it.
    With one arena, every thread's freed blocks are reused by the next allocation, whichever
    thread makes it. Week 04 (2026-12-06, four alternating runs): peak 1,060-1,071 MB with two
    arenas, 988-991 MB with one, and no slower (49-63 s against 54-70 s; TensorFlow's own
    allocations dominate, not contention on the arena's lock). Two arenas instead of eight
    had given 1,324 instead of 1,366 MB earlier.
``M_MMAP_THRESHOLD = 1 MiB``
    A block of 1 MiB or more (a batch of activations, a copy of a dataset) is mapped on its own
    and given back to the system when it is freed. glibc's default threshold moves up to
    32 MiB as large blocks are freed, after which they come from the arenas and stay there:
    calling a CNN eagerly on batches of 250 digits three times grew the kernel by 48 MB each
    time (measured), with a fixed threshold not at all. A 4 MiB threshold took week 03's peak
    from 1,188 to 1,131 MB and week 04's from 1,266 to 1,193 MB; 1 MiB instead of 4 MiB
    (2026-12-07, same machine): week 03 1,018 -> 977 MB, week 04 1,017-1,030 -> 987-994 MB,
    week 05 983 -> 969 MB, at the same speed (43.5 -> 43.9 s, 37-45 -> 44 s, 33.8 -> 35.1 s):
    the blocks between 1 and 4 MiB are a training step's activations, which otherwise stay
    in the heap between cells. It is the trim threshold, not this one, that costs speed.
``M_TRIM_THRESHOLD = 64 MiB``
    Fixing the mmap threshold also fixes the trim threshold at its 128 KiB default, so glibc
    would give the top of the heap back (and fault it in again) after nearly every training
    step: that is what made an earlier attempt (mmap and trim threshold both 1 MiB) 60-90 %
    slower. 64 MiB keeps the heap's working set mapped.

After every cell, :func:`release_after_each_cell` (registered by :func:`dlcourse.setup`) does
two things. It drops the compiled training step of every model that has been trained
(:func:`release_training_functions`): a Keras model keeps its ``train_function``, the traced
graph of a training step with its gradients and optimizer, until it is compiled again, and for
week 03's CNN that graph held 65-90 MB after ``fit`` returned (measured 2026-12-07), per model
trained. The next ``fit`` traces it again, as after ``compile``, which costs a second or two and
changes no number. Then it gives the free pages inside the heap back with ``malloc_trim(0)``
(:func:`release_free_memory`): the trim threshold only returns the heap's top, and what a
training run frees in the middle of the heap stayed resident (week 03 after its first three
trainings: 920 -> 836 MB).

Outside glibc (macOS, Windows, musl) nothing happens. A parameter whose environment variable
(``MALLOC_ARENA_MAX``, ``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``) is set is left to
the environment.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import os

__all__ = [
    "SETTINGS", "limit_retention", "release_after_each_cell", "release_free_memory",
    "release_training_functions",
]

# mallopt parameter numbers, from glibc's <malloc.h>
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8

#: parameter name -> (mallopt number, value, environment variable that overrides it)
SETTINGS: dict[str, tuple[int, int, str]] = {
    "M_ARENA_MAX": (_M_ARENA_MAX, 1, "MALLOC_ARENA_MAX"),
    "M_MMAP_THRESHOLD": (_M_MMAP_THRESHOLD, 1 * 2**20, "MALLOC_MMAP_THRESHOLD_"),
    "M_TRIM_THRESHOLD": (_M_TRIM_THRESHOLD, 64 * 2**20, "MALLOC_TRIM_THRESHOLD_"),
}


@functools.cache  # find_library runs ldconfig: once per process, not after every cell
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "gnu_get_libc_version") else None


def limit_retention() -> dict[str, int]:
    """Apply :data:`SETTINGS` to this process's glibc allocator; return what was set (empty
    where there is no glibc)."""
    libc = _libc()
    if libc is None:
        return {}
    applied = {}
    for name, (param, value, variable) in SETTINGS.items():
        if variable in os.environ:
            continue
        if libc.mallopt(ctypes.c_int(param), ctypes.c_int(value)) == 1:
            applied[name] = value
    return applied


def release_free_memory() -> bool:
    """Give every free page of the heap back to the system (glibc's ``malloc_trim(0)``).
    Returns whether anything was released (False outside glibc)."""
    libc = _libc()
    if libc is None or not hasattr(libc, "malloc_trim"):
        return False
    return bool(libc.malloc_trim(ctypes.c_size_t(0)))


def release_training_functions() -> int:
    """Drop the compiled training step (``train_function``) of every model trained so far;
    Keras traces it again at the next ``fit``. Returns how many were dropped."""
    from dlcourse import provenance

    dropped = 0
    for model in provenance.trained_models():
        if getattr(model, "train_function", None) is not None:
            model.train_function = None
            dropped += 1
    return dropped


def _release_after_cell(*_args: object) -> None:
    if release_training_functions():
        gc.collect()  # a traced function's graph sits in reference cycles
    release_free_memory()


def release_after_each_cell() -> bool:
    """In an IPython kernel, after every cell: :func:`release_training_functions`, then
    :func:`release_free_memory` (registered once, however often this is called). Returns
    whether the hook is registered."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    callbacks = shell.events.callbacks.get("post_run_cell", [])
    if _release_after_cell not in callbacks:
        shell.events.register("post_run_cell", _release_after_cell)
    return True
