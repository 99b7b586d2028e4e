"""Data strings made safe for Markdown faces (Streamlit ``st.markdown`` / ``st.title``).

A region or peer name, a recommendation text or an evidence value comes from data. Rendered
as Markdown, ``![x](http://127.0.0.1:9/a.png)`` makes the browser fetch that address, ``<img>``
or ``&#...;`` would be HTML, ``:red[...]`` a Streamlit directive and ``$...$`` LaTeX. Escaped,
each shows as the literal text it is.
"""

from __future__ import annotations

import re

# ASCII punctuation that starts Markdown/HTML/Streamlit syntax inside a line (CommonMark lets
# a backslash escape any ASCII punctuation, so the escaped text renders as itself)
INLINE = re.compile(r"([\\`*_\[\]{}<>()#|~$:&!])")
# punctuation that only means something at the start of a line: lists, headings, quotes,
# rules and setext underlines
LINE_START = re.compile(r"(?m)^(\s*)([-+=>]|\d+[.)](?=\s|$))")


def escape_markdown(value: object) -> str:
    """``value`` as text that Markdown renders literally (no links, images, HTML, emphasis,
    headings, lists, LaTeX or Streamlit directives)."""
    text = "" if value is None else str(value)
    text = INLINE.sub(r"\\\1", text)
    return LINE_START.sub(_escape_marker, text)


def _escape_marker(m: re.Match[str]) -> str:
    """``1.`` -> ``1\\.``, ``-`` -> ``\\-`` (only punctuation may be backslash-escaped)."""
    marker = m.group(2)
    return m.group(1) + marker[:-1] + "\\" + marker[-1]
