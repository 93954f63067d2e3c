"""What a workbook's cells hide from a reader of values: cells merged over others (only the
first keeps its value; the rest read as empty, or hide a value nobody sees), and formulas
saved without their result (a program that does not calculate wrote the file: the cell
has no value at all). openpyxl's read-only mode and calamine give values only, so both
are read here from the sheets' XML, once; a sheet with neither costs inflating it and a
search of its bytes (a sixth of calamine's time for a form; calamine's own list of
merged ranges cost as much again, as it reads the sheet a second time).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree

_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)(?:\s[^>]*)?>.+?</(?:\w+:)?(?:v|is)>", re.S)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


@dataclass
class Marks:
    """One sheet's merged ranges (first row, first column, last row, last column) and
    formulas without a value (row, column, formula), all 0-based."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)


def workbook_marks(raw: bytes) -> dict[str, Marks] | None:
    """Sheet title → its marks, for the sheets of the workbook ``raw`` (a file's bytes) that
    have any; None when it is not an .xlsx or .xlsm whose sheets are XML (its reader knows
    the merged cells of other kinds, whose formulas always keep their result)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            infos = [i for i in z.infolist()
                     if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
            if not infos:
                return None
            parts = {i.filename: _member(raw, i) for i in infos}
            hits = {n: d for n, d in parts.items()
                    if b"f>" in d or b"mergeCell" in d}  # "</f>", "</x:f>"
            titles = _titles(z) if hits else {}
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, zlib.error,
            ElementTree.ParseError):
        return None
    out = {}
    for part, data in hits.items():
        marks = Marks(_merges(data), _formulas(data))
        if (marks.merges or marks.formulas) and part in titles:
            out[titles[part]] = marks
    return out


def _member(raw: bytes, info: zipfile.ZipInfo) -> bytes:
    """A member of the archive ``raw``, inflated straight from its bytes: zipfile's reader
    checks each block's CRC in Python, which doubled the cost of this scan per form."""
    at = info.header_offset
    if info.flag_bits & 1 or raw[at:at + 4] != b"PK\x03\x04":  # encrypted, or not a member
        raise ValueError(info.filename)
    start = (at + 30 + int.from_bytes(raw[at + 26:at + 28], "little")
             + int.from_bytes(raw[at + 28:at + 30], "little"))
    body = raw[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return body
    if info.compress_type == zipfile.ZIP_DEFLATED:
        return zlib.decompress(body, -15)
    raise ValueError(info.filename)


def _titles(z: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part ("xl/worksheets/sheet2.xml") → sheet title, from the workbook's parts."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels if r.tag.endswith("}Relationship")}
    out = {}
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        out[part] = sheet.get("name", "")
    return out


def _merges(data: bytes) -> list[tuple[int, int, int, int]]:
    if b"mergeCell" not in data:
        return []
    out = []
    for m in _MERGE.finditer(data):
        r0, c0 = int(m.group(2)) - 1, column_index(m.group(1))
        r1 = int(m.group(4)) - 1 if m.group(4) else r0
        c1 = column_index(m.group(3)) if m.group(3) else c0
        out.append((r0, c0, r1, c1))
    return out


def _formulas(data: bytes) -> list[tuple[int, int, str]]:
    if b"f>" not in data:
        return []
    out = []
    for m in _CELL.finditer(data):
        inner = m.group(2) or b""
        formula = _FORMULA.search(inner)
        ref = _REF.search(m.group(1))
        if formula is None or ref is None or _VALUE.search(inner):
            continue
        text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
        out.append((int(ref.group(2)) - 1, column_index(ref.group(1)), text))
    return out


def column_index(letters: bytes | str) -> int:
    """0-based index of a column's letters (A → 0, AA → 26)."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letter(col: int) -> str:
    """The spreadsheet letters of 0-based column ``col`` (A, B, … Z, AA)."""
    out, c = "", col + 1
    while c:
        c, r = divmod(c - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_name(row: int, col: int) -> str:
    """"E11": the spreadsheet name of a 0-based cell."""
    return f"{column_letter(col)}{row + 1}"
