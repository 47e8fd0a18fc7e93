"""Quiz rules as plain functions: which questions an attempt draws, and its score.

No Django here: the page, the API and the tests hand in plain records.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionRecord:
    """A question as the rules need it: its pool and the ids of its correct choices."""

    id: int
    pool: str
    correct: frozenset[int]
    multiple: bool = False


@dataclass(frozen=True)
class Result:
    """The outcome of one attempt: points out of questions, percent, passed or not."""

    points: int
    total: int
    percent: int
    passed: bool
    wrong: tuple[int, ...]


def draw(
    questions: Sequence[QuestionRecord], *, count: int, shuffle: bool, rng: random.Random
) -> list[int]:
    """The question ids for one attempt: `count` questions (0: all), taken from every pool
    in turn so that each topic is asked, in random order when `shuffle`."""
    pools: dict[str, list[int]] = {}
    for q in questions:
        pools.setdefault(q.pool, []).append(q.id)
    if shuffle:
        for ids in pools.values():
            rng.shuffle(ids)
    wanted = len(questions) if count <= 0 else min(count, len(questions))
    picked: list[int] = []
    queues = [list(ids) for ids in pools.values()]
    while len(picked) < wanted:
        for queue in queues:
            if queue and len(picked) < wanted:
                picked.append(queue.pop(0))
    if shuffle:
        rng.shuffle(picked)
    return picked


def score(
    questions: Sequence[QuestionRecord],
    answers: Mapping[int, frozenset[int] | set[int]],
    *,
    pass_mark: int,
) -> Result:
    """One point per question answered exactly right (for several answers: all the right
    ones and none of the wrong); passed at `pass_mark` percent or more."""
    wrong = tuple(q.id for q in questions if frozenset(answers.get(q.id, ())) != q.correct)
    total = len(questions)
    points = total - len(wrong)
    percent = round(100 * points / total) if total else 0
    return Result(points, total, percent, total > 0 and percent >= pass_mark, wrong)


def attempts_left(used: int, allowed: int) -> int | None:
    """How many more tries a person has; None when there is no limit."""
    return None if allowed <= 0 else max(0, allowed - used)
