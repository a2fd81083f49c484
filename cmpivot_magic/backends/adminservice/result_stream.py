"""A CMPivotResult body read as it arrives: the items of its ``value`` array in batches, in bounded memory.

A collection's ``CMPivotResult`` is ``{"@odata.context": …, "value": [entry, entry, …]}`` with every
device answered so far, on every read: at 150,000 devices it is gigabytes. ``iter_value_batches``
takes the body's chunks and yields lists of parsed entries while keeping only about ``batch_bytes``
of unparsed text (plus one entry): the session turns each batch into replies and history before
the next arrives.

Cutting the array: once a window of text is long enough, a cut is looked for where one entry ends
and the next begins. The first entry's opening (``{"DeviceName":``) is learned, and the last
``},`` followed by that opening is a candidate: it cannot lie inside a string (a quote inside a
string is escaped, so ``{"`` with a bare quote is structure), and parsing the window up to it as
one array proves it lies between entries (a cut between two rows of one entry cannot parse as a
complete array). When candidates keep failing (rows open with the same key as entries, or the body
is pretty-printed) an exact scan finds the depth of each byte with numpy instead. Only ASCII bytes
are ever cut at, so UTF-8 characters split across chunks are whole again before they are parsed.

Anything not of that shape (``value`` one object on the device route, ``null``, no ``value``) is
read whole and parsed whole, as before. A body that is not valid JSON — cut short, a proxy's page —
raises ``BodyError``, which the transport retries like any damaged answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

BATCH_BYTES = 8 << 20
"""Text parsed per batch: big enough that parsing dominates, small enough to stay a few MB per step."""
_HEAD_LIMIT = 1 << 16
"""A body whose ``"value"`` starts later than this is read whole (no site writes such a header)."""
_TRIES = 3
"""Candidate cuts tried by parsing before the exact scan."""
STRING = rb'"(?:[^"\\]|\\.)*"'
"""A JSON string, escapes included (the one definition ``entry_frames`` cuts with too)."""
_SCALAR = rb'(?:' + STRING + rb'|-?[0-9][0-9.eE+-]*|true|false|null)'
_HEAD = re.compile(rb'\s*\{\s*(?:' + STRING + rb'\s*:\s*' + _SCALAR + rb'\s*,\s*)*"value"\s*:\s*([\[{])')
OPENER = re.compile(rb'\s*(\{\s*' + STRING + rb'\s*:)')
"""An entry's opening, ``{"FirstKey":``: entries are cut where one ends and the next opens so."""
_SEPARATOR = re.compile(rb'\s*,')


class BodyError(ValueError):
    """The body is not valid JSON of the expected shape (cut short, or not the AdminService's)."""


@dataclass
class ParseStats:
    """What parsing cost: seconds inside the JSON parser and the bytes it read; rows made into
    frames and the seconds that took (counted by the operation)."""

    seconds: float = 0.0
    bytes: int = 0
    rows: int = 0
    frame_seconds: float = 0.0


