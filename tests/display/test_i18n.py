"""i18n: every string in both languages, number formats, months, d3 locales."""

from __future__ import annotations

import ast
import math
import string
from pathlib import Path

import pytest

from smartindex.display import i18n
from smartindex.indicators.catalogue import load_catalogue


def test_both_locales_hold_the_same_keys():
    assert set(i18n.locale_strings("id")) == set(i18n.locale_strings("en"))


def test_every_string_has_both_languages_and_same_placeholders():
    fields = string.Formatter()
    english = i18n.locale_strings("en")
    for key, id_text in i18n.locale_strings("id").items():
        en_text = english[key]
        assert id_text.strip() and en_text.strip(), key
        id_names = {f for _, f, _, _ in fields.parse(id_text) if f}
        en_names = {f for _, f, _, _ in fields.parse(en_text) if f}
        assert id_names == en_names, key


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (1234.5, "id", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (1234567.891, "id", 2, "1.234.567,89"),
        (-0.25, "id", 2, "-0,25"),
        (12, "en", 0, "12"),
        (None, "id", 1, "–"),
        (math.nan, "en", 1, "–"),
        ("not a number", "id", 1, "–"),
    ],
)
def test_format_number(x, lang, decimals, expected):
    assert i18n.format_number(x, lang, decimals) == expected


def test_format_percent_and_signed():
    assert i18n.format_percent(12.5, "id") == "12,5%"
    assert i18n.format_percent(12.5, "en") == "12.5%"
    assert i18n.format_signed(-1.5, "id") == "−1,5"
    assert i18n.format_signed(2, "en", 0) == "+2"


def test_t_fills_placeholders_and_falls_back():
    assert i18n.t("overview.rank", "id", rank=2, n=7) == "Peringkat 2 dari 7"
    assert i18n.t("overview.rank", "en", rank=2, n=7) == "Rank 2 of 7"
    assert i18n.t("page.overview") == "Ringkasan"  # Bahasa Indonesia is the default
    assert i18n.t("page.overview", "xx") == "Ringkasan"
    assert i18n.t("no.such.key", "en") == "no.such.key"


def test_month_names():
    assert i18n.month_name(3, "id") == "Maret"
    assert i18n.month_name(5, "en") == "May"
    assert i18n.month_name(8, "id", short=True) == "Agu"
    with pytest.raises(ValueError, match=r"1\.\.12"):
        i18n.month_name(13, "id")


def test_d3_locales():
    number, time = i18n.d3_locale("id")
    assert number == {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}
    assert time["months"][0] == "Januari" and len(time["shortMonths"]) == 12
    assert time["days"][1] == "Senin" and time["date"] == "%d/%m/%Y"
    assert i18n.d3_locale("en")[1]["date"] == "%m/%d/%Y"
    assert i18n.vega_locale("en")["number"]["decimal"] == "."


def test_status_and_trend_words():
    legend = ["Memuaskan", "Sangat Baik", "Baik", "Cukup", "Kurang"]
    assert i18n.band_light("Memuaskan", legend) == "▲ Memuaskan"
    assert i18n.band_light("Kurang", legend, markdown=True) == ":red[▼ Kurang]"
    assert i18n.band_light("Baik", legend) == "■ Baik"
    assert i18n.band_light(float("nan"), legend, lang="en") == "○ No target"
    assert i18n.trend_text("↑", "improving", True, "id") == "↑ Membaik (signifikan)"
    assert i18n.trend_text("↓", "worsening", False, "en") == "↓ Worsening (not significant)"
    assert i18n.trend_text("–", "insufficient data", False, "id") == "– Data belum cukup"
    assert i18n.rank_text(2.0, 7, "en") == "Rank 2 of 7"
    assert i18n.rank_text(math.nan, 7, "en") == "–"


def test_dimension_names_come_from_the_catalogue_with_its_casing():
    cat = load_catalogue()
    assert i18n.dimension_name(cat, "economy", "id") == "Ekonomi Cerdas"
    assert i18n.dimension_name(cat, "economy", "en") == "Smart Economy"
    assert i18n.dimension_name(cat, "no_such_dimension", "en") == "no_such_dimension"
    names = {d.key: d.name_en for d in cat.dimensions}
    assert {k: i18n.dimension_name(cat, k, "en") for k in names} == names


