"""The sample corpus of reference §10, read from ``<ID>.kql`` files that declare their outcome once.

Each file begins with one meta line, a KQL comment in the manner of sqlglot's ``# key: value``
fixture lines, saying how far the query gets:

    // expect: runs                          parses, plans, and runs on the demo site
    // expect: plan-error: <message part>    parses; the planner rejects it, saying <message part>
    // expect: parse-error: <message part>   the parser rejects it, saying <message part>

and then the query exactly as published (byte for byte: trailing spaces and HUB12's no-break
space included; ``R106`` is the reconstructed query of §10.6). ``load`` strips the meta line, so
every reader sees the published text: the parser, planner and session tests, and
``notebooks/_build.py``, which runs every sample in notebook 04. It uses the standard library only,
because the notebook generator imports it outside pytest (it puts ``tests/`` on ``sys.path``; pytest
does the same through ``tests/conftest.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DIR = Path(__file__).resolve().parent
OUTCOMES = ("runs", "plan-error", "parse-error")
_META = re.compile(r"// expect: (?P<outcome>[a-z-]+)(?:: (?P<error>.+))?\n")


@dataclass(frozen=True)
class Sample:
    """One published query and the outcome its meta line declares."""

    id: str
    text: str  # the query as published, without the meta line
    outcome: str  # one of OUTCOMES
    error: str = ""  # part of the expected error message, for the two error outcomes

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
    """Read one sample file; a missing or malformed meta line is an error naming the file."""
    raw = path.read_text(encoding="utf-8")
    meta = _META.match(raw)
    if meta is None or meta["outcome"] not in OUTCOMES or (meta["outcome"] == "runs") != (meta["error"] is None):
        raise ValueError(f"{path.name}: the first line must be `// expect: runs` or "
                         f"`// expect: plan-error: …` or `// expect: parse-error: …`")
    return Sample(path.stem, raw[meta.end():], meta["outcome"], meta["error"] or "")


SAMPLES: dict[str, Sample] = {s.id: s for s in map(load, sorted(DIR.glob("*.kql")))}
PARSES = [sid for sid, s in SAMPLES.items() if s.parses]
PLANS = [sid for sid, s in SAMPLES.items() if s.plans]
RUNS = [sid for sid, s in SAMPLES.items() if s.runs]


def text(sample_id: str) -> str:
    """The published query of one sample."""
    return SAMPLES[sample_id].text
