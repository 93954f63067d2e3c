"""The long CSV of a submission form: one value a line, as a program sends a unit's figures
(Đơn vị, Mã đơn vị, Ngày số liệu, Kỳ, Mã chỉ tiêu, Phân tổ, Giá trị)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from htxlib.glossary import message, norm_key
from htxlib.inputs.form_layout import number, row_of, spec, unknown_code
from htxlib.inputs.parse import MISSING, parse_date
from htxlib.inputs.problems import InputError, Problems


def read_long_csv(path: Path, problems: Problems) -> pd.DataFrame:
    cols = spec()["long_csv"]["columns"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    by_header = {norm_key(h): name for name, h in cols.items()}
    frame = frame.rename(columns=lambda h: by_header.get(norm_key(h), h))
    missing = [cols[c] for c in cols if c not in frame.columns]
    if missing:
        raise InputError(message("submission_csv_columns", file=path.name,
                                 columns=", ".join(missing)))
    periods = {p["name"] for p in spec()["periods"]}
    out = []
    for i, rec in enumerate(frame.to_dict("records"), start=2):
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
        out.append({"file": path.name, "unit_name": rec["unit_name"].strip(),
                    "unit_code": rec["unit_code"].strip(), "as_of": when,
                    "period": rec["period"], "code": rec["code"], "breakdown": row.breakdown,
                    "category": row.category, "value": value, "sheet": path.name, "row": i,
                    "column": cols["value"]})
    return pd.DataFrame(out)