def loads(data: bytes | bytearray | memoryview) -> Any:
    """orjson, but text that is not valid UTF-8 is read with replacement characters, as before."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as err:
        if "utf-8" not in str(err).lower():
            raise
        return orjson.loads(bytes(data).decode("utf-8", errors="replace"))


def iter_value_batches(chunks: Iterable[bytes], batch_bytes: int | None = None, stats: ParseStats | None = None,
                       parse: Callable[[bytes], Any] = loads) -> Iterator[Any]:
    """The items of the body's ``value`` (a list; one object is a list of one) in batches, as the
    chunks arrive. Raises ``BodyError`` for a body that is not valid JSON.

    ``parse`` reads a batch's text, ``[entry, …]``, raising ValueError if it is not JSON (a batch of
    the array is then whatever it returns; a body of another shape is still read as lists)."""
    return _Reader(batch_bytes or BATCH_BYTES, stats or ParseStats(), parse).run(iter(chunks))


class _Reader:
    def __init__(self, batch_bytes: int, stats: ParseStats, parse: Callable[[bytes], Any]) -> None:
        self.batch_bytes, self.stats, self.parse = max(1, batch_bytes), stats, parse
        self.buf = bytearray()
        self.separator: bytes | None = None
        self.comma = False
        """A comma is due before the next entry (the last batch ended at an entry's end)."""

    def run(self, chunks: Iterator[bytes]) -> Iterator[Any]:
        head = bytearray()
        for chunk in chunks:  # the header: up to the '[' that opens the value array
            head += chunk
            found = _HEAD.match(head)
            if found is not None and found.group(1) == b"[":
                self.buf = head[found.end():]
                break
            if found is not None or len(head) > _HEAD_LIMIT:
                yield from self._whole(head, chunks)
                return
        else:
            yield from self._whole(head, iter(()))
            return
        del head
        wanted = self.batch_bytes
        for chunk in chunks:
            self.buf += chunk
            if len(self.buf) >= wanted:
                batch = self._cut()
                if batch is not None:
                    yield batch
                wanted = max(self.batch_bytes, len(self.buf) + self.batch_bytes // 2)
        yield from self._tail()

    def _whole(self, head: bytearray, chunks: Iterator[bytes]) -> Iterator[list[Any]]:
        """Read everything and parse it in one go (the device route's one object, odd shapes)."""
        for chunk in chunks:
            head += chunk
        if not head.strip():
            return
        body = self._parse(head)
        value = body.get("value") if isinstance(body, dict) else None
        if isinstance(value, dict):
            yield [value]
        elif isinstance(value, list) and value:
            yield value

    def _parse(self, data: bytes | bytearray) -> Any:
        started = time.perf_counter()
        try:
            return loads(data)
        except orjson.JSONDecodeError as err:
            raise BodyError(str(err)) from None
        finally:
            self.stats.seconds += time.perf_counter() - started
            self.stats.bytes += len(data)

    def _entries(self, end: int) -> Any:
        """``buf[:end]`` parsed as the array's next entries, or None if it is not a run of them."""
        started = time.perf_counter()
        try:
            with memoryview(self.buf) as view, view[:end] as part:  # one copy of the text, not two
                text = b"".join((b"[", part, b"]"))
            items = self.parse(text)
        except ValueError:  # orjson's errors are ValueErrors too
            return None
        finally:
            self.stats.seconds += time.perf_counter() - started
        self.stats.bytes += end
        return items

    def _take(self, end: int, items: Any) -> Any:
        """Drop the parsed text from the window (and the comma after it, now or once it arrives)."""
        del self.buf[:end]
        self.comma = True
        self._drop_comma()
        return items

    def _drop_comma(self) -> None:
        if self.comma:
            found = _SEPARATOR.match(self.buf)
            if found is not None:
                del self.buf[: found.end()]
                self.comma = False

    def _cut(self) -> Any:
        """The complete entries at the window's start, or None while none is complete."""
        self._drop_comma()
        if self.separator is None:
            found = OPENER.match(self.buf)
            if found is None:
                return None
            self.separator = b"}," + found.group(1)
        pos = len(self.buf)
        for _ in range(_TRIES):
            pos = self.buf.rfind(self.separator, 0, pos)
            if pos < 0:
                break
            items = self._entries(pos + 1)
            if items is not None:
                return self._take(pos + 1, items)
        ends = entry_ends(self.buf)
        if ends.size == 0:
            return None
        end = int(ends[-1]) + 1
        items = self._entries(end)
        if items is None:
            raise BodyError("the body is not valid JSON")
        return self._take(end, items)

    def _tail(self) -> Iterator[Any]:
        """The last entries, the array's ']' and the rest of the top-level object."""
        self._drop_comma()
        buf = self.buf
        close = buf.rfind(b"]")
        for _ in range(_TRIES):
            if close < 0:
                break
            if _rest_is_valid(buf[close + 1:]):
                items = self._entries(close)
                if items is not None:
                    if len(items):
                        yield items
                    return
            close = buf.rfind(b"]", 0, close)
        raise BodyError("the body ends before its value array does")


def _rest_is_valid(rest: bytes | bytearray) -> bool:
    """Whether what follows the value array closes the top-level object validly."""
    try:
        return isinstance(orjson.loads(b'{"":0' + rest), dict)
    except orjson.JSONDecodeError:
        return False


def entry_ends(data: bytes | bytearray) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Positions of the ``}``/``]`` that close a value at depth 0 of ``data`` (text that starts
    between two values of an array, outside any string): an exact scan, a few vectorised passes."""
    a = np.frombuffer(bytes(data), dtype=np.uint8)
    quotes = np.flatnonzero(a == 0x22)
    after_backslash = quotes[(quotes > 0) & (a[np.maximum(quotes - 1, 0)] == 0x5C)]  # few: look at those only
    escaped = [q for q in after_backslash.tolist() if _odd_backslashes(a, q)]
    if escaped:
        quotes = quotes[~np.isin(quotes, escaped)]
    toggles = np.zeros(a.size + 1, dtype=np.int8)
    toggles[quotes] = 1
    outside = (np.cumsum(toggles[:-1], dtype=np.int64) & 1) == 0
    opens = ((a == 0x7B) | (a == 0x5B)) & outside
    closes = ((a == 0x7D) | (a == 0x5D)) & outside
    depth = np.cumsum(opens.astype(np.int32) - closes.astype(np.int32), dtype=np.int64)
    return np.flatnonzero(closes & (depth == 0))


def _odd_backslashes(a: np.ndarray[Any, np.dtype[np.uint8]], q: int) -> bool:
    n, i = 0, q - 1
    while i >= 0 and a[i] == 0x5C:
        n, i = n + 1, i - 1
    return n % 2 == 1


__all__ = ["BATCH_BYTES", "OPENER", "STRING", "BodyError", "ParseStats", "entry_ends", "iter_value_batches", "loads"]
