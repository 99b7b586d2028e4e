"""The typst templates hold no visible text of their own: every word of the PDF arrives in
``data.json`` from the report model, which reads it from the locale files or the catalogue.

The rule, precisely: a template is scanned as typst source with its two modes. In *markup*
(the file's top level and every ``[...]`` content block) any letter outside an embedded
expression (``#name``, ``#name.field(...)``, ``#let`` / ``#set`` / ``#show`` / ``#if`` /
``#for`` ... statements) is literal text. In *code* (``#...`` expressions, ``(...)``,
``{...}``) a string literal holding a letter is literal text unless it is a layout or resource
value named in ``LAYOUT_STRINGS`` (font family, paper size, file names, dictionary keys,
heading numbering patterns) or a hex colour. Comments are ignored; punctuation without
letters (``" · "``) is allowed. Example violations it catches (see the test below)::

    = Ringkasan eksekutif
    #note[Catatan: data sintetis]
    #text(size: 9pt, "Halaman")
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "smartindex" / "report" / "templates"
TEMPLATES = sorted(TEMPLATE_DIR.glob("*.typ"))
LAYOUT_STRINGS = {
    "DejaVu Sans",
    "a4",
    "bold",
    "data.json",
    "parts.typ",
    "b",
    "band",
    "1.",
    "1.1",
    "A.1",
    "source",
    "marks",
}
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}")
KEYWORDS = ("let", "set", "show", "import", "include", "if", "for", "while", "return", "context")
CLOSERS = {"(": ")", "{": "}", "[": "]"}
IDENT = re.compile(r"[A-Za-z_][\w-]*")


class _Scanner:
    """A small typst lexer: a stack of (mode, closing bracket) frames."""

    def __init__(self, source: str) -> None:
        self.src, self.i, self.line = source, 0, 1
        self.stack: list[tuple[str, str | None]] = [("markup", None)]
        self.found: list[tuple[int, str]] = []

    def run(self) -> list[tuple[int, str]]:
        while self.i < len(self.src):
            mode = self.stack[-1][0]
            if self.src.startswith("//", self.i):
                self._skip_to_eol()
            elif self.src.startswith("/*", self.i):
                self._skip_block_comment()
            elif mode == "markup":
                self._markup()
            else:
                self._code(mode)
        return self.found

    def _advance(self, n: int = 1) -> None:
        self.line += self.src.count("\n", self.i, self.i + n)
        self.i += n

    def _skip_to_eol(self) -> None:
        end = self.src.find("\n", self.i)
        self._advance((len(self.src) if end < 0 else end) - self.i)

    def _skip_block_comment(self) -> None:
        end = self.src.find("*/", self.i)
        self._advance((len(self.src) if end < 0 else end + 2) - self.i)

    def _markup(self) -> None:
        ch, closer = self.src[self.i], self.stack[-1][1]
        if ch == "\\":
            self._advance(2)
        elif ch == closer:
            self.stack.pop()
            self._advance()
        elif ch == "#":
            self._advance()
            word = IDENT.match(self.src, self.i)
            self.stack.append(("statement" if word and word.group() in KEYWORDS else "expr", None))
        elif ch.isalpha():
            word = re.match(r"[^\s#\[\]\\]+", self.src[self.i :])
            text = word.group() if word else ch
            self.found.append((self.line, text))
            self._advance(len(text))
        else:
            self._advance()

    def _code(self, mode: str) -> None:
        ch = self.src[self.i]
        if ch == '"':
            self._string()
        elif ch in CLOSERS:
            self.stack.append(("markup" if ch == "[" else "code", CLOSERS[ch]))
            self._advance()
        elif ch == self.stack[-1][1]:
            self.stack.pop()
            self._advance()
        elif mode == "statement" and ch == "\n":
            self.stack.pop()
        elif mode == "expr" and not (ch.isalnum() or ch in "_-."):
            self.stack.pop()  # the embedded expression ends; the char belongs to the markup
        else:
            self._advance()

    def _string(self) -> None:
        match = re.match(r'"((?:[^"\\]|\\.)*)"', self.src[self.i :], re.DOTALL)
        text = match.group(1) if match else self.src[self.i + 1 :]
        if (
            any(c.isalpha() for c in text)
            and text not in LAYOUT_STRINGS
            and not HEX_COLOUR.fullmatch(text)
        ):
            self.found.append((self.line, text))
        self._advance(len(match.group(0)) if match else len(self.src) - self.i)


def template_literals(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of every piece of visible literal text in a typst template."""
    return _Scanner(source).run()


def test_checker_catches_the_documented_violations():
    bad = (
        "= Ringkasan eksekutif\n"
        "#note[Catatan: data sintetis]\n"
        '#text(size: 9pt, "Halaman")\n'
        "#for d in data.dimensions [\n  = #d.title\n  Lihat juga #d.note\n]\n"
    )
    assert template_literals(bad) == [
        (1, "Ringkasan"),
        (1, "eksekutif"),
        (2, "Catatan:"),
        (2, "data"),
        (2, "sintetis"),
        (3, "Halaman"),
        (6, "Lihat"),
        (6, "juga"),
    ]


def test_checker_allows_code_labels_and_layout_values():
    fine = (
        '// a comment with words\n#import "parts.typ": *\n#let data = json("data.json")\n'
        '#set text(font: "DejaVu Sans", size: 9pt, fill: rgb("#1f2933"))\n'
        "= #L.summary\n#par(S.lead)\n#grid(columns: (1fr, auto), M.footer,\n"
        '  L.page + " · " + counter(page).display())\n'
        "#if D.table != none [\n  == #L.access\n  #note(D.note)\n]\n"
        '#show heading: it => {\n  set text(weight: "bold")\n  block(it)\n}\n'
        '#let cell(c) = if "band" in c { pill(c.t, c.band) } else { c }\n'
    )
    assert template_literals(fine) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_hold_no_literal_text(path):
    assert template_literals(path.read_text("utf-8")) == []
