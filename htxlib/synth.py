"""Synthetic national-size cooperative registry, for benchmarks and tests.

``python -m htxlib.synth --orgs 100000 --years 5 --out DIR [--seed 1] [--as-of 2024-06-10]``
writes into DIR one CSV file per sheet of ``resources/schema.yaml`` (organisations, records,
areas, targets, support) exactly as a user would type them: Vietnamese headers in schema
order, Vietnamese enumeration labels, dates dd/mm/yyyy, whole numbers or a decimal comma.

Shares and averages follow the national figures of the domain guide (§10): about 65% THT,
34% HTX, 0.15% LHHTX; 3.5% of HTX are people's credit funds; 175 members, 27 regular
workers, 3-5 managers, 3,550 million đồng revenue and 59 million đồng income per worker
and year for an average HTX. The area tree (63 provinces, about 700 districts and 10,000
communes) has made-up Vietnamese names. Everything is vectorised and fully determined by
the seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from htxlib.fileio import atomic_path
from htxlib.glossary import catalog, enums, sheets

SHEETS = ("organisations", "records", "areas", "targets", "support")
N_PROVINCES = 63
FIRST_FOUNDED = dt.date(1995, 1, 1)
TYPES = ("THT", "HTX", "LHHTX")
TYPE_SHARES = (63_650, 33_335, 152)  # national 2024 counts (domain guide §10)
STATUS_SHARES = {"operating": 0.785, "barely_operating": 0.10, "stopped": 0.05,
                 "dissolved_voluntary": 0.03, "dissolved_forced": 0.01, "converted": 0.025}
ENDED = ("dissolved_voluntary", "dissolved_forced", "converted")
SECTOR_SHARES = {  # sector shares by organisation type
    "THT": {"agriculture": 0.75, "industry": 0.08, "construction": 0.01, "transport": 0.02,
            "trade_services": 0.10, "environment": 0.01, "other": 0.03},
    "HTX": {"agriculture": 0.60, "industry": 0.10, "construction": 0.04, "transport": 0.05,
            "trade_services": 0.10, "credit_fund": 0.035, "environment": 0.03,
            "housing": 0.01, "other": 0.035},
    "LHHTX": {"agriculture": 0.5, "industry": 0.1, "transport": 0.1, "trade_services": 0.2,
              "other": 0.1},
}
SECTOR_WORDS = {"agriculture": "Nông nghiệp", "industry": "Tiểu thủ công nghiệp",
                "construction": "Xây dựng", "transport": "Vận tải",
                "trade_services": "Thương mại dịch vụ", "credit_fund": "",
                "environment": "Vệ sinh môi trường", "housing": "Nhà ở",
                "other": "Dịch vụ tổng hợp"}
TYPE_PREFIX = {"THT": "Tổ hợp tác", "HTX": "HTX", "LHHTX": "Liên hiệp HTX"}
TRAINING = ("untrained", "elementary", "intermediate", "college", "university")
TRAINING_SHARES = {  # managers by training level (§10: 46.6% sơ/trung cấp, 24.7% CĐ/ĐH)
    "THT": (0.70, 0.20, 0.07, 0.01, 0.02),
    "HTX": (0.287, 0.25, 0.216, 0.08, 0.167),
    "LHHTX": (0.05, 0.15, 0.30, 0.10, 0.40),
}
FIRST_SYLLABLES = (
    "An", "Bình", "Phú", "Tân", "Hòa", "Đông", "Tây", "Nam", "Bắc", "Thạnh", "Lộc", "Phước",
    "Long", "Hưng", "Thuận", "Mỹ", "Vĩnh", "Quang", "Trung", "Sơn", "Hải", "Thủy", "Lâm", "Đức",
    "Thành", "Xuân", "Cẩm", "Kim", "Ngọc", "Hương", "Diên", "Khánh", "Gia", "Yên", "Định",
    "Tiến", "Hiệp", "Nghĩa", "Thượng", "Lạc", "Châu", "Quý", "Bảo", "Phong", "Minh", "Cát", "Hà",
    "Ba", "Hồng", "Lương", "Tịnh", "Ea", "Đắk", "Krông", "Mường", "Nà", "Bản", "Chiềng", "Hoàng",
    "Vạn", "Quỳnh", "Diễn", "Cao", "Ninh", "Tam", "Thái",
)
SECOND_SYLLABLES = (
    "An", "Bình", "Hòa", "Lợi", "Thịnh", "Phát", "Hưng", "Thọ", "Lộc", "Phúc", "Thạnh", "Tiến",
    "Lập", "Xuân", "Hải", "Sơn", "Giang", "Trung", "Đông", "Tây", "Nam", "Bắc", "Điền", "Vinh",
    "Thành", "Động", "Dinh", "Liên", "Ngạc", "Khâm", "Cung", "Tiêu", "Trang", "Tô", "Tơ", "Bích",
    "Vì", "Lế", "Xa", "Hà", "Lâm", "Mỹ", "Yên", "Quý", "Tường", "Nghĩa", "Thủy", "Phong", "Châu",
    "Đức", "Kiên", "Hiệp", "Cường", "Hạnh", "Tâm", "Quang", "Tú", "Đạt", "Ninh", "Hậu", "Thắng",
    "Mai", "Khê", "Hồ", "Cầu",
)
COMPANY_KINDS = ("Công ty TNHH", "Công ty cổ phần", "Công ty TNHH MTV")
COMPANY_TRADES = ("Nông sản", "Thực phẩm", "Xuất nhập khẩu", "Chế biến nông sản",
                  "Giống cây trồng", "Thương mại", "Phân bón", "Thủy sản", "Dược liệu")
TARGET_CODES = ("htx_new", "tht_new", "htx_count", "htx_good_fair_share",
                "htx_agri_value_chain_share", "htx_income_avg", "htx_revenue_avg")


@dataclass(frozen=True)
class Areas:
    """The area tree: one table per level, with positional parent indices."""

    provinces: pd.DataFrame  # code, name
    districts: pd.DataFrame  # code, name, parent (province row)
    communes: pd.DataFrame  # code, name, parent (district row), province (row)


# -- small helpers -----------------------------------------------------------------------------

def _labels(enum: str, codes: Sequence[str]) -> list[str]:
    table = enums()[enum]
    return [table[c]["label"] for c in codes]


def _categorical(enum: str, codes: Sequence[str], index: np.ndarray) -> pd.Categorical:
    """Labels of ``enum`` for positions ``index`` into ``codes`` (-1 gives a blank)."""
    return pd.Categorical.from_codes(np.asarray(index, dtype=np.int64), _labels(enum, codes))


def _yes_no(values: np.ndarray, present: np.ndarray | None = None) -> pd.Categorical:
    index = np.where(values, 0, 1)
    if present is not None:
        index = np.where(present, index, -1)
    return _categorical("yes_no", ("yes", "no"), index)


def _lognormal(rng: np.random.Generator, mean: float, sigma: float, n: int) -> np.ndarray:
    """Log-normal draws with the given arithmetic mean."""
    return rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, n)


def _pick(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    p = np.array(list(shares.values()), dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _count(values: np.ndarray, present: np.ndarray | None = None) -> pd.Series:
    """Whole numbers >= 0 as a nullable integer column."""
    out = pd.array(np.maximum(np.rint(values), 0).astype(np.int64), dtype="Int64")
    if present is not None:
        out[~np.asarray(present, dtype=bool)] = pd.NA
    return pd.Series(out)


def fmt_number(values: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    """Numbers the Vietnamese way: whole below 100 with one decimal comma ("12,5")."""
    x = np.asarray(values, dtype=float)
    filled = np.nan_to_num(x)
    tenths = np.where(np.abs(filled) >= 100, np.rint(filled) * 10, np.rint(filled * 10))
    tenths = tenths.astype(np.int64)
    mag = np.abs(tenths)
    whole = pd.Series(mag // 10).astype(str)
    frac = mag % 10
    text = whole.where(frac == 0, whole + "," + pd.Series(frac).astype(str))
    text = pd.Series(np.where(tenths < 0, "-", "")) + text
    out = text.to_numpy(dtype=object)
    missing = np.isnan(x) if present is None else ~np.asarray(present, dtype=bool) | np.isnan(x)
    out[missing] = None
    return out


def fmt_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers since 1970-01-01 as dd/mm/yyyy (NaN or negative sentinel gives blank)."""
    days = np.asarray(days)
    valid = days >= 0
    uniq, inv = np.unique(np.where(valid, days, 0).astype(np.int64), return_inverse=True)
    text = pd.to_datetime(uniq, unit="D").strftime("%d/%m/%Y").to_numpy(dtype=object)
    out = text[inv]
    out[~valid] = None
    return out


