"""Per-cell statistics (dlcourse.grading.analytics) on cohorts written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.grading.analytics import (
    LOW_DISCRIMINATION,
    analyse,
    group_messages,
    message_group,
    pearson,
)
from dlcourse.grading.cohort import Cohort, GradedCell, StudentWeek, failure_message

TEST = GradedCell("nb", "test_a", 2.0, manual=False)
OTHER = GradedCell("nb", "test_b", 1.0, manual=False)
WRITTEN = GradedCell("nb", "why", 2.0, manual=True)


def cohort(rows: dict[str, dict[str, float | None]], failures=None) -> Cohort:
    failures = failures or {}
    cells = [c for c in (TEST, OTHER, WRITTEN) if any(c.grade_id in r for r in rows.values())]
    return Cohort("01_week", cells, [
        StudentWeek(name, scores=dict(scores), failures=dict(failures.get(name, {})))
        for name, scores in rows.items()
    ], without_submission=[])


def test_messages_with_other_numbers_are_one_group():
    assert message_group("AssertionError: expected 0.25, found 0.3") == message_group(
        "AssertionError: expected 0.5, found 1")
    assert message_group("ValueError: shape (28, 28) != (26, 26)") == (
        "ValueError: shape (#, #) != (#, #)")
    assert message_group("NameError: name 'conv2d' is not defined") == (
        "NameError: name 'conv2d' is not defined"), "digits inside names are kept"
    assert message_group("loss 1e-3 too   high") == "loss # too high"
    assert message_group("AssertionError: expected 1") != message_group("KeyError: 1")


def test_groups_are_counted_most_common_first():
    groups = group_messages({"a": "E: got 1", "b": "E: got 2", "c": "F: other", "d": "E: got 3"})
    assert [(g.pattern, g.count) for g in groups] == [("E: got #", 3), ("F: other", 1)]
    assert groups[0].students == ("a", "b", "d") and groups[0].example == "E: got 1"


def test_pearson_agrees_with_numpy_and_is_none_without_variance():
    xs, ys = [0, 1, 2, 2, 0], [1, 3, 2, 5, 0]
    assert pearson(xs, ys) == pytest.approx(np.corrcoef(xs, ys)[0, 1])
    assert pearson([1, 1, 1], [0, 1, 2]) is None
    assert pearson([1], [2]) is None


def test_shares_mean_and_difficulty_of_one_cell():
    stats = analyse(cohort({s: {"test_a": v} for s, v in zip("abcde", [2, 2, 1, 0, 0],
                                                               strict=True)})).stats("test_a")
    assert (stats.graded, stats.waiting) == (5, 0)
    assert (stats.full, stats.partial, stats.zero) == pytest.approx((0.4, 0.2, 0.4))
    assert stats.mean == pytest.approx(1.0) and stats.difficulty == pytest.approx(0.5)


def test_written_answers_waiting_for_a_grader_are_not_zeros():
    rows = {s: {"test_a": 2, "why": w} for s, w in zip("abcdef", [2, 1, None, None, 0, 2],
                                                       strict=True)}
    analysis = analyse(cohort(rows))
    why = analysis.stats("why")
    assert (why.graded, why.waiting) == (4, 2)
    assert why.mean == pytest.approx(1.25)  # (2 + 1 + 0 + 2) / 4, not / 6
    assert why.zero == pytest.approx(0.25)
    assert [s.waiting for s in analysis.cohort.submissions][2] == ["why"]
    assert analysis.cohort.submissions[2].score == 2  # the waiting answer adds nothing yet


def test_discrimination_uses_the_rest_of_the_total_over_complete_cells():
    a = [2, 2, 2, 0, 0, 0]
    b = [1, 1, 0, 1, 0, 0]
    why = [2, None, 2, 0, 0, None]  # not complete: left out of every rest-of-total
    rows = {s: {"test_a": x, "test_b": y, "why": w}
            for s, x, y, w in zip("abcdef", a, b, why, strict=True)}
    analysis = analyse(cohort(rows))
    assert analysis.stats("test_a").discrimination == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert analysis.stats("test_b").discrimination == pytest.approx(np.corrcoef(b, a)[0, 1])


def test_too_few_or_constant_scores_have_no_discrimination():
    few = analyse(cohort({s: {"test_a": v, "test_b": v} for s, v in zip("abcd", [2, 0, 2, 0],
                                                                         strict=True)}))
    assert few.stats("test_a").discrimination is None
    same = analyse(cohort({s: {"test_a": 2, "test_b": v} for s, v in zip("abcdef", [1, 0] * 3,
                                                                          strict=True)}))
    assert same.stats("test_a").discrimination is None


def test_cells_to_look_at():
    # test_a: everybody fails with one message (other numbers); test_b: passed by the weak only.
    a = [0] * 6
    b = [0, 0, 0, 1, 1, 1]
    why = [2, 2, 2, 0, 0, 0]
    rows = {s: {"test_a": x, "test_b": y, "why": w}
            for s, x, y, w in zip("abcdef", a, b, why, strict=True)}
    failures = {s: {"test_a": f"AssertionError: expected 4, found {i}"} for i, s in
                enumerate("abcdef")}
    concerns = analyse(cohort(rows, failures)).concerns
    assert [(c.grade_id, c.reason) for c in concerns] == [
        ("test_a", "100% of the graded submissions score zero here"),
        ("test_a", "6 of 6 submissions failed with the same message ('AssertionError: expected "
                   "4, found 0'): check the notebook before the students"),
        ("test_b", "discrimination -1.00: students who do well in the rest of the week do no "
                   "better here"),
        ("why", "discrimination -1.00: students who do well in the rest of the week do no "
                "better here"),
    ]


def test_a_healthy_cell_is_not_listed():
    a = [2, 2, 2, 1, 0, 0]
    b = [1, 1, 0, 1, 0, 0]
    rows = {s: {"test_a": x, "test_b": y} for s, x, y in zip("abcdef", a, b, strict=True)}
    analysis = analyse(cohort(rows, {"e": {"test_a": "E: 1"}, "f": {"test_a": "E: 2"}}))
    assert analysis.stats("test_a").discrimination > LOW_DISCRIMINATION
    assert analysis.concerns == []


def test_failure_message_is_what_the_student_saw():
    error = {"output_type": "error", "ename": "AssertionError",
             "evalue": "\x1b[0;31mexpected 3\x1b[0m\nmore lines", "traceback": []}
    stderr = {"output_type": "stream", "name": "stderr", "text": "Traceback\n  boom\n"}
    assert failure_message([stderr, error]) == "AssertionError: expected 3"
    assert failure_message([stderr]) == "stderr: Traceback"
    assert failure_message([{"output_type": "error", "ename": "AssertionError", "evalue": ""}]) \
        == "AssertionError"
    assert failure_message([]) == ""
