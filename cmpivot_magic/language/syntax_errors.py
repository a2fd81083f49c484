"""lark's parse failure → a ``QuerySyntaxError`` in plain words.

``parser.parse_text`` hands over the exception lark raised. This module replays the text up to the
failure with lark's interactive parser, which says exactly which tokens came before and which
terminals were acceptable there (the exception's own "expected" set is the lexer state's, and LALR
merges states, so it lists words that could never follow). From that it writes one sentence about
what is wrong, with a caret on the offending text, and where it helps a hint ("did you mean
'summarize'?"). The rules in ``_diagnose`` run most specific first.

Everything lark-specific stays inside the ``language`` package.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken

from ..errors import QuerySyntaxError, did_you_mean, locate
from .dialect import Dialect
from .error_words import (
    KEYWORD_WORDS,
    QUOTE_RE,
    TIMESPAN_UNITS,
    UNSUPPORTED_OPERATORS,
    VERSION_RE,
    WORD_RE,
    WORDS,
    after_keyword,
    describe,
    dialect_error,
    or_list,
    show_char,
    shown,
)

# ------------------------------------------------------------------------------ the failure, replayed


@dataclass
class _Failure:
    """Where parsing stopped and what the parser knew there."""

    text: str
    dialect: Dialect
    pos: int  # offset of the offending token or character, or of the end of the last token
    token: Token | None  # the offending token; None for a character no terminal matches
    tokens: list[Token]  # every token before ``pos``
    accepts: set[str]  # terminals the parser would have taken at ``pos``

    @property
    def at_end(self) -> bool:
        return self.token is not None and self.token.type == "$END"

    @property
    def prev(self) -> Token | None:
        return self.tokens[-1] if self.tokens else None

    @property
    def word(self) -> str | None:
        m = WORD_RE.match(self.text, self.pos)
        return m.group(0) if m else None

    def expected(self) -> list[str]:
        accepts = self.accepts
        if self.prev is not None and self.prev.type in ("STRING", "VERBATIM_STRING"):
            accepts = accepts - {"STRING", "VERBATIM_STRING"}  # only 'a' 'b' concatenation: not worth offering
        return describe(accepts, self.dialect)

    def fail(self, message: str, start: int | None = None, end: int | None = None,
             hint: str | None = None) -> QuerySyntaxError:
        start = self.pos if start is None else start
        if end is None:
            end = start + max(1, len(self.word or "")) if self.token is None or self.at_end else self.token.end_pos
        return QuerySyntaxError(message, text=self.text, location=locate(self.text, start, end or start + 1),
                                hint=hint, expected=self.expected())


def _replay(parser: Lark, prefix: str) -> tuple[list[Token], set[str]] | None:
    """The tokens of ``prefix`` and the terminals acceptable after them (None if it cannot replay)."""
    try:
        ip = parser.parse_interactive(prefix)
        tokens = list(ip.iter_parse())
        return tokens, set(ip.accepts())
    except Exception:  # the replay is best effort; the caller falls back to lark's own sets
        return None


def syntax_error(text: str, err: UnexpectedInput, dialect: Dialect, parser: Lark) -> QuerySyntaxError:
    """The ``QuerySyntaxError`` for lark's ``err`` on ``text``."""
    token = err.token if isinstance(err, UnexpectedToken) else None
    if token is not None and token.type == "$END":
        prefix = text
    else:
        pos = err.pos_in_stream if err.pos_in_stream is not None else len(text)
        prefix = text[:pos]
    replay = _replay(parser, prefix)
    if replay is None:
        fallback = set(getattr(err, "expected", None) or getattr(err, "allowed", None) or ())
        replay = ([], fallback)
    tokens, accepts = replay
    if token is not None and token.type == "$END":
        pos = (tokens[-1].end_pos or 0) if tokens else 0
    failure = _Failure(text, dialect, pos, token, tokens, accepts)
    return _diagnose(failure, parser)


