"""Accuracy and flag rate against the truth each fixture was built from, over every fixture.

The three numbers that matter (issue 10): every field right, no field wrong without a flag, and
flags rare on right fields (under 3%), so that a reviewer trusts unflagged fields and is not buried.
"""

from __future__ import annotations

from conftest import ALL_FIXTURES, field_of, records_of, truth_of


def _measure(fixtures):
    fields = correct = correct_flagged = wrong_unflagged = 0
    problems = []
    for path in fixtures:
        _, records = records_of(path)
        truth = truth_of(path)
        assert len(records) == len(truth), f"{path.name}: {len(records)} practices, expected {len(truth)}"
        for record, expected in zip(records, truth, strict=True):
            assert record.submitter == expected["submitter"], path.name
            assert record.priority_areas == expected["priority_areas"], path.name
            for key, value in expected["fields"].items():
                field = field_of(record, key)
                fields += 1
                right = field.value == value
                correct += right
                correct_flagged += right and bool(field.flags)
                if not right:
                    problems.append(f"{path.name} {key}: {field.value!r} != {value!r} flags={field.flags}")
                    wrong_unflagged += not field.flags
    return fields, correct, correct_flagged, wrong_unflagged, problems


def test_every_field_is_right_none_wrong_unflagged_and_few_right_ones_flagged(capsys):
    fields, correct, correct_flagged, wrong_unflagged, problems = _measure(ALL_FIXTURES)
    with capsys.disabled():
        print(
            f"\n[accuracy] {len(ALL_FIXTURES)} fixtures, {fields} fields: {correct / fields:.2%} right, "
            f"{wrong_unflagged} wrong and unflagged, {correct_flagged / correct:.2%} of right fields flagged "
            f"({correct_flagged})"
        )
    assert wrong_unflagged == 0, problems
    assert correct == fields, problems
    assert correct_flagged / correct < 0.03
