"""The GFM parser as Jekyll 4.3 configures it: kramdown's engine (``parser.py``) with its
block parsers (``blocks.py``), span parsers (``spans.py``) and the header ids of a table of
contents (``ids.py``)."""

from __future__ import annotations

from epilint.kramdown import blocks, ids, spans
from epilint.kramdown.parser import Grammar

GRAMMAR = Grammar(
    candidates=blocks.candidates,
    span_parsers=spans.SPAN_PARSERS,
    span_html=spans.SPAN_HTML,
    update_elements=ids.update_elements,
    update_raw_text=ids.update_raw_text,
)
