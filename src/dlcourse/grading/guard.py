"""Runtime guard against monkeypatching: code the grader runs inside a submission's kernel.

Before the first cell, :data:`SETUP` snapshots the functions that tests rely on (numpy's
comparisons, ``dlcourse.checks``, the evaluate/predict/call methods of ``keras.Model``,
``keras.Sequential`` and ``keras.Layer``, ``builtins``). Before
every graded test cell, :data:`RESTORE` puts back anything a submission replaced and reports
what it restored, so a patch such as ``np.allclose = lambda *a, **k: True`` cannot earn points;
the submission is flagged for review instead. Neither cell is saved in the graded notebook.
"""

from __future__ import annotations

import json

#: Marker in the guard's output, so that the grader can find its report.
REPORT_PREFIX = "__dlcourse_guard__"

SETUP = r'''
def __dlcourse_guard_factory():
    import builtins
    import importlib
    import sys

    import numpy
    import numpy.testing

    modules = {"numpy": numpy, "numpy.testing": numpy.testing, "builtins": builtins}
    try:
        import keras
        # The record of what each model is trained on wraps keras.Model.fit: install it first,
        # so the guard protects the wrapper instead of removing it.
        importlib.import_module("dlcourse.provenance").install()
        modules["keras.Model"] = keras.Model
        modules["keras.Sequential"] = keras.Sequential
        modules["keras.Layer"] = keras.Layer
        modules["keras"] = keras
    except Exception:  # keras missing: nothing to protect
        pass
    try:
        checks = importlib.import_module("dlcourse.checks")
        modules["dlcourse.checks"] = checks
    except Exception:
        checks = None
    try:
        modules["dlcourse.provenance"] = importlib.import_module("dlcourse.provenance")
    except Exception:
        pass
    names = {
        "numpy": ["allclose", "isclose", "array_equal", "asarray", "array", "abs", "all", "any",
                  "isfinite", "argmax", "mean", "sum", "max", "min"],
        "numpy.testing": ["assert_allclose", "assert_array_equal", "assert_equal",
                          "assert_almost_equal"],
        "builtins": ["isinstance", "len", "abs", "round", "float", "int", "range", "sum", "max",
                     "min", "all", "any", "print", "AssertionError", "Exception", "__import__"],
        "keras.Model": ["evaluate", "predict", "__call__", "call", "fit", "count_params"],
        "keras.Sequential": ["evaluate", "predict", "__call__", "call", "count_params"],
        "keras.Layer": ["__call__", "call", "count_params"],
        "keras": ["Model", "Sequential"],
        "dlcourse.checks": [n for n in dir(checks) if not n.startswith("__")] if checks else [],
        "dlcourse.provenance": ["fingerprints", "fit_records", "epochs_trained", "overlap",
                                "_records"],
    }
    missing = object()
    saved = {}
    for label, attrs in names.items():
        owner = modules.get(label)
        if owner is None:
            continue
        for attr in attrs:
            # For a class, what it defines itself (an inherited method is "missing" here, so
            # that an override added later is found and removed).
            value = vars(owner).get(attr, missing) if isinstance(owner, type) else getattr(
                owner, attr, missing)
            saved[(label, attr)] = (owner, value)
    saved_modules = {k: sys.modules.get(k) for k in ("numpy", "dlcourse.checks", "keras")}
    user_modules = {}

    def remember(user_ns):
        for key, value in list(user_ns.items()):
            if type(value) is type(sys) and not key.startswith("_"):
                user_modules.setdefault(key, value)

    def restore(user_ns):
        restored = []
        for (label, attr), (owner, value) in saved.items():
            if isinstance(owner, type):
                current = vars(owner).get(attr, missing)
            else:
                current = getattr(owner, attr, missing)
            if current is not value:
                if value is missing:
                    delattr(owner, attr)
                else:
                    setattr(owner, attr, value)
                restored.append(f"{label}.{attr}")
        for key, module in saved_modules.items():
            if module is not None and sys.modules.get(key) is not module:
                sys.modules[key] = module
                restored.append(f"sys.modules[{key!r}]")
        for key, module in user_modules.items():
            if user_ns.get(key) is not module:
                user_ns[key] = module
                restored.append(f"the name {key!r}")
        return restored

    return remember, restore


__dlcourse_guard_remember, __dlcourse_guard_restore = __dlcourse_guard_factory()
del __dlcourse_guard_factory
'''

REMEMBER = "__dlcourse_guard_remember(globals())"

RESTORE = (
    "print(" + repr(REPORT_PREFIX) + " + __import__('json').dumps("
    "__dlcourse_guard_restore(globals())))"
)


def parse_report(outputs: list[dict]) -> list[str] | None:
    """What a :data:`RESTORE` cell reported as restored; ``None`` if it did not report (the
    guard itself was removed or broken, which is tampering too)."""
    for output in outputs:
        if output.get("output_type") == "stream":
            for line in output.get("text", "").splitlines():
                if line.startswith(REPORT_PREFIX):
                    try:
                        return list(json.loads(line[len(REPORT_PREFIX):]))
                    except ValueError:
                        return None
    return None
