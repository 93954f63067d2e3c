"""Open data into a session: the analyst's one way in.

``open_data`` reads and checks the data (organisations' records, units' forms, or both),
chooses the date the figures run to and the year of the document, and computes every
unit's indicator values once. A name or a date means what it means on the command line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from htxlib.glossary import message
from htxlib.inputs.registry import Registry, open_registry
from htxlib.inputs.scope import as_date, data_dates, require_ok
from htxlib.report.edition import DEFAULT, find, known
from htxlib.report.params import ParamError, check
from htxlib.session import Session


def open_data(data: str | Path | None = None, *, as_of: str | dt.date | None = None,
              year: int | None = None, edition: str = DEFAULT, area: str = "") -> Session:
    """Open data into a session.

    Parameters
    ----------
    data : str or Path, optional
        A workbook (.xlsx) or a folder of CSV files, with or without a ``submissions/``
        folder of the units' forms, or a folder of forms and the unit list only. None:
        the bundled Ba Tơ sample.
    as_of : str or date, optional
        The date the figures run to ("30/9/2025", "2025-09-30"). None: the latest
        reporting date of the data (of ``year``, when given).
    year : int, optional
        The year in the title of the document the figures are for (the plan's year:
        2026 for figures of 2025). None: worked out from ``as_of``.
    edition : str
        "plan" (the default), "mid-year" or "year-end", as ``htx report --edition``.
    area : str
        The area views use when asked for none; "": the smallest unit holding all the
        data.

    Returns
    -------
    Session
        The data, checked, with every unit's indicator values at ``as_of``.

    Raises
    ------
    InputError
        The data cannot be read.
    DataError
        The data have errors (``htx validate`` lists them).
    ParamError
        A bad date, year or edition, or no figures for it.

    Examples
    --------
    >>> import htxlib
    >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="30/9/2025")
    >>> s.as_of, s.params.year
    (datetime.date(2025, 9, 30), 2026)
    >>> htxlib.open_data("data/sample/ba-to-2025").as_of
    datetime.date(2026, 12, 14)
    """
    path = Path(data).expanduser().resolve() if str(data or "").strip() else None
    doc = find(edition)
    if doc is None:
        raise ParamError(message("param_edition", value=edition, known=", ".join(known())))
    when = _date(as_of)
    if year is None and when is not None:
        year = when.year - doc.assessed
    if year is not None:
        return Session.open(data=str(path or ""), year=year, as_of=str(as_of or ""),
                            edition=edition, area=area)
    registry = open_registry(path)
    require_ok(registry, path or "")
    latest = latest_date(registry, doc.months) or dt.date.today()  # none: "no figures"
    return Session.open(check(data=str(path or ""), year=latest.year - doc.assessed,
                              as_of=latest.isoformat(), edition=edition, area=area),
                        registry=registry)


def _date(value: str | dt.date | None) -> dt.date | None:
    if value is None or not str(value).strip():
        return None
    try:
        return as_date(value)
    except ValueError as err:
        raise ParamError(str(err)) from None


def latest_date(registry: Registry, months: tuple[int, int] = (1, 12)) -> dt.date | None:
    """The latest reporting date of the data in ``months`` of a year (a six-month
    report's: January to June): of the records actually done, or of a form's "to date"
    column (never an estimate)."""
    years = [*registry.records["ref_date"].dropna().dt.year,
             *pd.to_datetime(registry.submissions["as_of"]).dt.year]
    for year in sorted(set(years), reverse=True):
        dates = [d for d in data_dates(registry, int(year))
                 if months[0] <= d.month <= months[1]]
        if dates:
            return dates[-1].date()
    return None
