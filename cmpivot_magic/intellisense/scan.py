"""The cursor's context: what the grammar accepts there, and which pipeline and operator hold it.

A ``%%cmpivot`` cell is split into its magic line and the query body; ``{python}`` placeholders are
masked to literals of the same length (their values decide what they become, so offsets must not
move). The body up to the word being typed is fed to lark's interactive LALR parser, built here from
the packaged ``grammar.lark`` with the options ``language/parser.py`` uses but no transformer: its
``accepts()`` are the terminals valid at the cursor (the reference's recommended technique), and the
tokens before tell which pipeline, operator, parenthesis and ``by`` the cursor sits in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from lark import Lark, Token
from lark.exceptions import LarkError

from ..language.interpolate import (
    PLACEHOLDER,  # the magic's own: {{ }} are braces, {name} / {obj.attr} a value
)

_HEADER = re.compile(r"[ \t\r\n]*(%%cmpivot\b[^\n]*)(\n|$)")
_LIST_BEFORE = re.compile(r"(?:!?in~?|has_any|has_all)\s*$", re.IGNORECASE)
# strings (plain, verbatim, obfuscated h'...') and comments, each possibly unterminated at the cursor
_OPAQUE = re.compile(r"""//[^\n]*|[hH]?@'[^'\n]*'?|[hH]?@"[^"\n]*"?|[hH]?'(?:\\.|[^'\\\n])*'?|[hH]?"(?:\\.|[^"\\\n])*"?""")
_WORD_FRAGMENT = re.compile(r"!?[A-Za-z_][A-Za-z0-9_]*$")
_FRAGMENT = re.compile(r"!?[A-Za-z_][A-Za-z0-9_]*$|[=!<>~]+$")


@lru_cache(maxsize=1)
def grammar() -> Lark:
    """The query grammar as an interactive LALR parser (no tree building: only the state matters)."""
    text = resources.files("cmpivot_magic.language").joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(text, parser="lalr", lexer="contextual", maybe_placeholders=True, propagate_positions=False,
                cache=True)


@dataclass(frozen=True)
class Cell:
    """A cell cut into the ``%%cmpivot`` line (``header``, None for a bare query) and the body, which
    starts at ``body_start``; ``masked`` is the body with placeholders masked, ``holes`` their spans."""

    text: str
    header: str | None
    header_start: int
    body_start: int
    masked: str
    holes: tuple[tuple[int, int], ...]

    @property
    def body(self) -> str:
        return self.text[self.body_start:]


def split_cell(cell: str) -> Cell:
    m = _HEADER.match(cell)
    if m is None:
        header, header_start, body_start = None, 0, 0
    else:
        header, header_start, body_start = m.group(1), m.start(1), m.end()
    masked, holes = mask_placeholders(cell[body_start:])
    return Cell(cell, header, header_start, body_start, masked, holes)


