"""Generate notebook 04 from the sample corpus, and run any tour notebook to store its checked outputs.

The tour notebooks 01, 02, 03, 05 and 06 are edited as text: each ``.ipynb`` has a percent-format
``.py`` beside it, paired by jupytext (``notebooks/jupytext.toml``). Notebook 04 runs every sample
query of the corpus, so this file writes its cells from ``tests/language/samples/<ID>.kql`` (the
reference's §10 queries verbatim, each with a title and whether it runs); a generator earns its keep there.

    jupytext --sync notebooks/02-fleet-investigation.py  # carry a text edit to the .ipynb, outputs kept
    python notebooks/_build.py              # write every notebook (04 from here, the others from their
                                            # .py), run it, keep the checked outputs
    python notebooks/_build.py 02 04        # only the notebooks whose names contain 02 or 04
    python notebooks/_build.py --no-execute # write the cells only (checked cells then have no outputs)
    python notebooks/_build.py --check      # exit 1 when a committed notebook differs from its source

A checked cell has deterministic output (the demo site with a fixed seed and ``clock=virtual``,
sorted rows, no times or ids): it carries nbval's ``# NBVAL_CHECK_OUTPUT`` marker (or the
``nbval-check-output`` tag when its first line must be a cell magic), and its output is stored in
the notebook so the test command compares it. Every other cell is stored without output: nbval
(``--nbval-lax``) only executes it, and outputs of this machine (``local://``) or of the clock stay
out of the repository. Cells tagged ``raises-exception`` show an error on purpose; nbval, nbclient
and JupyterLab's "Run All" carry on past them.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from jupytext.combine import combine_inputs_with_outputs
from nbformat import NotebookNode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT / "tests") not in sys.path:  # the sample corpus and its reader: tests/language/samples
    sys.path.append(str(ROOT / "tests"))
from language.samples import SAMPLES  # noqa: E402

DEMO = "demo://?devices=200&seed=7&clock=virtual"
CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
CHECK_TAG = "nbval-check-output"
RAISES_TAG = "raises-exception"
# settings that would point a notebook at a real site or change the magic's defaults while building
_ISOLATE = ("CMPIVOT_SITE_URL", "CMPIVOT_SITE_TOKEN", "CMPIVOT_SITE_CA", "CMPIVOT_CMG_URL")


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    source: str
    checked: bool = False
    raises: bool = False


def md(text: str) -> Cell:
    return Cell("markdown", textwrap.dedent(text).strip("\n"))


def code(text: str, *, checked: bool = False, raises: bool = False) -> Cell:
    source = textwrap.dedent(text).strip("\n")
    if checked and not source.startswith("%%"):
        source = f"{CHECK_MARKER}\n{source}"
    return Cell("code", source, checked, raises)


# ----------------------------------------------------------------------------------------- 04

# Notebook 04's sections: a title, an introduction, and the pattern of the ids of the samples it
# runs, in id order (each sample's query, title and sentence come from its file). The samples whose
# file says they fail are shown together at the end, in the same order.
SECTIONS: list[tuple[str, str, str]] = [
    ("Official sample scripts",
     "The queries of Microsoft's *CMPivot sample scripts* page (the same for on-prem and tenant attach).",
     r"S\d+\w*"),
    ("Other queries from the documentation",
     "Queries from the CMPivot overview, the console walkthrough and the release notes.",
     r"D\d+"),
    ("Community hub",
     "Queries published on Microsoft's ConfigMgr Community hub (the console's *Community hub* list).",
     r"HUB\d+"),
    ("History and a real-world query",
     "Two queries from early ConfigMgr releases, and one rebuilt from a real CMPivot client run.",
     r"[HR]\d+"),
]
BY_DAY = ("S03", "D21", "S09", "D14")  # bucket by calendar day: the buckets move with the clock


def sample_query(sample_id: str) -> str:
    return SAMPLES[sample_id].text.rstrip("\n")


def section_ids(pattern: str, *, runs: bool = True) -> list[str]:
    """The samples of one section that run (or, with runs=False, that fail), in id order."""
    return [sid for sid, sample in SAMPLES.items() if sample.runs == runs and re.fullmatch(pattern, sid)]


def in_order(*, runs: bool) -> list[str]:
    return [sid for _, _, pattern in SECTIONS for sid in section_ids(pattern, runs=runs)]


def check_corpus() -> None:
    """Every sample has its place in a section, a title and a sentence."""
    placed = in_order(runs=True) + in_order(runs=False)
    untitled = [sid for sid in placed if not (SAMPLES[sid].title and SAMPLES[sid].about)]
    if sorted(placed) != sorted(SAMPLES) or untitled:
        raise SystemExit(f"notebooks/_build.py: samples in no section or in two: {sorted(set(SAMPLES) ^ set(placed))}"
                         f" or {sorted(sid for sid in placed if placed.count(sid) > 1)}; "
                         f"samples without `// title:` and `// about:` lines: {untitled}")


def introduction() -> list[Cell]:
    return [
        md(f"""
        # Every CMPivot sample query

        This notebook runs the sample queries Microsoft publishes for CMPivot — the *sample scripts*
        page, the other documentation pages, and the Community hub — exactly as published, on the demo
        site (`{DEMO}`). Use it as a catalogue: find a query close to what you need, run it, change it.

        Each query keeps its result under its id (`S01`, `D13`, …), so you can look at `S01.df` or
        `S01.status` afterwards. At the end, one table checks every answer; this notebook is also part
        of cmpivot-magic's tests.
        """),
        code(f"""
        %load_ext cmpivot_magic
        site = %cmpivot connect {DEMO} --name demo
        """),
    ]


def sample_cells(sid: str) -> list[Cell]:
    """A heading and the query, kept under its id; D19 also gets a variant for a device that exists."""
    sample = SAMPLES[sid]
    cells = [md(f"### {sid} — {sample.title}\n\n{sample.about}"),
             Cell("code", f"%%cmpivot -o {sid}\n{sample_query(sid)}")]
    if sid == "D19":
        cells += [
            md("""
            The same chart for a device that exists: `{device}` puts the Python value in as a
            quoted string.
            """),
            code("""
            device = site.devices().query("IsOnline").Name.iloc[0]
            device
            """),
            code("""
            %%cmpivot -o D19_device
            SystemBootData
            | where Device == {device}
            | project SystemStartTime, BootDuration, OSStart=EventLogStart, GPDuration, UpdateDuration
            | order by SystemStartTime desc
            | take 10
            | render barchart with (kind=stacked, title='Boot times', ytitle='Time (ms)')
            """),
        ]
    return cells


def failing_cells() -> list[Cell]:
    """The published queries that must fail, each with its error; then two that tenant attach refuses."""
    failing = in_order(runs=False)
    wrong = "".join(f'    "{sid}": r"""{sample_query(sid)}""",\n' for sid in failing)
    heading = md("""
        ## Queries that must fail

        These published queries are wrong, and the right answer is an error that says why — before
        anything is sent to a device. In a `%%cmpivot` cell you would see the message with a caret
        under the problem; here they run from Python inside `try`/`except`, so the notebook carries on.
        """)
    why = [f"* **{sid} — {SAMPLES[sid].title}**: {SAMPLES[sid].about}" for sid in failing]
    return [
        Cell("markdown", heading.source + "\n\n" + "\n".join(why)),
        code("import cmpivot_magic as cm\n\nwrong = {\n" + wrong + "}\n" + textwrap.dedent("""
            for sample_id, query in wrong.items():
                try:
                    site.run(query)
                except cm.CMPivotError as err:
                    print(f"{sample_id}: {type(err).__name__}")
                    print(err, end="\\n\\n")
            """), checked=True),
        md("""
        Tenant attach (CMPivot in the Intune admin center) has stricter rules: no `RegistryKey`, no
        `render`, one device at a time. S13b and D13 fail there:
        """),
        code("""
        tenant = cm.connect(site.url, profile="tenant-attach")
        for query in (S13b.query, D13.query):
            try:
                tenant.run(str(query), devices=["WKS-0002"])
            except cm.CMPivotError as err:
                print(f"{type(err).__name__}: {err}", end="\\n\\n")
        """, checked=True),
    ]


def summary_cells(ids: list[str]) -> list[Cell]:
    """One table of every answer: row counts and a fingerprint of the rows, compared by nbval."""
    return [
        md(f"""
        ## Every answer at a glance

        One row per sample: how many rows came back, from how many devices, and a fingerprint of the
        rows (a hash of their sorted values, leaving out date and time columns, which move with the
        clock). {", ".join(BY_DAY)} group devices by calendar day, so their rows shift with the hour
        you run them; for those the check is the total count instead.
        """),
        code(f"""
        import hashlib

        import pandas as pd

        SAMPLES = {ids!r}
        BY_DAY = {BY_DAY!r}


        def fingerprint(result):
            frame = result.df
            columns = [c for c in frame.columns if not pd.api.types.is_datetime64_any_dtype(frame[c])]
            text = frame[columns].astype(str).sort_values(columns).to_csv(index=False) if columns else ""
            return hashlib.sha1(text.encode()).hexdigest()[:10]


        rows = []
        for sample_id in SAMPLES:
            result = globals()[sample_id]
            status = result.status.Status.value_counts()
            by_day = sample_id in BY_DAY
            rows.append({{
                "Sample": sample_id,
                "Rows": "by day" if by_day else len(result.df),
                "Columns": len(result.df.columns),
                "Answered": int(status.get("Completed", 0) + status.get("Truncated", 0)),
                "Truncated": int(status.get("Truncated", 0)),
                "Failed": int(status.get("Failed", 0)),
                "Chart": result.chart_spec.kind if result.chart_spec else "",
                "Check": f"total {{result.df.iloc[:, -1].sum()}}" if by_day else fingerprint(result),
            }})
        pd.set_option("display.max_rows", 100)
        pd.DataFrame(rows).set_index("Sample")
        """, checked=True),
    ]


def samples() -> list[Cell]:
    check_corpus()
    cells = introduction()
    for title, intro, pattern in SECTIONS:
        cells.append(md(f"## {title}\n\n{intro}"))
        for sid in section_ids(pattern):
            cells += sample_cells(sid)
    return cells + failing_cells() + summary_cells(in_order(runs=True))


# ----------------------------------------------------------------------------------------- building

# edited as text: the .py beside each .ipynb (jupytext pairs)
PAIRED = ("01-quickstart", "02-fleet-investigation", "03-connect-to-your-site", "05-report", "06-troubleshooting")
GENERATED: dict[str, Callable[[], list[Cell]]] = {"04-cmpivot-samples": samples}
NOTEBOOKS = tuple(sorted((*PAIRED, *GENERATED)))
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "pygments_lexer": "ipython3"},
}
# a generated notebook opts out of jupytext.toml's pairing, so Jupyter with jupytext writes no .py for it
GENERATED_METADATA = {**METADATA, "jupytext": {"formats": "ipynb"}}


def source_of(name: str) -> str:
    """Where a notebook's cells are edited."""
    return "notebooks/_build.py" if name in GENERATED else f"notebooks/{name}.py"


