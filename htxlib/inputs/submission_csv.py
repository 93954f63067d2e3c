"""The long CSV of a submission form: one value a line, as a program sends a unit's figures
(Đơn vị, Mã đơn vị, Ngày số liệu, Kỳ, Mã chỉ tiêu, Phân tổ, Giá trị)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from htxlib.glossary import norm_key
from htxlib.inputs.csvread import read_csv_table
from htxlib.inputs.form_layout import all_periods, number, row_of, spec, unknown_code
from htxlib.inputs.parse import MISSING, parse_date
from htxlib.inputs.problems import InputError, Problems


def read_long_csv(path: Path, problems: Problems) -> pd.DataFrame:
    """The values of one long CSV; its problems (a file that cannot be read, a missing
    column, a line refused or given twice) go to ``problems``, naming the file and line."""
    cols = spec()["long_csv"]["columns"]
    by_header = {norm_key(h): name for name, h in cols.items()} | {name: name for name in cols}
    try:
        table = read_csv_table(path, set(by_header))
    except InputError as exc:
        problems.add("error", "submission_unreadable", sheet=path.name, file=path.name,
                     reason=str(exc))
        return pd.DataFrame()
    frame = table.cells.astype(object)
    frame.columns = [by_header.get(norm_key(h), h) for h in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    missing = [cols[c] for c in cols if c not in frame.columns]
    if missing:
        problems.add("error", "submission_csv_columns", sheet=path.name, rows=[1],
                     file=path.name, columns=", ".join(missing))
        return pd.DataFrame()
    periods = set(all_periods())
    out, first = [], {}
    for i, rec in zip(table.rows, frame[list(cols)].to_dict("records"), strict=True):
        rec = {k: "" if v is None or v != v else str(v) for k, v in rec.items()}
        if not rec["value"].strip():
            continue  # an empty value is no data, as an empty cell of the form
        row = row_of(rec["code"], rec["breakdown"])
        value = number(rec["value"])
        when = parse_date(rec["as_of"])
        when = None if when is MISSING else when
        bad = [("code", row is None), ("period", rec["period"] not in periods),
               ("value", value is None), ("as_of", when is None)]
        for col, wrong in bad:
            if wrong:
                what = unknown_code(rec["code"], "submission_csv_code") if col == "code" else \
                    f"submission_csv_{col}"
                problems.add("error", what, sheet=path.name, rows=[i], column=cols[col],
                             values=[rec[col]], file=path.name)
        if any(w for _, w in bad):
            continue
        key = (rec["unit_code"].strip(), when, rec["period"], row)
        if key in first:  # the same figure twice: it would count twice
            problems.add("error", "submission_repeated", sheet=path.name, rows=[i],
                         column=cols["code"], values=[rec["code"]], file=path.name,
                         first=first[key])
            continue
        first[key] = i
        out.append({"file": path.name, "unit_name": rec["unit_name"].strip(),
                    "unit_code": rec["unit_code"].strip(), "as_of": when,
                    "period": rec["period"], "code": row.code, "breakdown": row.breakdown,
                    "category": row.category, "value": value, "sheet": path.name, "row": i,
                    "column": cols["value"]})
    return pd.DataFrame(out)