def _day(date: dt.date) -> int:
    return (date - dt.date(1970, 1, 1)).days


# -- areas -------------------------------------------------------------------------------------

def name_pool(rng: np.random.Generator) -> np.ndarray:
    """All two-syllable place names, shuffled."""
    names = np.array([f"{a} {b}" for a in FIRST_SYLLABLES for b in SECOND_SYLLABLES if a != b])
    return names[rng.permutation(len(names))]


def _child_names(rng: np.random.Generator, pool: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Names unique within each parent: pool[(offset + rank * stride) % len(pool)]."""
    m = len(pool)
    stride = 7919 % m or 1
    while np.gcd(stride, m) != 1:
        stride += 1
    rank = pd.Series(parent).groupby(parent).cumcount().to_numpy()
    offset = rng.integers(0, m, parent.max() + 1)[parent]
    return pool[(offset + rank * stride) % m]


def make_areas(rng: np.random.Generator) -> Areas:
    """63 provinces, about 11 districts each and about 14 communes per district."""
    pool = name_pool(rng)
    provinces = pd.DataFrame({"code": [f"{i + 1:02d}" for i in range(N_PROVINCES)],
                              "name": pool[:N_PROVINCES]})
    pool = pool[N_PROVINCES:]  # province names stay unique across all levels
    per_province = 4 + rng.poisson(7.1, N_PROVINCES)
    d_parent = np.repeat(np.arange(N_PROVINCES), per_province)
    districts = pd.DataFrame({"code": [f"{100 + i}" for i in range(len(d_parent))],
                              "name": _child_names(rng, pool, d_parent), "parent": d_parent})
    per_district = 4 + rng.poisson(10.3, len(districts))
    c_parent = np.repeat(np.arange(len(districts)), per_district)
    communes = pd.DataFrame({"code": [f"{10000 + i}" for i in range(len(c_parent))],
                             "name": _child_names(rng, pool, c_parent), "parent": c_parent,
                             "province": d_parent[c_parent]})
    return Areas(provinces, districts, communes)


def areas_frame(areas: Areas) -> pd.DataFrame:
    """The areas sheet: provinces, then districts, then communes."""
    p, d, c = areas.provinces, areas.districts, areas.communes
    level = _labels("area_level", ("province", "district", "commune"))
    parts = [
        pd.DataFrame({"area_code": p["code"], "name": p["name"], "unit_kind": "tỉnh",
                      "level": level[0], "parent_code": None}),
        pd.DataFrame({"area_code": d["code"], "name": d["name"], "unit_kind": "huyện",
                      "level": level[1], "parent_code": p["code"].to_numpy()[d["parent"]]}),
        pd.DataFrame({"area_code": c["code"], "name": c["name"], "unit_kind": "xã",
                      "level": level[2], "parent_code": d["code"].to_numpy()[c["parent"]]}),
    ]
    return pd.concat(parts, ignore_index=True)


# -- organisations -----------------------------------------------------------------------------

@dataclass
class Orgs:
    """Organisation attributes as positional arrays (codes, day numbers)."""

    type: np.ndarray  # index into TYPES
    sector: np.ndarray  # sector code strings
    commune: np.ndarray  # row of areas.communes
    founded: np.ndarray  # day number
    status: np.ndarray  # status code strings
    status_date: np.ndarray  # day number, -1 if none
    frame: pd.DataFrame  # the organisations sheet (column names)

    @property
    def end(self) -> np.ndarray:
        """Day the organisation ceased to exist (dissolved, converted), else a far future."""
        return np.where(np.isin(self.status, ENDED), self.status_date, 10**7)


def _sectors(rng: np.random.Generator, org_type: np.ndarray) -> np.ndarray:
    out = np.empty(len(org_type), dtype=object)
    for t, name in enumerate(TYPES):
        mask = org_type == t
        keys = np.array(list(SECTOR_SHARES[name]))
        out[mask] = keys[_pick(rng, SECTOR_SHARES[name], int(mask.sum()))]
    return out


def _founded(rng: np.random.Generator, n: int, as_of: dt.date) -> np.ndarray:
    """Founding days: 75% uniform since 1995, 25% recent (exponential, 6 years)."""
    start, end = _day(FIRST_FOUNDED), _day(as_of)
    uniform = rng.integers(start, end + 1, n)
    recent = end - np.minimum(rng.exponential(6 * 365.25, n), end - start).astype(np.int64)
    return np.where(rng.random(n) < 0.75, uniform, recent)


def _status(rng: np.random.Generator, founded: np.ndarray,
            as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Status codes and status days (after founding, not after the as-of date)."""
    n, end = len(founded), _day(as_of)
    codes = np.array(list(STATUS_SHARES))[_pick(rng, STATUS_SHARES, n)]
    codes[founded > end - 90] = "operating"
    lo = founded + 30
    date = lo + (rng.random(n) * (end - lo + 1)).astype(np.int64)
    date = np.minimum(date, end)
    return codes, np.where(codes == "operating", -1, date)


def _org_names(rng: np.random.Generator, type_idx: np.ndarray, sector: np.ndarray,
               commune_name: np.ndarray) -> np.ndarray:
    prefix = np.array([TYPE_PREFIX[t] for t in TYPES], dtype=object)[type_idx]
    words = pd.Series(sector).map(SECTOR_WORDS).to_numpy(dtype=object)
    base = pd.Series(prefix) + " " + pd.Series(words) + " " + pd.Series(commune_name)
    base = base.str.replace("  ", " ", regex=False)
    credit = sector == "credit_fund"
    base[credit] = "Quỹ tín dụng nhân dân " + commune_name[credit].astype(object)
    number = rng.integers(1, 6, len(type_idx))
    suffix = np.where(rng.random(len(type_idx)) < 0.3, " " + number.astype(str), "")
    return (base + suffix).to_numpy(dtype=object)


def make_orgs(rng: np.random.Generator, n: int, areas: Areas, as_of: dt.date) -> Orgs:
    """The organisations: type, place, sector, founding, status."""
    type_idx = rng.choice(3, size=n, p=np.array(TYPE_SHARES) / sum(TYPE_SHARES))
    sector = _sectors(rng, type_idx)
    weight = _lognormal(rng, 1.0, 0.6, len(areas.communes))
    commune = rng.choice(len(areas.communes), size=n, p=weight / weight.sum())
    founded = np.sort(_founded(rng, n, as_of))  # org ids follow founding order
    status, status_date = _status(rng, founded, as_of)
    c = areas.communes
    district = c["parent"].to_numpy()[commune]
    province = c["province"].to_numpy()[commune]
    pcode = areas.provinces["code"].to_numpy()[province]
    ids = pd.Series(pcode, dtype=object) + "-" + pd.Series(np.array(TYPES)[type_idx]) + "-"
    ids = ids + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(6)
    is_coop = type_idx > 0
    frame = pd.DataFrame({
        "org_id": ids,
        "name": _org_names(rng, type_idx, sector, c["name"].to_numpy()[commune]),
        "org_type": _categorical("org_type", TYPES, type_idx),
        "province": areas.provinces["name"].to_numpy()[province],
        "district": areas.districts["name"].to_numpy()[district],
        "commune": c["name"].to_numpy()[commune],
        "commune_code": c["code"].to_numpy()[commune],
        "sector": _categorical("sector", list(enums()["sector"]),
                               pd.Categorical(sector, categories=list(enums()["sector"])).codes),
        "founded": fmt_dates(founded),
        "status": _categorical("status", list(STATUS_SHARES),
                               pd.Categorical(status, categories=list(STATUS_SHARES)).codes),
        "status_date": fmt_dates(status_date),
        "charter_amended": _yes_no(rng.random(n) < 0.45, is_coop),
        "has_office": _yes_no(rng.random(n) < 0.6, is_coop),
    })
    return Orgs(type_idx, sector, commune, founded, status, status_date, frame)


# -- records -----------------------------------------------------------------------------------

def periods(years: int, as_of: dt.date) -> list[tuple[int, str, int, float]]:
    """(ref day, record kind, year, share of the year) of each reporting period."""
    out = [(_day(dt.date(y, 12, 31)), "full_year", y, 1.0)
           for y in range(as_of.year - years + 1, as_of.year)]
    share = as_of.timetuple().tm_yday / (366 if as_of.year % 4 == 0 else 365)
    out.append((_day(as_of), "actual", as_of.year, share))
    out.append((_day(dt.date(as_of.year, 12, 31)), "estimate", as_of.year, 1.0))
    return out


def _record_index(rng: np.random.Generator, orgs: Orgs,
                  plist: list[tuple[int, str, int, float]]) -> tuple[np.ndarray, np.ndarray]:
    """(org, period) of every record: organisations existing at the reference day."""
    org_parts, period_parts = [], []
    end = orgs.end
    for k, (ref, *_rest) in enumerate(plist):
        exists = (orgs.founded <= ref) & (end > ref) & (rng.random(len(end)) > 0.02)
        idx = np.flatnonzero(exists)
        org_parts.append(idx)
        period_parts.append(np.full(len(idx), k))
    return np.concatenate(org_parts), np.concatenate(period_parts)


@dataclass
class Base:
    """Per-organisation levels at the as-of year; records scale them by year."""

    members: np.ndarray
    workers: np.ndarray
    seasonal: np.ndarray
    revenue: np.ndarray
    margin: np.ndarray
    income: np.ndarray
    capital: np.ndarray
    growth: np.ndarray
    managers: np.ndarray
    training: np.ndarray  # (n, 5)
    key: np.ndarray
    z: np.ndarray  # standard normal: lasting quality (rating)
    u: np.ndarray  # (n, 12) uniform draws for yes/no traits and shares, one column each


def _by_type(type_idx: np.ndarray, tht: np.ndarray, htx: np.ndarray,
             lhhtx: np.ndarray) -> np.ndarray:
    return np.select([type_idx == 0, type_idx == 1], [tht, htx], lhhtx)


def make_base(rng: np.random.Generator, orgs: Orgs) -> Base:
    """Latent per-organisation sizes (members, workers, revenue...)."""
    t, n = orgs.type, len(orgs.type)
    credit = orgs.sector == "credit_fund"
    members = _by_type(t, np.maximum(_lognormal(rng, 15, 0.6, n), 2),
                       np.maximum(_lognormal(rng, 150, 1.2, n), 7), rng.integers(3, 16, n))
    members = np.where(credit, _lognormal(rng, 1300, 0.6, n), members)
    workers = _by_type(t, np.minimum(_lognormal(rng, 13, 0.6, n), members),
                       _lognormal(rng, 42, 1.0, n), _lognormal(rng, 20, 0.7, n))
    seasonal = _lognormal(rng, 15, 1.2, n) * (rng.random(n) < _by_type(t, 0.6, 0.7, 0.8))
    revenue = _by_type(t, _lognormal(rng, 400, 1.0, n), _lognormal(rng, 4300, 1.4, n),
                       _lognormal(rng, 12000, 1.0, n))
    managers = _by_type(t, rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1]),
                        rng.choice([3, 4, 5, 6, 7], n, p=[0.4, 0.35, 0.18, 0.05, 0.02]),
                        rng.integers(5, 10, n))
    training = np.zeros((n, len(TRAINING)), dtype=np.int64)
    for k, name in enumerate(TYPES):
        mask = t == k
        training[mask] = rng.multinomial(managers[mask], TRAINING_SHARES[name])
    return Base(members=members, workers=workers, seasonal=seasonal, revenue=revenue,
                margin=rng.normal(0.10, 0.07, n),
                income=_by_type(t, _lognormal(rng, 42, 0.3, n), _lognormal(rng, 59, 0.3, n),
                                _lognormal(rng, 75, 0.3, n)),
                capital=_by_type(t, np.zeros(n), _lognormal(rng, 1500, 1.2, n) * (1 + 4 * credit),
                                 _lognormal(rng, 5000, 1.0, n)),
                growth=rng.normal(0.03, 0.04, n), managers=managers, training=training,
                key=np.minimum(managers, rng.integers(1, 5, n)), z=rng.standard_normal(n),
                u=rng.random((n, 12)))


