"""``File('path')`` and ``FileContent('path')`` on this machine, on every platform.

CMPivot's client runs ``Get-Item -Force`` and ``Get-Content`` (reference §2.2); this module keeps
their contract:

* environment variables are expanded in both the Windows ``%VAR%`` and the POSIX ``$VAR`` /
  ``${VAR}`` forms (an undefined one stays as written), and a leading ``~`` is the home directory;
* wildcards work in the file name and in directory segments, hidden files included, **not
  recursively** (``**`` means ``*``);
* a path that matches nothing gives no rows (queries rely on that to find missing files);
* ``File`` gives one row per match, files and directories alike: ``Mode`` is the POSIX mode
  string (``-rw-r--r--``; Windows shows its attribute string), ``Size`` null for directories,
  ``Version`` null (a file's ProductVersion is a Windows resource), hashes upper-case hex like
  ``Get-FileHash``, computed only for regular files and only when the query reads them;
* ``FileContent`` gives one row per line, ``Line`` from 1, of one file (wildcards are not
  expanded: it reads exactly one path), decoded as UTF-8 (a BOM is dropped, bad bytes replaced).

A path the user may not read fails the device (``EntityUnavailable``) rather than pretending the
file is missing: when a literal path (no wildcard) is unreadable, or when ``FileContent`` cannot
open its file. Files that a wildcard matched but that cannot be hashed get null hashes.
"""

from __future__ import annotations

import getpass
import glob
import hashlib
import os
import re
import stat

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.backends.local.common import Request, Row, from_timestamp

_PERCENT_VAR = re.compile(r"%([A-Za-z_][A-Za-z0-9_()]*)%")
_WILDCARD = re.compile(r"[*?\[]")
_CHUNK = 1 << 20
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def expand_path(path: str) -> str:
    """``%VAR%``, ``$VAR``, ``${VAR}`` and a leading ``~`` expanded; unknown variables left as written."""
    expanded = _PERCENT_VAR.sub(lambda m: os.environ.get(m.group(1), m.group(0)), path)
    return os.path.expanduser(os.path.expandvars(expanded))


def file_info(req: Request) -> list[Row]:
    pattern = expand_path(req.text_arg(0))
    literal = not _WILDCARD.search(pattern)
    if literal:
        paths = [pattern] if _exists(pattern, req) else []
    else:
        paths = sorted(glob.glob(pattern, recursive=False, include_hidden=True))
    hashes = req.wants("SHA256Hash", "MD5Hash")
    rows = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue
        regular = stat.S_ISREG(info.st_mode)
        row: Row = {
            "FileName": os.path.abspath(path),
            "Mode": stat.filemode(info.st_mode),
            "LastWriteTime": from_timestamp(info.st_mtime),
            "Size": info.st_size if regular else None,
        }
        if hashes and regular:
            try:
                row["SHA256Hash"], row["MD5Hash"] = _hashes(path)
            except OSError as error:
                if literal:
                    raise _unreadable(req, path, error) from error
        rows.append(row)
    return rows


def _exists(path: str, req: Request) -> bool:
    """True if the path exists; a path hidden by permissions fails rather than reading as missing."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        return False
    except OSError as error:
        raise _unreadable(req, path, error) from error
    return True


def _hashes(path: str) -> tuple[str, str]:
    sha256 = hashlib.sha256()
    md5 = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            sha256.update(chunk)
            md5.update(chunk)
    return sha256.hexdigest().upper(), md5.hexdigest().upper()


def file_content(req: Request) -> list[Row]:
    path = expand_path(req.text_arg(0))
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return []
    except IsADirectoryError as error:
        raise EntityUnavailable(f"{req.entity.name}('{path}'): is a directory, not a file") from error
    except OSError as error:
        raise _unreadable(req, path, error) from error
    return [{"Line": number, "Content": line} for number, line in enumerate(_lines(data), start=1)]


def _lines(data: bytes) -> list[str]:
    """Lines as Get-Content splits them: at CR LF, LF or CR; a final line break ends no extra line."""
    text = data.decode("utf-8-sig", errors="replace")
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _unreadable(req: Request, path: str, error: OSError) -> EntityUnavailable:
    reason = error.strerror or type(error).__name__
    return EntityUnavailable(
        f"{req.entity.name}('{path}'): cannot read the file ({reason}); "
        f"the kernel runs as {_whoami()}, which may not read it"
    )


def _whoami() -> str:
    try:
        return repr(getpass.getuser())
    except (KeyError, OSError):
        return "this user"
