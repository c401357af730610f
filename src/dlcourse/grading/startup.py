"""Two fixed costs of nbgrader that a grading run pays again and again, avoided.

1. jsonschema (imported by nbformat's validator) imports ``rfc3987_syntax`` when it is installed
(``jsonschema[format-nongpl]``, which jupyter-events asks for) only to check the ``iri`` and
``iri-reference`` string formats; that package compiles a Lark grammar at import, about 0.75 s
on this machine, in every process that reads a notebook (python-jsonschema/jsonschema#1428).
No notebook schema and nothing a grader validates uses those formats, so a grading process
tells Python the module is absent: jsonschema then leaves the two formats unchecked.

2. Every new gradebook (each grading run makes one, as the template of the private gradebooks
its workers grade in) asks for the newest revision of nbgrader's database schema by running
the ``alembic heads`` command: a Python start and alembic's imports, about 2 s. The same
answer is read in-process from nbgrader's own migration scripts in about a millisecond.
"""

from __future__ import annotations

import os
import sys

SLOW_OPTIONAL_MODULES = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> list[str]:
    """Mark :data:`SLOW_OPTIONAL_MODULES` as absent unless already imported; return those marked.

    Call it first thing in a grading process (the CLI's autograde, the worker). A later
    ``import rfc3987_syntax`` raises ``ImportError``, which jsonschema expects and handles.
    """
    marked = []
    for name in SLOW_OPTIONAL_MODULES:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]  (Python's "not importable")
            marked.append(name)
    return marked


def alembic_head() -> str:
    """The newest revision of nbgrader's gradebook schema, from its migration scripts (what
    ``alembic heads`` prints first), read in this process."""
    import nbgrader
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location",
                           os.path.join(os.path.dirname(nbgrader.__file__), "alembic"))
    heads = ScriptDirectory.from_config(config).get_heads()
    if len(heads) != 1:  # nbgrader's schema has one line of revisions; be loud if it forks
        raise RuntimeError(f"nbgrader's gradebook schema has {len(heads)} heads: {heads}")
    return heads[0]


def read_schema_version_in_process() -> None:
    """Make nbgrader create a gradebook without starting the ``alembic`` command (see above).
    Idempotent; the replaced function gives the same revision (a test compares them)."""
    import nbgrader.api

    nbgrader.api.get_alembic_version = alembic_head
