"""The narrative file: the sections of a plan that people write (Markdown).

One file per area and plan year. Each section starts with a level-2 heading ending in its
key, ``## Ưu điểm {#strengths}``; the keys and headings are in resources/outline.yaml
(``people``). Text inside ``<!-- -->`` is guidance and is not printed. Bodies are a small,
safe Markdown: paragraphs, lists, ``###`` sub-headings, bold and italic; raw HTML, links
and images are shown as text. ``skeleton`` writes a new file with every heading and, where
the data suggest one, a draft sentence to edit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from htxlib.errors import HtxError
from htxlib.glossary import message, resource
from htxlib.report.edition import DEFAULT, editions
from htxlib.report.facts import Facts
from htxlib.report.narrative import context, render, texts
from htxlib.report.prose import parse
from htxlib.report.tree import Prose

HEADING = re.compile(r"^##\s+(?P<title>.*?)\s*\{#(?P<key>[A-Za-z0-9_-]+)\}\s*$")
# A line meant as a section heading that is not one: "# …", "##Tên {#k}", "## Tên" (no key).
MISSHAPEN = re.compile(r"^\s{0,3}(#{1,2}(\s|$)|#+[^#\s].*\{#[^}]*\}\s*$)")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class NarrativeError(HtxError, ValueError):
    """The narrative file cannot be used; the message says where and why, in Vietnamese."""


@dataclass
class Writeup:
    path: Path | None = None
    sections: dict[str, str] = field(default_factory=dict)  # key → Markdown body

    def prose(self, key: str) -> Prose | None:
        """The section parsed (paragraphs, lists, sub-headings, bold, italic), or None when
        missing or empty."""
        body = self.sections.get(key, "").strip()
        return parse(body) if body else None

    def lines(self, key: str) -> list[str]:
        """A section as plain lines without list markers (recipients, signer)."""
        out = []
        for line in self.sections.get(key, "").splitlines():
            text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).strip()
            if text:
                out.append(text)
        return out


def sections(edition: str = DEFAULT) -> dict[str, list[str]]:
    """The sections of an edition's narrative file, in file order: key → [heading, what
    to write] (outline.yaml ``people``, and the edition's own ``headings``)."""
    outline = resource("outline.yaml")
    spec = outline["editions"][edition]
    return {key: spec.get("headings", {}).get(key, outline["people"][key])
            for key in spec["people"]}


def read(path: str | Path | None, edition: str = DEFAULT) -> Writeup:
    """Parse a narrative file of ``edition`` (None or "": no file, every section a
    placeholder)."""
    if not path:
        return Writeup()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NarrativeError(message("narrative_missing", path=path)) from None
    except UnicodeDecodeError:
        raise NarrativeError(message("narrative_encoding", path=path)) from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    known = sections(edition)
    out: dict[str, list[str]] = {}
    current = None
    for lineno, line in enumerate(COMMENT.sub(lambda m: "\n" * m.group().count("\n"),
                                              text).split("\n"), start=1):
        m = HEADING.match(line)
        if not m and MISSHAPEN.match(line):
            raise NarrativeError(message("narrative_heading", path=path.name, line=lineno,
                                         text=line.strip()))
        if not m and current is None and line.strip():
            raise NarrativeError(message("narrative_orphan", path=path.name, line=lineno,
                                         text=line.strip()[:60]))
        if m:
            key = m["key"]
            if key not in known:
                raise NarrativeError(message("narrative_unknown", path=path.name, line=lineno,
                                             key=key, known=", ".join(known)))
            if key in out:
                raise NarrativeError(message("narrative_duplicate", path=path.name,
                                             line=lineno, key=key))
            out[key], current = [], key
        elif current is not None:
            out[current].append(line)
    return Writeup(path, {k: "\n".join(v).strip() for k, v in out.items()})


def skeleton(facts: Facts | None = None, edition: str = DEFAULT, year: int = 0) -> str:
    """A new narrative file of ``edition`` (the document of ``year``, the year in its
    title): every heading, its guidance, and draft sentences from data."""
    drafts = texts().get("drafts", {})
    ctx = context(facts) if facts is not None else None
    label = editions()[edition].label.format(year=year or (facts.year if facts else ""))
    header = render(resource("outline.yaml")["narrative_header"], document=label,
                    area=facts.area_name if facts else "")
    out = [f"<!-- {header} -->", ""]
    for key, (title, hint) in sections(edition).items():
        out += [f"## {title} {{#{key}}}", f"<!-- {hint} -->", ""]
        if ctx is not None and key in drafts:
            lines = [render(t, **ctx) for t in drafts[key]]
            out += [f"- {line}" for line in lines if line] + [""]
    return "\n".join(out).rstrip() + "\n"


def drafts(text: str) -> int:
    """How many draft sentences a narrative file made by ``skeleton`` holds."""
    return sum(1 for line in text.splitlines() if line.startswith("- "))
