"""The scoring rule on its own: weights, scales, N/A and auto-fail."""

from __future__ import annotations

from analytics.quality.scoring import score

DEFINITION = {
    "sections": [
        {
            "title": "All",
            "questions": [
                {
                    "id": "a",
                    "type": "yes_no",
                    "scaleMax": None,
                    "allowNa": True,
                    "weight": 3,
                    "autoFail": False,
                },
                {
                    "id": "b",
                    "type": "scale",
                    "scaleMax": 3,
                    "allowNa": True,
                    "weight": 1,
                    "autoFail": True,
                },
            ],
        }
    ]
}


def test_weights_and_scale_fractions() -> None:
    result = score(DEFINITION, [{"questionId": "a", "value": 1}, {"questionId": "b", "value": 2}])
    assert (result.score, result.auto_failed, result.answered) == (87.5, False, 2)


def test_a_scale_auto_fail_at_its_lowest_value() -> None:
    result = score(DEFINITION, [{"questionId": "a", "value": 1}, {"questionId": "b", "value": 1}])
    assert (result.score, result.auto_failed) == (0.0, True)


def test_all_na_has_no_score_and_unanswered_questions_do_not_count() -> None:
    all_na = [{"questionId": "a", "na": True}, {"questionId": "b", "na": True}]
    assert score(DEFINITION, all_na).score is None
    partial = score(DEFINITION, [{"questionId": "a", "value": 0}])
    assert (partial.score, partial.answered, partial.questions) == (0.0, 1, 2)
