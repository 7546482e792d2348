"""The en and zh_CN catalogs must hold every message in bot/, each translated, with matching placeholders."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.config import SUPPORTED_LOCALES
from bot.i18n import LOCALES_DIR, get_translator

BOT_DIR = Path(__file__).resolve().parent.parent / "bot"


def _source_messages() -> set[str | tuple[str, str]]:
    messages = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(BOT_DIR), method_map=[("**.py", "python")]
    ):
        messages.add(message if isinstance(message, str) else tuple(message[:2]))
    return messages


def _catalog(locale: str):
    with open(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", "rb") as po_file:
        return read_po(po_file, locale=locale)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_has_every_source_message(locale):
    catalog = _catalog(locale)
    known = {message.id if isinstance(message.id, str) else tuple(message.id) for message in catalog if message.id}
    missing = sorted(map(str, _source_messages() - known))
    assert not missing, f"run scripts/update-catalogs and translate; missing from {locale}: {missing}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_fully_translated(locale):
    untranslated = []
    for message in _catalog(locale):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            untranslated.append(str(message.id))
    assert not untranslated, f"untranslated or fuzzy in {locale}: {untranslated}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_placeholders_match(locale):
    problems = [
        f"{message.id!r}: {error}"
        for message, errors in _catalog(locale).check()
        for error in errors
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_has_no_obsolete_messages(locale):
    catalog = _catalog(locale)
    assert not catalog.obsolete, f"remove obsolete entries from {locale}: {sorted(map(str, catalog.obsolete))}"


def test_translator_formats_money_per_locale():
    from decimal import Decimal

    assert get_translator("en").money(Decimal("12345.6"), "CNY") == "CN¥12,345.60"
    assert get_translator("zh_CN").money(Decimal("12345.6"), "CNY") == "¥12,345.60"


def _gettext_calls_in_fstrings(path: Path) -> list[str]:
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if not isinstance(inner, ast.Call) or not inner.args:
                continue
            name = getattr(inner.func, "attr", None) or getattr(inner.func, "id", None)
            if name in ("gettext", "ngettext", "_") and isinstance(inner.args[0], ast.Constant):
                found.append(f"{path.relative_to(BOT_DIR.parent)}:{inner.lineno}: {inner.args[0].value!r}")
    return found


def test_no_literal_messages_inside_fstrings():
    # pybabel does not look inside f-strings, so a literal message there never reaches the catalogs.
    found = [hit for path in sorted(BOT_DIR.rglob("*.py")) for hit in _gettext_calls_in_fstrings(path)]
    assert not found, "mark these with N_() outside the f-string:\n" + "\n".join(found)
