"""Write the reference documents from the glossary, so they never drift from the code.

    python -m htxlib.docs          # rewrite data/README.md and docs/indicators.md
    python -m htxlib.docs --check  # exit 1 if either is out of date (used by the tests)
"""

from __future__ import annotations

import sys

from htxlib.config import DATA_DIR, PROJECT_DIR
from htxlib.fileio import write_text_atomic
from htxlib.glossary import catalog, enums, labels, sheets

TYPE_NAMES = {"text": "text", "count": "whole number ≥ 0", "money": "number, million đồng",
              "number": "number", "date": "date (dd/mm/yyyy)", "year": "year (yyyy)",
              "period": "year or period (2025, 2021-2025)", "enum": "one of a list",
              "bool": "Có / Không"}
DATA_INTRO = (PROJECT_DIR / "htxlib" / "resources" / "data_readme_intro.md")
INDICATORS_INTRO = (PROJECT_DIR / "htxlib" / "resources" / "indicators_intro.md")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def data_model() -> str:
    """data/README.md: every sheet and column of the input."""
    out = [DATA_INTRO.read_text(encoding="utf-8").rstrip(), ""]
    for sheet in sheets().values():
        optional = " (optional)" if sheet.optional else ""
        out += [f"## {sheet.title} — `{sheet.file}`{optional}", "", sheet.description, ""]
        if sheet.key:
            out += [f"Key (unique per row): {', '.join(f'`{k}`' for k in sheet.key)}.", ""]
        out += ["| header (Excel) | column (code) | type | required | allowed values | "
                "meaning | example |", "|---|---|---|---|---|---|---|"]
        for c in sheet.columns:
            allowed = ""
            if c.type == "enum":
                allowed = "; ".join(v["label"] for v in enums()[c.enum].values())
            elif c.type == "bool":
                allowed = "Có; Không"
            out.append(f"| {_cell(c.header)} | `{c.name}` | {TYPE_NAMES[c.type]} | "
                       f"{'yes' if c.required else ''} | {_cell(allowed)} | "
                       f"{_cell(c.description)} | {_cell(c.example)} |")
        out.append("")
    out += ["## Enumerations", "",
            "Codes are what machine-written CSV may use; users type the label or an alias "
            "(case and spacing do not matter, diacritics do).", ""]
    for enum, values in enums().items():
        out += [f"### `{enum}`", "", "| code | label | also accepted |", "|---|---|---|"]
        for code, spec in values.items():
            aliases = ", ".join(spec.get("aliases", []))
            out.append(f"| `{code}` | {_cell(spec['label'])} | {_cell(aliases)} |")
        out.append("")
    return "\n".join(out)


def indicators() -> str:
    """docs/indicators.md: every code with definition, unit, formula and denominator."""
    out = [INDICATORS_INTRO.read_text(encoding="utf-8").rstrip(), ""]
    groups = labels()["group"]
    for group, title in groups.items():
        out += [f"## {title}", "", "| code | label | unit | formula | denominator | "
                "breakdowns |", "|---|---|---|---|---|---|"]
        for e in (e for e in catalog() if e["group"] == group):
            if "ratio" in e:
                num, den = e["ratio"]
                scale = f" × {e['scale']}" if e.get("scale", 1) != 1 else ""
                formula, denom = f"`{num}` / `{den}`{scale}", f"`{den}`"
            else:
                m = e["measure"]
                measures = " + ".join(f"`{x}`" for x in ([m] if isinstance(m, str) else m))
                filters = []
                if e.get("types"):
                    filters.append("type " + ", ".join(e["types"]))
                if e.get("sectors"):
                    filters.append("sector " + ", ".join(e["sectors"]))
                where = f" where {'; '.join(filters)}" if filters else ""
                formula, denom = f"sum of {measures} ({e['source']}){where}", ""
                if e.get("annualise"):
                    formula += "; annualised in a derived estimate"
            out.append(f"| `{e['code']}` | {_cell(e['label'])} | {_cell(e['unit'])} | "
                       f"{formula} | {denom} | {', '.join(e.get('breakdowns', []))} |")
        out.append("")
    return "\n".join(out)


TARGETS = {DATA_DIR / "README.md": data_model, PROJECT_DIR / "docs" / "indicators.md": indicators}


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for path, make in TARGETS.items():
        text = make() + "\n"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            write_text_atomic(path, text)
    for path in stale:
        print(f"{path} is out of date: run `python -m htxlib.docs`", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
