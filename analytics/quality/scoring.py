"""The score of an evaluation, from its scorecard version's definition and its answers.

A question earns a fraction of its weight: yes/no 1 or 0, a 1..N scale ``(v - 1) / (N - 1)``.
The score is ``100 * Σ weight·fraction / Σ weight`` over the questions answered, N/A ones
left out of both sums. An auto-fail question fails when it earns 0 (a "no", or a scale's
lowest value); then the whole evaluation scores 0 and is flagged. All N/A: no score.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from analytics.quality.schemas import AnswerIn, QuestionType
from tenants.errors import BadUserInput


@dataclass(frozen=True)
class Score:
    score: float | None
    auto_failed: bool
    answered: int
    questions: int


def questions(definition: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every question of a version's definition, in order."""
    for section in definition["sections"]:
        yield from section["questions"]


def new_question_id() -> str:
    return f"q{uuid.uuid4().hex[:10]}"


def check_answers(definition: dict[str, Any], answers: list[AnswerIn]) -> None:
    """BAD_USER_INPUT naming ``answers.N.…`` for an unknown question or an impossible value."""
    by_id = {q["id"]: q for q in questions(definition)}
    seen: set[str] = set()
    for index, answer in enumerate(answers):
        path = f"answers.{index}"
        question = by_id.get(answer.question_id)
        if question is None or answer.question_id in seen:
            reason = "no such question" if question is None else "answered twice"
            raise BadUserInput(f"{path}.questionId: {reason}", field=f"{path}.questionId")
        seen.add(answer.question_id)
        if answer.na:
            if not question["allowNa"]:
                raise BadUserInput(f"{path}.na: this question may not be N/A", field=f"{path}.na")
            continue
        if answer.value is None:
            continue
        top = 1 if question["type"] == QuestionType.YES_NO.value else question["scaleMax"]
        bottom = 0 if question["type"] == QuestionType.YES_NO.value else 1
        if not bottom <= answer.value <= top:
            raise BadUserInput(
                f"{path}.value: must be between {bottom} and {top}", field=f"{path}.value"
            )


def _fraction(question: dict[str, Any], value: int) -> float:
    if question["type"] == QuestionType.YES_NO.value:
        return float(value)
    return (value - 1) / (question["scaleMax"] - 1)


def score(definition: dict[str, Any], answers: list[dict[str, Any]]) -> Score:
    """The weighted score of stored answers (``{"questionId", "value", "na"}``)."""
    by_question = {a["questionId"]: a for a in answers}
    earned = possible = 0.0
    failed = False
    answered = total = 0
    for question in questions(definition):
        total += 1
        answer = by_question.get(question["id"])
        if answer is None or (not answer.get("na") and answer.get("value") is None):
            continue
        answered += 1
        if answer.get("na"):
            continue
        fraction = _fraction(question, int(answer["value"]))
        if question["autoFail"] and fraction == 0:
            failed = True
        earned += question["weight"] * fraction
        possible += question["weight"]
    if failed:
        return Score(0.0, True, answered, total)
    value = round(100 * earned / possible, 2) if possible else None
    return Score(value, False, answered, total)