def mask_placeholders(body: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``{name}`` → a number literal of the same length (``(0)`` after ``in``); ``{{``/``}}`` → one brace
    and a space. Returns the masked text and the placeholders' spans."""
    if "{" not in body and "}" not in body:
        return body, ()
    holes: list[tuple[int, int]] = []

    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{ "
        if token == "}}":
            return " }"
        holes.append((m.start(), m.end()))
        size = len(token)
        literal = "(0)" if _LIST_BEFORE.search(body, 0, m.start()) else "0"
        return literal + " " * (size - len(literal))

    return PLACEHOLDER.sub(sub, body), tuple(holes)


def opaque_at(text: str, pos: int) -> str | None:
    """"string" or "comment" when ``pos`` is inside one (or right after an unterminated one), else None."""
    last = None
    for last in _OPAQUE.finditer(text, 0, pos):  # noqa: B007  (only the last one matters)
        pass
    if last is None or last.end() != pos:
        return None
    token = last.group(0)
    if token.startswith("//"):
        return "comment"
    quote = token.lstrip("hH@")[:1]
    closed = len(token.lstrip("hH@")) >= 2 and token.endswith(quote) and not token.endswith("\\" + quote)
    return None if closed else "string"


def fragment_at(text: str, pos: int, words_only: bool = False) -> tuple[int, str]:
    """The start and text of the word (or operator symbols) being typed just before ``pos``."""
    m = (_WORD_FRAGMENT if words_only else _FRAGMENT).search(text, 0, pos)
    if m is None:
        return pos, ""
    return m.start(), m.group(0)


@dataclass
class Frame:
    """An open pipeline or parenthesis before the cursor. For a pipeline: where its text starts, the
    offsets of its ``|`` separators, the current operator's keyword (a terminal name) and whether a
    ``by`` of that operator came already; for a call: the function's name."""

    kind: str  # "pipeline", "call", "render_with", "list", "group"
    start: int
    bars: list[int] = field(default_factory=list)
    operator: str | None = None
    after_by: bool = False
    tokens: int = 0
    function: str | None = None


@dataclass(frozen=True)
class CursorContext:
    """Where the cursor is: ``accepts`` (None when the text before does not parse), the open frames
    (outermost first), the types and texts of the tokens just before the word being typed, and that
    word (``start`` is its offset in the body)."""

    accepts: frozenset[str] | None
    frames: tuple[Frame, ...]
    previous: tuple[tuple[str, str], ...]
    start: int
    fragment: str

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    @property
    def pipeline(self) -> Frame:
        """The innermost pipeline holding the cursor."""
        return next(f for f in reversed(self.frames) if f.kind == "pipeline")

    def prev(self, back: int = 1) -> str | None:
        """The terminal type ``back`` tokens before the word being typed."""
        return self.previous[-back][0] if len(self.previous) >= back else None

    def prev_text(self, back: int = 1) -> str:
        return self.previous[-back][1] if len(self.previous) >= back else ""


def context_at(masked: str, pos: int, words_only: bool = False) -> CursorContext:
    """The context of body offset ``pos`` in the masked body ``masked``."""
    start, fragment = fragment_at(masked, pos, words_only)
    replay = _replay(masked[:start])
    offset = 0
    if replay is None:  # an error earlier in the text: read on from the last '|' as if after an entity
        bar = masked.rfind("|", 0, start)
        if bar >= 0:
            offset = bar - len("Device ")
            replay = _replay("Device " + masked[bar:start])
    if replay is None:
        return CursorContext(None, (Frame("pipeline", 0),), (), start, fragment)
    tokens, accepts = replay
    frames = _frames(tokens, offset)
    if offset:  # the replay started at a '|': the pipeline still starts at 0, after the earlier '|'s
        frames[0].start, frames[0].bars[:0] = 0, _bars(masked, offset + len("Device "))
    previous = tuple((t.type, str(t)) for t in tokens[-4:])
    return CursorContext(accepts, tuple(frames), previous, start, fragment)


def _bars(text: str, end: int) -> list[int]:
    """The offsets of the '|'s before ``end`` outside strings and comments."""
    blanked = _OPAQUE.sub(lambda m: " " * len(m.group(0)), text[:end])
    return [i for i, ch in enumerate(blanked) if ch == "|"]


@lru_cache(maxsize=64)
def _replay(text: str) -> tuple[tuple[Token, ...], frozenset[str]] | None:
    try:
        ip = grammar().parse_interactive(text)
        tokens = tuple(ip.iter_parse())
        return tokens, frozenset(ip.accepts())
    except LarkError:
        return None


def _frames(tokens: tuple[Token, ...], offset: int) -> list[Frame]:
    """Walk the tokens, keeping the stack of open pipelines and parentheses."""
    frames = [Frame("pipeline", max(0, offset))]
    for i, tok in enumerate(tokens):
        top, kind = frames[-1], tok.type
        pos = (tok.start_pos or 0) + offset
        if kind == "LPAR":
            frames.append(_open(tokens, i, top, pos + 1))
            top.tokens += 1
            continue
        top.tokens += 1
        if kind == "RPAR":
            if len(frames) > 1:
                frames.pop()
        elif kind == "VBAR" and top.kind == "pipeline":
            top.bars.append(pos)
            top.operator, top.after_by = None, False
        elif top.kind == "pipeline":
            if top.bars and top.operator is None:
                top.operator = kind
            elif kind == "BY":
                top.after_by = True
    return frames


def _open(tokens: tuple[Token, ...], i: int, top: Frame, start: int) -> Frame:
    """The frame a '(' opens, judged by the tokens before it."""
    prev = tokens[i - 1].type if i else None
    if top.kind == "pipeline" and top.tokens == 0:
        return Frame("pipeline", start)  # a parenthesised source
    if prev == "JOIN" or (i >= 3 and tokens[i - 2].type == "EQUAL" and tokens[i - 3].type == "KIND"):
        return Frame("pipeline", start)
    if prev == "WITH":
        return Frame("render_with", start)
    if prev == "IN_OP":
        return Frame("list", start)
    if prev == "NAME":
        return Frame("call", start, function=str(tokens[i - 1]))
    return Frame("group", start)
