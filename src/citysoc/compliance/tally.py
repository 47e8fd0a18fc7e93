"""Counts of answers over a set of assessment items: share answered and score.

Its own module, beside the answers it counts (`answers`), so that the models can name it
for the display attribute they carry without importing the assessment rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from citysoc.compliance.answers import AnswerStatus as Status


@dataclass
class Tally:
    """Counts of answers over a set of items, with the share answered and the score."""

    total: int = 0
    met: int = 0
    partly: int = 0
    not_met: int = 0
    not_applicable: int = 0

    def add(self, status: str, n: int = 1) -> None:
        self.total += n
        if status == Status.MET:
            self.met += n
        elif status == Status.PARTLY:
            self.partly += n
        elif status == Status.NOT_MET:
            self.not_met += n
        elif status == Status.NOT_APPLICABLE:
            self.not_applicable += n

    @property
    def answered(self) -> int:
        return self.met + self.partly + self.not_met + self.not_applicable

    @property
    def percent_answered(self) -> int:
        return self.answered * 100 // self.total if self.total else 0

    @property
    def score(self) -> float | None:
        """Percent of the applicable items met (partly = half); None if none applies."""
        applicable = self.total - self.not_applicable
        if not applicable:
            return None
        return round((self.met + 0.5 * self.partly) * 100 / applicable, 1)

    @property
    def gaps(self) -> int:
        return self.partly + self.not_met
