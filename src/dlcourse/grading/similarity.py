"""Pairs of submissions whose answers are suspiciously alike, found with copydetect.

Only what students wrote is compared: the code of the answer (solution) cells, with the text
the released notebook already had in them (function signatures, ``# YOUR CODE HERE``) left out:
its lines are dropped and its fingerprints are copydetect *boilerplate*. copydetect tokenizes
the code and replaces every variable, function and class name by one letter, so renaming
variables does not hide a copy; it then compares winnowed fingerprints of
:data:`NOISE_THRESHOLD`-character k-grams (its defaults).

The similarity of a pair is the larger of copydetect's two shares (the part of A's code found
in B, and of B's in A). A pair is listed at :data:`THRESHOLD` or above. On this course's own
answers the threshold sits far from both sides: the reference solution against the correct
answers written in other styles (``tests/mutants/``, every week) scores at most 0.24; a copy of
it with renamed variables 0.96 or more (``tests/test_similarity.py``).

The result goes only into the instructor's report (``autograde/reports/``). It is never shown
to students and never changes a grade: a person looks at the matching cells and decides.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
from copydetect import CodeFingerprint, compare_files
from copydetect.utils import highlight_overlap

THRESHOLD = 0.6
#: Within a listed pair, the answer cells shown side by side are those at least this similar.
CELL_THRESHOLD = 0.5
NOISE_THRESHOLD = 25  # copydetect's default k
WINDOW = 1  # copydetect's default guarantee threshold 25 -> window 25 - 25 + 1
_NAME = "answer.py"  # tells copydetect (pygments) the language


@dataclass(frozen=True)
class CellMatch:
    grade_id: str
    similarity: float
    first_html: str  # the first student's code, matching parts in <mark>
    second_html: str


@dataclass
class SimilarPair:
    first: str
    second: str
    similarity: float
    cells: list[CellMatch] = field(default_factory=list)


def _fingerprint(code: str, boilerplate: np.ndarray) -> CodeFingerprint:
    return CodeFingerprint(_NAME, NOISE_THRESHOLD, WINDOW, boilerplate=boilerplate,
                           language="python", fp=io.StringIO(code))


def boilerplate_hashes(templates: dict[str, str]) -> np.ndarray:
    """Fingerprints of the released text of the answer cells (excluded from comparisons)."""
    hashes: set[int] = set()
    for text in [*templates.values(), "\n\n".join(templates.values())]:
        hashes |= _fingerprint(text, np.array([], dtype=np.int64)).hashes
    return np.array(sorted(hashes), dtype=np.int64)


def own_code(code: str, template: str) -> str:
    """``code`` without the lines the released cell already had (``def f(x):``, the
    ``# YOUR CODE HERE`` stub): what the student wrote."""
    given = {line.strip() for line in template.splitlines() if line.strip()}
    return "\n".join(line for line in code.splitlines() if line.strip() not in given)


def _similarity(a: CodeFingerprint, b: CodeFingerprint) -> tuple[float, tuple]:
    _, shares, slices = compare_files(a, b)
    return float(max(shares)), slices


def _highlighted(code: str, slices: np.ndarray) -> str:
    import html

    if slices.size == 0:
        return html.escape(code)
    text, _ = highlight_overlap(code, slices, "<mark>", "</mark>", escape_html=True)
    return text


def similar_pairs(
    answers: dict[str, dict[str, str]],
    templates: dict[str, str],
    threshold: float = THRESHOLD,
) -> list[SimilarPair]:
    """Pairs of students whose answer code is at least ``threshold`` alike, most alike first.

    ``answers`` maps each student to their answer cells (grade_id -> code); ``templates`` holds
    the released text of each answer cell.
    """
    boilerplate = boilerplate_hashes(templates)
    students = sorted(answers)
    order = list(templates) or sorted({g for cells in answers.values() for g in cells})
    whole = {
        s: _fingerprint("\n\n".join(own_code(answers[s].get(g, ""), templates.get(g, ""))
                                     for g in order), boilerplate)
        for s in students
    }
    pairs = []
    for i, first in enumerate(students):
        for second in students[i + 1:]:
            if not whole[first].hashes or not whole[second].hashes:
                continue
            similarity, _ = _similarity(whole[first], whole[second])
            if similarity >= threshold:
                pair = SimilarPair(first, second, similarity)
                pair.cells = matching_cells(answers[first], answers[second], order, boilerplate)
                pairs.append(pair)
    return sorted(pairs, key=lambda p: (-p.similarity, p.first, p.second))


def matching_cells(first: dict[str, str], second: dict[str, str], order: list[str],
                   boilerplate: np.ndarray) -> list[CellMatch]:
    """The answer cells two students wrote alike, with the matching code marked."""
    matches = []
    for grade_id in order:
        a, b = first.get(grade_id, ""), second.get(grade_id, "")
        fa, fb = _fingerprint(a, boilerplate), _fingerprint(b, boilerplate)
        if not fa.hashes or not fb.hashes:
            continue
        similarity, (slices_a, slices_b) = _similarity(fa, fb)
        if similarity >= CELL_THRESHOLD:
            matches.append(CellMatch(grade_id, similarity, _highlighted(a, slices_a),
                                     _highlighted(b, slices_b)))
    return matches
