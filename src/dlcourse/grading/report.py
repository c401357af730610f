"""The instructor's report of a graded week: one self-contained HTML page (plus its PNG plots)
in ``autograde/reports/WEEK/report.html``, written by ``dlcourse report``.

It puts together what :mod:`~dlcourse.grading.cohort` reads back from grading,
:mod:`~dlcourse.grading.analytics` (per-cell statistics, grouped failure messages, cells to
look at), the late policy (:mod:`~dlcourse.grading.late`) and the similarity pass
(:mod:`~dlcourse.grading.similarity`). The page embeds its pictures, so it can be mailed or
opened anywhere; the same pictures lie beside it as PNG files. The report lives in the
git-ignored ``autograde/`` folder, for instructors only: nothing in it reaches the feedback.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dlcourse import plots
from dlcourse.grading.analytics import (
    LOW_DISCRIMINATION,
    MESSAGES_SHOWN,
    NEAR_UNIVERSAL_FAILURE,
    SHARED_MESSAGE,
    CellStats,
    WeekAnalysis,
    analyse,
)
from dlcourse.grading.cohort import Cohort, read_cohort
from dlcourse.grading.course import Course
from dlcourse.grading.late import describe_lateness, late_policy
from dlcourse.grading.similarity import THRESHOLD, SimilarPair, similar_pairs

REPORT_NAME = "report.html"
HISTOGRAM_NAME = "report-totals.png"
OUTCOMES_NAME = "report-cells.png"
INDEX_NAME = "index.html"
PLOT_DPI = 80

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; vertical-align: top; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f2f2f2; }
.summary { display: flex; flex-wrap: wrap; gap: 0.6em; margin: 1em 0; }
.summary div { background: #f6f6f6; border-radius: 6px; padding: 0.5em 0.9em; }
.summary b { display: block; font-size: 1.4em; }
.concern { background: #fff4e5; }
.muted { color: #777; }
pre { margin: 0; white-space: pre-wrap; font-size: 0.85em; }
mark { background: #ffd54f; }
.pair td { width: 50%; }
img { max-width: 100%; }
"""


