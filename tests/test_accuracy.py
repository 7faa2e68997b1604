"""Accuracy and flag rate against the truth each fixture was built from.

The numbers that matter: no field may be wrong without a flag; flags stay rare on clean replies.
"""

from __future__ import annotations

import pytest
from conftest import DOCX_FIXTURES, PDF_FIXTURES, field_of, records_of, truth_of


def _measure(fixtures):
    fields = correct = flagged = wrong_unflagged = 0
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
                correct += field.value == value
                flagged += bool(field.flags)
                if field.value != value and not field.flags:
                    wrong_unflagged += 1
                    problems.append(f"{path.name} {key}: {field.value!r} != {value!r}")
    return fields, correct, flagged, wrong_unflagged, problems


@pytest.mark.parametrize("kind, fixtures", [("Word", DOCX_FIXTURES), ("PDF", PDF_FIXTURES)])
def test_no_field_is_wrong_without_a_flag_and_flags_stay_rare(capsys, kind, fixtures):
    fields, correct, flagged, wrong_unflagged, problems = _measure(fixtures)
    with capsys.disabled():
        print(
            f"\n[accuracy] {len(fixtures)} {kind} fixtures, {fields} fields: {correct} correct "
            f"({correct / fields:.1%}), {flagged} flagged ({flagged / fields:.1%}), "
            f"{wrong_unflagged} wrong and unflagged"
        )
    assert wrong_unflagged == 0, problems
    assert correct / fields >= 0.98
    assert flagged / fields <= 0.08
