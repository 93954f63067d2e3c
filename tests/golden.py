"""Golden documents: a report's HTML page, Word and Excel files as readable text.

Each document is cut into the parts a reviewer reads in a diff: the page with its chart
images replaced by their SHA-256 and a line break before every block tag; the Word
file's ``document.xml`` and core properties pretty-printed, and its pictures as SHA-256;
the Excel annex's workbook, sheets, shared strings and core properties pretty-printed.
``tests/test_golden_documents.py`` compares every run with the committed parts.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
from pathlib import Path

from lxml import etree

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table",
              "thead", "tbody", "figure", "figcaption", "section", "nav", "header",
              "footer", "div", "main", "img", "style", "meta", "title", "head", "body")
BLOCK = re.compile(r"(?<!\n)(<(?:" + "|".join(BLOCK_TAGS) + r")\b)")
DATA_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def page(html: str) -> str:
    """The page as lines, its images by SHA-256."""
    html = DATA_URI.sub(lambda m: "sha256:" + sha256(base64.b64decode(m[1])), html)
    return BLOCK.sub(r"\n\1", html).strip() + "\n"


def xml(data: bytes) -> str:
    """An XML part pretty-printed (the parts have no whitespace between tags of their
    own, so indenting adds nothing to their text)."""
    root = etree.fromstring(data)
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def docx_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        media = sorted(n for n in z.namelist() if n.startswith("word/media/"))
        return {"docx/document.xml": xml(z.read("word/document.xml")),
                "docx/core.xml": xml(z.read("docProps/core.xml")),
                "docx/media.txt": "".join(f"{Path(n).name} {sha256(z.read(n))}\n"
                                          for n in media)}


def xlsx_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        names = ["xl/workbook.xml", "xl/sharedStrings.xml", "docProps/core.xml",
                 *sorted((n for n in z.namelist() if n.startswith("xl/worksheets/sheet")),
                         key=lambda n: int(re.sub(r"\D", "", n)))]
        return {f"xlsx/{Path(n).name}": xml(z.read(n)) for n in names}


def parts(folder: Path) -> dict[str, str]:
    """Every golden part of the documents of one report folder."""
    out: dict[str, str] = {}
    for f in sorted(folder.iterdir()):
        if f.suffix == ".html":
            out["page.html"] = page(f.read_text(encoding="utf-8"))
        elif f.suffix == ".docx":
            out.update(docx_parts(f))
        elif f.suffix == ".xlsx":
            out.update(xlsx_parts(f))
    return out
