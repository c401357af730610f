"""Grading pipeline of dl-course, built on nbgrader.

Behaviour that grading needs and nbgrader lacks lives here as nbgrader preprocessors and kernel
managers (switched on in ``nbgrader_config.py``), so that plain ``nbgrader`` commands, the
formgrader in JupyterLab and the ``dlcourse`` CLI all get it.
"""
