"""Grades in the CSV layouts that learning management systems import (``dlcourse grades
--format canvas|moodle``).

Students are known to nbgrader by the id their submission folder carries; the LMS knows them by
its own ids. The **mapping file** (default ``autograde/lms_ids.csv``, UTF-8 CSV with a header)
connects the two, one row per student:

=============  =========  ==============================================================
column         required   meaning
=============  =========  ==============================================================
student        yes        the student id in the gradebook (the submission folder name)
lms_id         yes        Canvas: the user's Canvas ID ("ID" column of a gradebook export);
                          Moodle: the user's ID number (profile field ``idnumber``)
name           no         Canvas "Student" column (``Last, First``)
sis_user_id    no         Canvas "SIS User ID"
sis_login_id   no         Canvas "SIS Login ID"
section        no         Canvas "Section"
email          no         Moodle "Email address"
=============  =========  ==============================================================

A student with a grade but no row in the mapping stops the export with one error that lists
every such student.

**Canvas** (Grades → Import): the columns of a Canvas gradebook export, ``Student, ID, SIS User
ID, SIS Login ID, Section``, then one column per week (a new name makes Canvas create the
assignment), and the ``Points Possible`` row under the header. **Moodle** (Grades → Import →
CSV file): ``ID number, Email address`` and one column per week; in the import's *Identify user
by* choose ``ID number`` → ``useridnumber`` (or the e-mail address → ``useremail``), and map each
week's column to its grade item. The grade exported is the score after the late penalty
(``final_score`` of :mod:`dlcourse.grading.grades`); a week a student did not hand in is left
empty, which both systems read as "no grade" rather than zero.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from dlcourse.grading.course import Course, CourseError
from dlcourse.grading.grades import GradeRow

MAPPING_FILE = "lms_ids.csv"
MAPPING_REQUIRED = ("student", "lms_id")
MAPPING_OPTIONAL = ("name", "sis_user_id", "sis_login_id", "section", "email")
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "Points Possible"
MOODLE_IDENTITY = ("ID number", "Email address")


@dataclass(frozen=True)
class LmsStudent:
    student: str
    lms_id: str
    name: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    email: str = ""


def default_mapping_path(course: Course) -> Path:
    return course.autograde_dir / MAPPING_FILE


def read_mapping(path: Path) -> dict[str, LmsStudent]:
    """The mapping file as ``student -> LmsStudent``."""
    if not path.is_file():
        raise CourseError(
            f"No LMS mapping file {path}: write a CSV with the columns "
            f"{', '.join(MAPPING_REQUIRED)} (and optionally {', '.join(MAPPING_OPTIONAL)}), "
            "one row per student, or pass --mapping FILE."
        )
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in MAPPING_REQUIRED if c not in header]
        if missing:
            raise CourseError(
                f"The LMS mapping file {path} lacks the column(s) {', '.join(missing)}; its "
                f"header is {', '.join(header) or 'empty'}."
            )
        mapping: dict[str, LmsStudent] = {}
        for row in reader:
            values = {k.strip(): (v or "").strip() for k, v in row.items() if k}
            if not values.get("student"):
                continue
            mapping[values["student"]] = LmsStudent(
                **{k: values.get(k, "") for k in MAPPING_REQUIRED + MAPPING_OPTIONAL}
            )
    return mapping


def check_mapping(mapping: dict[str, LmsStudent], students: list[str], path: Path) -> None:
    """Raise one error listing every student without an LMS id."""
    unmapped = sorted(s for s in set(students) if s not in mapping or not mapping[s].lms_id)
    if unmapped:
        raise CourseError(
            f"{len(unmapped)} student(s) have grades but no LMS id in {path}: "
            f"{', '.join(unmapped)}. Add a row (student,lms_id,...) for each."
        )


def _weeks_and_points(rows: list[GradeRow]) -> tuple[list[str], dict[str, float]]:
    points: dict[str, float] = {}
    for row in rows:
        points[row.week] = max(points.get(row.week, 0.0), row.max_score)
    return sorted(points), points


def _by_student(rows: list[GradeRow]) -> dict[str, dict[str, GradeRow]]:
    table: dict[str, dict[str, GradeRow]] = {}
    for row in rows:
        table.setdefault(row.student, {})[row.week] = row
    return table


def canvas_table(rows: list[GradeRow], mapping: dict[str, LmsStudent]) -> list[list[str]]:
    """Header, the Points Possible row, and one row per student, in Canvas's layout."""
    weeks, points = _weeks_and_points(rows)
    table = [list(CANVAS_IDENTITY) + weeks,
             [CANVAS_POINTS_ROW, "", "", "", ""] + [f"{points[w]:g}" for w in weeks]]
    for student, grades in sorted(_by_student(rows).items()):
        who = mapping[student]
        table.append(
            [who.name or student, who.lms_id, who.sis_user_id, who.sis_login_id, who.section]
            + [f"{grades[w].final_score:g}" if w in grades else "" for w in weeks]
        )
    return table


def moodle_table(rows: list[GradeRow], mapping: dict[str, LmsStudent]) -> list[list[str]]:
    """Header and one row per student, for Moodle's CSV grade import."""
    weeks, _ = _weeks_and_points(rows)
    table = [list(MOODLE_IDENTITY) + weeks]
    for student, grades in sorted(_by_student(rows).items()):
        who = mapping[student]
        table.append([who.lms_id, who.email]
                     + [f"{grades[w].final_score:g}" if w in grades else "" for w in weeks])
    return table


def write_lms_csv(fmt: str, rows: list[GradeRow], mapping_path: Path, output: Path) -> Path:
    """Write ``rows`` in the layout of ``fmt`` ('canvas' or 'moodle') to ``output``."""
    if fmt not in ("canvas", "moodle"):
        raise CourseError(f"Unknown LMS format {fmt!r}: choose canvas or moodle.")
    mapping = read_mapping(mapping_path)
    check_mapping(mapping, [r.student for r in rows], mapping_path)
    table = canvas_table(rows, mapping) if fmt == "canvas" else moodle_table(rows, mapping)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(table)
    return output
