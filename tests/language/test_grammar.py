"""The grammar's lexing: in every parser state, each acceptable terminal lexes as itself.

lark's contextual lexer lexes with the terminals the current LALR state accepts. LALR merges the
states after a name across all the contexts a name appears in, so the lexer there knows every
terminal that may follow a name anywhere; two terminals matching the same text then decide by
priority, whatever the context. That is how `order by X desc` once failed (a `project-reorder`
terminal also matched `desc`) and `a * b` (the `*` of name patterns outranked multiplication).
This test lexes a sample of every terminal in every state that accepts it.
"""

from __future__ import annotations

import re

from lark.lexer import LexerState, TextSlice

from cmpivot_magic.language.parser import _lark

SAMPLES = {
    "CMP_OP": ["==", "!=", "<>", "<=", ">=", "<", ">", "=~", "!~"],
    "STRING_OP": ["contains", "!contains", "has", "!has", "like", "!like", "startswith", "has_cs", "hasprefix"],
    "IN_OP": ["in", "!in", "in~", "!in~", "has_any", "has_all"],
    "ADD_OP": ["+", "-"], "MUL_OP": ["/", "%"], "STAR": ["*"], "INT": ["1"], "REAL": ["1.5", "1e3", ".5"],
    "TIMESPAN": ["1d", "2hours", "1.5h", "3tick", "5ms"], "STRING": ["'x'", '"x"', "h'x'"],
    "VERBATIM_STRING": ["@'x'"], "NAME": ["abc", "Device", "x1"], "BRACKET_NAME": ["['a b']"],
    "DATETIME_LIT": ["datetime(2020-01-01)"], "TIMESPAN_LIT": ["timespan(1d)", "time(1d)"],
    "BETWEEN": ["between", "!between"], "DOTDOT": [".."], "GRANNY_DIR": ["granny-asc"],
    "LEFT_REF": ["$left"], "RIGHT_REF": ["$right"], "LITERAL_LIST": ["'a', 1, @'b'", "'x'"],
}
# what must follow a sample for its terminal to match (LITERAL_LIST looks ahead for the list's ')')
FOLLOW = {"LITERAL_LIST": ")"}
PUNCTUATION = {"LPAR": "(", "RPAR": ")", "COMMA": ",", "VBAR": "|", "EQUAL": "=", "LSQB": "[", "RSQB": "]",
               "COLON": ":", "SEMICOLON": ";", "DOT": ".", "LBRACE": "{", "RBRACE": "}"}
# Deliberate: after a name '[' is an index (`d['key']`), so a bracketed name cannot follow a name
# directly; only `mv-expand with_itemindex=i ['col']` (kql) would want that.
ALLOWED = {("BRACKET_NAME", "LSQB")}


def _samples(name: str, pattern: str) -> list[str]:
    if name in SAMPLES:
        return SAMPLES[name]
    if name in PUNCTUATION:
        return [PUNCTUATION[name]]
    keyword = re.fullmatch(r"(?:\(\?i:)?([a-z_\-\\$]+)\\b\)?", pattern)
    assert keyword, f"no sample for terminal {name} /{pattern}/"
    return [keyword.group(1).replace("\\", "")]


def test_every_terminal_lexes_as_itself_where_it_is_accepted() -> None:
    parser = _lark()
    terminals = {t.name: t for t in parser.terminals}
    states = parser.parser.parser.parser.parse_table.states
    lexers = parser.parser.lexer.lexers
    wrong = set()
    for state, actions in states.items():
        for name in actions:
            if name not in terminals:  # $END and lark's internal names
                continue
            for sample in _samples(name, terminals[name].pattern.to_regexp()):
                text = sample + " " + FOLLOW.get(name, "")
                token = lexers[state].next_token(LexerState(TextSlice.cast_from(text)), None)
                if (token.type, len(token)) != (name, len(sample)) and (name, token.type) not in ALLOWED:
                    wrong.add((name, sample, token.type))
    assert not wrong
