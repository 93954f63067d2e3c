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
from htxlib.inputs.admin_units import province_units
from htxlib.inputs.parse import MISSING, parse_number
from htxlib.inputs.registry import open_registry
from htxlib.render.submission import unit_form, write_form
from htxlib.render.unit_list import write_areas

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
YEAR_END = dt.date(2026, 12, 14)  # the year-end report on 2026: the state's annual period
YEAR_END_FILLED = dt.date(2026, 12, 15)
MID_YEAR = dt.date(2026, 6, 14)  # the six-month report on 2026: the state's six-month period
MID_YEAR_FILLED = dt.date(2026, 6, 15)
NEW_THT = {"Mã tổ chức": "BT-THT-30", "Tên tổ chức": "Tổ hợp tác Chăn nuôi Ba Tô",
           "Loại hình": "Tổ hợp tác", "Tỉnh/thành phố": "Quảng Ngãi", "Huyện": "Ba Tơ",
           "Xã/phường/thị trấn": "xã Ba Tô", "Lĩnh vực": "Nông nghiệp",
           "Ngày thành lập": "20/4/2026", "Tình trạng": "Đang hoạt động"}
TARGETS = [  # the 2026 and 2027 plans of xã Ba Vì (invented)
    (PLAN_UNIT, "2026", "htx_new", "1", "", "HTX", "Năm 2026 thành lập mới 01 hợp tác xã"),
    (PLAN_UNIT, "2026", "htx_members", "100", "", "thành viên",
     "Tổng số thành viên hợp tác xã đạt từ 100 thành viên"),
    (PLAN_UNIT, "2026", "htx_revenue_avg", "550", "", "triệu đồng/HTX",
     "Doanh thu bình quân một hợp tác xã đạt từ 550 triệu đồng"),
    (PLAN_UNIT, "2027", "htx_members", "75", "", "thành viên",
     "Tổng số thành viên hợp tác xã đạt từ 75 thành viên"),
    (PLAN_UNIT, "2027", "tht_count", "5", "", "THT", "Có ít nhất 05 tổ hợp tác"),
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


def _records(into: Path) -> tuple[list[dict], list[str]]:
    with (into / "records.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return rows, list(rows[0])


def _write(path: Path, rows: list[dict], heads: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=heads)
        w.writeheader()
        w.writerows(rows)


def continuation_2026(into: Path) -> Path:
    """The continuation carried through 2026 (invented): the 2025 estimates taken as the
    year's actuals, figures to 14/6/2026 (members as at the end of 2025, revenue and profit
    0,45 of 2025's) and to 14/12/2026 (every fourth organisation one member more, revenue
    and profit 0,95 of 2025's), an estimate for the whole of 2026 (1,08 of 2025's) and a
    cooperative group founded in xã Ba Tô on 20/4/2026."""
    continuation(into)
    rows, heads = _records(into)
    estimates = [r for r in rows if r["Ngày số liệu"] == "31/12/2025"]
    added = []
    for i, est in enumerate(estimates):
        grow = i % 4 == 1
        members = _number(est["Tổng số thành viên"]) or 0
        now = {**_scaled(est, 0.95), "Ngày số liệu": fmt.date(YEAR_END),
               "Loại số liệu": "Thực hiện đến ngày",
               "Tổng số thành viên": fmt.number(members + grow, 0),
               "Thành viên mới trong năm": "1" if grow else "0"}
        half = {**_scaled(est, 0.45), "Ngày số liệu": fmt.date(MID_YEAR),
                "Loại số liệu": "Thực hiện đến ngày", "Thành viên mới trong năm": "0"}
        added += [{**est, "Loại số liệu": "Thực hiện cả năm"}, half, now,
                  {**_scaled(est, 1.08), "Ngày số liệu": "31/12/2026",
                   "Loại số liệu": "Ước thực hiện cả năm",
                   "Tổng số thành viên": now["Tổng số thành viên"],
                   "Thành viên mới trong năm": now["Thành viên mới trong năm"]}]
    tht = {h: "" for h in heads} | {"Mã tổ chức": NEW_THT["Mã tổ chức"],
                                    "Tổng số thành viên": "6", "Lao động thường xuyên": "6",
                                    "Doanh thu (triệu đồng)": "15"}
    added += [{**tht, "Ngày số liệu": fmt.date(MID_YEAR), "Loại số liệu": "Thực hiện đến ngày",
               "Doanh thu (triệu đồng)": "5"},
              {**tht, "Ngày số liệu": fmt.date(YEAR_END), "Loại số liệu": "Thực hiện đến ngày"},
              {**tht, "Ngày số liệu": "31/12/2026", "Loại số liệu": "Ước thực hiện cả năm",
               "Doanh thu (triệu đồng)": "18"}]
    _write(into / "records.csv", [r for r in rows if r["Ngày số liệu"] != "31/12/2025"]
           + added, heads)
    with (into / "organisations.csv").open(encoding="utf-8") as fh:
        orgs = list(csv.DictReader(fh))
    _write(into / "organisations.csv", [*orgs, {h: NEW_THT.get(h, "") for h in orgs[0]}],
           list(orgs[0]))
    return into


def _forms(reg, codes: list[str], as_of: dt.date, filled_on: dt.date, folder: Path,
           suffix: str = "", edition: str = "plan") -> list[Path]:
    """Each unit's form of ``as_of``, as ``htx submission --edition`` writes it."""
    out = []
    for code in codes:
        fields, values = unit_form(reg, code, as_of, edition, filled_on)
        fields["filled_by"] = "Số liệu minh họa (tự tạo, không phải số liệu thật)"
        out.append(write_form(folder / f"{code}{suffix}.xlsx", as_of.year, fields, values,
                              edition))
    return out


def build(out: Path = OUT) -> list[Path]:
    """Write the sample into ``out``: areas.csv, crosswalk.csv, targets.csv, submissions/."""
    areas, moves = units()
    codes = sorted(set(moves["new_code"]))
    with tempfile.TemporaryDirectory() as tmp:
        reg = open_registry(continuation(Path(tmp) / "data"))
        later = open_registry(continuation_2026(Path(tmp) / "data-2026"))
        for r in (reg, later):
            if not r.ok:
                raise RuntimeError(r.problems.frame()["message"].tolist())
        written = write_areas(areas, moves, out)
        forms = out / "submissions"
        forms.mkdir(parents=True, exist_ok=True)
        written += _forms(reg, codes, AS_OF, FILLED_ON, forms)
        written += _forms(later, codes, MID_YEAR, MID_YEAR_FILLED, forms, "-6-thang-2026",
                          "mid-year")
        written += _forms(later, codes, YEAR_END, YEAR_END_FILLED, forms, "-nam-2026",
                          "year-end")
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
