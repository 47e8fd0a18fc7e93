"""Quiz rules without a database: scoring, the pass mark, drawing from pools."""

from __future__ import annotations

import random

from citysoc.awareness.quizzes import QuestionRecord, attempts_left, draw, score

QUESTIONS = [
    QuestionRecord(1, "tet", frozenset({11})),
    QuestionRecord(2, "tet", frozenset({21, 23}), multiple=True),
    QuestionRecord(3, "phishing", frozenset({31})),
    QuestionRecord(4, "phishing", frozenset({41})),
]


def test_all_right_scores_100_and_passes():
    result = score(QUESTIONS, {1: {11}, 2: {21, 23}, 3: {31}, 4: {41}}, pass_mark=80)
    assert (result.points, result.total, result.percent, result.passed) == (4, 4, 100, True)


def test_a_multiple_choice_question_needs_every_right_answer_and_no_wrong_one():
    partial = score(QUESTIONS[1:2], {2: {21}}, pass_mark=50)
    extra = score(QUESTIONS[1:2], {2: {21, 22, 23}}, pass_mark=50)
    assert partial.points == extra.points == 0
    assert partial.wrong == (2,)


def test_the_pass_mark_is_inclusive():
    three_of_four = {1: {11}, 2: {21, 23}, 3: {31}}
    assert score(QUESTIONS, three_of_four, pass_mark=75).passed
    assert not score(QUESTIONS, three_of_four, pass_mark=76).passed


def test_unanswered_questions_count_as_wrong_and_an_empty_quiz_never_passes():
    assert score(QUESTIONS, {}, pass_mark=0).percent == 0
    assert not score([], {}, pass_mark=0).passed


def test_a_draw_takes_from_every_pool_before_repeating_one():
    picked = draw(QUESTIONS, count=2, shuffle=False, rng=random.Random(1))
    assert {q.pool for q in QUESTIONS if q.id in picked} == {"tet", "phishing"}


def test_a_draw_of_zero_takes_every_question_in_random_order():
    orders = {tuple(draw(QUESTIONS, count=0, shuffle=True, rng=random.Random(s))) for s in range(8)}
    assert all(sorted(o) == [1, 2, 3, 4] for o in orders)
    assert len(orders) > 1


def test_attempts_left_counts_down_or_is_unlimited():
    assert attempts_left(1, 3) == 2
    assert attempts_left(3, 3) == 0
    assert attempts_left(9, 0) is None
