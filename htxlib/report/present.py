"""How the document prints what it says: every presentation rule, decided once.

The HTML page, the Word file and the Excel annex used to each decide how a heading, a
caption or a recipient is printed, and they drifted. Here each rule is one function over
the words of ``resources/outline.yaml`` (``print``, ``words``) and ``resources/xlsx.yaml``
(the annex), called while the report tree is built; renderers only lay out what it gives.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Any

from htxlib import fmt
from htxlib.glossary import resource
from htxlib.report.cells import Cell, Number
from htxlib.report.tree import (
    Annex,
    Closing,
    Letterhead,
    Properties,
    Provenance,
    ReportInfo,
    Table,
)


@cache
def _rules() -> dict[str, Any]:
    return resource("outline.yaml")["print"]


def words() -> dict[str, str]:
    """The words of the document around its content (outline.yaml ``words``)."""
    return resource("outline.yaml")["words"]


def heading(number: str, title: str, level: int) -> tuple[str, ...]:
    """A section's heading as printed, line by line ("Phần thứ nhất" above its title in
    capitals; "I. TÌNH HÌNH…"; "1. Đánh giá…")."""
    forms = _rules()["headings"]
    form = forms[min(level, max(forms))]
    return tuple(_unbroken(line.format(number=number, title=title, TITLE=title.upper()))
                 for line in form)


NBSP = "\u00a0"


def _unbroken(text: str) -> str:
    """``text`` with the names of ``print.unbroken`` held together by no-break spaces."""
    for name in _rules()["unbroken"]:
        text = re.sub(re.escape(name), lambda m: m[0].replace(" ", NBSP), text,
                      flags=re.IGNORECASE)
    return text


def exhibit_title(kind: str, number: int, caption: str) -> str:
    """"Bảng 1. …", "Biểu đồ 2. …": ``kind`` is "table" or "figure"."""
    return _rules()["exhibit"].format(word=words()[kind], number=number, caption=caption)


def mark() -> str:
    """What goes before a "trong đó" row's label, a recipient and a line of a list."""
    return _rules()["mark"]


def marks(ordered: bool, start: int, count: int) -> list[str]:
    """The marks of a list's items: "- " each, or "1. ", "2. ", … from ``start``."""
    if not ordered:
        return [mark()] * count
    return [_rules()["ordered_mark"].format(n=start + i) for i in range(count)]


MAX_PLACES = 3  # decimals a small average may need: 0,75 and 0,81, not 0,8 and 0,8


def agreeing(cells: list[Cell], ratios: dict[int, tuple[int, int]]) -> list[Cell]:
    """A row's figures with as many decimals as its ratios need: where a ratio column
    (``ratios``: its index → the indexes of the two figures it compares) says they differ
    (not 100), the two must not print alike ("0,8 | 0,8 | 108,3" becomes "0,75 | 0,81 |
    108,3"); the ratios keep one decimal. Every format prints the tree's decimals."""
    shown = cells
    for places in range(1, MAX_PLACES + 1):
        shown = [replace(c, places=places) if isinstance(c, Number) and i not in ratios
                 else c for i, c in enumerate(cells)]
        if not any(_alike(shown[x], shown[y], shown[r]) for r, (x, y) in ratios.items()):
            return shown
    return shown


def _alike(x: Cell, y: Cell, ratio: Cell) -> bool:
    """Two figures printed alike while their ratio says they differ."""
    numbers = all(isinstance(c, Number) and not c.missing for c in (x, y, ratio))
    return numbers and x.text() == y.text() and ratio.text() != fmt.number(100, 0)


def sub_rows(table: Table) -> Table:
    """The table with the "- " of every "trong đó" row put before its label."""
    for row in table.rows:
        if row.kind == "sub" and isinstance(row.cells[0], str):
            row.cells[0] = mark() + row.cells[0]
    return table


def letterhead(raw: dict) -> Letterhead:
    """The title block as printed, from the outline's rendered ``letterhead``."""
    return Letterhead(committee=tuple(x.upper() for x in raw["committee_lines"]),
                      number=raw["number"],
                      nation=raw["nation"].upper(), motto=raw["motto"],
                      place_date=raw["place_date"], kind=raw["kind"].upper(),
                      subject=raw["subject"])


def closing(recipients: list[str], signature: list[str], signer: str) -> Closing:
    return Closing(words()["recipients"], tuple(mark() + r for r in recipients),
                   tuple(s.upper() for s in signature), signer)


