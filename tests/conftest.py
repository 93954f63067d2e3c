"""Shared fixtures: the bundled sample, and a builder for small hand-made inputs."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from htxlib.glossary import sheets
from htxlib.indicators import indicator_table
from htxlib.inputs.registry import Registry, open_registry

AS_OF = "2024-06-10"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden documents of tests/golden/ from this run "
                          "(on purpose: explain the diff in the commit)")


@pytest.fixture(scope="session", autouse=True)
def form_cache(tmp_path_factory) -> Path:
    """The cache of read forms (``htxlib.inputs.form_files``) in a folder of the test run,
    for the tests and the commands they start, never the user's own."""
    folder = tmp_path_factory.mktemp("htx-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HTX_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def sample() -> Registry:
    return open_registry()


@pytest.fixture(scope="session")
def sample_table(sample: Registry) -> pd.DataFrame:
    return indicator_table(sample, AS_OF, area="535")  # as a report of Ba Tơ asks for it


def write_input(folder: Path, **sheets_rows: list[dict]) -> Path:
    """Write a CSV input folder; rows use English column names (accepted as headers)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets_rows.items():
        spec = sheets()[name]
        cols = [c.name for c in spec.columns if any(c.name in r for r in rows)] or [
            c.name for c in spec.columns if c.required]
        with open(folder / spec.file, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=cols)
            w.writeheader()
            for r in rows:
                w.writerow({k: r.get(k, "") for k in cols})
    return folder


def org(org_id: str, org_type: str = "HTX", commune: str = "A", sector: str = "Nông nghiệp",
        founded: str = "01/01/2015", status: str = "Đang hoạt động", status_date: str = "",
        **extra: str) -> dict:
    return {"org_id": org_id, "name": f"Tổ chức {org_id}", "org_type": org_type,
            "province": "Tỉnh Thử", "district": "Huyện Thử", "commune": commune,
            "sector": sector, "founded": founded, "status": status,
            "status_date": status_date, **extra}


def rec(org_id: str, ref_date: str = "10/6/2024", kind: str = "Thực hiện đến ngày",
        **values: object) -> dict:
    return {"org_id": org_id, "ref_date": ref_date, "record_kind": kind,
            **{k: str(v) for k, v in values.items()}}


def value(table: pd.DataFrame, code: str, period: str = AS_OF, area: str | None = None,
          breakdown: str = "", category: str = "", kind: str | None = None) -> float:
    """The one value of a code in a table (fails if there is not exactly one row)."""
    rows = table[(table["code"] == code) & (table["period"] == period)
                 & (table["breakdown"] == breakdown) & (table["category"] == category)]
    rows = rows[rows["parent_code"].isna() if area is None else rows["area_code"] == area]
    if kind:
        rows = rows[rows["kind"] == kind]
    assert len(rows) == 1, f"{code} {period} {area}: {len(rows)} rows"
    return float(rows["value"].iloc[0])
