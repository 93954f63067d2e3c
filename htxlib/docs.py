"""Write the reference documents from the glossary, so they never drift from the code.

    python -m htxlib.docs          # rewrite data/README.md, docs/*.md and docs/api/
    python -m htxlib.docs --check  # exit 1 if any is out of date (used by the tests)

The API reference (``docs/api/``, ``htxlib.apidocs``) is pdoc's rendering of the public
modules' docstrings. The others are in Vietnamese: the words come from
``resources/docs.yaml`` and the two introductions (``data_readme_intro.md``,
``indicators_intro.md``); sheets, columns, enumerations and indicators from schema.yaml,
enums.yaml and indicators.yaml. Machine codes (column names, indicator and enumeration
codes) are kept as code spans.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from htxlib.config import DATA_DIR, PROJECT_DIR, RESOURCES_DIR
from htxlib.fileio import write_text_atomic
from htxlib.glossary import (
    Column,
    Sheet,
    catalog,
    enums,
    indicator,
    labels,
    messages,
    resource,
    sheets,
)

DATA_INTRO = RESOURCES_DIR / "data_readme_intro.md"
INDICATORS_INTRO = RESOURCES_DIR / "indicators_intro.md"
NUMERIC = ("count", "money", "number")  # the types that may not be negative unless signed
BOOL_ENUM = "yes_no"  # the enumeration behind bool columns (Có / Không)


def words() -> dict[str, Any]:
    """The contents of docs.yaml."""
    return resource("docs.yaml")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(headers: list[str]) -> list[str]:
    return [_row([_cell(h) for h in headers]), "|" + "---|" * len(headers)]


def signed_columns(sheet: Sheet) -> list[Column]:
    """The numeric columns of ``sheet`` that may be negative (``signed`` in schema.yaml)."""
    names = resource("schema.yaml")[sheet.name].get("signed", [])
    return [c for c in sheet.columns if c.name in names]


def _join(items: list[str]) -> str:
    """"a, b và c"."""
    w = words()["data"]
    if len(items) < 2:
        return "".join(items)
    return w["list_join"].join(items[:-1]) + w["last_join"] + items[-1]


def _column(col: Column) -> str:
    return words()["data"]["column"].format(header=col.header, name=col.name)


def _type(sheet: Sheet, col: Column) -> str:
    w = words()
    if col.type in NUMERIC and col in signed_columns(sheet):
        return w["signed_types"][col.type]
    return w["types"][col.type]


def _enum_of(col: Column) -> str | None:
    return col.enum if col.type == "enum" else BOOL_ENUM if col.type == "bool" else None


def _allowed(sheet: Sheet, col: Column) -> str:
    if f"{sheet.name}.{col.name}" in resource("template.yaml")["indicator_columns"]:
        return words()["data"]["indicator_allowed"]
    enum = _enum_of(col)
    return "; ".join(v["label"] for v in enums()[enum].values()) if enum else ""


def signed_summary() -> str:
    """Every column that may be negative, sheet by sheet (``{{signed}}`` of the intro)."""
    w = words()["data"]
    parts = [w["signed_in_sheet"].format(columns=_join([_column(c) for c in cols]),
                                         sheet=sheet.title)
             for sheet in sheets().values() if (cols := signed_columns(sheet))]
    return w["signed_sheets_join"].join(parts) or w["no_signed"]


def _intro(path: Any, fills: dict[str, str]) -> str:
    text = path.read_text(encoding="utf-8").rstrip()
    for name, value in fills.items():
        text = text.replace("{{" + name + "}}", value)
    if "{{" in text:
        raise ValueError(f"{path.name}: unknown placeholder near {text[text.index('{{'):][:30]!r}")
    return text


def _sheet_section(sheet: Sheet) -> list[str]:
    w = words()["data"]
    optional = w["optional"] if sheet.optional else ""
    out = [f"## {sheet.title} — `{sheet.file}`{optional}", "", sheet.description, ""]
    if sheet.min_rows:
        out += [w["min_rows"].format(n=sheet.min_rows), ""]
    if sheet.key:
        keys = w["key_join"].join(_column(sheet.by_name[k]) for k in sheet.key)
        out += [w["key"].format(columns=keys), ""]
    if signed := signed_columns(sheet):
        rest = any(c.type in NUMERIC and c not in signed for c in sheet.columns)
        out += [w["signed"].format(columns=_join([_column(c) for c in signed]))
                + (w["signed_rest"] if rest else ""), ""]
    elif any(c.type in NUMERIC for c in sheet.columns):
        out += [w["unsigned"], ""]
    out += _table(w["headers"])
    for c in sheet.columns:
        out.append(_row([_cell(c.header), f"`{c.name}`", _type(sheet, c),
                         w["required"] if c.required else "", _cell(_allowed(sheet, c)),
                         _cell(c.description), _cell(c.example)]))
    out.append("")
    return out


def _enum_users() -> dict[str, dict[str, list[Column]]]:
    """{enumeration: {sheet title: columns using it}}."""
    users: dict[str, dict[str, list[Column]]] = {}
    for sheet in sheets().values():
        for col in sheet.columns:
            if enum := _enum_of(col):
                users.setdefault(enum, {}).setdefault(sheet.title, []).append(col)
    return users


def _enum_sections() -> list[str]:
    w = words()["data"]["enums"]
    out = [f"## {w['title']}", "", w["intro"], ""]
    users = _enum_users()
    for enum, values in enums().items():
        out += [f"### `{enum}`", ""]
        if enum in users:
            where = w["sheets_join"].join(
                w["in_sheet"].format(columns=_join([_column(c) for c in cols]), sheet=title)
                for title, cols in users[enum].items())
            out += [w["used_by"].format(columns=where), ""]
        elif enum in w["notes"]:
            out += [w["notes"][enum], ""]
        out += _table(w["headers"])
        for code, spec in values.items():
            aliases = ", ".join(spec.get("aliases", []))
            out.append(_row([f"`{code}`", _cell(spec["label"]), _cell(aliases)]))
        out.append("")
    return out


def data_model() -> str:
    """data/README.md: every sheet and column of the input, then the enumerations."""
    out = [_intro(DATA_INTRO, {"signed": signed_summary()}), ""]
    for sheet in sheets().values():
        out += _sheet_section(sheet)
    out += _submission_section()
    out += _enum_sections()
    return "\n".join(out).rstrip() + "\n"


def _submission_section() -> list[str]:
    """The submission form and its long CSV (resources/submission.yaml)."""
    from htxlib.inputs.submission import form_rows, spec

    form, w = spec(), spec()["docs"]
    dims = labels()["breakdown"]
    sub_rows = "; ".join(f"{_label(code)} ({dims[d].lower()})"
                         for code, d in form["sub_rows"].items())
    cols = [c["header"] for c in form["columns"]] + [
        p["header"].format(n="N", n_1="N-1", n1="N+1", as_of="…", same="…")
        + (f" ({w['only'][p['name']]})" if p["name"] in w["only"] else "")
        for p in form["periods"]]
    return [f"## {w['title']}", "",
            w["intro"].format(header_row=form["header_row"], n_rows=len(form_rows())), "",
            *[f"- {c}" for c in cols], "", w["rows"].format(sub_rows=sub_rows), "",
            w["long"], "", *_table(list(form["long_csv"]["columns"].values())),
            *[_row([_cell(v) for v in ex]) for ex in form["long_csv"]["examples"]], "",
            w["long_notes"], ""]


def _label(code: str) -> str:
    return indicator(code)["label"]


def _values(kind: str, codes: list[str]) -> str:
    """"`HTX` (Hợp tác xã)": codes of org_type or sector with their labels."""
    w = words()["indicators"]
    enum = {"type": "org_type", "sector": "sector"}[kind]
    return w["values_join"].join(w["value"].format(code=c, label=enums()[enum][c]["label"])
                                 for c in codes)


def _formula(e: dict[str, Any]) -> tuple[str, str]:
    """(formula, denominator) of a catalogue entry, in words."""
    w = words()["indicators"]
    if "ratio" in e:
        num, den = e["ratio"]
        scale = w["scale"].format(scale=e["scale"]) if e.get("scale", 1) != 1 else ""
        return w["ratio"].format(num=num, den=den) + scale, f"`{den}`"
    if "coverage" in e:
        return w["coverage"][e["coverage"]].format(sheet=sheets()["organisations"].title), ""
    m = e["measure"]
    measures = w["measure_join"].join(f"`{x}`" for x in ([m] if isinstance(m, str) else m))
    source = w["source"].format(sheet=sheets()[w["sources"][e["source"]]].title)
    formula = w["sum"].format(measures=measures, source=source)
    filters = [w[kind].format(values=_values(kind, e[key]))
               for kind, key in (("type", "types"), ("sector", "sectors")) if e.get(key)]
    if filters:
        formula += w["filters"].format(filters=w["filters_join"].join(filters))
    if e.get("annualise"):
        formula += w["annualise"]
    return formula, ""


def indicators() -> str:
    """docs/indicators.md: every code with definition, unit, formula and denominator."""
    w = words()["indicators"]
    out = [_intro(INDICATORS_INTRO, {}), ""]
    names = labels()["breakdown"]
    for group, title in labels()["group"].items():
        entries = [e for e in catalog() if e["group"] == group]
        if not entries:  # a stray key (an unquoted comma in the YAML flow mapping)
            continue
        out += [f"## {title}", "", *_table(w["headers"])]
        for e in entries:
            formula, denom = _formula(e)
            breakdowns = w["breakdowns_join"].join(
                w["breakdown"].format(code=b, label=names[b]) for b in e.get("breakdowns", []))
            out.append(_row([f"`{e['code']}`", _cell(e["label"]), _cell(e["unit"]),
                             _cell(formula), denom, breakdowns]))
        out.append("")
    return "\n".join(out).rstrip() + "\n"




def validation() -> str:
    """docs/validation.md: every check of a filled form, with its wording."""
    from htxlib.inputs.submission import spec
    from htxlib.inputs.submission_checks import CHECKS

    w, rules = spec()["validation"], spec()["checks"]
    out = [f"# {w['title']}", "", w["intro"], ""]
    listed = [(c.__name__, codes) for c, codes in CHECKS] + list(w["also"].items())
    for i, (name, codes) in enumerate(listed, start=1):
        out += [f"## {i}. {w['titles'][name]}", "", w["checks"][name].format(**rules), "",
                *_table([w["message_word"], ""]),
                *[_row([_cell(messages()[c]), f"`{c}`"]) for c in codes], ""]
    return "\n".join(out).rstrip() + "\n"


TARGETS = {DATA_DIR / "README.md": data_model, PROJECT_DIR / "docs" / "indicators.md": indicators,
           PROJECT_DIR / "docs" / "validation.md": validation}


API_REFERENCE: Path | None = PROJECT_DIR / "docs" / "api"  # pdoc's pages (htxlib.apidocs)


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for path, make in TARGETS.items():
        text = make()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            write_text_atomic(path, text)
    said = [words()["stale"].format(path=path) for path in stale]
    if API_REFERENCE is not None:
        from htxlib.apidocs import refresh

        said += refresh(API_REFERENCE, check, words())
    for line in said:
        print(line, file=sys.stderr)
    return 1 if said else 0


if __name__ == "__main__":
    sys.exit(main())
