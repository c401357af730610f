"""Grade export for LMSs (dlcourse.grading.lms), against the documented layouts: Canvas's
gradebook CSV (Student, ID, SIS User ID, SIS Login ID, Section, one column per assignment, the
Points Possible row) and Moodle's CSV grade import (a user identifier column mapped to
``useridnumber`` or ``useremail``, one column per grade item). On the graded cohort, through the
command: tests/test_report.py."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dlcourse.grading.course import CourseError
from dlcourse.grading.grades import GradeRow
from dlcourse.grading.lms import (
    LmsStudent,
    canvas_table,
    check_mapping,
    moodle_table,
    read_mapping,
    write_lms_csv,
)

ROWS = [
    GradeRow("ada", "01_fcnn_recap", 9, 10, 9, 10, 0),
    GradeRow("ada", "02_convolution", 12, 14, 12, 12, 0, late_penalty=1.2),
    GradeRow("ben", "02_convolution", 7.5, 14, 7.5, 12, 2),
]
MAPPING = {
    "ada": LmsStudent("ada", "4711", "Lovelace, Ada", "S-001", "ada@uni.example", "Section 1",
                      "ada@uni.example"),
    "ben": LmsStudent("ben", "4712", email="ben@uni.example"),
}


def as_csv(table: list[list[str]]) -> list[list[str]]:
    """Through the csv module and back, as an LMS reads the file."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return list(csv.reader(io.StringIO(buffer.getvalue())))


def test_canvas_layout():
    table = as_csv(canvas_table(ROWS, MAPPING))
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                        "01_fcnn_recap", "02_convolution"]
    assert table[1] == ["Points Possible", "", "", "", "", "10", "14"]
    assert table[2] == ["Lovelace, Ada", "4711", "S-001", "ada@uni.example", "Section 1", "9",
                        "10.8"]
    assert table[3] == ["ben", "4712", "", "", "", "", "7.5"], "no submission: left empty"


def test_moodle_layout():
    table = as_csv(moodle_table(ROWS, MAPPING))
    assert table == [
        ["ID number", "Email address", "01_fcnn_recap", "02_convolution"],
        ["4711", "ada@uni.example", "9", "10.8"],
        ["4712", "ben@uni.example", "", "7.5"],
    ]


def test_mapping_file_is_read_with_optional_columns(tmp_path: Path):
    path = tmp_path / "ids.csv"
    path.write_text("\ufeffstudent, lms_id ,section\nada,4711,A\nben,4712,\n\n", encoding="utf-8")
    mapping = read_mapping(path)
    assert mapping == {"ada": LmsStudent("ada", "4711", section="A"),
                       "ben": LmsStudent("ben", "4712")}


def test_missing_mapping_file_says_what_to_write(tmp_path: Path):
    with pytest.raises(CourseError, match=r"No LMS mapping file .*ids\.csv: write a CSV with "
                                          r"the columns student, lms_id \(and optionally name"):
        read_mapping(tmp_path / "ids.csv")


def test_mapping_file_without_the_required_columns(tmp_path: Path):
    path = tmp_path / "ids.csv"
    path.write_text("student,canvas\nada,1\n")
    with pytest.raises(CourseError, match=r"lacks the column\(s\) lms_id; its header is "
                                          r"student, canvas"):
        read_mapping(path)


def test_every_student_without_an_lms_id_is_listed(tmp_path: Path):
    mapping = {"ada": LmsStudent("ada", "4711"), "cyd": LmsStudent("cyd", "")}
    with pytest.raises(CourseError) as error:
        check_mapping(mapping, ["ada", "ben", "cyd", "ben", "dee"], tmp_path / "ids.csv")
    assert str(error.value).startswith("3 student(s) have grades but no LMS id in ")
    assert "ids.csv: ben, cyd, dee." in str(error.value)


def test_write_refuses_an_unknown_layout(tmp_path: Path):
    with pytest.raises(CourseError, match="Unknown LMS format 'blackboard'"):
        write_lms_csv("blackboard", ROWS, tmp_path / "ids.csv", tmp_path / "out.csv")
