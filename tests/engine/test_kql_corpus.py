"""The external KQL corpus, one test per item: each query's result against its published output.

The corpus is kept in the repository (``tests/engine/kql_corpus/``) and is read at collection time;
when it is missing, collection fails rather than skipping 187 tests.
Items that do not pass are listed with a category in ``kql_corpus_skips.toml``: errata and
nondeterministic items are skipped, deviations and gaps are strict xfails, so a fix is noticed.
``test_pass_rate`` reports how many in-scope items pass (all but errata and nondeterministic).
"""

from __future__ import annotations

import traceback
from functools import cache
from pathlib import Path
from typing import Any

import corpus
import pytest

import cmpivot_magic as cm
from cmpivot_magic.engine import executor as ev

ROOT = corpus.corpus_root()  # raises if the corpus is missing: never a silent skip
ITEMS = {item["id"]: item for item in corpus.load_items(ROOT)}
SKIPS = corpus.load_skips(Path(__file__).with_name("kql_corpus_skips.toml"))
MIN_PASS_RATE = 0.90


def run(item_id: str) -> corpus.Comparison:
    item = ITEMS[item_id]
    try:
        frame = cm.evaluate(item["query"], dialect="kql")
        query = cm.parse(item["query"], dialect="kql")
    except Exception:
        return corpus.Comparison(False, traceback.format_exc(limit=-3))
    return corpus.compare(item, frame, query.output_schema, corpus.sort_columns(query.plan))


@cache
def outcome(item_id: str) -> corpus.Comparison:
    """Run one item once per session (its test and ``test_pass_rate`` share the result)."""
    return run(item_id)


def _param(item_id: str) -> Any:
    skip = SKIPS.get(item_id)
    if skip is None:
        marks = []
    elif skip.category in corpus.OUT_OF_SCOPE:
        marks = [pytest.mark.skip(reason=f"{skip.category}: {skip.reason}")]
    else:
        marks = [pytest.mark.xfail(strict=True, reason=f"{skip.category}: {skip.reason}")]
    return pytest.param(item_id, marks=marks, id=item_id)


@pytest.mark.parametrize("item_id", [_param(i) for i in ITEMS])
def test_corpus_item(item_id: str) -> None:
    result = outcome(item_id)
    if not result.ok:
        item = ITEMS[item_id]
        pytest.fail(f"{item['query']}\n\n{result.message}", pytrace=False)


def test_skip_file_lists_only_corpus_items() -> None:
    """A stale line (an item renamed or dropped from the corpus) must not linger."""
    assert sorted(set(SKIPS) - set(ITEMS)) == []


def test_pass_rate(capsys: pytest.CaptureFixture[str]) -> None:
    """At least 90% of the in-scope items (all but errata and nondeterministic ones) pass."""
    in_scope = [i for i in ITEMS if i not in SKIPS or SKIPS[i].category not in corpus.OUT_OF_SCOPE]
    passed = [i for i in in_scope if outcome(i).ok]
    rate = len(passed) / len(in_scope)
    counts = {c: sum(1 for s in SKIPS.values() if s.category == c) for c in corpus.SKIP_CATEGORIES}
    with capsys.disabled():
        print(
            f"\nKQL corpus: {len(passed)}/{len(in_scope)} in-scope items pass ({rate:.1%}); "
            f"{len(ITEMS)} items, listed in the skip file: {counts}"
        )
    assert rate >= MIN_PASS_RATE, f"{len(passed)}/{len(in_scope)} = {rate:.1%} < {MIN_PASS_RATE:.0%}"


def test_polars_default_engine_gives_the_same_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small inputs run on polars' in-memory engine (``evaluate.collect``); every item that passes
    there passes on polars' default engine too, so the choice is one of speed only."""
    passing = [i for i in ITEMS if i not in SKIPS and outcome(i).ok]
    monkeypatch.setattr(ev, "IN_MEMORY_BELOW", 0)
    again = {i: run(i) for i in passing}
    failed = {i: r.message for i, r in again.items() if not r.ok}
    assert failed == {}
    assert len(passing) > 150
