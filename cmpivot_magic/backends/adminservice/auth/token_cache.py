"""Where an Entra ID sign-in is kept between kernels: msal's token cache, persisted by msal-extensions.

``open_token_cache(cache)`` gives msal a cache and says how it is protected:

- ``cache=True`` (default): the user's cache folder (``$CMPIVOT_MAGIC_TOKEN_CACHE``, else
  ``%LOCALAPPDATA%``, ``~/Library/Caches`` or ``$XDG_CACHE_HOME``, under ``cmpivot-magic/``),
  encrypted where the OS offers it — DPAPI on Windows, the Keychain on macOS, libsecret on a Linux
  desktop — and otherwise a plain file only its owner may read (0600, in a 0700 folder);
- ``cache="path"``: the same, at that path;
- ``cache=False``: in memory only; every new kernel signs in again.

The cache holds refresh tokens, so it is as sensitive as a password for the scope it grants:
the file fallback is logged (once per path) so nobody mistakes it for encrypted storage.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...._optional import import_optional
from ....errors import CMPivotError

ENV = "CMPIVOT_MAGIC_TOKEN_CACHE"
FILE_NAME = "msal_token_cache.bin"
log = logging.getLogger(__name__)
_warned: set[str] = set()


@dataclass(frozen=True)
class CacheInfo:
    """Where the sign-in is kept (None: memory only) and how it is protected."""

    location: str | None
    protection: str

    @property
    def persistent(self) -> bool:
        return self.location is not None

    def __str__(self) -> str:
        return self.protection if self.location is None else f"{self.protection} at {self.location}"


def default_cache_path() -> Path:
    """``$CMPIVOT_MAGIC_TOKEN_CACHE``, else ``<user cache folder>/cmpivot-magic/msal_token_cache.bin``."""
    override = os.environ.get(ENV, "").strip()
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "cmpivot-magic" / FILE_NAME


def cache_option(value: Any) -> bool | Path:
    """``cache=`` as given to ``connect()``, the CLI or the magic: a bool, a path, or text for either."""
    if isinstance(value, bool):
        return value
    if value is None:
        return True
    text = str(value).strip()
    if text.lower() in ("", "1", "true", "yes", "on", "default"):
        return True
    if text.lower() in ("0", "false", "no", "off", "none", "memory"):
        return False
    return Path(text).expanduser()


def open_token_cache(cache: Any = True) -> tuple[Any, CacheInfo]:
    """``(msal token cache, CacheInfo)`` for the ``cache=`` option (see the module docstring)."""
    msal = import_optional("msal", "entra", "Entra ID sign-in (auth='msal')")
    choice = cache_option(cache)
    if choice is False:
        return msal.TokenCache(), CacheInfo(None, "memory only")
    path = default_cache_path() if choice is True else Path(choice)
    extensions = _msal_extensions()
    _private_folder(path.parent)
    persistence, protection = _encrypted(extensions, path)
    if persistence is None:
        persistence, protection = PrivateFilePersistence(str(path)), "a file only you can read (0600)"
        if str(path) not in _warned:
            _warned.add(str(path))
            log.info("no encrypted store for the Entra ID token cache on this system; using %s", path)
    return extensions.PersistedTokenCache(persistence), CacheInfo(str(path), protection)


def _msal_extensions() -> Any:
    return import_optional("msal_extensions", "entra", "a persistent Entra ID token cache (cache=False opts out)")


def _encrypted(extensions: Any, path: Path) -> tuple[Any, str]:
    """The OS's encrypted store, if it works here (tried once: a headless Linux has no keyring)."""
    names = {"win32": "encrypted with Windows DPAPI", "darwin": "encrypted in the macOS Keychain"}
    protection = names.get(sys.platform, "encrypted with libsecret")
    try:
        persistence = extensions.build_encrypted_persistence(str(path))
        with contextlib.suppress(extensions.persistence.PersistenceNotFound):
            persistence.load()
    except Exception as err:  # ImportError (no PyGObject), a locked keyring, no D-Bus session, ...
        log.debug("encrypted token cache unavailable: %s", type(err).__name__)
        return None, ""
    return persistence, protection


def _private_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as err:
        raise CMPivotError(f"cannot create the token cache folder {folder}: {err.strerror}",
                           hint="pass cache='<a writable path>' or cache=False") from None


def _file_persistence_base() -> type:
    return _msal_extensions().FilePersistence


class PrivateFilePersistence:
    """msal-extensions' plain file, kept at 0600 even when the file existed with looser rights."""

    is_encrypted = False

    def __init__(self, location: str) -> None:
        self._inner = _file_persistence_base()(location)
        self._location = location

    def save(self, content: str) -> None:
        fd = os.open(self._location, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if hasattr(os, "fchmod"):  # Windows has no POSIX modes: the user profile's ACL applies there
            with contextlib.suppress(OSError):
                os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)

    def load(self) -> str:
        return str(self._inner.load())

    def time_last_modified(self) -> float:
        return float(self._inner.time_last_modified())

    def get_location(self) -> str:
        return self._location

    def __repr__(self) -> str:
        return f"PrivateFilePersistence({self._location!r})"


__all__ = ["ENV", "CacheInfo", "PrivateFilePersistence", "cache_option", "default_cache_path", "open_token_cache"]
