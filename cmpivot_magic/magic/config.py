"""Settings from outside the notebook: ``[tool.cmpivot_magic]`` in a pyproject.toml found upward
from the working directory, and ``CMPIVOT_MAGIC_*`` environment variables.

Precedence, lowest first: built-in defaults, pyproject.toml, environment, ``%config`` in the
notebook. An unknown key is an error that names the closest known one.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import CMPivotError

ENV_PREFIX = "CMPIVOT_MAGIC_"
NOT_SETTINGS = frozenset({"CMPIVOT_MAGIC_FAVORITES", "CMPIVOT_MAGIC_TOKEN_CACHE"})
"""The package's other variables (where local favorites and the sign-in cache live): read where
they are used, not settings of the magic, so not refused as unknown ones."""


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml at or above ``start`` (the working directory by default)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _check_key(key: str, known: Mapping[str, type], where: str) -> str:
    if key in known:
        return key
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"settings are: {', '.join(sorted(known))}"
    raise CMPivotError(f"unknown setting '{key}' in {where}", hint=hint)


def _coerce(key: str, raw: Any, kind: type, where: str) -> Any:
    if raw is None or (isinstance(raw, kind) and not (kind is int and isinstance(raw, bool))):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if kind is bool:
                if text.lower() in ("1", "true", "yes", "on"):
                    return True
                if text.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(text)
            if kind is int:
                return int(text)
            if kind is float:
                return float(text)
            return text
        except ValueError:
            pass
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    raise CMPivotError(f"setting '{key}' in {where} must be a {kind.__name__}, not {raw!r}")


def load_settings(known: Mapping[str, type], *, start: Path | None = None,
                  environ: Mapping[str, str] | None = None) -> dict[str, tuple[Any, str]]:
    """Settings from pyproject.toml then the environment: key → (value, where it came from)."""
    out: dict[str, tuple[Any, str]] = {}
    path = find_pyproject(start)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise CMPivotError(f"cannot read {path}: {err}") from None
        section = data.get("tool", {}).get("cmpivot_magic", {})
        where = f"{path} [tool.cmpivot_magic]"
        for key, raw in section.items():
            name = _check_key(key, known, where)
            out[name] = (_coerce(name, raw, known[name], where), where)
    env = os.environ if environ is None else environ
    for var, raw in env.items():
        if not var.startswith(ENV_PREFIX) or var in NOT_SETTINGS:
            continue
        key = var[len(ENV_PREFIX):].lower()
        name = _check_key(key, known, f"environment variable {var}")
        out[name] = (_coerce(name, raw, known[name], var), var)
    return out