def test_no_dimension_name_is_duplicated_in_the_locale_files():
    cat = load_catalogue()
    for lang in i18n.LANGS:
        names = {cat.name(d.key, lang) for d in cat.dimensions} | {
            cat.name(f.key, lang) for f in cat.factors
        }
        keys = [k for k, text in i18n.locale_strings(lang).items() if text in names]
        assert not [k for k in keys if k.startswith(("dim.", "dimshort."))], keys


def test_short_dimension_labels_name_the_dimension_in_both_languages():
    cat = load_catalogue()
    assert i18n.dimension_short(cat, "economy", "en") == "Economy"
    assert i18n.dimension_short(cat, "living", "id") == "Kehidupan"
    assert i18n.dimension_short(cat, "INDEX", "id") == "Indeks Kota Cerdas"  # no short: name
    shorts = {i18n.dimension_short(cat, d.key, "en") for d in cat.dimensions}
    assert len(shorts) == 6 and all(" " not in s for s in shorts)


def test_language_names_are_each_language_in_its_own_words():
    assert i18n.LANG_NAMES == {"id": "Bahasa Indonesia", "en": "English"}
    assert i18n.language_name("xx") == "Bahasa Indonesia"


# --- policy: no language branches in code; every key the code asks for exists ----------------

ROOT = Path(__file__).resolve().parents[2]
CODE = sorted(
    [*(ROOT / "smartindex").rglob("*.py"), ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")]
)


def _mentions_lang(node: ast.AST) -> bool:
    return any(
        "lang" in (n.id if isinstance(n, ast.Name) else n.attr).lower()
        for n in ast.walk(node)
        if isinstance(n, ast.Name | ast.Attribute)
    )


def _language_codes(node: ast.AST) -> bool:
    items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else [node]
    return any(isinstance(x, ast.Constant) and x.value in i18n.LANGS for x in items)


def language_branches(source: str) -> list[int]:
    """Lines that compare a language (any name, attribute or call mentioning ``lang``) with a
    language code (``"id"``, ``"en"``, or a tuple holding one).

    Caught: ``lang == "id"``, ``"en" != card.lang``, ``check_lang(lang) == "id"``,
    ``lang in ("id",)``; not caught: ``args.lang == "both"`` (not a language code) or
    ``{"id": a, "en": b}[lang]`` (per-language data, not a branch)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_language_codes(s) for s in sides) and any(
                _mentions_lang(s) for s in sides if not _language_codes(s)
            ):
                lines.append(node.lineno)
    return sorted(lines)


def test_language_branch_checker_on_examples():
    bad = (
        'x = 0 if lang == "id" else 1\ny = check_lang(lang) == "id"\nz = "en" != card.lang\n'
        'w = lang in ("id", "xx")\n'
    )
    assert language_branches(bad) == [1, 2, 3, 4]
    fine = 'a = args.lang == "both"\nb = {"id": 1, "en": 2}[lang]\nc = col == "id"\n'
    assert language_branches(fine) == []


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_language_branches_in_code(path):
    """Every language-specific text is a locale key (or per-language catalogue data)."""
    assert language_branches(path.read_text("utf-8")) == []


def used_keys(source: str) -> list[tuple[int, str, bool]]:
    """``(line, key, is_prefix)`` of every ``t(...)`` call whose key is a literal; an f-string
    key (``t(f"report.{k}")``) gives its literal prefix."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        fn = node.func
        if (fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", "")) != "t":
            continue
        key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            out.append((node.lineno, key.value, False))
        elif isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant):
            out.append((node.lineno, str(key.values[0].value), True))
    return sorted(out)


def test_used_keys_on_examples():
    src = 't("page.overview", lang)\ni18n.t(f"report.{k}")\nt(key)\nx.t("a.b")\n'
    assert used_keys(src) == [(1, "page.overview", False), (2, "report.", True), (4, "a.b", False)]


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_key_used_in_code_exists(path):
    known = i18n.locale_strings("id")
    unknown = [
        (line, key)
        for line, key, prefix in used_keys(path.read_text("utf-8"))
        if not (any(k.startswith(key) for k in known) if prefix else key in known)
    ]
    assert not unknown, unknown