def generate(name: str) -> NotebookNode:
    """A generated notebook's cells, without outputs."""
    nb = nbformat.v4.new_notebook(metadata=GENERATED_METADATA)
    for i, cell in enumerate(GENERATED[name]()):
        cell_id = f"{name[:2]}-{i:03d}"
        if cell.kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell.source, id=cell_id))
            continue
        new = nbformat.v4.new_code_cell(cell.source, id=cell_id)
        tags = ([CHECK_TAG] if cell.checked and cell.source.startswith("%%") else []) + \
            ([RAISES_TAG] if cell.raises else [])
        if tags:
            new.metadata["tags"] = tags
        nb.cells.append(new)
    return nb


def read_pair(name: str) -> NotebookNode:
    """A paired notebook's cells as its .py has them, without outputs; unchanged cells keep their ids."""
    nb = jupytext.read(HERE / f"{name}.py", fmt="py:percent")
    committed = HERE / f"{name}.ipynb"
    if committed.exists():  # jupytext matches the cells as `jupytext --sync` does, and keeps their ids
        nb = combine_inputs_with_outputs(nb, nbformat.read(committed, as_version=4), fmt="py:percent")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata = METADATA
    return nb


def build(name: str) -> NotebookNode:
    """The notebook's cells, without outputs: 04 from this file, the others from their .py."""
    return generate(name) if name in GENERATED else read_pair(name)