@dataclass
class WeekReport:
    week: str
    path: Path
    analysis: WeekAnalysis
    pairs: list[SimilarPair] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One paragraph for the terminal."""
        cohort = self.analysis.cohort
        if not cohort.submissions:
            return f"{self.week}: no submissions graded yet."
        totals = self.analysis.totals
        mean = sum(totals) / len(totals)
        waiting = sum(s.waiting for s in self.analysis.cells)
        parts = [
            f"{self.week}: {len(cohort.submissions)} submission(s), mean {mean:.1f} of "
            f"{cohort.max_score:g} points",
            f"{len(cohort.without_submission)} student(s) without a submission",
            f"{len(self.analysis.late)} late",
            f"{len(self.analysis.timed_out)} timed out",
            f"{len(self.analysis.crashed)} crashed kernel(s)",
            f"{len(self.analysis.flagged)} flagged for review",
            f"{waiting} answer(s) waiting for a grader",
            f"{len({c.grade_id for c in self.analysis.concerns})} cell(s) to look at",
            f"{len(self.pairs)} similar pair(s)",
        ]
        return "; ".join(parts) + "."


def report_dir(course: Course, week: str) -> Path:
    return course.autograde_dir / "reports" / week


# -- small HTML helpers -------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value))


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _number(value: float | None, fmt: str = "{:.2f}") -> str:
    return "—" if value is None else fmt.format(value)


def _td(text: str, col: str, number: bool = False) -> str:
    cls = ' class="number"' if number else ""
    return f'<td data-col="{col}"{cls}>{text}</td>'


def _table(header: list[str], rows: list[str], attrs: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _png(data: bytes, alt: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{_e(alt)}" src="data:image/png;base64,{encoded}">'


def _when(moment: datetime | None) -> str:
    return "—" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


# -- sections -----------------------------------------------------------------------------------


def _summary_cards(analysis: WeekAnalysis, pairs: list[SimilarPair]) -> str:
    cohort = analysis.cohort
    totals = analysis.totals
    mean = sum(totals) / len(totals) if totals else None
    cards = [
        ("submissions", len(cohort.submissions)),
        ("without a submission", len(cohort.without_submission)),
        ("mean total", f"{_number(mean, '{:.1f}')} / {cohort.max_score:g}"),
        ("late", len(analysis.late)),
        ("timed out", len(analysis.timed_out)),
        ("crashed kernels", len(analysis.crashed)),
        ("grading failed", len(analysis.failed)),
        ("flagged for review", len(analysis.flagged)),
        ("similar pairs", len(pairs)),
    ]
    return '<div class="summary">' + "".join(
        f'<div data-card="{_e(name)}"><b>{_e(value)}</b>{_e(name)}</div>' for name, value in cards
    ) + "</div>"


def _concerns(analysis: WeekAnalysis) -> str:
    intro = (
        f"<p class=\"muted\">Listed: discrimination below {LOW_DISCRIMINATION:g}; at least "
        f"{NEAR_UNIVERSAL_FAILURE:.0%} of the graded submissions with zero; one failure message "
        f"seen by at least {SHARED_MESSAGE:.0%} of the submissions.</p>"
    )
    if not analysis.concerns:
        return intro + "<p>None.</p>"
    items = "".join(
        f'<li data-concern="{_e(c.grade_id)}"><b>{_e(c.grade_id)}</b>: {_e(c.reason)}</li>'
        for c in analysis.concerns
    )
    return intro + f"<ul>{items}</ul>"


def _messages(stats: CellStats) -> str:
    if not stats.messages:
        return ""
    items = "".join(
        f'<li><span data-count="{m.count}">{m.count}×</span> <code>{_e(m.example)}</code>'
        + (f' <span class="muted">(as {_e(m.pattern)})</span>' if m.pattern != m.example else "")
        + "</li>"
        for m in stats.messages[:MESSAGES_SHOWN]
    )
    more = len(stats.messages) - MESSAGES_SHOWN
    tail = f'<li class="muted">{more} other message(s)</li>' if more > 0 else ""
    return f"<ul>{items}{tail}</ul>"


def _cell_table(analysis: WeekAnalysis) -> str:
    concerned = {c.grade_id for c in analysis.concerns}
    rows = []
    for s in analysis.cells:
        graded = str(s.graded) + (f" ({s.waiting} not graded yet)" if s.waiting else "")
        attrs = ' class="concern"' if s.cell.grade_id in concerned else ""
        rows.append(
            f'<tr data-cell="{_e(s.cell.grade_id)}"{attrs}>'
            + _td(f"<code>{_e(s.cell.grade_id)}</code>", "cell")
            + _td(_e(s.cell.kind), "kind")
            + _td(f"{s.cell.max_score:g}", "points", True)
            + _td(_e(graded), "graded", True)
            + _td(_number(s.mean), "mean", True)
            + _td(_share(s.full if s.graded else None), "full", True)
            + _td(_share(s.partial if s.graded else None), "partial", True)
            + _td(_share(s.zero if s.graded else None), "zero", True)
            + _td(_number(s.difficulty), "difficulty", True)
            + _td(_number(s.discrimination, "{:+.2f}"), "discrimination", True)
            + _td(_messages(s), "messages")
            + "</tr>"
        )
    header = ["cell", "graded", "points", "submissions graded", "mean", "full", "partial", "zero",
              "difficulty", "discrimination", "most common failure messages"]
    note = (
        '<p class="muted">Difficulty: the mean share of the points earned (1.00: everybody). '
        "Discrimination: correlation of the cell's score with the rest of the total (of the "
        "cells graded for every submission); — where a cell has one score for everybody or "
        "fewer than five graded submissions. Messages with different numbers count as one "
        "(numbers shown as #). Answers not graded yet are left out, not counted as zero.</p>"
    )
    return _table(header, rows, ' id="cells"') + note


def _late_table(cohort: Cohort, policy_text: str) -> str:
    due = f"<p>Due: <b>{_e(_when(cohort.due_date))}</b>. {_e(policy_text)}</p>"
    late = [s for s in cohort.submissions if s.seconds_late > 0]
    if not late:
        return due + "<p>No late submissions.</p>"
    rows = [
        f'<tr data-student="{_e(s.student)}">' + _td(_e(s.student), "student")
        + _td(_e(_when(s.timestamp)), "submitted")
        + _td(_e(describe_lateness(s.seconds_late)), "late by")
        + _td(f"{s.score:g}", "score", True)
        + _td(f"{s.late_penalty:g}", "penalty", True)
        + _td(f"{s.final_score:g}", "final", True) + "</tr>"
        for s in late
    ]
    header = ["student", "submitted", "late by", "points", "late penalty", "after the penalty"]
    return due + _table(header, rows, ' id="late"')


def _problems_table(analysis: WeekAnalysis) -> str:
    rows = []
    for s in analysis.cohort.submissions:
        what = []
        if s.grading_failed:
            what.append(f"grading failed: {s.grading_failed}")
        if s.timed_out_in:
            what.append(f"timed out in {', '.join(s.timed_out_in)}")
        if s.kernel_died_in:
            what.append(f"the kernel died in {s.kernel_died_in}")
        what += [f"flag: {flag}" for flag in s.flags]
        if what:
            items = "".join(f"<li>{_e(w)}</li>" for w in what)
            rows.append(f'<tr data-student="{_e(s.student)}">' + _td(_e(s.student), "student")
                        + _td(f"{s.score:g}", "score", True) + _td(f"<ul>{items}</ul>", "what")
                        + "</tr>")
    if not rows:
        return "<p>None.</p>"
    return _table(["student", "points", "what happened"], rows, ' id="problems"')


def _pairs_section(pairs: list[SimilarPair], threshold: float) -> str:
    intro = (
        f'<p class="muted">copydetect over the code students wrote in the answer cells (the '
        f"released text left out, names normalised); pairs at similarity {threshold:g} or "
        "more. For the instructor only: never shown to students, never changes a grade.</p>"
    )
    if not pairs:
        return intro + "<p>None.</p>"
    blocks = []
    for pair in pairs:
        rows = "".join(
            f'<tr data-cell="{_e(c.grade_id)}"><th colspan="2"><code>{_e(c.grade_id)}</code> '
            f"similarity {c.similarity:.2f}</th></tr>"
            f'<tr class="pair"><td><pre>{c.first_html}</pre></td>'
            f"<td><pre>{c.second_html}</pre></td></tr>"
            for c in pair.cells
        )
        blocks.append(
            f'<h3 data-pair="{_e(pair.first)}|{_e(pair.second)}">{_e(pair.first)} and '
            f"{_e(pair.second)}: similarity {pair.similarity:.2f}</h3>"
            f"<table><thead><tr><th>{_e(pair.first)}</th><th>{_e(pair.second)}</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
    return intro + "".join(blocks)


def _plots(analysis: WeekAnalysis, folder: Path) -> str:
    cohort = analysis.cohort
    histogram = plots.render_png(plots.score_histogram, analysis.totals, cohort.max_score,
                                 title=f"{cohort.week}: totals of {len(cohort.submissions)} "
                                 "submissions", dpi=PLOT_DPI)
    # shares of all submissions (the statistics' shares are of the graded ones)
    of_all = [s.graded / max(s.graded + s.waiting, 1) for s in analysis.cells]
    outcomes = plots.render_png(
        plots.cell_outcomes,
        [s.cell.grade_id for s in analysis.cells],
        [s.full * k for s, k in zip(analysis.cells, of_all, strict=True)],
        [s.partial * k for s, k in zip(analysis.cells, of_all, strict=True)],
        [s.zero * k for s, k in zip(analysis.cells, of_all, strict=True)],
        [1 - k if s.graded + s.waiting else 0.0 for s, k in zip(analysis.cells, of_all,
                                                                strict=True)],
        title=f"{cohort.week}: outcome per graded cell", dpi=PLOT_DPI,
    )
    (folder / HISTOGRAM_NAME).write_bytes(histogram)
    (folder / OUTCOMES_NAME).write_bytes(outcomes)
    return (_png(histogram, "histogram of the submissions' totals")
            + _png(outcomes, "share of full, partial and zero marks per graded cell"))


def render_html(analysis: WeekAnalysis, pairs: list[SimilarPair], policy_text: str,
                folder: Path, threshold: float = THRESHOLD) -> str:
    cohort = analysis.cohort
    title = f"{cohort.week}: what happened in grading"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{_e(title)}"
             f"</title><style>{STYLE}</style></head><body><h1>{_e(title)}</h1>"
             f'<p class="muted">Written by <code>dlcourse report</code> on {stamp} from the '
             "gradebook and the graded notebooks. For instructors only.</p>"]
    parts.append(_summary_cards(analysis, pairs))
    if not cohort.submissions:
        parts.append("<p>No submissions of this week have been graded yet: run "
                     f"<code>dlcourse autograde {_e(cohort.week)}</code> first.</p>")
    else:
        parts.append("<h2>Cells to look at</h2>" + _concerns(analysis))
        parts.append("<h2>Totals and outcomes</h2>" + _plots(analysis, folder))
        parts.append("<h2>Per graded cell</h2>" + _cell_table(analysis))
    parts.append("<h2>Deadline and late submissions</h2>" + _late_table(cohort, policy_text))
    if cohort.submissions:
        parts.append("<h2>Time-outs, crashed kernels, failed runs and review flags</h2>"
                     + _problems_table(analysis))
        parts.append("<h2>Similar submissions</h2>" + _pairs_section(pairs, threshold))
    missing = cohort.without_submission
    parts.append("<h2>Students without a submission</h2>" + (
        f'<p id="without">{_e(", ".join(missing))}</p>' if missing else "<p>None.</p>"))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_week_report(course: Course, week: str, threshold: float = THRESHOLD) -> WeekReport:
    """Read ``week``'s grading results and write its report; return what was written."""
    week = course.check_week(week)
    cohort = read_cohort(course, week)
    analysis = analyse(cohort)
    answers = {s.student: s.answers for s in cohort.submissions if s.answers}
    pairs = similar_pairs(answers, cohort.templates, threshold) if len(answers) > 1 else []
    folder = report_dir(course, week)
    folder.mkdir(parents=True, exist_ok=True)
    policy_text = late_policy(course.config()).describe()
    path = folder / REPORT_NAME
    path.write_text(render_html(analysis, pairs, policy_text, folder, threshold),
                    encoding="utf-8")
    return WeekReport(week, path, analysis, pairs)


def write_reports(course: Course, weeks: list[str] | None = None,
                  threshold: float = THRESHOLD) -> list[WeekReport]:
    """The report of each week (default: every week), and an index page linking them when
    there is more than one."""
    weeks = [course.check_week(w) for w in weeks] if weeks else course.weeks()
    reports = [write_week_report(course, week, threshold) for week in weeks]
    if len(reports) > 1:
        items = "".join(
            f'<li><a href="{_e(r.week)}/{REPORT_NAME}">{_e(r.week)}</a>: {_e(r.summary)}</li>'
            for r in reports
        )
        index = course.autograde_dir / "reports" / INDEX_NAME
        index.write_text(
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Grading '
            f"reports</title><style>{STYLE}</style></head><body><h1>Grading reports</h1>"
            f"<ul>{items}</ul></body></html>",
            encoding="utf-8",
        )
    return reports
