"""The sample corpus of reference §10, read from ``<ID>.kql`` files that declare their outcome once.

Each file begins with meta lines, KQL comments in the manner of sqlglot's ``# key: value`` fixture
lines. The first says how far the query gets:

    // expect: runs                          parses, plans, and runs on the demo site
    // expect: plan-error: <message part>    parses; the planner rejects it, saying <message part>
    // expect: parse-error: <message part>   the parser rejects it, saying <message part>

Then come ``// title:`` and ``// about:`` lines, the heading and the sentence notebook 04 shows
with the query. Then comes the query exactly as published (byte for byte:
trailing spaces and HUB12's no-break space included; ``R106`` is the reconstructed query of §10.6).
``load`` strips the meta lines, so every reader sees the published text: the parser, planner and
session tests, and ``notebooks/_build.py``, which runs every sample in notebook 04. It uses the
standard library only, because the notebook generator imports it outside pytest (it puts ``tests/``
on ``sys.path``; under pytest, ``tests/conftest.py`` does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DIR = Path(__file__).resolve().parent
OUTCOMES = ("runs", "plan-error", "parse-error")
_EXPECT = re.compile(r"// expect: (?P<outcome>[a-z-]+)(?:: (?P<error>.+))?\n")
_META = re.compile(r"// (?P<key>title|about): (?P<value>.+)\n")


@dataclass(frozen=True)
class Sample:
    """One published query, the outcome its meta line declares, and how notebook 04 presents it."""

    id: str
    text: str  # the query as published, without the meta lines
    outcome: str  # one of OUTCOMES
    error: str = ""  # part of the expected error message, for the two error outcomes
    title: str = ""
    about: str = ""

    @property
    def parses(self) -> bool:
        return self.outcome != "parse-error"

    @property
    def plans(self) -> bool:
        return self.outcome == "runs"

    @property
    def runs(self) -> bool:
        return self.outcome == "runs"


def load(path: Path) -> Sample:
    """Read one sample file; a missing or malformed expect line is an error naming the file."""
    raw = path.read_text(encoding="utf-8")
    expect = _EXPECT.match(raw)
    if expect is None or expect["outcome"] not in OUTCOMES or (expect["outcome"] == "runs") != (expect["error"] is None):
        raise ValueError(f"{path.name}: the first line must be `// expect: runs` or "
                         f"`// expect: plan-error: …` or `// expect: parse-error: …`")
    meta: dict[str, str] = {}
    end = expect.end()
    while line := _META.match(raw, end):
        meta[line["key"]] = line["value"]
        end = line.end()
    return Sample(path.stem, raw[end:], expect["outcome"], expect["error"] or "", **meta)


SAMPLES: dict[str, Sample] = {s.id: s for s in map(load, sorted(DIR.glob("*.kql")))}
PARSES = [sid for sid, s in SAMPLES.items() if s.parses]
PLANS = [sid for sid, s in SAMPLES.items() if s.plans]
RUNS = [sid for sid, s in SAMPLES.items() if s.runs]


def text(sample_id: str) -> str:
    """The published query of one sample."""
    return SAMPLES[sample_id].text