def is_checked(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and (
        cell.source.startswith(CHECK_MARKER) or CHECK_TAG in cell.metadata.get("tags", []))


def execute(nb: NotebookNode) -> NotebookNode:
    """Run the notebook in its folder and keep only the checked cells' outputs."""
    from nbclient import NotebookClient

    metadata = copy.deepcopy(nb.metadata)  # the kernel fills in language_info and widget state; keep ours
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k in _ISOLATE or k.startswith("CMPIVOT_MAGIC_")}
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    finally:
        os.environ.update(saved)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if not is_checked(cell):
            cell.outputs, cell.execution_count = [], None
    nb.metadata = metadata
    return nb


def sources(nb: NotebookNode) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


def stale(name: str) -> str | None:
    """Why the committed notebook differs from where it is edited, or None when it does not."""
    path = HERE / f"{name}.ipynb"
    if not path.exists():
        return f"{path.name} is missing"
    committed = nbformat.read(path, as_version=4)
    expected = build(name)
    if sources(committed) != sources(expected):
        fix = "python notebooks/_build.py" if name in GENERATED else f"jupytext --sync {source_of(name)}"
        for i, (a, b) in enumerate(zip(sources(committed), sources(expected), strict=False)):
            if a != b:
                return f"{path.name}: cell {i} differs from {source_of(name)} ({fix})"
        return f"{path.name}: {len(committed.cells)} cells, {source_of(name)} has {len(expected.cells)} ({fix})"
    unrun = [i for i, c in enumerate(committed.cells) if is_checked(c) and c.execution_count is None]
    if unrun:
        return f"{path.name}: checked cells {unrun} have no stored output (run python notebooks/_build.py {name[:2]})"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="build only notebooks whose names contain these")
    parser.add_argument("--no-execute", action="store_true", help="write the cells only")
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed notebook is out of date")
    args = parser.parse_args(argv)
    chosen = [n for n in NOTEBOOKS if not args.names or any(part in n for part in args.names)]
    if args.check:
        problems = [p for p in map(stale, chosen) if p]
        print("\n".join(problems) or "notebooks are up to date")
        return 1 if problems else 0
    for name in chosen:
        nb = build(name)
        if not args.no_execute:
            print(f"running {name} …", flush=True)
            nb = execute(nb)
        nbformat.validate(nb)
        nbformat.write(nb, HERE / f"{name}.ipynb")
        print(f"wrote notebooks/{name}.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