def document_properties(title: str, raw: dict[str, str], info: ReportInfo,
                        made: Provenance) -> Properties:
    """The Word file's properties: what, by whom, from which data."""
    language = resource("docx.yaml")["font"]["language"]
    return Properties(title=title, subject=raw["subject"], author=raw["committee"],
                      keywords=f"{raw['kind']}; {info.area_name}; {info.year}",
                      comments=f"{made.data_name} SHA-256 {made.checksum}",
                      category=raw["kind"], language=language, created=made.run_date)


def footer(made: Provenance) -> tuple[str, ...]:
    """The page's last lines: the data and narrative file with their checksums, the
    version (and commit) of htxlib, the date; then what is computed and what is written."""
    w = words()
    parts = [f"{w['footer_data']}: {made.data_name} (SHA-256 {made.checksum[:16]}…)"]
    if made.narrative:
        parts.append(f"{w['footer_narrative']}: {made.narrative[0]} "
                     f"(SHA-256 {made.narrative[1][:16]}…)")
    parts.append(f"{w['footer_version']} {made.version}"
                 + (f" ({made.commit[:10]})" if made.commit else ""))
    parts.append(f"{w['footer_date']} {fmt.date(made.run_date)}")
    return (" · ".join(parts), w["footer_note"])


def annex(title: str, raw: dict[str, str], info: ReportInfo, made: Provenance,
          asof_line: str, source: str, tables: list[Table], kind: str) -> Annex:
    """The Excel annex's words: cover, contents, notes, one sheet per table; ``source``:
    the line naming where the figures come from, ``kind`` which (``Facts.source``)."""
    w = resource("xlsx.yaml")
    c, lab, n = w["cover"], w["cover"]["labels"], w["notes"]
    full = w["title"].format(title=f"{title} - {info.area_name}")
    sheets = [w["sheets"]["table"].format(i) for i in range(1, len(tables) + 1)]
    as_of = fmt.date(info.as_of)
    cover: list[tuple[str, str | int]] = [
        (lab["title"], full), (lab["area"], info.area_name),
        (lab["area_code"], str(info.area_code)),
        (lab["level"], w["levels"].get(info.level, str(info.level))),
        (lab["plan_year"], str(info.year)), (lab["year_assessed"], str(info.n)),
        (lab["as_of"], as_of), (lab["source"], made.data_name),
        (lab["checksum"], made.checksum),
        (lab["narrative"], made.narrative[0] if made.narrative else c["no_narrative"])]
    if made.narrative:
        cover.append((lab["narrative_checksum"], made.narrative[1]))
    cover += [(lab["version"], made.version), (lab["run_date"], fmt.date(made.run_date)),
              (lab["derived"].format(n=info.n),
               c["derived_yes"].format(as_of=as_of) if info.derived_estimate
               else c["derived_no"][kind]),
              (lab["tables"], len(tables))]
    notes = list(n["items"])
    if info.derived_estimate:
        notes.append(n["derived"].format(n=info.n, as_of=as_of))
    notes.append(n["source"].format(source=source, data=made.data_name))
    props = Properties(title=full, subject=raw["subject"], author=raw["committee"],
                       keywords=f"htx, {info.area_code}, {info.year}",
                       comments=f"SHA-256 {made.data_name}: {made.checksum}; htxlib "
                                f"{made.version}", category="", language="",
                       created=made.run_date)
    return Annex(
        title=full,
        area_line=w["area_line"].format(area=info.area_name, code=info.area_code,
                                        asof=asof_line),
        sheets={k: w["sheets"][k] for k in ("cover", "contents", "notes")},
        table_sheets=tuple(sheets),
        table_titles=tuple(w["table_title"].format(sheet=s, caption=t.caption)
                           for s, t in zip(sheets, tables, strict=True)),
        cover_heading=c["heading"], cover=tuple(cover),
        how_to_read_heading=c["how_to_read_heading"], how_to_read=tuple(c["how_to_read"]),
        contents_header=tuple(w["contents"]["header"]),
        contents=((w["sheets"]["cover"], c["heading"]), (w["sheets"]["notes"], n["heading"]),
                  *zip(sheets, (t.caption for t in tables), strict=True)),
        notes_heading=n["heading"], notes_header=tuple(n["header"]), notes=tuple(notes),
        code_column=w["code_column"], properties=props)
