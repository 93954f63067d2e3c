"""The unit tree and the forms sent, as frames: pure functions of a registry and a date."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from htxlib.inputs.registry import Registry


def unit_tree(registry: Registry, area: str, as_of: dt.date) -> pd.DataFrame:
    """``area`` and every unit below it, in the list's order: its code, name as documents
    write it, level, parent, dates of validity, whether it exists on ``as_of``, the unit an
    old one merged into by then, and how many organisations and forms the data hold for
    it (forms dated up to ``as_of``)."""
    areas = registry.areas
    f = areas.frame
    inside = f["code"].isin(areas.descendants(area)).to_numpy()
    when = pd.Timestamp(as_of)
    codes = f.loc[inside, "code"]
    moved = areas.moved_to(codes, when)
    orgs = registry.organisations["area_code"].value_counts()
    forms = _forms_up_to(registry, when).drop_duplicates("file")["unit_code"].value_counts()
    return pd.DataFrame({
        "area_code": codes.to_numpy(), "area_name": areas.display_names()[inside].to_numpy(),
        "area_level": f.loc[inside, "level"].to_numpy(),
        "parent_code": f.loc[inside, "parent_code"].to_numpy(),
        "valid_from": f.loc[inside, "valid_from"].to_numpy(),
        "valid_to": f.loc[inside, "valid_to"].to_numpy(),
        "exists": areas.alive_on(pd.Series([when]))[0][inside],
        "merged_into": [m if m != c else "" for c, m in zip(codes, moved, strict=True)],
        "organisations": codes.map(orgs).fillna(0).astype(int).to_numpy(),
        "forms": codes.map(forms).fillna(0).astype(int).to_numpy()})


def _forms_up_to(registry: Registry, when: pd.Timestamp) -> pd.DataFrame:
    forms = registry.submissions
    return forms[pd.to_datetime(forms["as_of"]) <= when]


def forms_sent(registry: Registry, area: str, as_of: dt.date) -> pd.DataFrame:
    """Who has sent a form for ``as_of``: one row per lowest unit of ``area`` on that date,
    with its organisations in the data, whether a form for that date came (an old unit's
    form counts for the unit it merged into), from which file(s); the units that have
    neither organisations nor a form are the ones the totals leave out."""
    areas = registry.areas
    when = pd.Timestamp(as_of)
    leaves = [c for c in areas.leaves(when) if c in set(areas.descendants(area))]
    forms = registry.submissions
    dated = forms[(forms["period"] == "to_date") & (pd.to_datetime(forms["as_of"]) == when)]
    dated = dated.astype({"file": object}).assign(
        unit=areas.moved_to(dated["unit_code"].astype(object), when))
    files = dated.drop_duplicates("file").groupby("unit")["file"].agg(", ".join)
    orgs = registry.organisations
    located = areas.moved_to(orgs["area_code"].dropna().astype(object), when).value_counts()
    names = areas.display_names().set_axis(areas.frame["code"])
    frame = pd.DataFrame({"area_code": leaves, "area_name": names.reindex(leaves).to_numpy()})
    frame["organisations"] = frame["area_code"].map(located).fillna(0).astype(int)
    frame["sent"] = frame["area_code"].isin(files.index)
    frame["file"] = frame["area_code"].map(files).fillna("")
    return frame
