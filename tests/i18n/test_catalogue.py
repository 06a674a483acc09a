"""The catalogue is complete: every key the code, the templates and the scripts use has words in Chinese
and English with the same placeholders, and the committed template (.pot) is what extraction finds now.

A new `t('x')` in a template, a new ErrorCode or NoticeKind member, or a translation that drops a
`{name}` fails here, with the key named.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

from paimai.adapters.i18n import compiled, families, params
from paimai.adapters.i18n.compiled import LANGS, LOCALE_DIR, placeholders
from paimai.adapters.i18n.extract import KEYWORDS
from paimai.adapters.web import i18n as page_words
from paimai.domain.errors import ErrorCode
from paimai.domain.notices import NoticeKind
from paimai.domain.rules import Category, LotProblem

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "paimai"
TEMPLATES = SRC / "adapters" / "web" / "templates"
SCRIPTS = SRC / "adapters" / "web" / "static"


def _po(lang: str) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fileobj:
        return read_po(fileobj, locale=lang)


def _template() -> Catalog:
    with (LOCALE_DIR / "messages.pot").open("rb") as fileobj:
        return read_po(fileobj)


def _entries(catalog: Catalog) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in catalog if m.id}


@pytest.fixture(scope="module")
def words() -> dict[str, dict[str, str]]:
    return {lang: _entries(_po(lang)) for lang in LANGS}


@pytest.fixture(scope="module")
def template_keys() -> set[str]:
    return set(_entries(_template()))


def test_every_key_has_words_in_every_language(words: dict[str, dict[str, str]], template_keys: set[str]) -> None:
    for lang in LANGS:
        catalog = _po(lang)
        assert not catalog.fuzzy, f"{lang}: the catalogue's header is marked fuzzy (it would not compile)"
        assert not [m.id for m in catalog if m.id and m.fuzzy], f"{lang}: fuzzy entries need a translator's look"
        assert set(words[lang]) == template_keys, f"{lang}.po is not updated from the template: run `make messages`"
        missing = sorted(key for key, text in words[lang].items() if not text.strip())
        assert not missing, f"keys without {lang} words: {missing}"


def test_each_translation_uses_exactly_the_keys_placeholders(words: dict[str, dict[str, str]]) -> None:
    """English is the source text: Chinese names the same {parameters}, and every one is classified."""
    for key, english in words["en"].items():
        assert placeholders(words["zh"][key]) == placeholders(english), key
        unknown = placeholders(english) - params.KNOWN
        assert not unknown, f"{key}: say in adapters/i18n/params.py whether {sorted(unknown)} is money, a time or plain"


def test_every_domain_code_has_words(template_keys: set[str]) -> None:
    expected = (
        {f"error.{code.name}" for code in ErrorCode}
        | {f"error.{code.name}.detail" for code in families.DETAILED_ERRORS}
        | {f"notice.{kind.value}" for kind in NoticeKind}
        | {f"category.{category.value}" for category in Category}
        | {f"problem.{problem.value}" for problem in LotProblem}
    )
    assert not sorted(expected - template_keys)


def test_plain_error_wordings_name_no_parameter(words: dict[str, dict[str, str]]) -> None:
    """`error.<CODE>` must read well whatever a raise site passes; wording that names one is `.detail`."""
    for code in ErrorCode:
        assert not placeholders(words["en"][f"error.{code.name}"]), code.name
        assert (f"error.{code.name}.detail" in words["en"]) == (code in families.DETAILED_ERRORS), code.name


def test_the_committed_template_is_what_extraction_finds_now(template_keys: set[str]) -> None:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    found = {str(m[2]) for m in extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS) if m[2]}
    assert not sorted(found - template_keys), "keys in use but not in messages.pot: run `make messages`"
    assert not sorted(template_keys - found), "keys in messages.pot no code uses: run `make messages`"
    make = (ROOT / "Makefile").read_text()
    assert "I18N_KEYWORDS := " + " ".join(f"-k {k}" for k in KEYWORDS) in make  # one list of call names


def _template_calls() -> Iterator[tuple[str, nodes.Call]]:
    env = Environment(trim_blocks=True, lstrip_blocks=True)
    for path in sorted(TEMPLATES.glob("*.html")):
        for call in env.parse(path.read_text()).find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "t" and call.args:
                yield path.name, call


def test_templates_pass_the_parameters_their_words_name(words: dict[str, dict[str, str]]) -> None:
    checked = 0
    for name, call in _template_calls():
        first = call.args[0]
        if isinstance(first, nodes.Const):
            given = {kw.key for kw in call.kwargs}
            assert placeholders(words["en"][first.value]) == given, f"{name}: t({first.value!r}) passes {given}"
            checked += 1
        else:  # t('status_' ~ lot.status): the prefix must be a declared family
            assert isinstance(first, nodes.Concat) and isinstance(first.nodes[0], nodes.Const), name
            assert first.nodes[0].value in families.PREFIXES, f"{name}: declare {first.nodes[0].value!r} in families.py"
    assert checked > 100


def test_scripts_get_every_word_they_use() -> None:
    sent = set(page_words.JS_KEYS) | set(page_words.order_script_words())
    by_family = {family.prefix: family for family in families.FAMILIES}
    for path in sorted(SCRIPTS.glob("*.js")):
        source = path.read_text()
        for key in re.findall(r"\bt\('([A-Za-z0-9_.]+)'\s*\)", source):
            assert key in sent, f"{path.name}: t({key!r}) is not in JS_KEYS"
        for prefix in re.findall(r"\bt\('([A-Za-z0-9_.]+)'\s*\+", source):
            assert prefix in by_family, f"{path.name}: declare {prefix!r} in families.py"
            assert set(by_family[prefix].each_key()) <= sent, f"{path.name}: {prefix}* is not all in JS_KEYS"


def _calls(path: Path, function: str) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == function:
            yield node


def test_notices_are_sent_with_the_parameters_their_words_name(words: dict[str, dict[str, str]]) -> None:
    """The service's notify() calls pass what the notice's words name (lot_title comes from the lot)."""
    sent = set()
    calls = [call for path in sorted((SRC / "services").glob("*.py")) for call in _calls(path, "notify")]
    for call in calls:
        named_kind = next(
            (a.attr for a in call.args if isinstance(a, ast.Attribute) and a.attr in NoticeKind.__members__), None
        )
        if named_kind is None:
            continue  # a notice decided by the domain, sent with the lot alone
        given = {kw.arg for kw in call.keywords} | {"lot_title"}
        named = placeholders(words["en"][f"notice.{NoticeKind[named_kind].value}"])
        assert named <= given, f"notify({named_kind}) lacks {sorted(named - given)}"
        sent.add(named_kind)
    assert {"PAYMENT_DUE_SOON", "SECOND_CHANCE_OFFER"} <= sent
    for kind in NoticeKind:  # the domain's notices (Notice(user, kind)) carry no parameters of their own
        if kind.name not in sent:
            assert placeholders(words["en"][f"notice.{kind.value}"]) <= {"lot_title"}, kind.name


def test_a_missing_compiled_catalogue_stops_start_up(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(compiled, "LOCALE_DIR", tmp_path)
    with pytest.raises(compiled.CatalogueMissing, match=r"messages\.mo.*make install"):
        compiled._read("zh")
