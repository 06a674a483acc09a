"""Where uploaded bytes live: one interface (MediaStorage), a local directory behind it today, so an object
store can take its place later without a caller changing.

Keys are random (secrets.token_urlsafe), never derived from a file's name, and a key that is not one the
storage could have made (a path, `..`, a slash) is refused before any file is touched.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Protocol

from ..domain.errors import DomainError, ErrorCode

KEY_BYTES = 24  # 192 random bits: 32 URL-safe characters
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def valid_key(key: str) -> bool:
    return bool(KEY_PATTERN.fullmatch(key))


class MediaStorage(Protocol):
    """Bytes by key. put() chooses the key; get() of an unknown or malformed key is NOT_FOUND."""

    def put(self, data: bytes, content_type: str) -> str: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class LocalDirectoryStorage:
    """Each object a file named by its key, in two-character fan-out directories under one root."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not valid_key(key):
            raise DomainError(ErrorCode.NOT_FOUND)
        path = (self.root / key[:2] / key).resolve()
        if not path.is_relative_to(self.root.resolve()):  # cannot happen with the pattern above; kept as a guard
            raise DomainError(ErrorCode.NOT_FOUND)
        return path

    def put(self, data: bytes, content_type: str) -> str:
        del content_type  # a directory needs no type; the database row records it
        key = new_key()
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{key}.part")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # readers never see half a file
        return key

    def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise DomainError(ErrorCode.NOT_FOUND) from None

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
