"""The compiled gettext catalogues (src/paimai/locale/<lang>/LC_MESSAGES/messages.mo), read once.

The .mo files are build output: `make install` (and a wheel build) compiles them from the .po files.
A missing one stops the process at start-up with the command that makes it, rather than pages of keys.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from babel.messages.mofile import read_mo

LANGS: Final = ("zh", "en")
DEFAULT_LANG: Final = "zh"
DOMAIN: Final = "messages"
LOCALE_DIR: Final = Path(__file__).resolve().parents[2] / "locale"


class CatalogueMissing(RuntimeError):
    """A compiled catalogue is not there: the install step that compiles it was skipped."""


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def placeholders(text: str) -> frozenset[str]:
    """The {names} a text formats (python-brace-format)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


@dataclass(frozen=True)
class Catalogue:
    """Every key's text per language: gettext's lookup, where a key without an entry shows itself."""

    texts: dict[str, dict[str, str]]

    def text(self, key: str, lang: str) -> str:
        return self.texts[lang if lang in self.texts else DEFAULT_LANG].get(key, key)

    def has(self, key: str) -> bool:
        return key in self.texts[DEFAULT_LANG]

    def all_keys(self) -> list[str]:
        return list(self.texts[DEFAULT_LANG])


def _read(lang: str) -> dict[str, str]:
    path = mo_path(lang)
    if not path.is_file():
        raise CatalogueMissing(
            f"paimai's compiled string catalogue is missing: {path}. It is built from the .po file beside it: "
            "run `make install`, or `.venv/bin/pybabel compile -d src/paimai/locale -D messages` (docs/i18n.md)."
        )
    with path.open("rb") as fileobj:
        compiled = read_mo(fileobj)  # Babel's reader of a compiled catalogue
    return {str(message.id): str(message.string) for message in compiled if message.id and message.string}


@cache
def catalogue() -> Catalogue:
    """Both languages, read on first use (the app and the CLI call it at start-up)."""
    return Catalogue({lang: _read(lang) for lang in LANGS})
