"""Secrets kept out of what we show, log and save: the one ``redact()`` and its patterns.

Tokens must never reach an error message, a log line, a notebook output or a recording. Every
place that shows or keeps text that might hold one passes it through ``redact``:

- the Entra ID sign-in's errors and msal's own log records (``RedactingFilter``, put on msal's
  loggers by ``redact_logs``) — ``backends/adminservice/auth/``;
- the device-code prompt and the sign-in widget's messages — ``auth/prompt.py``, ``widgets/signin.py``;
- recordings of AdminService exchanges — ``backends/adminservice/recording/pseudonyms.py``, and
  for JSON ``SECRET_KEY``.

What counts as a secret, by shape: a JWT (an access or ID token) and the value after ``Bearer``;
when ``thorough`` (the default) also the value of a secret-named field (``access_token=…``,
``"password": "…"``) and any long run of token alphabet (refresh tokens, device codes); plus any
secret the caller knows by value.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REMOVED = "[token removed]"
"""What a secret becomes in messages and logs."""

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
"""A JSON Web Token: base64url header (``{"`` encodes as ``eyJ``), payload and signature."""
BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]{8,}")
"""The credential after ``Bearer`` (an ``Authorization`` header or a message quoting one)."""
FIELD = re.compile(r"""(?i)(["']?\b(?:access_token|refresh_token|id_token|device_code|code|code_verifier|"""
                   r"""client_secret|client_assertion|password)["']?\s*[:=]\s*["']?)([^"'\s,&}]+)""")
"""A secret by its field name, in JSON (msal's DEBUG log of a request) or a form body."""
OPAQUE = re.compile(r"(?<![A-Za-z0-9._~+=-])[A-Za-z0-9._~+=-]{64,}")
"""Long runs of token alphabet with no slash: refresh tokens and device codes; not paths or URLs."""
SECRET_KEY = re.compile(r"^(access_?token|refresh_?token|id_?token|client_?secret|password|secret|"
                        r"authorization|cookie|set-cookie|token)$", re.IGNORECASE)
"""Names of JSON keys whose values are credentials wherever they appear (a recording blanks them)."""


def redact(text: str, secrets: Iterable[str] = (), *, thorough: bool = True, mark: str = REMOVED) -> str:
    """``text`` with every secret replaced by ``mark``.

    ``secrets`` are known values to blank (8 characters or more). ``thorough=False`` is for text
    whose words matter — a site's data in a recording, a prompt or an error shown to the person
    signing in — where ``code: 0`` and 64-character hashes are content, not tokens: only
    credentials by their unmistakable shape (a JWT, a ``Bearer`` value) go.
    """
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, mark)
    text = JWT.sub(mark, text)
    text = BEARER.sub(lambda m: m.group(1) + mark, text)
    if not thorough:
        return text
    text = FIELD.sub(lambda m: m.group(1) + (mark if set(m.group(2)) != {"*"} else m.group(2)), text)
    return OPAQUE.sub(mark, text)


class RedactingFilter(logging.Filter):
    """Blanks secrets in log records (msal logs a device-code request's body at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments don't format: leave it to the handler
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_FILTER = RedactingFilter()


def redact_logs(prefixes: tuple[str, ...]) -> None:
    """Put the redacting filter on every logger under ``prefixes`` (a logger's filters do not
    reach its children, so each one gets it)."""
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in prefixes:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)


__all__ = ["BEARER", "JWT", "REMOVED", "SECRET_KEY", "RedactingFilter", "redact", "redact_logs"]
