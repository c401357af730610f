"""Grading pipeline of dl-course, built on nbgrader.

Behaviour that grading needs and nbgrader lacks lives here as nbgrader preprocessors and kernel
managers (switched on in ``nbgrader_config.py``), so that plain ``nbgrader`` commands, the
formgrader in JupyterLab and the ``dlcourse`` CLI all get it.
"""

import warnings

# nbgrader 0.9's gradebook code triggers SQLAlchemy autoflush warnings on every submission;
# they say nothing to an instructor and are not ours to fix.
warnings.filterwarnings("ignore", message=r"Object of type <Submitted")
