"""Where a page may send the browser after login or registration: a path on this site, nothing else.

`?next=` comes from the address bar, so anyone can write it. Browsers forgive a great deal in a URL: they
drop tabs and line breaks anywhere (`/\t/evil.example` becomes `//evil.example`, another host), read a
backslash as a slash, and take `//host` as "the same scheme, another host". So the rule is strict: a
value is kept only if it is printable ASCII (no space, no control character, nothing an intermediary might
normalise), starts with exactly one `/`, holds no backslash, has no scheme and no host, and stays so when
percent-decoded (up to three times, for values encoded twice or thrice). Anything else becomes `/`.

auth.js (`Paimai.localPath`) applies the same rule in the page; tests run one table of values through both.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

MAX_NEXT_LENGTH = 2000
_PRINTABLE_PATH = re.compile(r"/[!-~]*")  # '/' then printable ASCII: no space, no control, nothing else
_DECODE_ROUNDS = 3
_BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a '%' without two hex digits after it


def _host_free(value: str) -> bool:
    """No backslash, not `//`, and urllib finds neither a scheme nor a host."""
    if "\\" in value or value.startswith("//") or not value.startswith("/"):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def _no_control(value: str) -> bool:
    """No control or format character (C0, DEL, C1, zero-width, direction marks) once decoded."""
    return not any(unicodedata.category(char).startswith("C") for char in value)


def is_local_path(value: str) -> bool:
    if len(value) > MAX_NEXT_LENGTH or not _PRINTABLE_PATH.fullmatch(value) or not _host_free(value):
        return False
    current = value
    for round_ in range(_DECODE_ROUNDS):
        try:
            if _BROKEN_ESCAPE.search(current):  # decodeURIComponent throws on it, so auth.js does the same
                raise ValueError(current)
            decoded = unquote(current, errors="strict")
        except ValueError:  # UnicodeDecodeError too: a %-sequence that is no UTF-8
            return round_ > 0  # broken as written: refused; broken only once decoded: a literal '%', kept
        if decoded == current:
            return True
        if not (_no_control(decoded) and _host_free(decoded)):
            return False
        current = decoded
    return True


def safe_next(value: str | None, default: str = "/") -> str:
    """The value if it is a local path (the rule above), else `default`."""
    if value and is_local_path(value):
        return value
    return default
