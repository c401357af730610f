"""The late policy (dlcourse.grading.late): penalties before, just after and long after a due
date, the configuration in nbgrader_config.py, and nbgrader's timestamp formats.

End to end (the due date written into the gradebook at release, nbgrader's AssignLatePenalties
calling the plugin, the report and the export) in tests/test_report.py."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import REPO
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config import Config

from dlcourse.grading.course import Course
from dlcourse.grading.late import (
    LatePenalty,
    describe_lateness,
    late_policy,
    penalty_points,
    penalty_share,
)

MINUTE, HOUR, DAY = 60.0, 3_600.0, 86_400.0


def policy(**settings: object) -> LatePenalty:
    config = Config()
    for key, value in settings.items():
        setattr(config.LatePenalty, key, value)
    return late_policy(config)


@pytest.mark.parametrize(
    ("seconds_late", "share"),
    [
        (0.0, 0.0),  # on time (nbgrader reports 0 for anything before the due date)
        (5 * MINUTE, 0.0),  # just after: within the 15 minutes' grace
        (15 * MINUTE, 0.0),
        (16 * MINUTE, 0.10),  # just after the grace: one started day
        (23 * HOUR, 0.10),
        (DAY + 1, 0.20),  # a second started day
        (6.5 * DAY, 0.70),
        (7 * DAY, 1.0),  # zero from 7 days on
        (40 * DAY, 1.0),  # long after
    ],
)
def test_share_lost_by_lateness_with_the_defaults(seconds_late, share):
    assert penalty_share(policy(), seconds_late) == pytest.approx(share)


def test_penalty_is_a_share_of_the_score_and_none_when_not_late():
    plugin = policy()
    assert plugin.late_submission_penalty("ada", 8.0, 0.0) is None
    assert plugin.late_submission_penalty("ada", 8.0, 10 * MINUTE) is None
    assert plugin.late_submission_penalty("ada", 8.0, 2 * HOUR) == pytest.approx(0.8)
    assert plugin.late_submission_penalty("ada", 8.0, 30 * DAY) == pytest.approx(8.0)
    assert penalty_points(plugin, 2 * DAY, 5.0) == pytest.approx(1.0)


def test_settings_come_from_the_config():
    strict = policy(grace_minutes=0, percent_per_day=25, zero_after_days=3)
    assert penalty_share(strict, 1.0) == pytest.approx(0.25)
    assert penalty_share(strict, 2.5 * DAY) == pytest.approx(0.75)
    assert penalty_share(strict, 3 * DAY) == 1.0
    assert strict.describe() == ("Late policy: 0 minutes' grace after the due date, then 25 % of "
                                 "the score per started day late; zero from 3 days late.")


def test_the_course_config_switches_the_plugin_on_for_nbgrader():
    config = Course(REPO).config()
    assert AssignLatePenalties(config=config).plugin_class is LatePenalty
    assert late_policy(config).due_dates == {}  # no dates set in the repository


@pytest.mark.parametrize(
    "text",
    ["2027-01-20 23:59:00 Europe/Berlin", "2027-01-20T23:59:00+01:00", "2027-01-20 22:59:00 UTC"],
)
def test_due_dates_are_read_as_utc(text):
    assert policy(due_dates={"02_convolution": text}).due_date("02_convolution") == datetime(
        2027, 1, 20, 22, 59
    )
    assert policy().due_date("02_convolution") is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(40, "40 s"), (5 * MINUTE, "5 min"), (2 * HOUR + 5 * MINUTE, "2 h 5 min"),
     (3 * DAY + 4 * HOUR, "3 d 4 h")],
)
def test_lateness_in_words(seconds, text):
    assert describe_lateness(seconds) == text