def _size_class(revenue: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Illustrative size classes (thresholds of Decree 113/2024 are data, not checked)."""
    return np.select([(revenue < 1000) | (members < 10), revenue < 10_000, revenue < 50_000],
                     [0, 1, 2], 3)


def _rating(rng: np.random.Generator, base_z: np.ndarray, age_days: np.ndarray) -> np.ndarray:
    """Rating index: tốt 20%, khá 35%, trung bình 30%, yếu 15%; not rated under 12 months."""
    score = 0.85 * base_z + 0.527 * rng.standard_normal(len(base_z))  # standard normal
    idx = np.searchsorted(np.array([-1.036, -0.126, 0.842]), score)  # yếu, TB, khá, tốt
    idx = np.array([3, 2, 1, 0])[idx]
    return np.where(age_days < 365, 4, idx)


def _partners(rng: np.random.Generator, n: int) -> np.ndarray:
    kinds = np.array(COMPANY_KINDS, dtype=object)[rng.integers(0, len(COMPANY_KINDS), n)]
    trades = np.array(COMPANY_TRADES, dtype=object)[rng.integers(0, len(COMPANY_TRADES), n)]
    places = np.array(FIRST_SYLLABLES, dtype=object)[rng.integers(0, len(FIRST_SYLLABLES), n)]
    return (pd.Series(kinds) + " " + pd.Series(trades) + " " + pd.Series(places)).to_numpy()


def make_records(rng: np.random.Generator, orgs: Orgs, years: int,
                 as_of: dt.date) -> pd.DataFrame:
    """The records sheet: full years, the as-of record and the year's estimate."""
    plist = periods(years, as_of)
    o, k = _record_index(rng, orgs, plist)
    ref = np.array([p[0] for p in plist])[k]
    year = np.array([p[2] for p in plist])[k]
    share = np.array([p[3] for p in plist])[k]
    base = make_base(rng, orgs)
    cols = _people(rng, base, orgs, o, ref, year, share)
    business, revenue = _business(rng, base, orgs, o, ref, year, share)
    cols.update(business)
    cols.update(_traits(rng, base, orgs, o, ref, year, revenue / share))
    ids = orgs.frame["org_id"].to_numpy()[o]
    kinds = np.array([p[1] for p in plist])[k]
    kind_codes = list(enums()["record_kind"])
    head = {"org_id": ids, "ref_date": fmt_dates(ref),
            "record_kind": _categorical("record_kind", kind_codes,
                                        pd.Categorical(kinds, categories=kind_codes).codes)}
    frame = pd.DataFrame({**head, **cols})
    order = np.lexsort((k, o))
    return frame.iloc[order].reset_index(drop=True)


def _active_after(orgs: Orgs, o: np.ndarray, ref: np.ndarray, status: str) -> np.ndarray:
    sd = orgs.status_date[o]
    return (orgs.status[o] == status) & (sd >= 0) & (sd <= ref)


def _people(rng: np.random.Generator, b: Base, orgs: Orgs, o: np.ndarray, ref: np.ndarray,
            year: np.ndarray, share: np.ndarray) -> dict[str, object]:
    n, t = len(o), orgs.type[o]
    dy = year - year.max()
    grow = np.exp(b.growth[o] * dy)
    members = np.maximum(np.rint(b.members[o] * grow * rng.lognormal(0, 0.03, n)),
                         np.select([t == 0, t == 1], [2, 7], 3))
    split = (year >= 2024) & (t > 0) & (b.u[o, 0] < 0.85)
    minimum = np.where(t == 2, 3, 5)  # official members required by the 2023 law
    official = np.maximum(np.rint(members * (0.7 + 0.3 * b.u[o, 1])), np.minimum(members, minimum))
    stopped = _active_after(orgs, o, ref, "stopped")
    workers = np.rint(b.workers[o] * grow * rng.lognormal(0, 0.08, n)) * ~stopped
    workers = np.minimum(workers, members)  # the validator flags workers above members
    workers_members = np.minimum(np.rint(workers * (0.5 + 0.5 * b.u[o, 2])), members)
    mgr = b.managers[o]
    out: dict[str, object] = {
        "members": _count(members),
        "official_members": _count(official, split),
        "associate_members": _count(members - official, split),
        "new_members": _count(rng.poisson(members * 0.05 * share)),
        "regular_workers": _count(workers),
        "regular_workers_members": _count(workers_members),
        "seasonal_workers": _count(b.seasonal[o] * grow * share * ~stopped),
        "managers": _count(mgr),
        "key_officers": _count(b.key[o]),
    }
    for j, level in enumerate(TRAINING):
        out[f"managers_{level}"] = _count(b.training[o, j])
    return out


def _business(rng: np.random.Generator, b: Base, orgs: Orgs, o: np.ndarray, ref: np.ndarray,
              year: np.ndarray, share: np.ndarray) -> tuple[dict[str, object], np.ndarray]:
    n, t = len(o), orgs.type[o]
    dy = year - year.max()
    revenue = b.revenue[o] * np.exp(1.5 * b.growth[o] * dy) * rng.lognormal(0, 0.2, n) * share
    barely = _active_after(orgs, o, ref, "barely_operating")
    stopped = _active_after(orgs, o, ref, "stopped")
    revenue = np.where(barely, revenue * 0.1 * (b.u[o, 3] < 0.6), revenue)
    revenue = np.where(stopped | (b.u[o, 3] > 0.985), 0.0, revenue)
    margin = b.margin[o] + rng.normal(0, 0.04, n)
    profit = np.where(revenue > 0, revenue * margin, -rng.exponential(5, n) * stopped)
    income = b.income[o] * np.exp(0.05 * dy) * rng.lognormal(0, 0.05, n)
    monthly = b.u[o, 4] < 0.1
    income = np.where(monthly, income / 12, income)
    has_income = (rng.random(n) < 0.95) & ~stopped & (b.workers[o] >= 1)
    capital = b.capital[o] * np.exp(0.5 * b.growth[o] * dy)
    has_capital = t > 0
    return {
        "revenue": fmt_number(revenue),
        "revenue_from_members": fmt_number(revenue * (0.2 + 0.6 * b.u[o, 5])),
        "profit": fmt_number(profit),
        "avg_income": fmt_number(income, has_income),
        "income_unit": _categorical("income_unit", ("per_year", "per_month"),
                                    np.where(has_income, monthly.astype(np.int64), -1)),
        "charter_capital": fmt_number(capital, has_capital),
        "total_assets": fmt_number(capital * (1.5 + 3 * b.u[o, 6]), has_capital),
    }, revenue


def _traits(rng: np.random.Generator, b: Base, orgs: Orgs, o: np.ndarray, ref: np.ndarray,
            year: np.ndarray, revenue: np.ndarray) -> dict[str, object]:
    n, t = len(o), orgs.type[o]
    dy = year - year.max()
    agri = orgs.sector[o] == "agriculture"
    coop = t > 0
    vc_p = np.select([coop & agri, coop], [0.25, 0.08], 0.04) * np.exp(0.1 * dy)
    chain = b.u[o, 7] < vc_p
    ocop_p = np.select([coop & agri, coop], [0.07, 0.04], 0.005) * np.exp(0.15 * dy)
    ocop = (b.u[o, 8] < ocop_p) * (1 + (b.u[o, 11] ** 2 * 3).astype(int))
    stars = 3 + (b.u[o, 5] ** 2 * 3).astype(int)
    age = ref - orgs.founded[o]
    rated = coop & (year <= 2025)
    rating = np.where(rated, _rating(rng, b.z[o], age), -1)
    rating_codes = ("good", "fair", "average", "weak", "not_rated")
    size = np.where(coop & (year >= 2024), _size_class(revenue, b.members[o]), -1)
    partner = np.full(n, None, dtype=object)
    partner[chain] = _partners(rng, int(chain.sum()))
    return {
        "rating": _categorical("rating", rating_codes, rating),
        "size_class": _categorical("size_class", ("micro", "small", "medium", "large"), size),
        "value_chain": _yes_no(chain),
        "value_chain_partner": partner,
        "ocop_products": _count(ocop),
        "ocop_stars": _count(stars, ocop > 0),
        "high_tech": _yes_no(b.u[o, 9] < np.where(agri, 0.05, 0.02) * np.exp(0.1 * dy)),
        "social_insurance": _yes_no(b.u[o, 10] < np.where(coop, 0.3, 0.02)),
    }


# -- targets and support -----------------------------------------------------------------------

def make_targets(rng: np.random.Generator, areas: Areas, orgs: Orgs,
                 as_of: dt.date) -> pd.DataFrame:
    """Province targets for the as-of year and the plan year (as-of year + 1)."""
    units = {row["code"]: row["unit"] for row in catalog()}
    htx_per_prov = np.bincount(areas.communes["province"].to_numpy()[orgs.commune[orgs.type == 1]],
                               minlength=N_PROVINCES)
    rows = []
    for year in (as_of.year, as_of.year + 1):
        for p, name in enumerate(areas.provinces["name"]):
            rows.extend(_province_targets(rng, name, str(year), int(htx_per_prov[p]), units))
    return pd.DataFrame(rows)


def _province_targets(rng: np.random.Generator, area: str, period: str, htx: int,
                      units: dict[str, str]) -> list[dict[str, object]]:
    new = max(1, round(htx * rng.uniform(0.05, 0.08)))
    values = {
        "htx_new": (new, new + max(1, new // 5), "Thành lập mới khoảng {lo} - {hi} hợp tác xã"),
        "tht_new": (2 * new, None, "Thành lập mới {lo} tổ hợp tác"),
        "htx_count": (htx + new, None, "Tổng số hợp tác xã đạt {lo}"),
        "htx_good_fair_share": (rng.choice([50, 55, 60, 62.5]), None,
                                "Trên {lo}% hợp tác xã đạt loại tốt, khá"),
        "htx_agri_value_chain_share": (rng.choice([25, 30, 35]), None,
                                       "Khoảng {lo}% HTX nông nghiệp liên kết theo chuỗi giá trị"),
        "htx_income_avg": (round(rng.uniform(55, 70), 1), None,
                           "Thu nhập bình quân lao động thường xuyên đạt {lo} triệu đồng/năm"),
        "htx_revenue_avg": (int(rng.integers(30, 45)) * 100, None,
                            "Doanh thu bình quân một HTX đạt {lo} triệu đồng"),
    }
    rows = []
    for code in TARGET_CODES:
        lo, hi, text = values[code]
        lo_s, hi_s = fmt_number(np.array([lo, np.nan if hi is None else hi], dtype=float))
        rows.append({"area": area, "period": period, "indicator": code, "target_min": lo_s,
                     "target_max": hi_s, "unit": units.get(code, ""),
                     "text": text.format(lo=lo_s, hi=hi_s)})
    return rows


def make_support(rng: np.random.Generator, areas: Areas, orgs: Orgs, years: int,
                 as_of: dt.date) -> pd.DataFrame:
    """Support rows: a few policy groups per province and year, plus some per HTX."""
    groups = list(enums()["policy_group"])
    yrs = np.arange(as_of.year - years + 1, as_of.year + 1)
    prov, yr = np.meshgrid(np.arange(N_PROVINCES), yrs, indexing="ij")
    prov, yr = np.repeat(prov.ravel(), 5), np.repeat(yr.ravel(), 5)
    grp = rng.integers(0, len(groups), len(prov))
    keep = ~pd.DataFrame({"p": prov, "y": yr, "g": grp}).duplicated().to_numpy()
    prov, yr, grp = prov[keep], yr[keep], grp[keep]
    area = pd.DataFrame(_support_cols(rng, groups, grp, yr))
    area.insert(0, "area", areas.provinces["name"].to_numpy()[prov])
    area.insert(0, "org_id", None)
    coops = np.flatnonzero(orgs.type == 1)
    pick = rng.choice(coops, size=min(len(coops), N_PROVINCES * 10), replace=False)
    pick_year = rng.choice(yrs, len(pick))
    first = np.array([_day(dt.date(int(y), 1, 1)) for y in yrs])[pick_year - yrs[0]]
    alive = (orgs.founded[pick] <= first + 364) & (orgs.end[pick] > first)
    pick, pick_year = pick[alive], pick_year[alive]
    per_org = pd.DataFrame(_support_cols(rng, groups, rng.integers(0, len(groups), len(pick)),
                                         pick_year, single=True))
    per_org.insert(0, "area", None)
    per_org.insert(0, "org_id", orgs.frame["org_id"].to_numpy()[pick])
    return pd.concat([area, per_org], ignore_index=True)


def _support_cols(rng: np.random.Generator, groups: list[str], grp: np.ndarray,
                  yr: np.ndarray, single: bool = False) -> dict[str, object]:
    n = len(grp)
    funds = _lognormal(rng, 60 if single else 800, 1.0, n)
    central = funds * rng.uniform(0, 0.7, n)
    local = funds - central
    notes = pd.Series(np.array(_labels("policy_group", groups), dtype=object)[grp])
    return {
        "year": yr.astype(str),
        "policy_group": _categorical("policy_group", groups, grp),
        "beneficiaries": _count(np.ones(n) if single else 1 + rng.poisson(12, n)),
        "funds_central": fmt_number(central),
        "funds_local": fmt_number(local),
        "funds_other": fmt_number(funds * rng.uniform(0, 0.2, n) * (rng.random(n) < 0.3)),
        "note": "Hỗ trợ " + notes.str[0].str.lower() + notes.str[1:],
    }


# -- writing -----------------------------------------------------------------------------------

def to_sheet(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Columns in schema order under their Vietnamese headers."""
    cols = sheets()[sheet].columns
    return pd.DataFrame({c.header: frame.get(c.name) for c in cols})


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _place(tmp: Path, out: Path, files: list[str]) -> None:
    """Move the finished files into ``out``: rename the folder if ``out`` is new or empty,
    else replace the files one by one (other files in ``out`` are left alone)."""
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        if out.exists():
            out.rmdir()
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, out)
        return
    for name in files:
        with atomic_path(out / name) as dest:
            shutil.move(str(tmp / name), dest)
    shutil.rmtree(tmp, ignore_errors=True)


def build(orgs: int, years: int, seed: int = 1,
          as_of: dt.date = dt.date(2024, 6, 10)) -> dict[str, pd.DataFrame]:
    """All sheets as frames with code-name columns, already formatted as text."""
    if orgs < 1 or years < 1:
        raise ValueError("orgs and years must be at least 1")
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    areas = make_areas(rngs[0])
    org = make_orgs(rngs[1], orgs, areas, as_of)
    return {
        "organisations": org.frame,
        "records": make_records(rngs[2], org, years, as_of),
        "areas": areas_frame(areas),
        "targets": make_targets(rngs[3], areas, org, as_of),
        "support": make_support(rngs[4], areas, org, years, as_of),
    }


def generate(out: str | os.PathLike[str], orgs: int, years: int, seed: int = 1,
             as_of: dt.date = dt.date(2024, 6, 10)) -> dict[str, int]:
    """Write the synthetic registry into ``out``; return the row count of each file."""
    out = Path(out)
    frames = build(orgs, years, seed, as_of)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    tmp.chmod(0o755)
    try:
        files = []
        for name in SHEETS:
            file = sheets()[name].file
            _write_csv(to_sheet(frames[name], name), tmp / file)
            files.append(file)
        _place(tmp, out, files)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {sheets()[name].file: len(frames[name]) for name in SHEETS}


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m htxlib.synth", description=__doc__.split("\n")[0])
    ap.add_argument("--orgs", type=int, default=100_000, help="number of organisations")
    ap.add_argument("--years", type=int, default=5,
                    help="years of records, the as-of year included (default 5)")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2024-06-10", type=dt.date.fromisoformat,
                    help="cut-off date of the actual records, yyyy-mm-dd")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    start = time.perf_counter()
    counts = generate(args.out, args.orgs, args.years, args.seed, args.as_of)
    size = sum((Path(args.out) / f).stat().st_size for f in counts) / 2**20
    rows = ", ".join(f"{f} {n:,}" for f, n in counts.items())
    print(f"synth: {args.out}: {rows}; {size:.1f} MiB in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
