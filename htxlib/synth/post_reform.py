"""The post-reform sample: the new communes old Ba Tơ district merged into on 1/7/2025,
each sending its 2025 form, and the targets of a 2026 plan for one of them.

    python -m htxlib.synth.post_reform [--out data/sample/ba-to-2025]

Built, not typed, so that it stays consistent: the unit list is the official one (``htx
areas``: province Quảng Ngãi, old Ba Tơ district and its 19 communes to 30/6/2025, the 8
new communes they went into); the forms are written by ``write_form`` from the indicator
table of an invented continuation of the Ba Tơ sample (its organisations, their 2024
estimates taken as the 2024 actuals, 2025 figures derived from them, one HTX founded in
2025), computed for each new commune. Only the forms and the unit list are kept: a folder
of forms alone, as a province's office receives them. data/sample/ba-to-2025/README.md
says which figures are invented.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from htxlib import fmt
from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.glossary import sheets
from htxlib.indicators import indicator_table
from htxlib.inputs.admin_units import province_units
from htxlib.inputs.parse import MISSING, parse_number
from htxlib.inputs.registry import open_registry
from htxlib.render.areas import write_areas
from htxlib.render.submission import values_from_table, write_form

OUT = DATA_DIR / "sample" / "ba-to-2025"
AS_OF = dt.date(2025, 9, 30)  # the new communes exist from 1/7/2025: their 9-month report
FILLED_ON = dt.date(2025, 10, 6)
DISTRICT = "535"
PLAN_UNIT = "21529"  # the new xã Ba Vì: the 2026 plan of the sample
FLOWS = ("Doanh thu (triệu đồng)", "Doanh thu với thành viên (triệu đồng)", "Lãi (triệu đồng)")
NEW_HTX = {"Mã tổ chức": "BT-HTX-25", "Tên tổ chức": "Hợp tác xã Nông nghiệp Ba Vì Xanh",
           "Loại hình": "Hợp tác xã", "Tỉnh/thành phố": "Quảng Ngãi", "Huyện": "Ba Tơ",
           "Xã/phường/thị trấn": "xã Ba Vì", "Lĩnh vực": "Nông nghiệp",
           "Ngày thành lập": "15/3/2025", "Tình trạng": "Đang hoạt động"}
TARGETS = [  # the 2026 plan of xã Ba Vì (invented)
    (PLAN_UNIT, "2026", "htx_new", "1", "", "HTX", "Năm 2026 thành lập mới 01 hợp tác xã"),
    (PLAN_UNIT, "2026", "htx_members", "100", "", "thành viên",
     "Tổng số thành viên hợp tác xã đạt từ 100 thành viên"),
    (PLAN_UNIT, "2026", "htx_revenue_avg", "550", "", "triệu đồng/HTX",
     "Doanh thu bình quân một hợp tác xã đạt từ 550 triệu đồng"),
]


def units() -> tuple:
    """The official unit list: every commune, ward and special zone of the province from
    1/7/2025 (the office's list: its coverage is counted against it), and old Ba Tơ
    district with its 19 communes to 30/6/2025, which the crosswalk carries into the new
    ones."""
    areas, cross = province_units("Quảng Ngãi")
    old = set(areas.loc[areas["parent_code"] == DISTRICT, "area_code"])
    moves = cross[cross["old_code"].isin(old)]
    new = set(areas.loc[areas["valid_from"].notna(), "area_code"])
    keep = {"51", DISTRICT, *old, *new}
    return areas[areas["area_code"].isin(keep)].reset_index(drop=True), moves.reset_index(
        drop=True)


def _number(text: str) -> float | None:
    v = parse_number(text)
    return None if v is MISSING or v != v else float(v)


def _scaled(row: dict, factor: float) -> dict:
    out = dict(row)
    for col in FLOWS:
        v = _number(row.get(col, ""))
        out[col] = "" if v is None else fmt.number(round(v * factor, 1), 1)
    return out


def continuation(into: Path) -> Path:
    """The Ba Tơ sample carried into 2025 (invented), placed in the official unit list."""
    shutil.copytree(SAMPLE_DIR, into, ignore=shutil.ignore_patterns("*.md", "support.csv",
                                                                    "targets.csv"))
    areas, moves = units()
    write_areas(areas, moves, into)
    with (into / "records.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    heads = list(rows[0])
    estimates = [r for r in rows if r["Ngày số liệu"] == "31/12/2024"]
    added = []
    for i, est in enumerate(estimates):
        year = {**est, "Loại số liệu": "Thực hiện cả năm"}
        grow = i % 3 == 0  # every third organisation takes a member in 2025
        members = _number(est["Tổng số thành viên"]) or 0
        now = {**_scaled(est, 0.7), "Ngày số liệu": "30/9/2025",
               "Loại số liệu": "Thực hiện đến ngày",
               "Tổng số thành viên": fmt.number(members + grow, 0),
               "Thành viên mới trong năm": "1" if grow else "0"}
        end = {**_scaled(est, 1.05), "Ngày số liệu": "31/12/2025",
               "Loại số liệu": "Ước thực hiện cả năm",
               "Tổng số thành viên": now["Tổng số thành viên"],
               "Thành viên mới trong năm": now["Thành viên mới trong năm"]}
        added += [year, now, end]
    new = {h: "" for h in heads} | {"Mã tổ chức": NEW_HTX["Mã tổ chức"],
                                    "Tổng số thành viên": "9", "Thành viên mới trong năm": "9",
                                    "Cán bộ quản lý": "3", "CBQL chưa qua đào tạo": "3",
                                    "Doanh thu (triệu đồng)": "120", "Lãi (triệu đồng)": "8"}
    added += [{**new, "Ngày số liệu": "30/9/2025", "Loại số liệu": "Thực hiện đến ngày"},
              {**new, "Ngày số liệu": "31/12/2025", "Loại số liệu": "Ước thực hiện cả năm",
               "Doanh thu (triệu đồng)": "180", "Lãi (triệu đồng)": "12"}]
    rows = [r for r in rows if r["Ngày số liệu"] != "31/12/2024"] + added
    with (into / "records.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=heads)
        w.writeheader()
        w.writerows(rows)
    with (into / "organisations.csv").open(encoding="utf-8") as fh:
        orgs = list(csv.DictReader(fh))
    with (into / "organisations.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(orgs[0]))
        w.writeheader()
        w.writerows([*orgs, {h: NEW_HTX.get(h, "") for h in orgs[0]}])
    return into


def build(out: Path = OUT) -> list[Path]:
    """Write the sample into ``out``: areas.csv, crosswalk.csv, targets.csv, submissions/."""
    areas, moves = units()
    with tempfile.TemporaryDirectory() as tmp:
        reg = open_registry(continuation(Path(tmp) / "data"))
        if not reg.ok:
            raise RuntimeError(reg.problems.frame()["message"].tolist())
        written = write_areas(areas, moves, out)
        forms = out / "submissions"
        forms.mkdir(parents=True, exist_ok=True)
        names = dict(zip(reg.areas.frame["code"], reg.areas.display_names(), strict=True))
        for code in sorted(set(moves["new_code"])):
            table = indicator_table(reg, AS_OF, area=code, history=False)
            fields = {"unit_name": names[code], "unit_code": code, "as_of": AS_OF,
                      "filled_by": "Số liệu minh họa (tự tạo, không phải số liệu thật)",
                      "filled_on": FILLED_ON}
            written.append(write_form(forms / f"{code}.xlsx", AS_OF.year, fields,
                                      values_from_table(table, code, AS_OF.year)))
    heads = [c.header for c in sheets()["targets"].columns][:7]
    lines = [",".join(heads)] + [",".join(f'"{v}"' if "," in v else v for v in t)
                                 for t in TARGETS]
    (out / "targets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [*written, out / "targets.csv"]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m htxlib.synth.post_reform",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    for path in build(ap.parse_args(argv).out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
