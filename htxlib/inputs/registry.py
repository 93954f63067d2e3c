"""Open an input and bring it to the state the indicator engine needs.

``open_registry`` runs the first half of the pipeline — read, clean, build the area
hierarchy, place every organisation in its commune, validate — and returns the typed
frames with every problem found. Nothing is dropped: rows with errors stay, and a run
refuses to go on while there are errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from htxlib import fmt
from htxlib.glossary import messages
from htxlib.inputs.areas import Areas, build_areas, locate, resolve_column
from htxlib.inputs.clean import Dataset, clean
from htxlib.inputs.files import BOOKS, SUBMISSIONS, form_entries, forms_folder
from htxlib.inputs.form_files import read_folder_forms, remembered_checks
from htxlib.inputs.load import read_input
from htxlib.inputs.problems import Problems
from htxlib.inputs.submission import forms_frame, read_forms
from htxlib.inputs.submission_checks import check_forms, missing_units, unit_dates
from htxlib.inputs.validate import validate


@dataclass
class Registry:
    data: Dataset
    areas: Areas
    problems: Problems
    submissions: pd.DataFrame = field(default_factory=lambda: read_forms([], Problems()))

    @property
    def organisations(self) -> pd.DataFrame:
        return self.data.organisations

    @property
    def records(self) -> pd.DataFrame:
        return self.data.records

    def units_with_data(self) -> list[str]:
        """The units the data speak for: those with organisations or with a form."""
        codes = [*self.organisations["area_code"].dropna(),
                 *self.submissions["unit_code"].dropna()]
        return [c for c in dict.fromkeys(codes) if c in self.areas.by_code.index]

    @property
    def ok(self) -> bool:
        return not self.problems.has_errors

    def summary(self) -> str:
        """What a valid input holds, in one sentence: organisations, rows of figures and,
        when there are any, the units' forms."""
        words = messages()["summary"]
        forms = self.submissions.drop_duplicates(["file", "unit_code", "as_of"])
        return (words["ok"].format(n_orgs=fmt.number(len(self.organisations), 0),
                                   n_records=fmt.number(len(self.records), 0))
                + (words["forms"].format(n=fmt.number(len(forms), 0)) if len(forms) else ""))

    def __repr__(self) -> str:  # a summary, never the frames (htxlib.api.show)
        from htxlib.api import show

        return show.text(show.words()["registry"], show.registry_rows(self))

    def _repr_html_(self) -> str:
        from htxlib.api import show

        return show.html(show.words()["registry"], show.registry_rows(self))


def open_registry(path: str | Path | None = None) -> Registry:
    """Read and check an input (None: the bundled Ba Tơ sample). Raises InputError."""
    problems = Problems()
    raw = read_input(path, problems)
    ds = clean(raw, problems, with_forms=forms_folder(path) is not None)
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
    forms = _submissions(path, areas, problems, orgs_given=len(orgs) > 0)
    missing_units(forms, areas, orgs["area_code"].dropna(), problems)
    return Registry(ds, areas, problems, forms)


def _form_files(folder: Path, problems: Problems) -> list[Path]:
    """The forms of the folder (workbooks and long CSVs), in name order; anything else in
    it is a warning naming it."""
    forms, folders, others = form_entries(folder)
    for name in folders:
        problems.add("warning", "submission_subfolder", sheet=SUBMISSIONS, values=[name],
                     file=name, folder=f"{SUBMISSIONS}/")
    for name in others:
        problems.add("warning", "submission_skipped", sheet=SUBMISSIONS, values=[name],
                     file=name, folder=f"{SUBMISSIONS}/")
    return forms


def _checked(forms: pd.DataFrame) -> list[tuple]:
    """The problems of the form checks, as rows of the problem table."""
    found = Problems()
    check_forms(forms, found)
    return found.records()


def _submissions(path: str | Path | None, areas: Areas, problems: Problems,
                 orgs_given: bool = True) -> pd.DataFrame:
    """The forms in ``DATA/submissions/`` (workbooks and long .csv), read and checked; a form
    of a unit the Địa bàn list does not have is an error naming the nearest units. A folder
    with no form, when there are no organisations either, is an error: nothing to count."""
    folder = forms_folder(path)
    files = _form_files(folder, problems) if folder else []
    if folder and not files and not orgs_given:
        problems.add("error", "submission_none", sheet=SUBMISSIONS, folder=f"{SUBMISSIONS}/")
    reads = read_folder_forms([p for p in files if p.suffix.lower() in BOOKS])
    forms = forms_frame(reads, [p for p in files if p.suffix.lower() == ".csv"], problems)
    problems.add_records(remembered_checks(files, lambda: _checked(forms)))
    firsts = forms.drop_duplicates(["file", "unit_code"])
    for _, f in firsts[~firsts["unit_code"].isin(areas.by_code.index)].iterrows():
        problems.add("error", "submission_unit", sheet=f["sheet"], values=[f["unit_code"]],
                     file=f["file"], unit=f["unit_name"],
                     hint=areas.suggest(str(f["unit_name"])))
    unit_dates(forms, areas, problems)
    return forms
