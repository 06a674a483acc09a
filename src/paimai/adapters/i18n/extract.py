"""Babel extraction methods of our own (named in babel.cfg's [extractors] section).

`families`: the keys composed at run time (families.py). `scripts`: Babel's JavaScript extractor, less
the bare family prefixes it reports for `P.t('status_' + status)`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any, cast

from babel.messages.extract import extract_javascript

# The call names that mark a key: t('key') in templates, scripts and Python; both('key') for the API's
# two messages; N_('key') for a key named ahead of use. The Makefile's `messages` target passes the same.
KEYWORDS: dict[str, Any] = {"t": None, "both": None, "N_": None}

# (line number, function name, message or messages, comments): what Babel's extract() takes from a method
Extracted = Iterator[tuple[Any, ...]]


def extract_families(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Extracted:
    from .families import FAMILIES  # imported when extraction runs, not when babel.cfg is read

    for family in FAMILIES:
        for key in family.each_key():
            yield 0, None, key, []


def extract_scripts(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Extracted:
    from .families import PREFIXES

    for found in extract_javascript(fileobj, keywords, comment_tags, cast(Any, options)):
        if isinstance(found[2], str) and found[2] in PREFIXES:
            continue  # the first half of 'status_' + status: its members come from families.py
        yield found
