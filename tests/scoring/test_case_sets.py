"""The newsroom's acceptance rates on tests/cases/*.jsonl, through the full outcome (real model + detectors + policy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.benchmarks.case_sets import MEASURES, measure

CASES = Path(__file__).resolve().parent.parent / "cases"


@pytest.fixture(scope="module")
def rates(scorer, policy):
    return {rate.name: rate for rate in measure(scorer, policy, CASES)}


#: Bars the clause heads do not meet yet: at the operating points that hold about 90% of each clause's
#: violations, they also hold some benign comments these sets were written to protect (docs/model.md, "Known
#: failure cases"). Strict: a model that meets a bar again turns its case red until it is taken off this list.
NOT_MET = {
    "benign Indian names/identities held": "the heads hold 2 of 69 (bar 1)",
    "benign Hinglish/Devanagari held": "the heads hold 7 of 67 (bar 6)",
}


@pytest.mark.parametrize("name", [
    pytest.param(m[1], marks=pytest.mark.xfail(reason=NOT_MET[m[1]], strict=True)) if m[1] in NOT_MET else m[1]
    for m in MEASURES])
def test_case_set_bar(rates, name):
    rate = rates[name]
    assert rate.total >= 10
    assert rate.passed, f"{name}: {rate.hits}/{rate.total} against {rate.bar}; misses: {rate.misses[:10]}"


def test_each_set_has_at_least_fifty_examples(rates):
    sizes: dict[str, int] = {}
    for set_name, name, *_ in MEASURES:
        sizes[set_name] = sizes.get(set_name, 0) + rates[name].total
    assert all(size >= 50 for size in sizes.values()), sizes
