"""What a recording holds: AdminService exchanges as plain JSON, and the file that keeps them.

One exchange is a request and its answer, in order: ``method``, ``path`` and query relative to
the AdminService base (decoded, so a recording reads plainly and pseudonyms match however a name
was encoded), the JSON request ``body``, then ``status``, the response ``content_type`` and its
``json`` (or ``text``), or the connection ``error`` the request met. No header is kept.

A recording file is ``{"format": FORMAT, "version": 1, "base_url": …, "scrubbed": {kind: count},
"exchanges": […]}``, written by ``record.py`` and read by ``replay.py``, which match a request
to an exchange by ``exchange_key`` (method, path and body).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ....errors import CMPivotError

FORMAT = "cmpivot-magic/adminservice-recording"
VERSION = 1


@dataclass(frozen=True)
class Recording:
    """A saved recording: the AdminService base URL and the exchanges, under pseudonyms."""

    base_url: str
    exchanges: tuple[dict[str, Any], ...]
    source: str = ""

    @classmethod
    def load(cls, path: str | Path) -> Recording:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CMPivotError(f"no recording at {path}", hint="record one with connect(url, record='…json')") from None
        except ValueError as err:
            raise CMPivotError(f"{path} is not a recording: {err}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("exchanges"), list):
            raise CMPivotError(f"{path} is not a cmpivot-magic recording", hint=f"its 'format' should be {FORMAT!r}")
        return cls(str(data["base_url"]), tuple(data["exchanges"]), str(path))


def recording_path(url: str) -> Path:
    """``replay:///abs/path.json`` → ``/abs/path.json``; ``replay://rel/path.json`` → relative."""
    rest = unquote(url.split("://", 1)[1] if "://" in url else url.split(":", 1)[1])
    if len(rest) > 3 and rest[0] == "/" and rest[2] == ":":  # replay:///C:/path on Windows
        rest = rest[1:]
    return Path(rest)


def relative_path(url: str, base_url: str) -> str | None:
    """``https://h/AdminService/wmi/X?$filter=A%20eq%201`` → ``wmi/X?$filter=A eq 1`` (decoded,
    so recordings read plainly and pseudonyms match however they were encoded); None for a
    URL outside the AdminService."""
    base = base_url.rstrip("/")
    if base and url.lower().startswith(base.lower() + "/"):
        return unquote(url[len(base) + 1:])
    parts = urlsplit(url)  # an absolute link the site wrote (@odata.nextLink) may spell the host otherwise
    lowered = parts.path.lower()
    at = lowered.find("/adminservice/")
    if at < 0:
        return None
    rest = parts.path[at + len("/adminservice/"):] + ("?" + parts.query if parts.query else "")
    return unquote(rest)


def base_of(url: str) -> str | None:
    """The AdminService base of a URL under it (``https://h/AdminService``), else None."""
    parts = urlsplit(url)
    at = parts.path.lower().find("/adminservice")
    if at < 0:
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path[:at + len('/adminservice')]}"


def exchange_key(method: str, path: str, body: Any) -> str:
    """What a replay matches a request by: method, path and the JSON body."""
    return f"{method.upper()} {path}\n{json.dumps(body, sort_keys=True, ensure_ascii=False)}"


def body_of(kwargs: dict[str, Any]) -> Any:
    """The JSON body of a ``requests`` call's keyword arguments (``json=`` or ``data=``)."""
    if kwargs.get("json") is not None:
        return kwargs["json"]
    data = kwargs.get("data")
    if data is None:
        return None
    text = as_text(data)
    try:
        return json.loads(text)
    except ValueError:
        return text


def as_text(value: str | bytes) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


__all__ = ["FORMAT", "VERSION", "Recording", "as_text", "base_of", "body_of", "exchange_key", "recording_path", "relative_path"]
