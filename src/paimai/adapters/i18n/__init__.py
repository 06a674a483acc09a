"""The product's words: one gettext catalogue (Babel), rendered here for every adapter.

Keys are symbolic msgids (`current_price`, `error.BID_TOO_LOW`, `notice.order_won`, `category.art`,
`problem.fee_above_deposit`); the words are in src/paimai/locale/<lang>/LC_MESSAGES/messages.po, Chinese
(the pages' default) and English. The domain emits codes and parameters only; this module words them:
the API's `message`/`message_zh`, the pages' `t()`, the scripts' JSON catalogue and the CLI.
Parameters are shown by name (params.py): fen as ¥1,234.56, times in Beijing time. Workflow: docs/i18n.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ...domain.errors import DomainError
from .compiled import DEFAULT_LANG, LANGS, Catalogue, CatalogueMissing, catalogue, placeholders
from .families import CATEGORIES, DETAILED_ERRORS, ERROR_DETAILS, ERRORS, NOTICES, PROBLEMS
from .params import Shown

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "N_",
    "Catalogue",
    "CatalogueMissing",
    "both",
    "catalogue",
    "category_name",
    "error_key",
    "error_messages",
    "load",
    "notice_messages",
    "script_words",
    "t",
]


def N_(key: str) -> str:
    return key


def load() -> Catalogue:
    """Read the compiled catalogues now (at start-up), failing loudly if they were never compiled."""
    return catalogue()


def t(key: str, lang: str, **params: Any) -> str:
    """The text of `key` in `lang` with its parameters shown; an unknown key shows itself."""
    text = catalogue().text(key, lang)
    if "{" not in text:
        return text
    return text.format_map(Shown(params, lambda items: _word_list(items, lang)))


def both(key: str, **params: Any) -> tuple[str, str]:
    """(English, Chinese): the API's `message` and `message_zh`."""
    return t(key, "en", **params), t(key, "zh", **params)


def _word_list(items: object, lang: str) -> str:
    """LOT_INVALID's problems: each {code, …params} worded, joined the language's way."""
    if not isinstance(items, list):
        return str(items)
    words = []
    for item in items:
        if isinstance(item, Mapping):
            params = {k: v for k, v in item.items() if k != "code"}
            words.append(t(PROBLEMS.key(str(item.get("code"))), lang, **params))
        else:
            words.append(str(item))
    return t("list_sep", lang).join(words)


def error_key(error: DomainError) -> str:
    """`error.<CODE>.detail` when the error carries every parameter that wording names, else `error.<CODE>`."""
    name = error.code.name
    if error.code in DETAILED_ERRORS:
        detail = ERROR_DETAILS.key(name)
        if placeholders(catalogue().text(detail, "en")) <= error.details.keys():
            return detail
    return ERRORS.key(name)


def error_messages(error: DomainError, key: str | None = None) -> tuple[str, str]:
    """(English, Chinese) for a refusal: its own wording, or `key` where an adapter words it itself."""
    return both(key or error_key(error), **error.details)


def notice_messages(kind: str, params: str | Mapping[str, Any] | None) -> tuple[str, str]:
    """(English, Chinese) of a stored notification (`params` as stored: JSON text)."""
    values = json.loads(params or "{}") if isinstance(params, str | None) else dict(params)
    key = NOTICES.key(kind)
    if not catalogue().has(key):
        return kind, kind  # a kind this version no longer knows: its name rather than nothing
    return both(key, **values)


def category_name(category: str, lang: str) -> str:
    key = CATEGORIES.key(category)
    return t(key, lang) if catalogue().has(key) else category


def script_words(keys: Iterable[str]) -> dict[str, dict[str, str]]:
    """Keys in both languages, for a page's JSON block that its scripts read with `Paimai.t(key)`."""
    words = catalogue()
    return {key: {lang: words.text(key, lang) for lang in LANGS} for key in keys}
