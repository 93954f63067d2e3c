"""Open an input and bring it to the state the indicator engine needs.

``open_registry`` runs the first half of the pipeline — read, clean, build the area
hierarchy, place every organisation in its commune, validate — and returns the typed
frames with every problem found. Nothing is dropped: rows with errors stay, and a run
refuses to go on while there are errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from htxlib.inputs.areas import Areas, build_areas, locate, resolve_column
from htxlib.inputs.clean import Dataset, clean
from htxlib.inputs.load import read_input
from htxlib.inputs.problems import Problems
from htxlib.inputs.validate import validate


@dataclass
class Registry:
    data: Dataset
    areas: Areas
    problems: Problems

    @property
    def organisations(self) -> pd.DataFrame:
        return self.data.organisations

    @property
    def records(self) -> pd.DataFrame:
        return self.data.records

    @property
    def ok(self) -> bool:
        return not self.problems.has_errors


def open_registry(path: str | Path | None = None) -> Registry:
    """Read and check an input (None: the bundled Ba Tơ sample). Raises InputError."""
    problems = Problems()
    raw = read_input(path, problems)
    ds = clean(raw, problems)
    areas = build_areas(ds, problems)
    orgs = ds.organisations
    orgs["area_code"] = locate(orgs, areas, problems) if len(orgs) else np.array([], object)
    validate(ds, problems)
    sup = ds.support
    by_org = sup["org_id"].map(orgs.drop_duplicates("org_id").set_index("org_id")["area_code"])
    by_area = resolve_column(sup, "area", "support", areas, problems)
    sup["area_code"] = by_org.astype(object).where(sup["org_id"].notna(),
                                                   by_area.astype(object))
    ds.targets["area_code"] = resolve_column(ds.targets, "area", "targets", areas, problems)
    ds.estimates["area_code"] = resolve_column(ds.estimates, "area", "estimates", areas,
                                               problems)
    return Registry(ds, areas, problems)
