"""Problems found in the input: errors block a run, warnings do not.

Problems are kept as a DataFrame (one row per problem) so that a registry with a
hundred thousand bad cells is collected at vectorised speed and can be written as CSV.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from htxlib import fmt
from htxlib.errors import HtxError
from htxlib.glossary import message, messages

COLUMNS = ["severity", "code", "sheet", "row", "column", "value", "message"]


class InputError(HtxError):
    """The input cannot be read at all (exit status 2). The text is Vietnamese."""

    def paragraph(self) -> str:
        return f"{messages()['summary']['unreadable']} {self}"


@dataclass
class Problems:
    """An append-only collection of problems."""

    frames: list[pd.DataFrame] = field(default_factory=list)

    def add(self, severity: str, code: str, sheet: str = "", rows: Iterable[Any] | None = None,
            column: str = "", values: Iterable[Any] | None = None, **fields: Any) -> None:
        """Record one problem, or one per row when ``rows`` is given (vectorised)."""
        rows = [None] if rows is None else list(rows)
        if not rows:
            return
        vals = [None] * len(rows) if values is None else list(values)
        self.frames.append(pd.DataFrame({
            "severity": severity, "code": code, "sheet": sheet, "row": pd.array(rows, "Int64"),
            "column": column, "value": [_show(v) for v in vals],
            "message": message(code, **{"sheet": sheet, "column": column, **fields})}))

    def add_rows(self, severity: str, code: str, sheet: str | list[str], rows: Iterable[Any],
                 column: str | list[str], values: Iterable[Any], texts: Iterable[str]) -> None:
        """Record problems whose messages differ row by row (and their sheet and column,
        when given as lists): one frame for many, as the form checks find them."""
        rows = list(rows)
        if rows:
            self.frames.append(pd.DataFrame({
                "severity": severity, "code": code, "sheet": sheet,
                "row": pd.array(rows, "Int64"), "column": column,
                "value": [_show(v) for v in values], "message": list(texts)}))

    def add_records(self, records: list[tuple]) -> None:
        """Record problems already laid out as rows of COLUMNS (as a form read in another
        process, or kept in a cache, found them)."""
        if records:
            frame = pd.DataFrame(records, columns=COLUMNS)
            self.frames.append(frame.astype({"row": "Int64"}))

    def records(self) -> list[tuple]:
        """Every problem as a row of COLUMNS (what ``add_records`` takes back)."""
        return [tuple(x) for x in self.frame().itertuples(index=False)] if self.frames else []

    def extend(self, other: Problems) -> None:
        self.frames.extend(other.frames)

    def frame(self) -> pd.DataFrame:
        if not self.frames:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
        return pd.concat(self.frames, ignore_index=True)

    def count(self, severity: str) -> int:
        return int(sum((f["severity"] == severity).sum() for f in self.frames))

    @property
    def has_errors(self) -> bool:
        return self.count("error") > 0

    def tally(self) -> str:
        """"2 lỗi, 3 cảnh báo.": how many errors and warnings there are."""
        return messages()["summary"]["counts"].format(errors=fmt.number(self.count("error"), 0),
                                                      warnings=fmt.number(self.count("warning"), 0))

    def __repr__(self) -> str:  # how many, then the first ones (htxlib.api.show)
        from htxlib.api import show

        frame, more = show.problems_frame(self)
        lines = format_problems(self, None)[:len(frame)]
        return "\n".join([f"{show.words()['problems']}: {show.problem_count(self)}",
                          *lines, *([more] if more else [])])

    def _repr_html_(self) -> str:
        from htxlib.api import show

        frame, more = show.problems_frame(self)
        rows = [(show.words()["rows"]["problems"], show.problem_count(self))]
        return show.html(show.words()["problems"], rows + ([("", more)] if more else []),
                         frame if len(frame) else None)


def _show(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "strftime") and hasattr(value, "day"):  # a date, not a time of day
        return f"{value.day}/{value.month}/{value.year}"
    if isinstance(value, float):  # as a Vietnamese reader would type it: 3, 12,5
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    return str(value)


def format_problem(p: dict[str, Any]) -> str:
    """One problem as a Vietnamese line: where it is, the value, what is expected."""
    where = messages()["where"]
    parts = []
    if p.get("sheet"):
        parts.append(where["sheet"].format(sheet=p["sheet"]))
    if p.get("row") is not None and not pd.isna(p["row"]):
        parts.append(where["row"].format(row=int(p["row"])))
    if p.get("column"):
        parts.append(where["column"].format(column=p["column"]))
    if p.get("value") is not None and not pd.isna(p["value"]):
        parts.append(where["value"].format(value=p["value"]))
    label = messages()["severity"][p["severity"]]
    line = f"{label} {', '.join(parts)}: {p['message']}" if parts else f"{label}: {p['message']}"
    return visible(line)


def visible(text: str) -> str:
    """``text`` with its control and invisible characters written out ("<U+200B>"): a value
    pasted with a zero-width space is seen, and a terminal runs nothing the data hold."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Zs"
                   else f"<U+{ord(ch):04X}>" for ch in text)


def format_problems(problems: Problems, limit_per_code: int | None = 50) -> list[str]:
    """Errors first, then warnings; at most ``limit_per_code`` lines per kind of problem."""
    df = problems.frame()
    if df.empty:
        return []
    df = df.assign(_order=(df["severity"] != "error").astype(int)).sort_values(
        ["_order", "sheet", "row"], kind="stable", na_position="first")
    lines = []
    for (_, code), group in df.groupby(["_order", "code"], sort=False):
        shown = group if limit_per_code is None else group.head(limit_per_code)
        lines.extend(format_problem(r) for r in shown.to_dict("records"))
        if len(group) > len(shown):
            more = messages()["summary"]["more"]
            lines.append(more.format(n=len(group) - len(shown), code=code))
    return lines
