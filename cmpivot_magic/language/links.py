"""The console's query links: ``cmpivot:`` + base64 of the query's UTF-8 text with CRLF line breaks.

CMPivot 1910 added "Query link to clipboard"; pasting such a link opens CMPivot with the query
(reference §8.4, D17). Everywhere a query is accepted — ``parse``, ``Session.run``, the ``cmpivot``
command, a ``%%cmpivot`` cell — a link is accepted too and decoded here first. Decoded text uses
``\\n`` line breaks; encoding restores CRLF, so the console's own links decode and re-encode to the
same characters.
"""

from __future__ import annotations

import base64
import binascii
import re

from ..errors import QuerySyntaxError

PREFIX = "cmpivot:"
_HINT = "a query link is cmpivot: followed by the base64 of the query text, as the console's Copy query link makes it"


def query_link(text: str) -> str:
    """The console's link for ``text`` (line breaks become CRLF, as the console writes them)."""
    crlf = re.sub(r"\r\n|\r|\n", "\r\n", text)
    return PREFIX + base64.b64encode(crlf.encode("utf-8")).decode("ascii")


def is_query_link(text: str) -> bool:
    """Whether ``text`` is a query link rather than query text (no query starts with ``cmpivot:``)."""
    return text.lstrip()[: len(PREFIX)].lower() == PREFIX


def query_from_link(link: str) -> str:
    """The query text of a link, with ``\\n`` line breaks; ``QuerySyntaxError`` if it is not one."""
    if not is_query_link(link):
        raise QuerySyntaxError("not a CMPivot query link", text=link[:200], hint=_HINT)
    payload = re.sub(r"\s+", "", link.lstrip()[len(PREFIX):])  # a link wrapped over lines still reads
    payload += "=" * (-len(payload) % 4)
    try:
        raw = base64.b64decode(payload, validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        raise QuerySyntaxError("this query link is damaged: its text is not base64 of UTF-8 text",
                               hint=_HINT) from None
    if not text.strip():
        raise QuerySyntaxError("this query link holds no query", hint=_HINT)
    return re.sub(r"\r\n|\r", "\n", text)


def query_text(text_or_link: str) -> str:
    """The query text itself: ``text_or_link`` decoded when it is a link, else unchanged."""
    return query_from_link(text_or_link) if is_query_link(text_or_link) else text_or_link
