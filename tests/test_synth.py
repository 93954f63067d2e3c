"""The synthetic registry generator (htxlib.synth)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from htxlib.glossary import enum_label, enums, sheets
from htxlib.synth import generate

AS_OF = dt.date(2024, 6, 10)
SHEETS = ("organisations", "records", "areas", "targets", "support")
VN_NUMBER = re.compile(r"^-?\d+(,\d+)?$")
DMY = re.compile(r"^\d{2}/\d{2}/\d{4}$")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("synth") / "reg"
    generate(out, orgs=400, years=3, seed=7, as_of=AS_OF)
    return out


@pytest.fixture(scope="module")
def data(folder) -> dict[str, pd.DataFrame]:
    """Each sheet, read as text, with code-name columns."""
    out = {}
    for name in SHEETS:
        sheet = sheets()[name]
        frame = pd.read_csv(folder / sheet.file, dtype=str, keep_default_na=False)
        out[name] = frame.rename(columns={c.header: c.name for c in sheet.columns})
    return out


def _dates(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series.replace("", None), format="%d/%m/%Y")


def _code(enum: str, series: pd.Series) -> pd.Series:
    labels = {spec["label"]: code for code, spec in enums()[enum].items()}
    return series.map(labels)


def test_headers_follow_schema(folder):
    for name in SHEETS:
        sheet = sheets()[name]
        header = pd.read_csv(folder / sheet.file, nrows=0).columns.tolist()
        assert header == [c.header for c in sheet.columns]


def test_cells_are_typed_the_vietnamese_way(data):
    for name, frame in data.items():
        for col in sheets()[name].columns:
            cells = frame[col.name][frame[col.name] != ""]
            if col.type in ("count", "money", "number"):
                assert cells.str.match(VN_NUMBER).all(), (name, col.name)
            elif col.type == "date":
                assert cells.str.match(DMY).all(), (name, col.name)
            elif col.type == "enum":
                assert cells.isin([s["label"] for s in enums()[col.enum].values()]).all()
            elif col.type == "bool":
                assert cells.isin([enum_label("yes_no", "yes"), enum_label("yes_no", "no")]).all()
            if col.required:
                assert (frame[col.name] != "").all(), (name, col.name)


def test_area_tree(data):
    areas = data["areas"]
    assert areas["area_code"].is_unique
    level = _code("area_level", areas["level"])
    assert (level == "province").sum() == 63
    assert 500 <= (level == "district").sum() <= 900
    assert 8000 <= (level == "commune").sum() <= 12000
    kinds = dict(zip(level, areas["unit_kind"], strict=True))
    assert kinds == {"province": "tỉnh", "district": "huyện", "commune": "xã"}
    assert not areas.duplicated(["parent_code", "name"]).any()
    assert areas["name"].str.contains(r"[^\x00-\x7f]").mean() > 0.5  # diacritics


def test_every_commune_is_in_its_district_and_province(data):
    orgs, areas = data["organisations"], data["areas"].set_index("area_code")
    commune = areas.loc[orgs["commune_code"]]
    district = areas.loc[commune["parent_code"]]
    province = areas.loc[district["parent_code"]]
    assert (_code("area_level", commune["level"]) == "commune").all()
    assert (commune["name"].to_numpy() == orgs["commune"].to_numpy()).all()
    assert (district["name"].to_numpy() == orgs["district"].to_numpy()).all()
    assert (province["name"].to_numpy() == orgs["province"].to_numpy()).all()


def test_type_and_sector_shares(data):
    orgs = data["organisations"]
    share = _code("org_type", orgs["org_type"]).value_counts(normalize=True)
    assert share["THT"] == pytest.approx(0.65, abs=0.08)
    assert share["HTX"] == pytest.approx(0.34, abs=0.08)
    assert share.get("LHHTX", 0) < 0.02
    sector = _code("sector", orgs["sector"])
    htx = _code("org_type", orgs["org_type"]) == "HTX"
    assert (sector[htx] == "agriculture").mean() == pytest.approx(0.6, abs=0.1)
    assert set(sector[sector == "credit_fund"].index) <= set(htx[htx].index)
    assert orgs["org_id"].is_unique


def test_statuses_and_dates(data):
    orgs = data["organisations"]
    founded, status_date = _dates(orgs["founded"]), _dates(orgs["status_date"])
    assert founded.min() >= pd.Timestamp("1995-01-01")
    assert founded.max() <= pd.Timestamp(AS_OF)
    status = _code("status", orgs["status"])
    assert status.notna().all()
    assert (status == "operating").mean() > 0.6
    needs_date = status.isin(["stopped", "dissolved_voluntary", "dissolved_forced", "converted"])
    assert status_date[needs_date].notna().all()
    has = status_date.notna()
    assert (status_date[has] >= founded[has]).all()
    assert (status_date[has] <= pd.Timestamp(AS_OF)).all()


def test_records_only_for_existing_orgs(data):
    orgs = data["organisations"].set_index("org_id")
    recs = data["records"]
    assert not recs.duplicated(["org_id", "ref_date", "record_kind"]).any()
    ref = _dates(recs["ref_date"])
    org = orgs.loc[recs["org_id"]]
    assert (_dates(org["founded"]).to_numpy() <= ref.to_numpy()).all()
    ended = _code("status", org["status"]).isin(
        ["dissolved_voluntary", "dissolved_forced", "converted"]).to_numpy()
    assert (_dates(org["status_date"]).to_numpy()[ended] > ref.to_numpy()[ended]).all()
    kinds = _code("record_kind", recs["record_kind"])
    assert set(ref[kinds == "full_year"].dt.strftime("%d/%m").unique()) == {"31/12"}
    assert set(ref[kinds == "full_year"].dt.year.unique()) == {2022, 2023}
    assert set(ref[kinds == "actual"]) == {pd.Timestamp(AS_OF)}
    assert set(ref[kinds == "estimate"]) == {pd.Timestamp("2024-12-31")}


def test_record_counts_are_consistent(data):
    recs = data["records"]
    counts = [c.name for c in sheets()["records"].columns if c.type == "count"]
    values = recs[counts].replace("", np.nan).astype(float)
    assert (values.fillna(0) >= 0).all().all()
    v = values.fillna(0)
    levels = [c for c in counts if c.startswith("managers_")]
    assert (v[levels].sum(axis=1) == v["managers"]).all()
    assert (v["key_officers"] <= v["managers"]).all()
    assert (v["regular_workers_members"] <= v["regular_workers"]).all()
    assert (v["regular_workers_members"] <= v["members"]).all()
    split = values["official_members"].notna()
    assert (v["official_members"] + v["associate_members"] == v["members"])[split].all()


def test_plausible_htx_averages(data):
    recs = data["records"].merge(data["organisations"][["org_id", "org_type"]], on="org_id")
    est = recs[(_code("record_kind", recs["record_kind"]) == "estimate")
               & (_code("org_type", recs["org_type"]) == "HTX")]
    money = est["revenue"].str.replace(",", ".", regex=False).astype(float)
    assert 1000 < money.mean() < 10000
    assert 3 <= est["managers"].astype(int).mean() <= 5


def test_targets_and_support(data):
    targets, support = data["targets"], data["support"]
    assert {"htx_new", "htx_good_fair_share"} <= set(targets["indicator"])
    assert str(AS_OF.year + 1) in set(targets["period"])
    assert targets["area"].nunique() == 63
    assert (support["org_id"].ne("") | support["area"].ne("")).all()
    assert support["org_id"][support["org_id"] != ""].isin(data["organisations"]["org_id"]).all()


def test_deterministic(tmp_path, folder):
    generate(tmp_path / "again", orgs=400, years=3, seed=7, as_of=AS_OF)
    generate(tmp_path / "other", orgs=400, years=3, seed=8, as_of=AS_OF)
    for name in SHEETS:
        file = sheets()[name].file
        assert (tmp_path / "again" / file).read_bytes() == (folder / file).read_bytes()
    file = sheets()["records"].file
    assert (tmp_path / "other" / file).read_bytes() != (folder / file).read_bytes()


def test_writes_into_existing_folder_without_touching_other_files(tmp_path):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    generate(tmp_path, orgs=20, years=1, seed=1, as_of=AS_OF)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "x"
    assert (tmp_path / "records.csv").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
