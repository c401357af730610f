"""dlcourse: the helper package every notebook of the dl-course imports.

Importing it first (before TensorFlow) silences TensorFlow's start-up log noise and switches
off oneDNN's non-deterministic kernels, so that the same notebook gives the same numbers.
"""

from __future__ import annotations

import os

# Level 3 also hides C++ "errors" that are only noise: with op determinism on, every
# model.fit(..., validation_data=...) on NumPy arrays logs "NodeDef mentions attribute
# use_unbounded_threadpool ..." (TF 2.21). Real failures still raise Python exceptions.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

__version__ = "0.1.0"


def setup(seed: int = 42, *, deterministic: bool = True) -> None:
    """Seed everything, check versions and set plot defaults (see :mod:`dlcourse.session`)."""
    from dlcourse.session import setup as _setup

    _setup(seed, deterministic=deterministic)
