"""The narrative file's Markdown, parsed into the report tree's prose (``tree.Para``,
``tree.Heading``, ``tree.ListBlock``, runs of ``tree.Span``).

markdown-it-py reads CommonMark without raw HTML, links or images, so nothing in the
file can load or run: such markup arrives as its literal text. Only what a plan needs is
kept: paragraphs, bullet and numbered lists, ``###`` sub-headings, bold and italic; code,
quotes and rules become plain paragraphs or are dropped.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from htxlib.report.present import marks
from htxlib.report.tree import Heading, ListBlock, Para, Prose, Span


@cache
def markdown() -> MarkdownIt:
    """CommonMark without raw HTML, links or images: nothing in the file can load or run."""
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["link", "image", "autolink", "html_inline", "html_block", "reference"])
    return md


def parse(text: str) -> Prose:
    """The blocks of a Markdown body."""
    tokens = markdown().parse(text)
    blocks, _ = _blocks(tokens, 0, None)
    return blocks


def _spans(inline: Token | None) -> list[Span]:
    spans: list[Span] = []
    bold = italic = False
    for t in (inline.children or []) if inline is not None else []:
        if t.type == "strong_open":
            bold = True
        elif t.type == "strong_close":
            bold = False
        elif t.type == "em_open":
            italic = True
        elif t.type == "em_close":
            italic = False
        elif t.type in ("text", "code_inline") and t.content:
            spans.append(Span(t.content, bold, italic))
        elif t.type == "softbreak":
            spans.append(Span(" ", bold, italic))
        elif t.type == "hardbreak":
            spans.append(Span("\n", bold, italic))
    merged: list[Span] = []  # neighbouring runs of one style become one
    for s in spans:
        if merged and (merged[-1].bold, merged[-1].italic) == (s.bold, s.italic):
            merged[-1] = Span(merged[-1].text + s.text, s.bold, s.italic)
        else:
            merged.append(s)
    return merged


def _blocks(tokens: list[Token], i: int, close: str | None) -> tuple[Prose, int]:
    """Blocks from ``tokens[i]`` up to the token of type ``close``; returns the index after."""
    out: Prose = []
    while i < len(tokens):
        t = tokens[i]
        if close is not None and t.type == close:
            return out, i + 1
        if t.type == "paragraph_open":
            out.append(Para(_spans(tokens[i + 1])))
            i += 3
        elif t.type == "heading_open":
            out.append(Heading(max(int(t.tag[1:]), 3), _spans(tokens[i + 1])))
            i += 3
        elif t.type in ("bullet_list_open", "ordered_list_open"):
            ordered = t.type == "ordered_list_open"
            items, i = _items(tokens, i + 1, t.type.replace("_open", "_close"))
            start = int(t.attrGet("start") or 1) if ordered else 1
            out.append(ListBlock(ordered, items, marks(ordered, start, len(items))))
        elif t.type in ("fence", "code_block"):
            out += [Para([Span(line)]) for line in t.content.splitlines() if line.strip()]
            i += 1
        else:  # blockquote, hr and their closing tokens: their content is kept as blocks
            i += 1
    return out, i


def _items(tokens: list[Token], i: int, close: str) -> tuple[list[Prose], int]:
    items: list[Prose] = []
    while tokens[i].type != close:
        if tokens[i].type == "list_item_open":
            item, i = _blocks(tokens, i + 1, "list_item_close")
            items.append(item)
        else:
            i += 1
    return items, i + 1
