"""The late policy: each week's due date and the penalty for handing in after it.

Both are set in ONE place, ``nbgrader_config.py``::

    c.AssignLatePenalties.plugin_class = LatePenalty
    c.LatePenalty.due_dates = {"02_convolution": "2027-01-20 23:59:00 Europe/Berlin"}
    c.LatePenalty.grace_minutes = 15        # not late within this many minutes
    c.LatePenalty.percent_per_day = 10      # of the score, per started day after the grace
    c.LatePenalty.zero_after_days = 7       # from then on the score is zero

``dlcourse release`` (and the registration before every ``dlcourse autograde``) writes the due
dates into the gradebook as nbgrader's ``duedate``, so nbgrader computes how late a submission
is from its ``timestamp.txt``, and its ``AssignLatePenalties`` preprocessor asks
:class:`LatePenalty` for the penalty. That holds for plain ``nbgrader autograde`` and the
formgrader too. nbgrader stores the penalty per notebook (``late_submission_penalty``) when it
autogrades, before a person has graded the written answers; the report and the grade export
therefore recompute it with :func:`penalty_points` from the same policy and the current score,
so that "zero after seven days" stays zero once the written answers are graded. The scores of
the cells stay as the tests and graders gave them; the report and the export show the score,
the penalty and the score after it.

Due dates are nbgrader timestamps: ``"2027-01-20 23:59:00 Europe/Berlin"`` (a zone name; a
numeric offset after a space is misread by nbgrader as seconds) or ISO 8601 with an offset,
``"2027-01-20T23:59:00+01:00"``.
"""

from __future__ import annotations

import math
from datetime import datetime

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Dict, Float, Unicode
from traitlets.config import Config

SECONDS_PER_DAY = 86_400.0


class LatePenalty(LateSubmissionPlugin):
    """nbgrader late-submission plugin: a share of the score per started day late (nbgrader's
    own ``penalty_method`` setting is not used)."""

    due_dates = Dict(
        value_trait=Unicode(),
        default_value={},
        help="Due date per week, e.g. {'02_convolution': '2027-01-20 23:59:00 Europe/Berlin'} "
        "(date, time and a zone name; or ISO 8601 with an offset).",
    ).tag(config=True)
    grace_minutes = Float(
        15.0, help="A submission this many minutes after the due date is not late."
    ).tag(config=True)
    percent_per_day = Float(
        10.0, help="Percent of the score lost per started day late (after the grace)."
    ).tag(config=True)
    zero_after_days = Float(
        7.0, help="A submission this many days late (or later) scores zero."
    ).tag(config=True)

    def late_submission_penalty(
        self, student_id: str, score: float, total_seconds_late: float
    ) -> float | None:
        penalty = penalty_points(self, total_seconds_late, score)
        return penalty if penalty > 0 else None

    def due_date(self, week: str) -> datetime | None:
        """The due date of ``week`` in UTC (naive, as nbgrader stores it), or None."""
        from nbgrader.utils import parse_utc

        text = self.due_dates.get(week)
        return parse_utc(text) if text else None

    def describe(self) -> str:
        """The policy in one sentence, for the report and the export."""
        return (
            f"Late policy: {self.grace_minutes:g} minutes' grace after the due date, then "
            f"{self.percent_per_day:g} % of the score per started day late; "
            f"zero from {self.zero_after_days:g} days late."
        )


def penalty_share(policy: LatePenalty, seconds_late: float) -> float:
    """The share of the score (0 to 1) that a submission ``seconds_late`` after the due date
    loses."""
    if seconds_late <= policy.grace_minutes * 60:
        return 0.0
    days = seconds_late / SECONDS_PER_DAY
    if days >= policy.zero_after_days:
        return 1.0
    return min(1.0, math.ceil(days) * policy.percent_per_day / 100.0)


def penalty_points(policy: LatePenalty, seconds_late: float, score: float) -> float:
    """The points a score of ``score`` loses when handed in ``seconds_late`` after the due
    date."""
    return score * penalty_share(policy, seconds_late)


def late_policy(config: Config) -> LatePenalty:
    """The course's late policy as configured in ``nbgrader_config.py``."""
    return LatePenalty(config=config)


def record_due_date(config: Config, week: str, db_url: str, course_id: str) -> datetime | None:
    """Write ``week``'s configured due date into the gradebook at ``db_url`` (nbgrader's
    ``duedate``). A week without a configured date keeps whatever the gradebook holds (a date
    set in the formgrader, or none)."""
    from nbgrader.api import Gradebook

    due = late_policy(config).due_date(week)
    if due is None:
        return None
    with Gradebook(db_url, course_id) as gb:
        gb.update_or_create_assignment(week, duedate=due)
    return due


def describe_lateness(seconds_late: float) -> str:
    """``3 d 4 h`` / ``2 h 5 min`` / ``40 s``: how late, for a table cell."""
    seconds = int(round(seconds_late))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"