def _diagnose(f: _Failure, parser: Lark) -> QuerySyntaxError:
    text, word, prev = f.text, f.word, f.prev
    ttype = f.token.type if f.token is not None else None

    # a KQL-only keyword before the failure: in the cmpivot dialect that is the real problem
    if f.dialect.rejected_keywords:
        for i, tok in enumerate(f.tokens):
            if tok.type in f.dialect.rejected_keywords and (tok.type != "LIMIT" or (i and f.tokens[i - 1].type == "VBAR")):
                return dialect_error(text, tok.type, tok.start_pos or 0, tok.end_pos or 0)

    if f.token is None and QUOTE_RE.match(text, f.pos):
        return _unterminated_string(f)

    if not f.tokens:
        if f.at_end:
            return f.fail("the query is empty: start with an entity such as Process, OS or Device", end=f.pos)
        if ttype == "VBAR":
            return f.fail("the query starts with '|': put an entity such as Device or OS before the first '|'")

    if {"WHERE", "PROJECT"} <= f.accepts:  # a table operator belongs here
        return _table_operator(f)

    if prev is not None and prev.type == "NAME" and prev.lower() in KEYWORD_WORDS:
        # the keyword was taken as a column name; diagnose it where it stands
        again = _replay(parser, text[: prev.start_pos])
        if again is not None:
            return _diagnose(_Failure(text, f.dialect, prev.start_pos or 0, prev, *again), parser)

    version = _version_at(text, f.pos)
    if version is not None:
        v = text[version[0] : version[1]]
        return f.fail(f"'{v}' is not a number: to compare a version, quote it as a string ('{v}')",
                      start=version[0], end=version[1])
    if prev is not None and prev.type in ("INT", "REAL"):
        number = _number_problem(f, prev)
        if number is not None:
            return number

    unclosed = _unclosed_paren(f.tokens)
    if f.at_end:
        if unclosed is not None and "RPAR" in f.accepts:
            return f.fail(f"the query ends before ')' closes the '(' at {_where(text, unclosed)}", end=f.pos,
                          hint="add the missing ')'")
        last = f"'{prev}'" if prev is not None else "the start"
        return f.fail(f"the query ends after {last}: expected {after_keyword(f.tokens) or or_list(f.expected())}", end=f.pos)

    if f.token is None:
        return _bad_character(f)

    if ttype == "EQUAL" and "CMP_OP" in f.accepts:
        return f.fail("use '==' to compare: a single '=' only names a column, as in project Name = expression")
    if ttype == "RPAR" and "RPAR" not in f.accepts:
        if unclosed is None:
            return f.fail("unmatched ')': there is no '(' for it to close", hint="remove it")
        if "NAME" in f.accepts:
            return f.fail("expected an expression before ')'")
    if ttype == "COMMA" and "NAME" in f.accepts:
        return f.fail("expected an expression before ','")
    if prev is not None and prev.type == "SEMICOLON":
        return f.fail(f"unexpected {shown(f.token)} after ';': a query ends at its ';'",
                      hint="run each query on its own")

    if word and str(f.token).lower() == word.lower():  # a word, read as a name or as a keyword
        found = _unexpected_word(f, word)
        if found is not None:
            return found
    if prev is not None and prev.type == "RENDER" and ttype in ("STRING", "VERBATIM_STRING"):
        return f.fail(f"the chart type is a bare word: write render {str(f.token)[1:-1]}, without quotes")
    after_entity = "LPAR" in f.accepts and "VBAR" in f.accepts and not f.accepts & {"CMP_OP", "AND"}
    if prev is not None and prev.type == "NAME" and ttype in ("STRING", "VERBATIM_STRING") and after_entity:
        return f.fail(f"an entity's arguments go in parentheses: write {prev}({f.token})")
    # inside parentheses: name the '(' when a '|' or a keyword shows the text has run past it
    keyword_like = word is not None and str(f.token).lower() == word.lower() and ttype != "NAME"
    if unclosed is not None and "RPAR" in f.accepts and (ttype == "VBAR" or keyword_like
                                                         or (word or "").lower() in KEYWORD_WORDS):
        wanted = "',' or ')'" if "COMMA" in f.accepts else "')'"
        return f.fail(f"expected {wanted} to close the '(' at {_where(text, unclosed)}, not {shown(f.token)}")
    hint = "not is a function: write not(condition)" if prev is not None and prev.lower() == "not" else None
    return f.fail(f"unexpected {shown(f.token)}: expected {after_keyword(f.tokens) or or_list(f.expected())}", hint=hint)


def _unexpected_word(f: _Failure, word: str) -> QuerySyntaxError | None:
    """A word where it does not fit: a misspelt operator or keyword, two words run together, or
    the start of a new step or query without its '|'."""
    lower = word.lower()
    operators = f.dialect.table_operators
    if "VBAR" in f.accepts and lower in operators:
        return f.fail(f"expected '|' before '{word}': each table operator follows a '|'")
    if f.accepts & {"CMP_OP", "STRING_OP"} and lower not in KEYWORD_WORDS:
        scalar_ops = f.dialect.scalar_operators
        hint = did_you_mean(word, scalar_ops)
        if hint:
            return f.fail(f"unknown operator '{word}'", hint=hint)
    offered = f.accepts - f.dialect.hidden_terminals
    keywords = [t.lower() for t in offered if t.isalpha() and t not in WORDS]
    hint = _run_together(word, keywords) or did_you_mean(word, keywords)
    if hint:
        return f.fail(f"unexpected '{word}': expected {or_list(f.expected())}", hint=hint)
    if "VBAR" in f.accepts and not f.accepts & {"CMP_OP", "STRING_OP", "NAME"}:
        at_line_start = not f.text[f.text.rfind("\n", 0, f.pos) + 1 : f.pos].strip()
        return f.fail(
            f"expected '|' before '{word}': a query is one table followed by '| operator' steps",
            hint="to run several queries, run them one at a time" if at_line_start else None,
        )
    return None


def _run_together(word: str, keywords: Iterable[str]) -> str | None:
    """`byUserName`: a keyword and a capitalised name with the space left out (a case change marks
    the seam, so `order` is not 'or' + 'der')."""
    for kw in sorted(keywords, key=len, reverse=True):
        rest = word[len(kw) :]
        if word.lower().startswith(kw) and rest and (rest[0].isupper() or rest[0] == "_"):
            return f"did you mean '{word[: len(kw)]} {rest}'?"
    return None


def _where(text: str, offset: int) -> str:
    loc = locate(text, offset)
    return f"line {loc.line}, column {loc.column}"


def _unclosed_paren(tokens: list[Token]) -> int | None:
    """Offset of the innermost '(' not closed by the tokens read so far."""
    stack: list[int] = []
    for tok in tokens:
        if tok.type == "LPAR":
            stack.append(tok.start_pos or 0)
        elif tok.type == "RPAR" and stack:
            stack.pop()
    return stack[-1] if stack else None


def _unterminated_string(f: _Failure) -> QuerySyntaxError:
    line_end = f.text.find("\n", f.pos)
    rest = f.text[f.pos : len(f.text) if line_end == -1 else line_end]
    quote = QUOTE_RE.match(rest)
    hint = None
    body = rest[quote.end() if quote else 1 :]
    if quote and "@" not in quote.group(0) and f"\\{quote.group(0)[-1]}" in body:
        hint = ("a backslash escapes the quote after it: write '\\\\' for a backslash,"
                " or use a verbatim string such as @'c:\\temp\\'")
    return f.fail("unterminated string: add the closing quote (a string ends on the line it starts)",
                  end=f.pos + max(1, len(rest.rstrip())), hint=hint)


def _bad_character(f: _Failure) -> QuerySyntaxError:
    word, ch = f.word, f.text[f.pos]
    if f.text.startswith("&&", f.pos):
        return f.fail("use 'and' instead of '&&'", end=f.pos + 2)
    if word and word.startswith("!"):
        ops = f.dialect.scalar_operators
        hint = did_you_mean(word, ops)
        if hint:
            return f.fail(f"unknown operator '{word}'", hint=hint)
    hint = None
    if ch.isalpha():
        hint = "names are ASCII letters, digits and _; write ['Name'] for any other name"
    elif ch == "!":
        hint = "to negate a comparison use its negated operator (!=, !contains, !like, ...)"
    return f.fail(f"unexpected character {show_char(ch)}: expected {or_list(f.expected())}", end=f.pos + 1,
                  hint=hint)


def _table_operator(f: _Failure) -> QuerySyntaxError:
    operators = f.dialect.table_operators
    listing = f"table operators are: {', '.join(operators)}"
    if f.at_end:
        return f.fail("the query ends after '|': expected a table operator", end=f.pos, hint=listing)
    word = f.word
    if f.token is not None and f.token.type == "VBAR":
        if f.prev is not None and f.prev.end_pos == f.pos and f.prev.type == "VBAR":
            return f.fail("use 'or' instead of '||'", start=f.pos - 1, end=f.pos + 1)
        return f.fail("expected a table operator between two '|'", hint=listing)
    if not word:
        what = shown(f.token) if f.token is not None else show_char(f.text[f.pos])
        return f.fail(f"expected a table operator after '|', not {what}", hint=listing)
    if word.lower() in UNSUPPORTED_OPERATORS:
        return f.fail(f"the '{word}' operator is not supported", hint=listing)
    hint = _run_together(word, operators) or did_you_mean(word, operators)
    if hint is None:
        hint = listing
        if f.text[f.pos + len(word) :].lstrip().startswith("(") or word[:1].isupper():
            hint += f"; to combine two entities, use '| join ({word}...)'"
    return f.fail(f"unknown table operator '{word}'", hint=hint)


def _version_at(text: str, pos: int) -> tuple[int, int] | None:
    """The span of an unquoted version number such as 10.0.17134 that runs into ``pos``."""
    start = pos
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] == "."):
        start -= 1
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return None
    m = VERSION_RE.match(text, start)
    return (start, m.end()) if m and m.end() > pos else None


def _number_problem(f: _Failure, prev: Token) -> QuerySyntaxError | None:
    start = prev.start_pos or 0
    word = f.word
    if f.token is None or f.token.type != "NAME" or not word:
        return None
    if prev.end_pos == f.pos:
        unit_like = word.isalpha()
        return f.fail(f"'{prev}{word}' is not a number or a timespan",
                      start=start, end=f.pos + len(word),
                      hint="a timespan is a number and a unit: d, h, m, s, ms, microsecond or tick (7d, 90m;"
                           " there is no week or month unit)" if unit_like else None)
    if word.lower() in TIMESPAN_UNITS:
        return f.fail(f"write the timespan without a space: '{prev}{word}'", start=start, end=f.pos + len(word))
    return None
